/**
 * Temperature on a log-scale slider with T = 0 reachable, and the curve of the
 * best token's probability against T (pure maths).
 */
import { maxProb } from './softmax';

export const T_MIN = 0.01;
export const T_MAX = 100;
/** Slider positions 0..STEPS; 0 means T = 0 (argmax). */
export const T_STEPS = 1000;

export function sliderToTemp(v: number): number {
  if (v <= 0) return 0;
  const f = (Math.min(T_STEPS, v) - 1) / (T_STEPS - 1);
  return T_MIN * Math.pow(T_MAX / T_MIN, f);
}

export function tempToSlider(t: number): number {
  if (!(t > 0)) return 0;
  const c = Math.min(T_MAX, Math.max(T_MIN, t));
  return 1 + Math.round((Math.log(c / T_MIN) / Math.log(T_MAX / T_MIN)) * (T_STEPS - 1));
}

/** [T, p_max(T)] at n log-spaced temperatures between tMin and tMax. */
export function maxProbCurve(logits: ArrayLike<number>, n = 80, tMin = T_MIN, tMax = T_MAX): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const t = tMin * Math.pow(tMax / tMin, i / (n - 1));
    out.push([t, maxProb(logits, t)]);
  }
  return out;
}

/** Scales every entry: the logits of α·x are α times the logits of x (no unembedding bias). */
export function scaled(z: ArrayLike<number>, alpha: number): Float64Array {
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = z[i] * alpha;
  return out;
}
