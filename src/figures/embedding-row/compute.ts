/**
 * The numbers of figure 2a: a robust colour scale for W_E, the picked row,
 * and which rows the matrix image samples (it shows at most IMG_ROWS of the
 * V rows). W_E is row-major [V, D].
 */

/** At most this many rows of W_E are drawn in the matrix image. */
export const IMG_ROWS = 240;

/** 99th percentile of |w| over a sample of about 20,000 entries (a colour scale that a few outliers do not wash out); 1 when that is 0. */
export function robustMaxAbs(data: ArrayLike<number>): number {
  const n = data.length;
  const step = Math.max(1, Math.floor(n / 20000));
  const s = new Float64Array(Math.ceil(n / step));
  for (let i = 0, j = 0; i < n; i += step, j++) s[j] = Math.abs(data[i]);
  s.sort(); // a typed array sorts numerically, natively: ~10x faster than a comparator on a plain array
  return s[Math.floor(0.99 * (s.length - 1))] || 1;
}

/** Row t of a row-major [rows, cols] matrix, copied: [cols]. */
export function embeddingRow(data: Float32Array, cols: number, t: number): Float32Array {
  return data.slice(t * cols, (t + 1) * cols);
}

/** Height of the image in rows: all of them, or IMG_ROWS. */
export function imageRows(rows: number): number {
  return Math.min(IMG_ROWS, rows);
}

/** The matrix row drawn as image row y of h. */
export function sampledRow(y: number, rows: number, h: number): number {
  return Math.floor((y * rows) / h);
}

/** Where row t sits, as a percentage of the image's height from the top (the centre of its band). */
export function rowMarkTop(t: number, rows: number): number {
  return ((t + 0.5) / rows) * 100;
}
