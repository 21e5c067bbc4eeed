/**
 * The maths of figure 5b from the last position's logits z [V]: the next-token
 * distribution at T, the best token's probability at T and at T = 0, the
 * curve of that probability against T (log-spaced, once per z), where the
 * current T sits on the curve's axis, and the probability axis ticks. Pure.
 */
import { maxProb, softmax } from '../../geometry/softmax';
import { maxProbCurve, T_MAX, T_MIN } from '../../geometry/temperature';

/** Points on the best-token curve. */
export const CURVE_N = 90;

export interface TemperatureData {
  /** softmax(z / T) [V]. */
  p: Float64Array;
  /** Its largest entry. */
  pNow: number;
  /** The largest entry at T = 0 (1, or 1/ties). */
  pZero: number;
}

export function temperatureData(z: ArrayLike<number>, T: number): TemperatureData {
  return { p: softmax(z, T), pNow: maxProb(z, T), pZero: maxProb(z, 0) };
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
