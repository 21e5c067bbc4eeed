/**
 * Figure 6e: every head's attention pattern as one small heatmap in an L × H
 * grid, the selected head enlarged, and (on a model that has them) buttons
 * for the name-mover heads of GPT-2 small.
 *
 * Container. Figures 6d and 6e share one inspect pass and one selected head,
 * so the chapter section holds both and hands them here; this reads the model
 * (for the name-mover buttons), shows the waiting and error states, and
 * renders AttentionGridView with the attention array and its shape.
 */
import { EmptyState } from '../../kit/Figure';
import { ModelGate } from '../../kit/ModelGate';
import { useInfo } from '../../state/model';
import type { InspectState } from '../../state/inspect';
import { AttentionGridView } from './AttentionGridView';
import { hasNameMovers, NAME_MOVERS, type HeadRef } from './compute';

export interface AttentionPatternsProps {
  /** The section's inspect pass (attention [L, H, rows, T] and the rest). */
  inspect: InspectState;
  /** Display strings of the inspected prompt's tokens. */
  tokens: string[];
  /** The selected head (null until there is a result). */
  selected: HeadRef | null;
  /** The head with the largest contribution in figure 6d, outlined in the grid, or null. */
  marked: HeadRef | null;
  /** The query position spelled out under the enlarged head. */
  query: number;
  onSelect: (s: HeadRef) => void;
  /** Selects a head and reads it from the last position (the name-mover buttons). */
  onSelectFromLast: (s: HeadRef) => void;
  onQuery: (q: number) => void;
}

export function AttentionPatterns({
  inspect,
  tokens,
  selected,
  marked,
  query,
  onSelect,
  onSelectFromLast,
  onQuery,
}: AttentionPatternsProps) {
  const r = inspect.result;
  const info = useInfo();
  const hasMovers = !!info && hasNameMovers(info.config.nLayer, info.config.nHead);
  return (
    <ModelGate>
      {() =>
        inspect.error ? (
          <EmptyState>The attention patterns could not be computed: {inspect.error}</EmptyState>
        ) : !r || !selected ? (
          <EmptyState>Running the model…</EmptyState>
        ) : (
          <>
            {hasMovers && (
              <div className="controls">
                <span className="p2-muted">Wang et al.’s name movers:</span>
                {NAME_MOVERS.map((s) => (
                  <button key={`${s.l}.${s.h}`} type="button" onClick={() => onSelectFromLast(s)} data-testid="ap-mover">
                    {s.l}.{s.h}
                  </button>
                ))}
              </div>
            )}
            <AttentionGridView
              attn={r.attn}
              L={r.L}
              H={r.H}
              T={r.T}
              row0={r.attnRow0}
              rows={r.attnRows}
              tokens={tokens}
              selected={selected}
              marked={marked}
              query={query}
              onSelect={onSelect}
              onQuery={onQuery}
              stale={!inspect.current}
            />
          </>
        )
      }
    </ModelGate>
  );
}
