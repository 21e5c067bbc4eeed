/**
 * Figure 7. Size is confidence: a vector x among five fixed token rows in the
 * plane. The reader drags x's tip (length and direction), or uses the sliders;
 * the probabilities softmax(u_i · x) sharpen as |x| grows and are uniform at
 * |x| = 0. One row, " gold", can be made longer than the rest: it then wins
 * even where x points closer to a neighbour. The small chart shows the top
 * probability against |x| for the current direction. Container: reads the
 * figure's URL parameters and computes the toy; SizeConfidenceView draws.
 */
import { useMemo } from 'react';
import { useParams } from '../../state/store';
import { PARAMS } from '../../state/params';
import { toyAngles, toyProbs, toyTokens } from './toy';
import { argmax, argmin, sharpeningCurve } from './compute';
import { SizeConfidenceView } from './SizeConfidenceView';

export function SizeConfidence() {
  const [state, setState] = useParams(['sz_ang', 'sz_gold', 'sz_len'] as const);
  const len = state.sz_len;
  const ang = state.sz_ang;
  const tokens = useMemo(() => toyTokens(state.sz_gold), [state.sz_gold]);
  const probs = useMemo(() => toyProbs(tokens, len, ang), [tokens, len, ang]);
  const angles = useMemo(() => toyAngles(tokens, ang), [tokens, ang]);
  const curve = useMemo(() => sharpeningCurve(tokens, ang, PARAMS.sz_len.max), [tokens, ang]);
  return (
    <SizeConfidenceView
      len={len}
      ang={ang}
      gold={state.sz_gold}
      tokens={tokens}
      probs={probs}
      angles={angles}
      top={argmax(probs)}
      closest={argmin(angles)}
      curve={curve}
      onMove={(x) => setState({ sz_len: x.len, sz_ang: x.ang })}
      onLen={(v) => setState({ sz_len: v })}
      onAng={(v) => setState({ sz_ang: v })}
      onGold={(v) => setState({ sz_gold: v })}
    />
  );
}
