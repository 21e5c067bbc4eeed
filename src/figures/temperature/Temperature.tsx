/**
 * Figure 5b: a temperature slider (log scale, T = 0 reachable) redrawing the
 * next-token distribution, and the curve of the best token's probability
 * against T, from 1/V (T → ∞) to 1 (T → 0), with the current T marked.
 * Container: reads the forward result and the shared temperature, finds the
 * top tokens and the curve once per prompt and their probabilities per T;
 * TemperatureView draws.
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { useParams } from '../../state/store';
import type { ForwardResult } from '../../runtime/types';
import { lastLogits } from '../../state/forward-readers';
import { DIST_K } from '../../kit/Distribution';
import { useFigureData } from '../../kit/export';
import { bestTokenCurve, temperatureData, temperatureTop } from './compute';
import { TemperatureView } from './TemperatureView';

function AtTemperature({ f }: { f: ForwardResult }) {
  const [state, setState] = useParams(['temp'] as const);
  const T = state.temp;
  const z = lastLogits(f);
  const top = useMemo(() => temperatureTop(z, DIST_K), [z]);
  const { ids, p, pNow, pZero } = useMemo(() => temperatureData(z, T, top), [z, T, top]);
  const curve = useMemo(() => bestTokenCurve(z), [z]);
  useFigureData(({ tokenText }) => ({
    columns: [{ key: 'rank' }, { key: 'token', label: 'token text' }, { key: 'token_id' }, { key: 'probability', unit: 'fraction of 1' }],
    rows: ids.map((i, r) => ({ rank: r + 1, token: tokenText(i), token_id: i, probability: p[r] })),
    params: { temperature: T, vocabulary_size: z.length, best_token_probability: pNow },
    nested: { best_token_probability_vs_temperature: curve.map(([t, q]) => ({ temperature: t, probability: q })) },
  }));
  return <TemperatureView T={T} setT={(t) => setState({ temp: t })} ids={ids} p={p} pNow={pNow} pZero={pZero} curve={curve} V={f.V} />;
}

export function Temperature() {
  return <ModelGate>{(f) => f && <AtTemperature f={f} />}</ModelGate>;
}
