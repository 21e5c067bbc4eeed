/**
 * LayerNorm on one vector (pure maths). GPT-2 reads the residual stream
 * through LN(x) = γ ⊙ (x − mean(x)) / sqrt(var(x) + ε) + β.
 * `normalize` is the part before the gain γ and bias β: its output has mean 0
 * and length √D (up to ε), whatever the length of x.
 */
export function normalize(x: ArrayLike<number>, eps = 1e-5): Float64Array {
  const D = x.length;
  let m = 0;
  for (let i = 0; i < D; i++) m += x[i];
  m /= D;
  let v = 0;
  for (let i = 0; i < D; i++) v += (x[i] - m) ** 2;
  v /= D;
  const inv = 1 / Math.sqrt(v + eps);
  const out = new Float64Array(D);
  for (let i = 0; i < D; i++) out[i] = (x[i] - m) * inv;
  return out;
}

/**
 * RMSNorm's part before the gain (Llama): x / sqrt(mean(x²) + ε). No centring: the output keeps
 * x's mean direction and has length √D (up to ε).
 */
export function rmsNormalize(x: ArrayLike<number>, eps = 1e-5): Float64Array {
  const D = x.length;
  let ms = 0;
  for (let i = 0; i < D; i++) ms += x[i] * x[i];
  const inv = 1 / Math.sqrt(ms / D + eps);
  const out = new Float64Array(D);
  for (let i = 0; i < D; i++) out[i] = x[i] * inv;
  return out;
}

/** Full LayerNorm with gain γ and bias β (kind 'rmsnorm': RMSNorm, no centring; its bias is zeros). */
export function layerNorm(
  x: ArrayLike<number>,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  eps = 1e-5,
  kind: 'layernorm' | 'rmsnorm' = 'layernorm',
): Float64Array {
  const n = kind === 'rmsnorm' ? rmsNormalize(x, eps) : normalize(x, eps);
  for (let i = 0; i < n.length; i++) n[i] = n[i] * gamma[i] + beta[i];
  return n;
}

/** Largest absolute difference between two vectors. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
