/**
 * The maths of figure 2b: the round-trip scores y [V] of a token's embedding
 * w_t back to the vocabulary (y = W w_t, the same divided by each |w_i|², or
 * W W⁺ w_t with the left pseudo-inverse), the token's own rank in them, and
 * what the bar chart needs: the value range, the min and max of the tokens
 * under each pixel column, and which labels fit without colliding.
 */
import { roundTrip, type RoundTripMode } from '../../geometry/pinv';

/**
 * Scores of token t's round trip: w: W_E [V, D]; norms2: |w_i|² [V] (for
 * 'normalized'); chol: the Cholesky factor of WᵀW (for 'pinv'). Null when
 * 'pinv' has no factor (WᵀW singular or not ready).
 */
export function roundTripScores(
  w: Float32Array,
  V: number,
  D: number,
  t: number,
  mode: RoundTripMode,
  norms2: ArrayLike<number>,
  chol: Float64Array | null,
): Float32Array | null {
  if (mode === 'pinv' && !chol) return null;
  const x = w.subarray(t * D, (t + 1) * D);
  return roundTrip(w, V, D, x, mode, { chol, norms2 });
}

/** 1-based rank of token t among the scores: one more than the number of tokens scoring strictly higher. */
export function selfRank(y: ArrayLike<number>, t: number): number {
  let above = 0;
  for (let i = 0; i < y.length; i++) if (y[i] > y[t]) above++;
  return above + 1;
}

/** HEADROOM: the top of the axis sits this factor above the largest score, leaving room for labels. */
export const HEADROOM = 1.18;

/** The axis range [lo, hi]: lo = min(0, min y), hi = HEADROOM · max(0, max y), with a span of 1 when both are 0. */
export function scoreRange(y: ArrayLike<number>): { lo: number; hi: number } {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] > hi) hi = y[i];
    if (y[i] < lo) lo = y[i];
  }
  hi *= HEADROOM;
  if (hi === lo) hi = lo + 1;
  return { lo, hi };
}

/**
 * The largest and the smallest score among the tokens each of `cols` pixel
 * columns covers (column px covers ids ⌊px·V/cols⌋ up to ⌊(px+1)·V/cols⌋,
 * at least one), so that every peak stays visible however many tokens share a pixel.
 */
export function columnExtents(y: ArrayLike<number>, cols: number): { max: Float64Array; min: Float64Array } {
  const V = y.length;
  const max = new Float64Array(cols);
  const min = new Float64Array(cols);
  for (let px = 0; px < cols; px++) {
    const a = Math.floor((px * V) / cols);
    const b = Math.max(a + 1, Math.floor(((px + 1) * V) / cols));
    let mx = -Infinity;
    let mn = Infinity;
    for (let i = a; i < b; i++) {
      if (y[i] > mx) mx = y[i];
      if (y[i] < mn) mn = y[i];
    }
    max[px] = mx;
    min[px] = mn;
  }
  return { max, min };
}

/** Greedy label placement: label i is kept when it is at least `gap` px from every label kept before it. */
export function keepApart(xs: number[], gap: number): boolean[] {
  const placed: number[] = [];
  return xs.map((x) => {
    if (placed.some((p) => Math.abs(p - x) < gap)) return false;
    placed.push(x);
    return true;
  });
}

/** The tokens marked on the chart, in drawing order: the picked token first, then the top scores other than it. */
export function markOrder(tokenId: number, top: number[]): number[] {
  return [tokenId, ...top.filter((id) => id !== tokenId)];
}

/** What the chart area shows: a wait message, the singular-WᵀW note, a prompt to pick a token, or the bars. */
export type ChartState = 'waiting' | 'singular' | 'pick' | 'ready';

/**
 * matrixReady: W_E and its squared row norms are in; pinv: the pseudo-inverse
 * preparation (null until done; chol null when WᵀW is singular); hasScores: scores for a picked token.
 */
export function chartState(
  mode: RoundTripMode,
  matrixReady: boolean,
  pinv: { chol: Float64Array | null } | null,
  hasScores: boolean,
): ChartState {
  if (!matrixReady || (mode === 'pinv' && !pinv)) return 'waiting';
  if (mode === 'pinv' && !pinv?.chol) return 'singular';
  return hasScores ? 'ready' : 'pick';
}
