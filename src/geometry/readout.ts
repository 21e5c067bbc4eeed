/**
 * The read-out a residual vector goes through before the unembedding:
 * the final LayerNorm, y = g ⊙ (x − mean(x)) / sqrt(var(x) + ε) + b (or, with kind "rmsnorm", RMSNorm: no centring).
 * (Part 1 may have its own LayerNorm helper; this one is part 2's, kept
 * separate to avoid editing their file.) Pure maths.
 */
export function finalLayerNorm(
  x: ArrayLike<number>,
  gain: ArrayLike<number>,
  bias: ArrayLike<number>,
  eps: number,
  kind: 'layernorm' | 'rmsnorm' = 'layernorm',
): Float64Array {
  const n = x.length;
  let mean = 0;
  if (kind === 'layernorm') for (let i = 0; i < n; i++) mean += x[i];
  mean /= n; // RMSNorm: no centring (mean stays 0), the bias is zeros
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mean) ** 2;
  v /= n;
  const inv = 1 / Math.sqrt(v + eps);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (x[i] - mean) * inv * gain[i] + bias[i];
  return out;
}

/** cos(A[r], B[r]) for every row r of two row-major [rows, cols] matrices → [rows]. */
export function rowwiseCosines(A: ArrayLike<number>, B: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let ab = 0, aa = 0, bb = 0;
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const a = A[o + c];
      const b = B[o + c];
      ab += a * b; aa += a * a; bb += b * b;
    }
    out[r] = aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
  }
  return out;
}

/** Counts of values in `bins` equal-width bins over [lo, hi] (values outside are clamped into the end bins). */
export function binValues(values: ArrayLike<number>, lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    let b = Math.floor((v - lo) / w);
    if (b < 0) b = 0;
    if (b >= bins) b = bins - 1;
    counts[b]++;
  }
  return counts;
}
