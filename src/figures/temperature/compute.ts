/**
 * The maths of figure 5b from the last position's logits z [V]: the top-k
 * tokens (once per z), their probabilities at T, the best token's probability
 * at T and at T = 0, the curve of that probability against T (log-spaced, once
 * per z), where the current T sits on the curve's axis, and the probability
 * axis ticks. Pure.
 */
import { maxProb, softmaxAt, topK } from '../../geometry/softmax';
import { maxProbCurve, T_MAX, T_MIN } from '../../geometry/temperature';

/** Points on the best-token curve. */
export const CURVE_N = 90;

export interface TemperatureData {
  /** The k most likely tokens, largest first (the same at every T > 0). */
  ids: number[];
  /** softmax(z / T) at those tokens [k]. */
  p: Float64Array;
  /** The largest probability at T. */
  pNow: number;
  /** The largest probability at T = 0 (1, or 1/ties). */
  pZero: number;
}

/** The top-k tokens of z, for temperatureData (once per z). */
export function temperatureTop(z: ArrayLike<number>, k: number): { ids: number[]; pZero: number } {
  return { ids: topK(z, k), pZero: maxProb(z, 0) };
}

/** The distribution at T read at `top`'s tokens: O(V) once, no V-sized array. */
export function temperatureData(z: ArrayLike<number>, T: number, top: { ids: number[]; pZero: number }): TemperatureData {
  const p = softmaxAt(z, T, top.ids);
  return { ids: top.ids, p, pNow: p.length ? p[0] : 0, pZero: top.pZero };
}

/** [T, p_max(T)] at CURVE_N log-spaced temperatures from T_MIN to T_MAX. */
export function bestTokenCurve(z: ArrayLike<number>): [number, number][] {
  return maxProbCurve(z, CURVE_N);
}

/** T where the marker sits on the log axis: clamped to [T_MIN, T_MAX]; null for T = 0, drawn in its own column. */
export function markerT(T: number): number | null {
  return T === 0 ? null : Math.min(T_MAX, Math.max(T_MIN, T));
}

/** Ticks of the probability axis: the powers of ten down to 1/V, and 1/V itself (the uniform distribution). */
export function probTicks(V: number): number[] {
  const ticks = [1, 0.1, 0.01, 0.001, 0.0001, 0.00001].filter((t) => t >= 1 / V);
  return [...ticks, 1 / V];
}
