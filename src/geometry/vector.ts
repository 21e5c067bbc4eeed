/**
 * Pure vector maths on plain arrays (no tfjs, no React). Row-major matrices
 * are passed as (data, rows, cols).
 */
export type Vec = ArrayLike<number>;

export function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: Vec): number {
  return Math.sqrt(dot(a, a));
}

/**
 * cos θ = a·b / (|a||b|), clamped to [−1, 1]. A zero vector has no direction:
 * 0 then (neither close nor opposite). A vector with a NaN or ±Infinity entry
 * has none either: NaN then, so a figure can tell "undefined" from "orthogonal".
 */
export function cosine(a: Vec, b: Vec): number {
  const na = norm(a);
  const nb = norm(b);
  if (!Number.isFinite(na) || !Number.isFinite(nb)) return NaN;
  if (na === 0 || nb === 0) return 0;
  return Math.max(-1, Math.min(1, dot(a, b) / (na * nb)));
}

/** a / |a|; null when a has no direction (zero, or a non-finite entry). */
export function unit(a: Vec): Float64Array | null {
  const n = norm(a);
  if (!(n > 0) || !Number.isFinite(n)) return null;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] / n;
  return out;
}

export function euclidean(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Row `r` of a row-major matrix, as a view (no copy). */
export function row(data: Float32Array, cols: number, r: number): Float32Array {
  return data.subarray(r * cols, (r + 1) * cols);
}

/** Norm of every row of a row-major [rows, cols] matrix. */
export function rowNorms(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const o = r * cols;
    for (let c = 0; c < cols; c++) s += data[o + c] * data[o + c];
    out[r] = Math.sqrt(s);
  }
  return out;
}

/** M x for a row-major [rows, cols] matrix M and x of length cols → [rows]. */
export function matVec(data: Float32Array, rows: number, cols: number, x: Vec): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const o = r * cols;
    for (let c = 0; c < cols; c++) s += data[o + c] * x[c];
    out[r] = s;
  }
  return out;
}

export function scale(a: Vec, k: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] * k;
  return out;
}
