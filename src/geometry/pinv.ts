/**
 * Round trips through an embedding matrix W (row-major [V, D], V ≥ D).
 *
 * Embedding token t is a row lookup: x = Wᵀ e_t = W[t]   (e_t one-hot, [V]).
 * Going back from x ∈ R^D to a score per token can be done three ways:
 *   - transpose:        y = W x              y_i = w_i · x        (peak |w_t|²)
 *   - row-normalised:   y_i = w_i · x / |w_i|²                     (peak exactly 1)
 *   - pseudo-inverse:   y = W (WᵀW)⁻¹ x = H e_t                    (peak h_tt ≤ 1)
 * H = W (WᵀW)⁻¹ Wᵀ is the [V, V] projection onto W's column space; its
 * diagonal (the leverages) sums to D, so h_tt is D/V on average. The
 * pseudo-inverse answer is the shortest V-vector that embeds back to x.
 *
 * Pure maths, float64 accumulation. The Gram matrix costs V·D² and is computed
 * once per model (chunked so the page can keep responding).
 */

/** Gram matrix G = WᵀW ([D, D], float64), rows [r0, r1) accumulated into g. */
export function gramAccumulate(w: ArrayLike<number>, rows: number, cols: number, g: Float64Array, r0 = 0, r1 = rows): void {
  const D = cols;
  const tmp = new Float64Array(D);
  for (let r = r0; r < Math.min(r1, rows); r++) {
    const o = r * D;
    for (let i = 0; i < D; i++) tmp[i] = w[o + i];
    for (let i = 0; i < D; i++) {
      const a = tmp[i];
      if (a === 0) continue;
      const gi = i * D;
      for (let j = i; j < D; j++) g[gi + j] += a * tmp[j];
    }
  }
}

/** Fills the lower triangle from the upper one (after gramAccumulate). */
export function symmetrize(g: Float64Array, D: number): void {
  for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) g[j * D + i] = g[i * D + j];
}

/** G = WᵀW in one go (for small matrices and tests). */
export function gram(w: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const g = new Float64Array(cols * cols);
  gramAccumulate(w, rows, cols, g);
  symmetrize(g, cols);
  return g;
}

/**
 * Cholesky factor L (lower, [D, D]) of a symmetric positive-definite matrix.
 * A tiny ridge (relative 1e-12 of the trace) guards against rank deficiency.
 * Returns null if the matrix is not positive definite.
 */
export function cholesky(a: Float64Array, D: number): Float64Array | null {
  let tr = 0;
  for (let i = 0; i < D; i++) tr += a[i * D + i];
  const ridge = (tr / Math.max(1, D)) * 1e-12;
  const L = new Float64Array(D * D);
  for (let j = 0; j < D; j++) {
    let s = a[j * D + j] + ridge;
    for (let k = 0; k < j; k++) s -= L[j * D + k] * L[j * D + k];
    if (!(s > 0)) return null;
    const ljj = Math.sqrt(s);
    L[j * D + j] = ljj;
    for (let i = j + 1; i < D; i++) {
      let t = a[i * D + j];
      for (let k = 0; k < j; k++) t -= L[i * D + k] * L[j * D + k];
      L[i * D + j] = t / ljj;
    }
  }
  return L;
}

/** Solves (L Lᵀ) z = b for z, given the Cholesky factor L. */
export function choleskySolve(L: Float64Array, D: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(D);
  for (let i = 0; i < D; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * D + k] * y[k];
    y[i] = s / L[i * D + i];
  }
  const z = new Float64Array(D);
  for (let i = D - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < D; k++) s -= L[k * D + i] * z[k];
    z[i] = s / L[i * D + i];
  }
  return z;
}

export type RoundTripMode = 'transpose' | 'normalized' | 'pinv';

/**
 * Scores y [V] of the round trip of x = W[t] (or any x [D]) back to the vocabulary.
 * `chol` (Cholesky factor of WᵀW) is needed for 'pinv'; `norms2` (squared row norms) for 'normalized'.
 */
export function roundTrip(
  w: ArrayLike<number>,
  rows: number,
  cols: number,
  x: ArrayLike<number>,
  mode: RoundTripMode,
  extra: { chol?: Float64Array | null; norms2?: ArrayLike<number> } = {},
): Float32Array {
  let v: ArrayLike<number> = x;
  if (mode === 'pinv') {
    if (!extra.chol) throw new Error('roundTrip: pinv needs the Cholesky factor of WᵀW');
    v = choleskySolve(extra.chol, cols, x); // z = (WᵀW)⁻¹ x   [D]
  }
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const o = r * cols;
    for (let c = 0; c < cols; c++) s += w[o + c] * v[c];
    if (mode === 'normalized') {
      const n2 = extra.norms2 ? extra.norms2[r] : 0;
      s = n2 > 0 ? s / n2 : 0;
    }
    out[r] = s;
  }
  return out;
}

/** Leverage h_tt = w_tᵀ (WᵀW)⁻¹ w_t (the pseudo-inverse round trip's peak). */
export function leverage(chol: Float64Array, D: number, wt: ArrayLike<number>): number {
  const z = choleskySolve(chol, D, wt);
  let s = 0;
  for (let i = 0; i < D; i++) s += wt[i] * z[i];
  return s;
}

/** Left pseudo-inverse W⁺ = (WᵀW)⁻¹Wᵀ as a dense [D, V] matrix (tests / small W only). */
export function leftPinv(w: ArrayLike<number>, rows: number, cols: number): Float64Array | null {
  const L = cholesky(gram(w, rows, cols), cols);
  if (!L) return null;
  const out = new Float64Array(cols * rows);
  const col = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) col[c] = w[r * cols + c];
    const z = choleskySolve(L, cols, col);
    for (let c = 0; c < cols; c++) out[c * rows + r] = z[c];
  }
  return out;
}
