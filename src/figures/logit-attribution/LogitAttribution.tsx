/**
 * Figure 6d: the logit difference between two tokens at the last position,
 * split into what every head, MLP and the embedding wrote.
 *
 * Container. Figures 6d and 6e share one inspect pass and one selected head,
 * so the chapter section holds both (useAttribution, requested once the
 * section is near the screen) and hands them here; this reads and writes the
 * two tokens (shared URL parameters hs_a / hs_b), shows the waiting and error
 * states, and renders AttributionChartView with plain props.
 */
import { EmptyState } from '../../kit/Figure';
import { ModelGate } from '../../kit/ModelGate';
import { TokenField } from '../../kit/TokenField';
import { setParams, useParams } from '../../state/store';
import { AttributionChartView } from './AttributionChartView';
import type { HeadRef } from './compute';
import type { AttributionData } from './useAttribution';

export interface LogitAttributionProps {
  d: AttributionData;
  selected: HeadRef | null;
  /** A head picked on the chart (it is then read from the last position in figure 6e). */
  onSelectHead: (s: HeadRef) => void;
}

export function LogitAttribution({ d, selected, onSelectHead }: LogitAttributionProps) {
  const [state] = useParams(['hs_a', 'hs_b'] as const);
  const setState = setParams;
  return (
    <ModelGate>
      {() => (
        <>
          <div className="controls">
            <TokenField
              label="Token a"
              value={state.hs_a}
              onChange={(v) => setState({ hs_a: v })}
              resolved={d.ra}
              testid="la-a"
              swatch="var(--accent-2)"
            />
            <TokenField
              label="Token b"
              value={state.hs_b}
              onChange={(v) => setState({ hs_b: v })}
              resolved={d.rb}
              testid="la-b"
              swatch="var(--accent)"
            />
          </div>
          {d.inspect.error ? (
            <EmptyState>The attribution could not be computed: {d.inspect.error}</EmptyState>
          ) : d.ra.id === null || d.rb.id === null ? (
            <p className="p2-muted">Pick two tokens to compare.</p>
          ) : !d.att ? (
            <EmptyState>{d.weightsReady ? 'Running the model…' : 'Reading the weights…'}</EmptyState>
          ) : (
            <AttributionChartView
              items={d.att.items}
              sum={d.att.sum}
              truth={d.truth}
              labelA={d.labelA}
              labelB={d.labelB}
              selected={selected}
              top={d.att.topHead}
              onSelectHead={onSelectHead}
              stale={!d.inspect.current}
            />
          )}
        </>
      )}
    </ModelGate>
  );
}
