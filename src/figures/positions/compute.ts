/**
 * The numbers of figure 3 from W_pos (row-major [P, D]): the cosine between
 * every pair of the first n ≤ HEAT_MAX positions, the mean cosine between
 * positions k apart, and the heatmap's cell under a pointer. The cosine
 * matrix can be filled a slice of rows at a time (the container spreads it
 * over frames).
 */

/** A cosine with two decimals and a true minus sign. */
export function f2(x: number): string {
  const s = x.toFixed(2);
  return s === '-0.00' ? '0.00' : s.replace('-', '−');
}

/** At most this many positions in the heatmap (GPT-2 has 1,024: 1M cosines). */
export const HEAT_MAX = 256;

export interface PosCos {
  n: number;
  cos: Float32Array; // [n, n]
  /** mean cosine between positions k apart, k = 1..n-1 (byGap[0] is unused, 0) */
  byGap: Float64Array;
}

/** |row i| for the first n rows of [*, D]; a zero row counts as 1, so its cosines come out 0 rather than NaN. */
export function safeRowNorms(d: ArrayLike<number>, n: number, D: number): Float64Array {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < D; c++) s += d[i * D + c] ** 2;
    norms[i] = Math.sqrt(s) || 1;
  }
  return norms;
}

/** Fills rows [a, b) of the symmetric cosine matrix cos [n, n]: row i against rows 0..i, mirrored. */
export function fillCosineRows(
  d: ArrayLike<number>,
  D: number,
  norms: ArrayLike<number>,
  cos: Float32Array,
  n: number,
  a: number,
  b: number,
) {
  for (let i = a; i < b; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < D; c++) s += d[i * D + c] * d[j * D + c];
      const v = s / (norms[i] * norms[j]);
      cos[i * n + j] = v;
      cos[j * n + i] = v;
    }
}

/** Mean of the k-th subdiagonal of cos [n, n] for k = 1..n-1. */
export function meanByGap(cos: Float32Array, n: number): Float64Array {
  const byGap = new Float64Array(n);
  for (let k = 1; k < n; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += cos[i * n + i - k];
    byGap[k] = s / (n - k);
  }
  return byGap;
}

/** All of it at once, for W_pos as (data, rows, cols). */
export function positionCosines(d: ArrayLike<number>, rows: number, cols: number): PosCos {
  const n = Math.min(HEAT_MAX, rows);
  const norms = safeRowNorms(d, n, cols);
  const cos = new Float32Array(n * n);
  fillCosineRows(d, cols, norms, cos, n, 0, n);
  return { n, cos, byGap: meanByGap(cos, n) };
}

/** The gaps listed in the table: powers of two up to 64 that fit in n positions. */
export function gapsShown(n: number): number[] {
  return [1, 2, 4, 8, 16, 32, 64].filter((k) => k < n);
}

/** The heatmap cell (row i, column j) under a pointer at fractions (fx, fy) of the map's width and height; null outside. */
export function cellAt(fx: number, fy: number, n: number): { i: number; j: number } | null {
  const j = Math.floor(fx * n);
  const i = Math.floor(fy * n);
  return i >= 0 && j >= 0 && i < n && j < n ? { i, j } : null;
}

/** The largest value (0 for none), for the norm line's axis. */
export function maxOf(v: ArrayLike<number>): number {
  let mx = 0;
  for (let i = 0; i < v.length; i++) mx = Math.max(mx, v[i]);
  return mx;
}
