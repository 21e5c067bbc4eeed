/**
 * The components of a transformer block, one small function each (nanoGPT
 * style), with the choices the architecture table makes (norm, positions, MLP,
 * attention scale and windows, parallel residual) read from ModelConfig.
 * All functions are pure tfjs ops; callers wrap them in tf.tidy.
 * Shapes: T = tokens, D = n_embd, H = heads, hd = D / H, F = MLP width, V = vocab.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BlockWeights, GptWeights, LayerNormWeights } from './weights';
import type { ModelConfig } from './types';
import {
  ATTENTION_KERNEL,
  GELU_ARG_KERNEL,
  JOIN_HEADS_KERNEL,
  MASKED_SCORES_KERNEL,
  NORM_KERNEL,
  SPLIT_HEADS_KERNEL,
  SPLIT_ROWS_KERNEL,
  hasHostKernel,
  named,
} from './host-kernels';

/** LayerNorm over the last axis: x [N, D] -> [N, D]. */
export function layerNorm(x: tf.Tensor2D, w: LayerNormWeights, eps: number): tf.Tensor2D {
  const mean = tf.mean(x, -1, true); // [N, 1]
  const xc = tf.sub(x, mean); // [N, D]
  const variance = tf.mean(tf.square(xc), -1, true); // [N, 1] (biased, as PyTorch)
  const xhat = tf.mul(xc, tf.rsqrt(tf.add(variance, eps))); // [N, D]
  return tf.add(tf.mul(xhat, w.g), w.b) as tf.Tensor2D;
}

/** RMSNorm over the last axis: x / sqrt(mean(x²) + eps) · g (no centring, no bias). x [N, D] -> [N, D]. */
export function rmsNorm(x: tf.Tensor2D, w: LayerNormWeights, eps: number): tf.Tensor2D {
  const ms = tf.mean(tf.square(x), -1, true); // [N, 1]
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), w.g) as tf.Tensor2D;
}

/** The model's norm (LayerNorm or RMSNorm, per the config); one fused kernel on host backends. */
export function norm(x: tf.Tensor2D, w: LayerNormWeights, c: ModelConfig): tf.Tensor2D {
  const rms = c.norm === 'rmsnorm';
  if (hasHostKernel(NORM_KERNEL)) return tf.engine().runKernel(NORM_KERNEL, { x, g: w.g, b: w.b }, { eps: c.eps, rms }) as tf.Tensor2D;
  return rms ? rmsNorm(x, w, c.eps) : layerNorm(x, w, c.eps);
}

const NO_TRANSPOSE = { transposeA: false, transposeB: false };

/**
 * a [N, K] @ b [K, M] -> [N, M]: the BatchMatMul kernel called directly on 2-D tensors (every
 * backend's kernel reshapes to 3-D itself), sparing tf.matMul's two reshapes per call.
 * Untransposed 2-D is the fast path of tfjs-wasm (XNNPACK).
 */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.engine().runKernel('BatchMatMul', { a, b }, NO_TRANSPOSE) as tf.Tensor2D;
}

/**
 * x [N, I] @ w [I, O] + b [O] -> [N, O], optionally followed by relu: one fused kernel (tfjs-wasm
 * runs it in XNNPACK with the bias and the activation inside the GEMM). The _FusedMatMul kernel is
 * called directly: tf.fused.matMul wraps every call in a customGrad closure, which costs more than
 * the bias add it saves on small inputs. The kernel wants 3-D operands ([1, N, I] x [1, I, O]).
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: 'linear' | 'relu' = 'linear'): tf.Tensor2D {
  const [N, I] = x.shape;
  const O = w.shape[1];
  const y = tf
    .engine()
    .runKernel(
      '_FusedMatMul',
      { a: tf.reshape(x, [1, N, I]), b: tf.reshape(w, [1, I, O]), bias: b },
      { ...NO_TRANSPOSE, activation, leakyreluAlpha: 0 },
    ) as tf.Tensor3D; // [1, N, O]
  return tf.reshape(y, [N, O]);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GPT-2's gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) = x sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)). */
export function geluNew(x: tf.Tensor2D): tf.Tensor2D {
  if (hasHostKernel(GELU_ARG_KERNEL))
    return tf.mul(x, tf.sigmoid(tf.engine().runKernel(GELU_ARG_KERNEL, { x }) as tf.Tensor2D)) as tf.Tensor2D;
  // 0.5 (1 + tanh(z)) = sigmoid(2 z): one sigmoid instead of tanh, add and two multiplies (tanh is slow on wasm)
  const z2 = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), 2 * SQRT_2_OVER_PI);
  return tf.mul(x, tf.sigmoid(z2)) as tf.Tensor2D;
}

/** The exact GELU: x Φ(x) = 0.5 x (1 + erf(x / sqrt 2)) (GPT-NeoX's "gelu"). */
export function geluExact(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)) as tf.Tensor2D;
}

/**
 * MLP: x [T, D] -> act(x W_fc + b_fc) W_proj + b_proj -> [T, D];
 * SwiGLU: W_fc holds [gate | up]: (silu(x W_gate) ⊙ x W_up) W_down.
 */
export function mlp(x: tf.Tensor2D, w: BlockWeights, c: ModelConfig): tf.Tensor2D {
  let a: tf.Tensor2D; // [T, F]
  if (c.activation === 'relu') a = linear(x, w.wFc, w.bFc, 'relu');
  else if (c.activation === 'gelu_new') a = geluNew(linear(x, w.wFc, w.bFc));
  else if (c.activation === 'gelu') a = geluExact(linear(x, w.wFc, w.bFc));
  else {
    const [g, u] = tf.split(linear(x, w.wFc, w.bFc), 2, 1) as [tf.Tensor2D, tf.Tensor2D]; // [T, F] each
    a = tf.mul(tf.mul(g, tf.sigmoid(g)), u) as tf.Tensor2D;
  }
  return linear(a, w.wProj, w.bProj); // [T, D]
}

/** Additive causal mask [T, T]: 0 where key <= query, -1e9 above the diagonal. */
export function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return tf.tensor2d(m, [T, T]);
}

/**
 * Additive mask [Tq, Tk] for queries at positions start .. start+Tq−1 against keys 0 .. Tk−1:
 * 0 where the key is visible (causal, and within the last `window` keys when window > 0), −1e9 elsewhere.
 */
export function attentionMask(Tq: number, Tk: number, start: number, window: number): tf.Tensor2D {
  const m = new Float32Array(Tq * Tk);
  for (let i = 0; i < Tq; i++) {
    const q = start + i;
    for (let j = 0; j < Tk; j++) if (j > q || (window > 0 && q - j >= window)) m[i * Tk + j] = -1e9;
  }
  return tf.tensor2d(m, [Tq, Tk]);
}

/**
 * Rotary positions (HF's rotate_half convention) on x [T, D] for positions start .. start+T−1:
 * in each head, dimension pairs (i, i + r/2), i < r/2, turn by angle pos · base^(−2i/r); the
 * dimensions from r = c.rotaryDims on pass through unchanged (GPT-NeoX rotates only a fraction).
 */
export function rotary(x: tf.Tensor2D, c: ModelConfig, start: number): tf.Tensor2D {
  const [T, D] = x.shape;
  const H = c.nHead;
  const hd = D / H;
  const r = c.rotaryDims;
  const half = r / 2;
  const cos = new Float32Array(T * r);
  const sin = new Float32Array(T * r);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < half; i++) {
      const a = (start + t) * Math.pow(c.rotaryBase, (-2 * i) / r);
      cos[t * r + i] = cos[t * r + i + half] = Math.cos(a);
      sin[t * r + i] = sin[t * r + i + half] = Math.sin(a);
    }
  const x3 = tf.reshape(x, [T, H, hd]);
  const xr = r === hd ? x3 : tf.slice(x3, [0, 0, 0], [T, H, r]); // [T, H, r]
  const x1 = tf.slice(x3, [0, 0, 0], [T, H, half]);
  const x2 = tf.slice(x3, [0, 0, half], [T, H, half]);
  const rot = tf.concat([tf.neg(x2), x1], 2); // rotate_half: [−x2, x1]
  const out = tf.add(tf.mul(xr, tf.tensor3d(cos, [T, 1, r])), tf.mul(rot, tf.tensor3d(sin, [T, 1, r]))); // [T, H, r]
  const all = r === hd ? out : tf.concat([out, tf.slice(x3, [0, 0, r], [T, H, hd - r])], 2);
  return tf.reshape(all, [T, D]);
}

/** Keys stored transposed ([D, T], so each head's scores are a plain 2-D matMul) and values [T, D]. */
export interface LayerKV {
  kT: tf.Tensor2D; // [D, Tk]
  v: tf.Tensor2D; // [Tk, D]
}

/**
 * Multi-head self-attention over Tq new queries against Tk = past + Tq keys.
 * x [Tq, D]; past (optional) holds the cached keys/values of earlier positions.
 * mask: additive [Tq, Tk] or null (a single new query sees every key).
 * Returns the output [Tq, D] and the full keys/values [.., Tk] for caching.
 *
 * q, k, v come from one fused [D, 3D] projection; attentionCore does the heads.
 */
export function attention(
  x: tf.Tensor2D,
  w: BlockWeights,
  c: ModelConfig,
  mask: tf.Tensor2D | null,
  past: LayerKV | null,
  opts: AttentionOptions = {},
): { out: tf.Tensor2D; kv: LayerKV | null } {
  const H = c.nHead;
  const qkv = linear(x, w.wQkv, w.bQkv); // [Tq, 3D]
  if (opts.window !== undefined && !past && hostAttention(c)) {
    // host kernels from the fused projection to the heads' outputs; keys/values split off only for a cache
    const y = hostAttentionCore(qkv, c, opts.window); // [Tq, D]
    let kv: LayerKV | null = null;
    if (opts.keepKV) {
      const [, k, v] = tf.split(qkv, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      kv = { kT: tf.transpose(k) as tf.Tensor2D, v };
    }
    return { out: linear(y, w.wO, w.bO), kv };
  }
  const [q0, k0, v] = tf.split(qkv, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D]; // [Tq, D] each
  const start = past ? past.kT.shape[1] : 0;
  const [q, k] = c.positions === 'rotary' ? [rotary(q0, c, start), rotary(k0, c, start)] : [q0, k0];
  const qs = c.attnScale === 1 ? q : (tf.mul(q, c.attnScale) as tf.Tensor2D); // scaled queries [Tq, D] (1/sqrt(hd); GPT-Neo: unscaled)
  const kTnew = tf.transpose(k) as tf.Tensor2D; // [D, Tq]
  const kT = past ? (tf.concat([past.kT, kTnew], 1) as tf.Tensor2D) : kTnew; // [D, Tk]
  const vAll = past ? (tf.concat([past.v, v], 0) as tf.Tensor2D) : v; // [Tk, D]
  const y = attentionCore(qs, kT, vAll, H, mask); // [Tq, D]
  return { out: linear(y, w.wO, w.bO), kv: { kT, v: vAll } };
}

export interface AttentionOptions {
  /**
   * This layer's attention window (0 = every earlier key). Given, and with no past, host backends
   * (wasm, cpu) run attention in host kernels on the q|k|v projection (hostAttentionCore) and `mask` is not read.
   */
  window?: number;
  /** Also return the keys/values (a cache's prefill); the fused path skips them otherwise. */
  keepKV?: boolean;
}

/**
 * Up to this many multiply-adds of the causal scores (T (T+1)/2 x D, all heads), a block's attention runs
 * as one plain-JS kernel; above it, as per-head XNNPACK matMuls between host kernels that split the heads,
 * stack and mask the scores (one tfjs softmax for all heads), split the rows and join the heads.
 * Measured here: JS does about 1 GMAC/s and XNNPACK 15-35 GFLOP/s, but the per-head path costs 2H + 5
 * kernel calls (a few µs each, and about 20 µs more for each matMul on a fresh operand), so the single
 * kernel wins up to about 24 tokens at D 128.
 */
export const hostAttentionSettings = { jsLimit: 40_000 };

/** Whether a pass without a past runs attention in host kernels (see attention's opts.window); not with rotary positions. */
export function hostAttention(c: ModelConfig): boolean {
  return c.positions !== 'rotary' && hasHostKernel(ATTENTION_KERNEL);
}

/** Causal attention of qkv [T, 3D] in host kernels -> [T, D] (see hostAttentionSettings). */
function hostAttentionCore(qkv: tf.Tensor2D, c: ModelConfig, window: number): tf.Tensor2D {
  const T = qkv.shape[0];
  const H = c.nHead;
  if (((T * (T + 1)) / 2) * c.nEmbd <= hostAttentionSettings.jsLimit) {
    return tf.engine().runKernel(ATTENTION_KERNEL, { qkv }, { heads: H, scale: c.attnScale, window }) as tf.Tensor2D;
  }
  const parts = tf.engine().runKernel(SPLIT_HEADS_KERNEL, { qkv }, { heads: H, scale: c.attnScale }) as tf.Tensor2D[]; // q_h [T, hd], kT_h [hd, T], v_h [T, hd]
  const scores = Array.from({ length: H }, (_, h) => matMul2d(parts[h], parts[H + h])); // H x [T, T]
  const masked = tf.engine().runKernel(MASKED_SCORES_KERNEL, named(scores), { window }) as tf.Tensor2D; // [H T, T]
  const probs = tf.engine().runKernel(SPLIT_ROWS_KERNEL, { x: tf.softmax(masked) }, { parts: H }) as tf.Tensor2D[]; // H x [T, T]
  const outs = Array.from({ length: H }, (_, h) => matMul2d(probs[h], parts[2 * H + h])); // H x [T, hd]
  return tf.engine().runKernel(JOIN_HEADS_KERNEL, named(outs)) as tf.Tensor2D; // [T, D]
}

/**
 * Up to this many query x key pairs (Tq x Tk), attention runs as batched [H, ..] matMuls (few kernels:
 * tfjs-wasm's batched matMul is slow, but on small inputs it costs less than the per-head kernels'
 * overhead); above it, per head as untransposed 2-D matMuls. Measured with tfjs-wasm in Node (one
 * thread), attention core in CPU µs, batched vs per head:
 *   D 128, 4 heads, Tq = Tk = 16: 105 vs 184;  24: 192 vs 168;  32: 310 vs 217;  128: 4,258 vs 1,141;
 *   D 768, 12 heads, Tq = Tk = 8: 155 vs 447;  16: 445 vs 624;  32: 1,502 vs 965;
 *   D 768, a KV-cache step (Tq 1) at context 128: 245 vs 3,470.
 */
export const BATCHED_ATTENTION_LIMIT = 480;

export type AttentionMode = 'auto' | 'batched' | 'heads';

/**
 * softmax(q_h kT_h + mask) v_h for every head h, heads side by side:
 * qs [Tq, D] (already scaled by 1/sqrt(hd)), kT [D, Tk], v [Tk, D], mask [Tq, Tk] or null -> [Tq, D].
 * Head h reads columns h hd .. (h+1) hd - 1 of q and v and the same rows of kT (GPT-2 / OPT layout).
 * mode: 'auto' picks by Tq x Tk (BATCHED_ATTENTION_LIMIT); tests force either path.
 */
export function attentionCore(
  qs: tf.Tensor2D,
  kT: tf.Tensor2D,
  vAll: tf.Tensor2D,
  H: number,
  mask: tf.Tensor2D | null,
  mode: AttentionMode = 'auto',
): tf.Tensor2D {
  const [Tq, D] = qs.shape;
  const Tk = kT.shape[1];
  const hd = D / H;
  const batched = mode === 'batched' || (mode === 'auto' && Tq * Tk <= BATCHED_ATTENTION_LIMIT);
  return tf.tidy(() => {
    if (batched) {
      const qh = tf.transpose(tf.reshape(qs, [Tq, H, hd]), [1, 0, 2]); // [H, Tq, hd]
      const kh = tf.reshape(kT, [H, hd, Tk]); // [H, hd, Tk] (rows of kT are head-major already)
      const vh = tf.transpose(tf.reshape(vAll, [Tk, H, hd]), [1, 0, 2]); // [H, Tk, hd]
      let s = tf.matMul(qh, kh); // [H, Tq, Tk]
      if (mask) s = tf.add(s, mask);
      const o = tf.matMul(tf.softmax(s), vh); // [H, Tq, hd]
      return tf.reshape(tf.transpose(o, [1, 0, 2]), [Tq, D]) as tf.Tensor2D;
    }
    const qh = H === 1 ? [qs] : (tf.split(qs, H, 1) as tf.Tensor2D[]); // H x [Tq, hd]
    const kh = H === 1 ? [kT] : (tf.split(kT, H, 0) as tf.Tensor2D[]); // H x [hd, Tk]
    const vh = H === 1 ? [vAll] : (tf.split(vAll, H, 1) as tf.Tensor2D[]); // H x [Tk, hd]
    const scores: tf.Tensor2D[] = [];
    for (let h = 0; h < H; h++) scores.push(matMul2d(qh[h], kh[h])); // [Tq, Tk]
    let s = (H === 1 ? scores[0] : tf.concat(scores, 0)) as tf.Tensor2D; // [H Tq, Tk] (head-major rows)
    if (mask) s = tf.reshape(tf.add(tf.reshape(s, [H, Tq, Tk]), mask), [H * Tq, Tk]) as tf.Tensor2D; // mask broadcast over heads
    const p = tf.softmax(s) as tf.Tensor2D; // [H Tq, Tk]
    const ph = H === 1 ? [p] : (tf.split(p, H, 0) as tf.Tensor2D[]); // H x [Tq, Tk]
    const outs: tf.Tensor2D[] = [];
    for (let h = 0; h < H; h++) outs.push(matMul2d(ph[h], vh[h])); // [Tq, hd]
    return (H === 1 ? outs[0] : tf.concat(outs, 1)) as tf.Tensor2D; // [Tq, D]
  });
}
/**
 * One pre-norm block: x + attn(ln1(x)), then + mlp(ln2(.)); with a parallel residual (GPT-NeoX)
 * x + attn(ln1(x)) + mlp(ln2(x)). x [T, D] -> [T, D].
 */
export function block(
  x: tf.Tensor2D,
  w: BlockWeights,
  c: ModelConfig,
  mask: tf.Tensor2D | null,
  past: LayerKV | null,
  opts: AttentionOptions = {},
): { out: tf.Tensor2D; kv: LayerKV | null } {
  const a = attention(norm(x, w.ln1, c), w, c, mask, past, opts);
  if (c.parallelResidual) {
    return { out: tf.add(tf.add(x, a.out), mlp(norm(x, w.ln2, c), w, c)) as tf.Tensor2D, kv: a.kv };
  }
  const x1 = tf.add(x, a.out) as tf.Tensor2D; // [T, D]
  const out = tf.add(x1, mlp(norm(x1, w.ln2, c), w, c)) as tf.Tensor2D; // [T, D]
  return { out, kv: a.kv };
}

/**
 * The float32 values of a weight tensor without copying them, where the active backend keeps them
 * in host memory (the wasm heap, tfjs-cpu's arrays) and the tensor lives on that backend; null
 * elsewhere (GPU backends). A wasm view is valid only until the next tfjs call (the heap may grow).
 */
function hostValues(t: tf.Tensor): Float32Array | null {
  const be = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.Tensor) => Float32Array; readSync(id: object): unknown };
  const engine = tf.engine() as unknown as { state: { tensorInfo: WeakMap<object, { backend: unknown }> } };
  if (t.dtype !== 'float32' || engine.state?.tensorInfo?.get(t.dataId)?.backend !== be) return null;
  const name = tf.getBackend();
  if (name === 'wasm' && typeof be.typedArrayFromHeap === 'function') return be.typedArrayFromHeap(t);
  if (name === 'cpu') return be.readSync(t.dataId) as Float32Array; // tfjs-cpu hands out its own array
  return null;
}

/**
 * Token embeddings W_E[ids] [T, D] and positional embeddings W_pos[start + t + offset] [T, D]
 * (zeros for a model with rotary positions, which has no table).
 * Where the weights are in host memory the rows are copied out in JS and uploaded as one tensor:
 * tfjs-wasm's gather kernel takes ~0.7 ms for 128 rows of 128 here, and its slice copies the whole
 * table (3 MB for GPT-2's positions) before taking the rows; the copy takes a few µs.
 */
export function embed(w: GptWeights, ids: number[], start = 0): { tok: tf.Tensor2D; pos: tf.Tensor2D } {
  const T = ids.length;
  const D = w.config.nEmbd;
  const table = hostValues(w.wte);
  let tok: tf.Tensor2D;
  if (table) {
    const rows = new Float32Array(T * D);
    for (let t = 0; t < T; t++) rows.set(table.subarray(ids[t] * D, (ids[t] + 1) * D), t * D);
    tok = tf.tensor2d(rows, [T, D]);
  } else {
    tok = tf.gather(w.wte, tf.tensor1d(ids, 'int32')) as tf.Tensor2D; // [T, D]
  }
  let pos: tf.Tensor2D; // [T, D]
  const posTable = w.wpe ? hostValues(w.wpe) : null;
  const row0 = start + w.config.positionOffset; // first row of the positional table
  if (posTable)
    pos = tf.tensor2d(posTable.slice(row0 * D, (row0 + T) * D), [T, D]); // tfjs-wasm's slice copies the whole table first
  else if (w.wpe) pos = tf.slice(w.wpe, [row0, 0], [T, D]) as tf.Tensor2D;
  else pos = tf.zeros([T, D]) as tf.Tensor2D;
  return { tok, pos };
}

/** Final norm then W_U: x [N, D] -> logits [N, V]. */
export function unembed(w: GptWeights, x: tf.Tensor2D): tf.Tensor2D {
  return matMul2d(norm(x, w.lnF, w.config), w.wuT);
}
