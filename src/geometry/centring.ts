/**
 * Mean-centring of a set of rows (chapter 6b toggle, chapter 10 anisotropy).
 * Rows of W_U share a large common component μ = mean_i u_i. Subtracting it
 * changes every logit x · u_i by the same amount x · μ, so softmax is
 * unchanged, but the angles between rows open up. Pure maths.
 */

/** Mean row of a row-major [rows, cols] matrix → [cols]. */
export function meanRow(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const m = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) m[c] += data[o + c];
  }
  if (rows > 0) for (let c = 0; c < cols; c++) m[c] /= rows;
  return m;
}

import { mulberry32 } from './random';
export { mulberry32 };

export interface Anisotropy {
  /** Mean cosine between random pairs of distinct rows, raw. */
  meanCosRaw: number;
  /** The same after subtracting the mean row from each. */
  meanCosCentred: number;
  /** |μ| and the mean row norm, for the ratio the prose quotes. */
  meanNorm: number;
  meanRowNorm: number;
  pairs: number;
}

/**
 * Mean pairwise cosine over `pairs` random pairs of distinct rows, with and
 * without centring. `mean` = meanRow(data) (passed in so it is computed once).
 */
export function anisotropy(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  mean: ArrayLike<number>,
  pairs = 2000,
  seed = 1,
): Anisotropy {
  const rand = mulberry32(seed);
  let raw = 0;
  let cen = 0;
  let n = 0;
  let rowNormSum = 0;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += data[r * cols + c] ** 2;
    rowNormSum += Math.sqrt(s);
  }
  if (rows >= 2) {
    for (let k = 0; k < pairs; k++) {
      const i = Math.floor(rand() * rows);
      let j = Math.floor(rand() * (rows - 1));
      if (j >= i) j++;
      let ab = 0,
        aa = 0,
        bb = 0,
        cab = 0,
        caa = 0,
        cbb = 0;
      for (let c = 0; c < cols; c++) {
        const a = data[i * cols + c];
        const b = data[j * cols + c];
        ab += a * b;
        aa += a * a;
        bb += b * b;
        const ca = a - mean[c];
        const cb = b - mean[c];
        cab += ca * cb;
        caa += ca * ca;
        cbb += cb * cb;
      }
      if (aa > 0 && bb > 0 && caa > 0 && cbb > 0) {
        raw += ab / Math.sqrt(aa * bb);
        cen += cab / Math.sqrt(caa * cbb);
        n++;
      }
    }
  }
  let mn = 0;
  for (let c = 0; c < cols; c++) mn += mean[c] * mean[c];
  return {
    meanCosRaw: n ? raw / n : 0,
    meanCosCentred: n ? cen / n : 0,
    meanNorm: Math.sqrt(mn),
    meanRowNorm: rows ? rowNormSum / rows : 0,
    pairs: n,
  };
}
