/**
 * The 'inspect' request: one forward pass that keeps what the default forward
 * throws away, for the attention-pattern and logit-attribution figures.
 *   - every head's attention probabilities [L, H, T, T];
 *   - at one position, what each component wrote into the residual stream:
 *     each head's z_h W_O[h] [L, H, D], each block's attention output bias
 *     [L, D], each MLP's output [L, D], the embedding (token + position) [D];
 *   - the final LayerNorm's mean and scale of the residual at that position, so
 *     the logit difference can be linearised around this very pass.
 *
 * It re-runs the blocks with the per-component functions of layers.ts
 * (norm, linear, mlp, embed, rotary, attentionMask), following the family's
 * table (LayerNorm or RMSNorm, learned or rotary positions, the attention
 * scale, local windows, a parallel residual); only attention is written out
 * here, because layers.attention merges the heads before the output projection.
 * Everything runs inside tf.tidy; the few tensors that leave it are disposed
 * once downloaded, so tf.memory().numTensors is back to its baseline.
 */
import * as tf from '@tensorflow/tfjs-core';
import { attentionMask, embed, linear, mlp, norm, rotary } from './layers';
import { checkIds } from './gpt';
import type { InspectResult, ModelConfig } from './types';
import type { BlockWeights, GptWeights, LayerNormWeights } from './weights';

/** More attention probabilities than this (L·H·T² floats, 64 MB) and only the row of `pos` is returned. */
const MAX_ATTN_FLOATS = 1 << 24;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * The ONE place this file reads the weight layout of a block (see weights.ts):
 * W_QKV [D, 3D] with columns q | k | v, head h at columns h·hd .. (h+1)·hd of
 * each third; W_O [D, D] stored [in, out], so head h's slice is its rows
 * h·hd .. (h+1)·hd. Everything below sees only what this returns: the two
 * LayerNorms, q/k/v [T, D] (head h at columns h·hd..), W_O as [in, out] and b_O.
 * If the layout in weights.ts changes, only this function changes.
 */
function blockParts(b: BlockWeights): {
  ln1: LayerNormWeights;
  ln2: LayerNormWeights;
  /** x [T, D] (already LayerNormed) -> q, k, v [T, D] each, unscaled. */
  qkv: (x: tf.Tensor2D) => [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  wO: tf.Tensor2D; // [D (in: the heads' z side by side), D (out)]
  bO: tf.Tensor1D; // [D]
} {
  return {
    ln1: b.ln1,
    ln2: b.ln2,
    qkv: (x) => tf.split(linear(x, b.wQkv, b.bQkv), 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D],
    wO: b.wO,
    bO: b.bO,
  };
}

/** tf.tidy with the scope's own return type. */
function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

interface BlockOut {
  out: tf.Tensor2D; // [T, D] residual leaving the block
  attn: tf.Tensor3D; // [H, T, T] attention probabilities, or [H, 1, T] (the row of pos only)
  heads: tf.Tensor2D; // [H, D] each head's write at pos
  mlpRow: tf.Tensor2D; // [1, D] the MLP's write at pos
}

/** One block, keeping the per-head pieces. x [T, D]. Call inside tf.tidy. */
/** onlyPosRow: keep only the query row of `pos` of each pattern (long prompts); otherwise every row. */
function inspectBlock(x: tf.Tensor2D, b: BlockWeights, c: ModelConfig, mask: tf.Tensor2D, pos: number, onlyPosRow: boolean): BlockOut {
  const p = blockParts(b);
  const D = c.nEmbd;
  const H = c.nHead;
  const hd = D / H;
  const T = x.shape[0];
  const [q0, k0, v] = p.qkv(norm(x, p.ln1, c)); // [T, D] each
  const [q, k] = c.positions === 'rotary' ? [rotary(q0, c, 0), rotary(k0, c, 0)] : [q0, k0];
  const qs = c.attnScale === 1 ? q : (tf.mul(q, c.attnScale) as tf.Tensor2D); // 1/sqrt(hd); GPT-Neo: unscaled
  const kT = tf.transpose(k) as tf.Tensor2D; // [D, T]
  const probs: tf.Tensor2D[] = [];
  const zs: tf.Tensor2D[] = [];
  for (let h = 0; h < H; h++) {
    const qh = tf.slice(qs, [0, h * hd], [T, hd]) as tf.Tensor2D; // [T, hd]
    const kh = tf.slice(kT, [h * hd, 0], [hd, T]) as tf.Tensor2D; // [hd, T]
    const vh = tf.slice(v, [0, h * hd], [T, hd]) as tf.Tensor2D; // [T, hd]
    const pr = tf.softmax(tf.add(tf.matMul(qh, kh), mask)) as tf.Tensor2D; // [T, T]
    probs.push(onlyPosRow ? (tf.slice(pr, [pos, 0], [1, T]) as tf.Tensor2D) : pr);
    zs.push(tf.matMul(pr, vh) as tf.Tensor2D); // [T, hd]
  }
  const z = (H === 1 ? zs[0] : tf.concat(zs, 1)) as tf.Tensor2D; // [T, D]
  const attnOut = linear(z, p.wO, p.bO); // [T, D], as layers.attention computes it
  // head h's write at pos: z[pos, h·hd:(h+1)·hd] @ W_O[h·hd:(h+1)·hd, :], all heads at once:
  // (z[pos] as a column) ⊙ W_O, then sum each head's hd rows -> [H, D]
  const zCol = tf.reshape(tf.slice(z, [pos, 0], [1, D]), [D, 1]);
  const heads = tf.sum(tf.reshape(tf.mul(zCol, p.wO), [H, hd, D]), 1) as tf.Tensor2D; // [H, D]
  const x1 = tf.add(x, attnOut) as tf.Tensor2D;
  // parallel residual (GPT-NeoX): the MLP reads the block's input, not x1
  const m = mlp(norm(c.parallelResidual ? x : x1, p.ln2, c), b, c); // [T, D]
  return {
    out: tf.add(x1, m) as tf.Tensor2D,
    attn: tf.stack(probs) as tf.Tensor3D,
    heads,
    mlpRow: tf.slice(m, [pos, 0], [1, D]) as tf.Tensor2D,
  };
}

/** The inspect pass of `ids`, taking the per-component outputs at `pos` (default: the last position). */
export async function inspect(
  w: GptWeights,
  ids: number[],
  opts: { pos?: number; seq?: number; modelKey?: string; maxAttnFloats?: number } = {},
): Promise<InspectResult> {
  checkIds(w, ids);
  const c = w.config;
  const { nEmbd: D, nHead: H, nLayer: L } = c;
  const T = ids.length;
  const pos = opts.pos ?? T - 1;
  if (!Number.isInteger(pos) || pos < 0 || pos >= T) throw new Error(`position ${pos} is outside the prompt (0..${T - 1})`);
  const onlyPosRow = L * H * T * T > (opts.maxAttnFloats ?? MAX_ATTN_FLOATS);
  const row0 = onlyPosRow ? pos : 0;
  const R = onlyPosRow ? 1 : T;
  const t0 = now();
  const out = tidy(() => {
    const { tok, pos: pe } = embed(w, ids); // [T, D] each
    const masks = new Map<number, tf.Tensor2D>(); // one [T, T] mask per attention window (0 = global causal)
    const maskFor = (l: number): tf.Tensor2D => {
      const win = c.attnWindows[l] >= T ? 0 : c.attnWindows[l];
      let m = masks.get(win);
      if (!m) masks.set(win, (m = attentionMask(T, T, 0, win)));
      return m;
    };
    let x = tf.add(tok, pe) as tf.Tensor2D; // pe is zeros for rotary models
    const embedRow = tf.slice(x, [pos, 0], [1, D]);
    const attn: tf.Tensor3D[] = [];
    const heads: tf.Tensor2D[] = [];
    const mlps: tf.Tensor2D[] = [];
    const biases: tf.Tensor1D[] = [];
    for (let l = 0; l < w.blocks.length; l++) {
      const b = w.blocks[l];
      const input = x;
      const mask = maskFor(l);
      // one tidy per block frees its intermediates (q, k, v, z, MLP activations) before the next block
      const r = tidy(() => inspectBlock(input, b, c, mask, pos, onlyPosRow));
      x = r.out;
      attn.push(r.attn);
      heads.push(r.heads);
      mlps.push(r.mlpRow);
      biases.push(blockParts(b).bO);
    }
    const resid = tf.slice(x, [pos, 0], [1, D]) as tf.Tensor2D; // [1, D]
    // RMSNorm does not centre: its "mean" is 0 and its scale 1 / sqrt(mean(x²) + eps)
    const mean = c.norm === 'rmsnorm' ? tf.scalar(0) : tf.mean(resid);
    const scale = tf.rsqrt(tf.add(tf.mean(tf.square(tf.sub(resid, mean))), c.eps));
    return {
      attn: tf.stack(attn), // [L, H, R, T]
      heads: tf.stack(heads), // [L, H, D]
      attnBias: tf.stack(biases), // [L, D]
      mlps: tf.concat(mlps, 0), // [L, D]
      embed: embedRow,
      resid,
      stats: tf.stack([mean, scale]), // [2]
    };
  });
  const tensors = [out.attn, out.heads, out.attnBias, out.mlps, out.embed, out.resid, out.stats];
  try {
    const [attn, heads, attnBias, mlps, embedRow, resid, stats] = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
    return {
      seq: opts.seq ?? 0,
      modelKey: opts.modelKey ?? '',
      ids: Int32Array.from(ids),
      T,
      L,
      H,
      D,
      pos,
      attn,
      attnRow0: row0,
      attnRows: R,
      heads,
      // a stack of weight tensors may share their storage on tfjs-cpu: copy before it can be transferred
      attnBias: attnBias.slice(),
      mlps,
      embed: embedRow.slice(),
      resid,
      lnMean: stats[0],
      lnScale: stats[1],
      norm: c.norm,
      ms: now() - t0,
    };
  } finally {
    for (const t of tensors) t.dispose();
  }
}
