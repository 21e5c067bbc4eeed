/**
 * A tiny GPT-style language model for in-page training (tfjs only, no React).
 *
 * x0 = onehot(ids) W_E + W_pos;  per block:  x += Attn(LN1(x));  x += MLP(LN2(x));
 * (linear maps without biases, as in many recent models; GELU in the MLP);
 * h = LN_f(x) (times a learned scalar s when `finalScale`);  logits = h W_Uᵀ.
 * With `layerNorm: false` every LN above is the identity (no gain, no bias):
 * the blocks then read the raw residual stream, length included.
 * `tied`: W_U is W_E; otherwise a separate [V, D] matrix.
 *
 * Shapes: B batch, T context, D d_model, H heads, V vocabulary, N = B·T.
 * The embedding look-up is a one-hot matMul rather than tf.gather, because
 * tfjs-wasm lacks UnsortedSegmentSum (the gradient of gather); at V ≈ 200 the
 * matMul costs little. Weights are stored so the big matMuls are untransposed
 * 2-D (the fast path of tfjs-wasm); only W_U is read transposed.
 */
import * as tf from '@tensorflow/tfjs-core';
// Gradients are registered separately from the ops in tfjs-core (the inference runtime never needs them).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { mulberry32 } from '../geometry/random';

export interface ModelConfig {
  vocabSize: number;
  context: number;
  dModel: number;
  layers: number;
  heads: number;
  layerNorm: boolean;
  tied: boolean;
  finalScale: boolean;
}

export const LN_EPS = 1e-5;

/** Parameter names in a fixed order, with their shapes. */
export function paramShapes(c: ModelConfig): [string, number[]][] {
  const D = c.dModel;
  const out: [string, number[]][] = [
    ['wte', [c.vocabSize, D]],
    ['wpe', [c.context, D]],
  ];
  for (let l = 0; l < c.layers; l++) {
    const p = `h${l}.`;
    if (c.layerNorm) out.push([p + 'ln1.g', [D]], [p + 'ln1.b', [D]]);
    out.push([p + 'wq', [D, D]], [p + 'wk', [D, D]], [p + 'wv', [D, D]], [p + 'wo', [D, D]]);
    if (c.layerNorm) out.push([p + 'ln2.g', [D]], [p + 'ln2.b', [D]]);
    out.push([p + 'w1', [D, 4 * D]], [p + 'w2', [4 * D, D]]);
  }
  if (c.layerNorm) out.push(['lnf.g', [D]], ['lnf.b', [D]]);
  if (!c.tied) out.push(['wu', [c.vocabSize, D]]);
  if (c.finalScale) out.push(['scale', []]);
  return out;
}

/** Standard normal draws from a seeded uniform generator (Box–Muller). */
export function normalGen(seed: number): () => number {
  const u = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let a = u();
    while (a <= 1e-12) a = u();
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
}

/**
 * GPT-2-style initial weights as plain arrays: N(0, 0.02) matrices, output
 * projections scaled by 1/√(2L), zero LayerNorm biases, unit gains and scale. Drawn in
 * the order of paramShapes from one seeded stream, so two models with the same
 * seed share every weight they have in common (the switch is the only difference
 * until W_U: an untied model draws its own W_U last).
 */
export function initParams(c: ModelConfig, seed: number): Map<string, Float32Array> {
  const g = normalGen(seed);
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of paramShapes(c)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    const base = name.split('.').pop()!;
    if (name.endsWith('.g') || name === 'scale') a.fill(1);
    else if (base.startsWith('b') || name.endsWith('.b')) a.fill(0);
    else {
      const sd = base === 'wo' || base === 'w2' ? 0.02 / Math.sqrt(2 * c.layers) : 0.02;
      for (let i = 0; i < n; i++) a[i] = sd * g();
    }
    out.set(name, a);
  }
  return out;
}

export type Params = Record<string, tf.Tensor>;

function layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const mean = tf.mean(x, -1, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), -1, true);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, LN_EPS))), g), b) as tf.Tensor2D;
}

/** GELU, tanh approximation (as in GPT-2). */
export function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

/**
 * a [m, k] · b [k, n] with a gradient made of explicit transposes and
 * untransposed matMuls: tfjs-wasm runs transposed matMuls (what the built-in
 * gradient uses) about 15x slower than plain 2-D ones.
 */
export const mm = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(saved[1] as tf.Tensor2D)), tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), g)];
    },
  };
}) as any) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;

/**
 * onehot [N, V] · W_E [V, D]: the embedding look-up. Its gradient skips the
 * one-hot input (a constant), so only dW_E = onehotᵀ · dy is computed.
 */
const embed = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
      tf.zerosLike(saved[0]),
      tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy as tf.Tensor2D),
    ],
  };
}) as any) as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor2D;

/** Causal mask [T, T]: 0 on and below the diagonal, −1e9 above. Caller disposes. */
export function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return tf.tensor2d(m, [T, T]);
}

/**
 * The final hidden state h [N, D] (what multiplies W_U) for a one-hot input
 * [N, V] laid out as B rows of T positions. Call inside tf.tidy.
 */
export function hidden(c: ModelConfig, p: Params, onehot: tf.Tensor2D, B: number, T: number, mask: tf.Tensor2D): tf.Tensor2D {
  const D = c.dModel;
  const H = c.heads;
  const hd = D / H;
  const N = B * T;
  const pos = tf.slice(p.wpe, [0, 0], [T, D]);
  let x = tf.reshape(tf.add(tf.reshape(embed(onehot, p.wte), [B, T, D]), pos), [N, D]) as tf.Tensor2D;
  const heads = (t: tf.Tensor2D) => tf.transpose(tf.reshape(t, [B, T, H, hd]), [0, 2, 1, 3]);
  for (let l = 0; l < c.layers; l++) {
    const q = `h${l}.`;
    const a = c.layerNorm ? layerNorm(x, p[q + 'ln1.g'], p[q + 'ln1.b']) : x;
    const Q = heads(mm(a, p[q + 'wq']));
    const K = heads(mm(a, p[q + 'wk']));
    const Vv = heads(mm(a, p[q + 'wv']));
    const scores = tf.add(tf.mul(tf.matMul(Q, K, false, true), 1 / Math.sqrt(hd)), mask);
    const att = tf.matMul(tf.softmax(scores), Vv); // [B, H, T, hd]
    const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [N, D]) as tf.Tensor2D;
    x = tf.add(x, mm(merged, p[q + 'wo'])) as tf.Tensor2D;
    const m = c.layerNorm ? layerNorm(x, p[q + 'ln2.g'], p[q + 'ln2.b']) : x;
    x = tf.add(x, mm(gelu(mm(m, p[q + 'w1'])), p[q + 'w2'])) as tf.Tensor2D;
  }
  let h = c.layerNorm ? layerNorm(x, p['lnf.g'], p['lnf.b']) : x;
  if (c.finalScale) h = tf.mul(h, p.scale) as tf.Tensor2D;
  return h;
}

/** The unembedding W_U [V, D] (W_E when tied). */
export function unembedding(c: ModelConfig, p: Params): tf.Tensor2D {
  return (c.tied ? p.wte : p.wu) as tf.Tensor2D;
}

/** Logits [N, V] = h W_Uᵀ. */
export function logitsOf(c: ModelConfig, p: Params, h: tf.Tensor2D): tf.Tensor2D {
  return mm(h, tf.transpose(unembedding(c, p)));
}

/** Mean next-token cross-entropy (nats) over all N positions; targets one-hot [N, V]. Call inside tf.tidy. */
export function lossOf(
  c: ModelConfig,
  p: Params,
  onehot: tf.Tensor2D,
  targets: tf.Tensor2D,
  B: number,
  T: number,
  mask: tf.Tensor2D,
): tf.Scalar {
  const logits = logitsOf(c, p, hidden(c, p, onehot, B, T, mask));
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), -1))) as tf.Scalar;
}

export function paramCount(c: ModelConfig): number {
  return paramShapes(c).reduce((s, [, sh]) => s + sh.reduce((a, b) => a * b, 1), 0);
}
