/**
 * Figure 5b: a temperature slider (log scale, T = 0 reachable) redrawing the
 * next-token distribution, and the curve of the best token's probability
 * against T, from 1/V (T → ∞) to 1 (T → 0), with the current T marked.
 * Container: reads the forward result and the shared temperature, computes
 * the distribution per T and the curve once per prompt; TemperatureView draws.
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { useParams } from '../../state/store';
import { topK } from '../../geometry/softmax';
import type { ForwardResult } from '../../runtime/types';
import { lastLogits } from '../../state/forward-readers';
import { DIST_K } from '../../kit/Distribution';
import { useFigureData } from '../../kit/export';
import { bestTokenCurve, temperatureData } from './compute';
import { TemperatureView } from './TemperatureView';

function AtTemperature({ f }: { f: ForwardResult }) {
  const [state, setState] = useParams(['temp'] as const);
  const T = state.temp;
  const z = lastLogits(f);
  const { p, pNow, pZero } = useMemo(() => temperatureData(z, T), [z, T]);
  const curve = useMemo(() => bestTokenCurve(z), [z]);
  useFigureData(({ tokenText }) => ({
    columns: [{ key: 'rank' }, { key: 'token', label: 'token text' }, { key: 'token_id' }, { key: 'probability', unit: 'fraction of 1' }],
    rows: topK(p, DIST_K).map((i, r) => ({ rank: r + 1, token: tokenText(i), token_id: i, probability: p[i] })),
    params: { temperature: T, vocabulary_size: z.length, best_token_probability: pNow },
    nested: { best_token_probability_vs_temperature: curve.map(([t, q]) => ({ temperature: t, probability: q })) },
  }));
  return <TemperatureView T={T} setT={(t) => setState({ temp: t })} p={p} pNow={pNow} pZero={pZero} curve={curve} V={f.V} />;
}

export function Temperature() {
  return <ModelGate>{(f) => f && <AtTemperature f={f} />}</ModelGate>;
}
