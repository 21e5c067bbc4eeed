/**
 * The numbers of figure 4a: the residual vector picked from the forward pass,
 * LayerNorm's normalisation of it and of a scaled copy, and the log scale on
 * which both lengths are drawn as bars.
 */
import { maxAbsDiff, normalize } from '../../geometry/layernorm';
import { norm, scale } from '../../geometry/vector';

/** Which residual stream the select shows: 0 = entering block 1, L = after the last block. */
export function layerLabel(l: number, L: number): string {
  return l === 0 ? 'entering block 1 (token + position)' : l === L ? `after block ${L} (the last)` : `entering block ${l + 1}`;
}

/** The residual at layer l (0..L) and position t: residuals [L+1, T, D] → a copy [D]. */
export function residualAt(residuals: Float32Array, T: number, D: number, l: number, t: number): Float32Array {
  return residuals.slice((l * T + t) * D, (l * T + t + 1) * D);
}

/** The largest |v_i| (a heat strip's colour scale); 1 for an empty or all-zero vector. */
export function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m || 1;
}

/** What the readouts show for s·x against x: the lengths of s·x and of its normalisation, and how far that moved from x's. */
export interface ScaleReadout {
  /** |s·x| */
  nsx: number;
  /** |normalize(s·x)|, √D up to ε */
  nln: number;
  /** max_i |normalize(x)_i − normalize(s·x)_i| */
  diff: number;
}

export function scaleReadout(sx: ArrayLike<number>, n0: ArrayLike<number>, ns: ArrayLike<number>): ScaleReadout {
  return { nsx: norm(sx), nln: norm(ns), diff: maxAbsDiff(n0, ns) };
}

/** s·x and its normalisation (LayerNorm before gain and bias). */
export function scaledNormalized(x: ArrayLike<number>, s: number, eps: number): { sx: Float64Array; ns: Float64Array } {
  const sx = scale(x, s);
  return { sx, ns: normalize(sx, eps) };
}

/**
 * The bars' log scale: from below the shortest to above the longest length
 * the slider can reach (10^sMin·|x| to 10^sMax·|x|, a zero x counted as
 * length 1) and √D, with a margin of 1.5× each side.
 */
export function barRange(xNorm: number, D: number, sMin: number, sMax: number): { lo: number; hi: number } {
  const nx = xNorm || 1;
  return {
    lo: Math.min(nx * Math.pow(10, sMin), Math.sqrt(D)) / 1.5,
    hi: Math.max(nx * Math.pow(10, sMax), Math.sqrt(D)) * 1.5,
  };
}

/** Width of a bar for length v on that scale, in percent (0 to 100). */
export function barPercent(v: number, lo: number, hi: number): number {
  return Math.max(0, Math.min(100, (Math.log(Math.max(v, 1e-12) / lo) / Math.log(hi / lo)) * 100));
}
