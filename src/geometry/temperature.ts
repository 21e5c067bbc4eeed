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

/**
 * [T, p_max(T)] at n log-spaced temperatures between tMin and tMax. p_max(T) = 1 / Σ_i exp(−d_i / T) with the gaps
 * d_i = max − z_i. The gaps are sorted once, so at each T the terms are summed largest first and the sum stops at
 * the first term below a quarter of a unit in the last place of the sum so far (every later term is smaller still
 * and could not change it): at low T that is a few terms instead of V. The result equals maxProb(z, T) up to the
 * order of summation (a relative 1e-14 at V = 50,257).
 */
export function maxProbCurve(logits: ArrayLike<number>, n = 80, tMin = T_MIN, tMax = T_MAX): [number, number][] {
  const temps = Array.from({ length: n }, (_, i) => tMin * Math.pow(tMax / tMin, i / (n - 1)));
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  if (!Number.isFinite(max)) return temps.map((t) => [t, maxProb(logits, t)]);
  const gaps = new Float64Array(logits.length);
  for (let i = 0; i < gaps.length; i++) gaps[i] = max - logits[i];
  gaps.sort(); // ascending; NaN logits (none in a forward result) would sort last
  return temps.map((t) => {
    let sum = 0;
    for (let i = 0; i < gaps.length; i++) {
      const e = Math.exp(-gaps[i] / t);
      if (e < sum * 2 ** -54) break;
      sum += e;
    }
    return [t, 1 / sum];
  });
}

/** Scales every entry: the logits of α·x are α times the logits of x (no unembedding bias). */
export function scaled(z: ArrayLike<number>, alpha: number): Float64Array {
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = z[i] * alpha;
  return out;
}
