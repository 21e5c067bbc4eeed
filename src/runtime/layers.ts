/**
 * The components of a GPT-2 / OPT block, one small function each (nanoGPT
 * style). All functions are pure tfjs ops; callers wrap them in tf.tidy.
 * Shapes: T = tokens, D = n_embd, H = heads, hd = D / H, F = MLP width, V = vocab.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BlockWeights, GptWeights, LayerNormWeights } from './weights';
import type { ModelConfig } from './types';

/** LayerNorm over the last axis: x [N, D] -> [N, D]. */
export function layerNorm(x: tf.Tensor2D, w: LayerNormWeights, eps: number): tf.Tensor2D {
  const mean = tf.mean(x, -1, true); // [N, 1]
  const xc = tf.sub(x, mean); // [N, D]
  const variance = tf.mean(tf.square(xc), -1, true); // [N, 1] (biased, as PyTorch)
  const xhat = tf.mul(xc, tf.rsqrt(tf.add(variance, eps))); // [N, D]
  return tf.add(tf.mul(xhat, w.g), w.b) as tf.Tensor2D;
}

/** x [N, I] @ w [I, O] + b [O] -> [N, O]; untransposed 2-D matMul (the fast path of tfjs-wasm). */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GPT-2's gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) = x sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)). */
export function geluNew(x: tf.Tensor2D): tf.Tensor2D {
  // 0.5 (1 + tanh(z)) = sigmoid(2 z): one sigmoid instead of tanh, add and two multiplies (tanh is slow on wasm)
  const z2 = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), 2 * SQRT_2_OVER_PI);
  return tf.mul(x, tf.sigmoid(z2)) as tf.Tensor2D;
}

/** MLP: x [T, D] -> act(x W_fc + b_fc) W_proj + b_proj -> [T, D]. */
export function mlp(x: tf.Tensor2D, w: BlockWeights, c: ModelConfig): tf.Tensor2D {
  const h = linear(x, w.wFc, w.bFc); // [T, F]
  const a = c.activation === 'relu' ? (tf.relu(h) as tf.Tensor2D) : geluNew(h); // [T, F]
  return linear(a, w.wProj, w.bProj); // [T, D]
}

/** Additive causal mask [T, T]: 0 where key <= query, -1e9 above the diagonal. */
export function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return tf.tensor2d(m, [T, T]);
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
 * Each head runs as two untransposed 2-D matMuls (fast on wasm): scores_h =
 * q_h [Tq, hd] @ kT_h [hd, Tk]; out_h = softmax(scores_h) [Tq, Tk] @ v_h [Tk, hd].
 */
export function attention(
  x: tf.Tensor2D,
  w: BlockWeights,
  c: ModelConfig,
  mask: tf.Tensor2D | null,
  past: LayerKV | null,
): { out: tf.Tensor2D; kv: LayerKV } {
  const D = c.nEmbd;
  const H = c.nHead;
  const hd = D / H;
  const Tq = x.shape[0];
  const qkv = linear(x, w.wQkv, w.bQkv); // [Tq, 3D]
  const [q, k, v] = tf.split(qkv, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D]; // [Tq, D] each
  const qs = tf.mul(q, 1 / Math.sqrt(hd)) as tf.Tensor2D; // scaled queries [Tq, D]
  const kTnew = tf.transpose(k) as tf.Tensor2D; // [D, Tq]
  const kT = past ? (tf.concat([past.kT, kTnew], 1) as tf.Tensor2D) : kTnew; // [D, Tk]
  const vAll = past ? (tf.concat([past.v, v], 0) as tf.Tensor2D) : v; // [Tk, D]
  const Tk = kT.shape[1];
  const heads: tf.Tensor2D[] = [];
  for (let h = 0; h < H; h++) {
    // one tidy per head: its [Tq, Tk] scores are freed before the next head's are made
    heads.push(
      tf.tidy(() => {
        const qh = tf.slice(qs, [0, h * hd], [Tq, hd]) as tf.Tensor2D; // [Tq, hd]
        const kh = tf.slice(kT, [h * hd, 0], [hd, Tk]) as tf.Tensor2D; // [hd, Tk]
        const vh = tf.slice(vAll, [0, h * hd], [Tk, hd]) as tf.Tensor2D; // [Tk, hd]
        let scores = tf.matMul(qh, kh) as tf.Tensor2D; // [Tq, Tk]
        if (mask) scores = tf.add(scores, mask) as tf.Tensor2D;
        const p = tf.softmax(scores) as tf.Tensor2D; // [Tq, Tk]
        return tf.matMul(p, vh) as tf.Tensor2D; // [Tq, hd]
      }),
    );
  }
  const y = (H === 1 ? heads[0] : tf.concat(heads, 1)) as tf.Tensor2D; // [Tq, D]
  return { out: linear(y, w.wO, w.bO), kv: { kT, v: vAll } };
}

/** One pre-LayerNorm block: x + attn(ln1(x)), then + mlp(ln2(.)). x [T, D] -> [T, D]. */
export function block(
  x: tf.Tensor2D,
  w: BlockWeights,
  c: ModelConfig,
  mask: tf.Tensor2D | null,
  past: LayerKV | null,
): { out: tf.Tensor2D; kv: LayerKV } {
  const a = attention(layerNorm(x, w.ln1, c.eps), w, c, mask, past);
  const x1 = tf.add(x, a.out) as tf.Tensor2D; // [T, D]
  const out = tf.add(x1, mlp(layerNorm(x1, w.ln2, c.eps), w, c)) as tf.Tensor2D; // [T, D]
  return { out, kv: a.kv };
}

/** Token embeddings W_E[ids] [T, D] and positional embeddings W_pos[start + t + offset] [T, D]. */
export function embed(w: GptWeights, ids: number[], start = 0): { tok: tf.Tensor2D; pos: tf.Tensor2D } {
  const T = ids.length;
  const D = w.config.nEmbd;
  const tok = tf.gather(w.wte, tf.tensor1d(ids, 'int32')) as tf.Tensor2D; // [T, D]
  const pos = tf.slice(w.wpe, [start + w.config.positionOffset, 0], [T, D]) as tf.Tensor2D; // [T, D]
  return { tok, pos };
}

/** Final LayerNorm then W_U: x [N, D] -> logits [N, V]. */
export function unembed(w: GptWeights, x: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(layerNorm(x, w.lnF, w.config.eps), w.wuT) as tf.Tensor2D;
}
