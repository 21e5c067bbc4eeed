/**
 * The GPT-2 / OPT forward pass in tfjs-core, and what the page asks of it:
 * the full forward with every residual and the logit lens, the direct path,
 * weight matrices, and autoregressive generation with or without a KV cache.
 *
 * Every function runs its tensor work inside tf.tidy and downloads the
 * results, so tf.memory().numTensors is back to its baseline when the
 * returned promise settles (the KV cache is disposed when generation ends).
 */
import * as tf from '@tensorflow/tfjs-core';
import { attentionMask, block, embed, hostAttention, matMul2d, norm, unembed, type LayerKV } from './layers';
import { sample, mulberry32 } from './sampling';
import type { ForwardResult, GenerateOptions, GenerateStats, GenerateStep, LogitLens, Matrix, MatrixName } from './types';
import type { GptWeights } from './weights';

/** tf.tidy with the scope's own return type (objects of tensors, nulls allowed). */
function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

/** The active backend keeps tensor data in host memory (reads are copies, not GPU downloads). */
const onHost = (): boolean => tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu';

/**
 * Reads tensors back. On wasm and cpu the values are in host memory already: dataSync copies them
 * without data()'s promise round trips (a worker may block); GPU backends read asynchronously.
 */
async function readAll<T extends tf.TypedArray = Float32Array>(ts: tf.Tensor[]): Promise<T[]> {
  if (onHost()) return ts.map((t) => t.dataSync() as T);
  return (await Promise.all(ts.map((t) => t.data()))) as T[];
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Throws a readable error if the ids cannot be fed to this model. */
export function checkIds(w: GptWeights, ids: ArrayLike<number>): void {
  const { vocabSize: V, nPositions: P } = w.config;
  if (ids.length === 0) throw new Error('the prompt has no tokens');
  if (ids.length > P) throw new Error(`the prompt has ${ids.length} tokens; this model reads at most ${P}`);
  for (let i = 0; i < ids.length; i++) {
    const t = ids[i];
    if (!Number.isInteger(t) || t < 0 || t >= V) throw new Error(`token id ${t} at position ${i} is outside the vocabulary (0..${V - 1})`);
  }
}

/**
 * Runs the blocks: ids [T] -> residual stream [L+1] x [T, D], plus per-layer keys/values when keepKV
 * (a cache's prefill; empty otherwise). Call inside tf.tidy.
 */
function runBlocks(
  w: GptWeights,
  ids: number[],
  keepKV = false,
): { tok: tf.Tensor2D; pos: tf.Tensor2D; resid: tf.Tensor2D[]; kvs: LayerKV[] } {
  const c = w.config;
  const { tok, pos } = embed(w, ids); // [T, D] each
  const T = ids.length;
  const windowOf = (l: number): number => (c.attnWindows[l] >= T ? 0 : c.attnWindows[l]); // 0 = global causal
  const masks = new Map<number, tf.Tensor2D>(); // one [T, T] mask per window, built when a layer asks (not for the fused kernel)
  const maskFor = (l: number): tf.Tensor2D => {
    const win = windowOf(l);
    let m = masks.get(win);
    if (!m) masks.set(win, (m = attentionMask(T, T, 0, win)));
    return m;
  };
  const fused = hostAttention(c);
  let x = (w.wpe ? tf.add(tok, pos) : tok) as tf.Tensor2D; // [T, D]
  const resid = [x];
  const kvs: LayerKV[] = [];
  for (let l = 0; l < w.blocks.length; l++) {
    const input = x;
    const b = w.blocks[l];
    const mask = fused ? null : maskFor(l);
    const r = tidy(() => block(input, b, c, mask, null, { window: windowOf(l), keepKV })); // frees the block's intermediates (scores, MLP activations) now
    x = r.out;
    resid.push(x);
    if (r.kv) kvs.push(r.kv);
  }
  return { tok, pos, resid, kvs };
}

/** Rows of the [T, V] logit matrices handled at once by the logit lens (bounds memory for big vocabularies). */
const LENS_CHUNK_ELEMENTS = 1 << 23;

/**
 * Logit lens: for every layer row l (residual entering block l; row L = after the
 * last block) and position t, the top-k tokens of softmax(ln_f(x_l,t) W_U).
 * flat residual rows [N, D] (N = (L+1) T) -> ids [N, k] int32, probs [N, k].
 */
function logitLens(
  w: GptWeights,
  flat: tf.Tensor2D,
  k: number,
  chunkElements = LENS_CHUNK_ELEMENTS,
): { ids: tf.Tensor2D; probs: tf.Tensor2D } {
  return tidy(() => {
    const [N, D] = flat.shape; // N = rows of residual vectors (layers x positions)
    const V = w.config.vocabSize;
    const rows = Math.max(1, Math.floor(chunkElements / V));
    const idParts: tf.Tensor2D[] = [];
    const probParts: tf.Tensor2D[] = [];
    for (let r0 = 0; r0 < N; r0 += rows) {
      const n = Math.min(rows, N - r0);
      const part = tidy(() => {
        const logits = unembed(w, tf.slice(flat, [r0, 0], [n, D]) as tf.Tensor2D); // [n, V]
        // top-k of the probabilities (same order as the logits; the native softmax kernel is far
        // cheaper on wasm than logSumExp, and a per-row gather with batchDims breaks tfjs-wasm 4.22)
        const top = tf.topk(tf.softmax(logits), k, true); // values, indices [n, k]
        return { ids: top.indices as tf.Tensor2D, probs: top.values as tf.Tensor2D };
      });
      idParts.push(part.ids);
      probParts.push(part.probs);
    }
    return {
      ids: (idParts.length === 1 ? idParts[0] : tf.concat(idParts, 0)) as tf.Tensor2D,
      probs: (probParts.length === 1 ? probParts[0] : tf.concat(probParts, 0)) as tf.Tensor2D,
    };
  });
}

export interface ForwardOptions {
  /** Top-k of the logit lens (0 = no lens). Default 5. */
  lensK?: number;
  /** Only the last position's logits ([1, V]) instead of [T, V]. */
  lastOnly?: boolean;
  seq?: number;
  modelKey?: string;
  /** Elements of one [rows, V] logit-lens chunk (tests use small values to exercise chunking). */
  lensChunkElements?: number;
}

/** The full forward pass with everything the figures read. */
export async function forward(w: GptWeights, ids: number[], opts: ForwardOptions = {}): Promise<ForwardResult> {
  checkIds(w, ids);
  const c = w.config;
  const T = ids.length;
  const D = c.nEmbd;
  const V = c.vocabSize;
  const L = c.nLayer;
  const k = Math.max(0, Math.min(Math.floor(opts.lensK ?? 5), V));
  const t0 = now();
  // on host backends the L+1 residual rows are read one by one into one array (no stacking kernel, no extra copy)
  const host = onHost();
  const out = tidy(() => {
    const { tok, pos, resid } = runBlocks(w, ids);
    const residuals = host && k === 0 ? null : (tf.stack(resid) as tf.Tensor3D); // [L+1, T, D]
    const last = resid[L]; // [T, D]
    const lnFinal = norm(last, w.lnF, c); // [T, D]
    const head = opts.lastOnly ? (tf.slice(lnFinal, [T - 1, 0], [1, D]) as tf.Tensor2D) : lnFinal; // [T or 1, D]
    const logits = matMul2d(head, w.wuT); // [T or 1, V]
    let lens: { ids: tf.Tensor2D; probs: tf.Tensor2D } | null = null;
    if (k > 0 && (opts.lastOnly || L === 0)) {
      lens = logitLens(w, tf.reshape(residuals!, [(L + 1) * T, D]) as tf.Tensor2D, k, opts.lensChunkElements);
    } else if (k > 0) {
      // rows 0..L-1 through the lens; row L is the model's own output: reuse the logits
      const early = logitLens(
        w,
        tf.reshape(tf.slice(residuals!, [0, 0, 0], [L, T, D]), [L * T, D]) as tf.Tensor2D,
        k,
        opts.lensChunkElements,
      );
      const top = tf.topk(tf.softmax(logits), k, true); // [T, k]
      lens = {
        ids: tf.concat([early.ids, top.indices as tf.Tensor2D], 0) as tf.Tensor2D, // [(L+1) T, k]
        probs: tf.concat([early.probs, top.values as tf.Tensor2D], 0) as tf.Tensor2D,
      };
    }
    return { tok, pos, residuals: residuals ?? resid, lnFinal, logits, lensIds: lens?.ids ?? null, lensProbs: lens?.probs ?? null };
  });
  const residTensors = Array.isArray(out.residuals) ? out.residuals : [out.residuals];
  const tensors = [out.tok, out.pos, out.lnFinal, out.logits, ...residTensors];
  try {
    const [tokEmb, posRaw, lnFinal, logits, ...residParts] = await readAll(tensors);
    let residuals = residParts[0];
    if (residParts.length > 1) {
      residuals = new Float32Array((L + 1) * T * D);
      residParts.forEach((r, l) => residuals.set(r, l * T * D));
    }
    // a contiguous slice may share the weight's storage (tfjs-cpu): copy before it can be transferred
    const posEmb = posRaw.slice();
    const topIds = out.lensIds ? (await readAll<Int32Array>([out.lensIds]))[0] : new Int32Array(0);
    const topProbs = out.lensProbs ? (await readAll([out.lensProbs]))[0] : new Float32Array(0);
    return {
      seq: opts.seq ?? 0,
      modelKey: opts.modelKey ?? '',
      ids: Int32Array.from(ids),
      T,
      D,
      V,
      L,
      tokEmb,
      posEmb,
      residuals,
      lnFinal,
      logits,
      logitsRows: opts.lastOnly ? 1 : T,
      lens: { k, topIds, topProbs },
      ms: now() - t0,
    };
  } finally {
    for (const t of tensors) t.dispose();
    out.lensIds?.dispose();
    out.lensProbs?.dispose();
  }
}

/** Elements of one [rows, V] chunk of an on-demand lens: small, so a chunk takes tens of ms and a newer request waits little. */
const LENS_REQUEST_CHUNK_ELEMENTS = 1 << 20;

export interface LensOptions {
  /** Rows (layer x position) per chunk; default 2^20 / V (>= 1). */
  chunkRows?: number;
  /** Checked before every chunk; true stops the lens (it resolves null). */
  shouldStop?: () => boolean;
  /** Awaited before every chunk (a macrotask, and waiting for higher-priority requests). */
  yieldFn?: () => Promise<void>;
}

/**
 * The logit lens on demand: runs the blocks once, keeps the residual rows [(L+1) T, D], then reads
 * them through ln_f and W_U chunk by chunk, taking the top-k of each row's softmax on the backend
 * (only [rows, k] ids and probabilities come back). Between chunks it awaits opts.yieldFn and
 * checks opts.shouldStop; stopped, it resolves null. Every tensor is disposed on every path.
 * k is clamped to 1..V. Same numbers as forward(ids, { lensK: k }).lens.
 */
export async function lens(
  w: GptWeights,
  ids: number[],
  k: number,
  opts: LensOptions = {},
): Promise<{ lens: LogitLens; ms: number } | null> {
  checkIds(w, ids);
  const { nEmbd: D, vocabSize: V, nLayer: L } = w.config;
  const T = ids.length;
  const kk = Math.max(1, Math.min(Math.floor(k), V));
  const N = (L + 1) * T;
  const rows = Math.max(1, Math.floor(opts.chunkRows ?? LENS_REQUEST_CHUNK_ELEMENTS / V));
  const t0 = now();
  if (opts.shouldStop?.()) return null;
  const flat = tidy(() => tf.reshape(tf.stack(runBlocks(w, ids).resid), [N, D]) as tf.Tensor2D); // [(L+1) T, D]
  try {
    const topIds = new Int32Array(N * kk);
    const topProbs = new Float32Array(N * kk);
    for (let r0 = 0; r0 < N; r0 += rows) {
      if (opts.yieldFn) await opts.yieldFn();
      if (opts.shouldStop?.()) return null;
      const n = Math.min(rows, N - r0);
      const part = tidy(() => {
        const top = tf.topk(tf.softmax(unembed(w, tf.slice(flat, [r0, 0], [n, D]) as tf.Tensor2D)), kk, true); // [n, k]
        return { ids: top.indices, probs: top.values };
      });
      try {
        const [pi] = await readAll<Int32Array>([part.ids]);
        const [pp] = await readAll([part.probs]);
        topIds.set(pi, r0 * kk);
        topProbs.set(pp, r0 * kk);
      } finally {
        part.ids.dispose();
        part.probs.dispose();
      }
    }
    return { lens: { k: kk, topIds, topProbs }, ms: now() - t0 };
  } finally {
    flat.dispose();
  }
}

/** Logits [V] of the last position only (full recompute, no cache). */
export async function lastLogits(w: GptWeights, ids: number[]): Promise<Float32Array> {
  checkIds(w, ids);
  const D = w.config.nEmbd;
  const t = tf.tidy(() => {
    const { resid } = runBlocks(w, ids);
    const x = resid[resid.length - 1];
    return unembed(w, tf.slice(x, [ids.length - 1, 0], [1, D]) as tf.Tensor2D); // [1, V]
  });
  try {
    return (await readAll([t]))[0];
  } finally {
    t.dispose();
  }
}

/** The direct path: logits [V] of ln_f(W_E[token]) W_U (no position, no blocks). */
export async function directPath(w: GptWeights, tokenId: number): Promise<Float32Array> {
  const V = w.config.vocabSize;
  if (!Number.isInteger(tokenId) || tokenId < 0 || tokenId >= V)
    throw new Error(`token id ${tokenId} is outside the vocabulary (0..${V - 1})`);
  const t = tf.tidy(() => unembed(w, tf.gather(w.wte, tf.tensor1d([tokenId], 'int32')) as tf.Tensor2D)); // [1, V]
  try {
    return (await readAll([t]))[0];
  } finally {
    t.dispose();
  }
}

/**
 * A weight matrix copied out of the model. 'wpe' rows are positions 0..P-1 (OPT's offset removed);
 * a model with rotary positions has none (config.positions says so beforehand) and 'wpe' is refused.
 * 'ln_f.bias' of an RMSNorm model is zeros (RMSNorm has no bias).
 */
export async function matrix(w: GptWeights, name: MatrixName): Promise<Matrix> {
  const c = w.config;
  const t = tf.tidy((): tf.Tensor => {
    switch (name) {
      case 'wte':
        return tf.clone(w.wte); // [V, D]
      case 'wpe':
        if (!w.wpe) throw new Error('this model has no positional table W_pos: it uses rotary positions inside attention');
        return tf.slice(w.wpe, [c.positionOffset, 0], [c.nPositions, c.nEmbd]); // [P, D]
      case 'wu':
        return tf.transpose(w.wuT); // [V, D]
      case 'ln_f.weight':
        return tf.clone(w.lnF.g); // [D]
      case 'ln_f.bias':
        return tf.clone(w.lnF.b); // [D]
      default:
        throw new Error(`unknown matrix '${String(name)}'`);
    }
  });
  try {
    // clone/slice may share the weight's storage (tfjs-cpu): copy, so the result can be transferred safely
    const data = ((await t.data()) as Float32Array).slice();
    const rows = t.rank === 2 ? (t.shape[0] as number) : 1;
    const cols = (t.rank === 2 ? t.shape[1] : t.shape[0]) as number;
    return { name, rows, cols, data };
  } finally {
    t.dispose();
  }
}

/** Per-layer cached keys (transposed, [D, t]) and values ([t, D]) of the tokens seen so far. */
export class KVCache {
  layers: LayerKV[] = [];
  length = 0;
  /** Replaces the cached tensors (disposing the old ones). */
  set(layers: LayerKV[], length: number): void {
    this.dispose();
    this.layers = layers;
    this.length = length;
  }
  dispose(): void {
    for (const l of this.layers) {
      l.kT.dispose();
      l.v.dispose();
    }
    this.layers = [];
    this.length = 0;
  }
}

/** Runs the prompt once, fills the cache, returns the last position's logits [V]. */
export async function prefill(w: GptWeights, ids: number[], cache: KVCache): Promise<Float32Array> {
  checkIds(w, ids);
  const D = w.config.nEmbd;
  const r = tidy(() => {
    const { resid, kvs } = runBlocks(w, ids, true);
    const x = resid[resid.length - 1];
    return { kvs, logits: unembed(w, tf.slice(x, [ids.length - 1, 0], [1, D]) as tf.Tensor2D) }; // [1, V]
  });
  cache.set(r.kvs, ids.length);
  try {
    return (await readAll([r.logits]))[0];
  } finally {
    r.logits.dispose();
  }
}

/** Feeds one token at position cache.length; appends its keys/values; returns its logits [V]. */
export async function stepWithCache(w: GptWeights, token: number, cache: KVCache): Promise<Float32Array> {
  const c = w.config;
  if (cache.length >= c.nPositions) throw new Error(`the context is full (${c.nPositions} tokens)`);
  checkIds(w, [token]);
  const r = tidy(() => {
    const { tok, pos } = embed(w, [token], cache.length); // [1, D] each
    let x = (w.wpe ? tf.add(tok, pos) : tok) as tf.Tensor2D; // [1, D]
    const kvs: LayerKV[] = [];
    const Tk = cache.length + 1;
    w.blocks.forEach((b, l) => {
      const input = x;
      const win = c.attnWindows[l];
      // one query sees every cached key (no mask), unless a local layer's window is shorter than the context
      const o = tidy(() => block(input, b, c, win > 0 && Tk > win ? attentionMask(1, Tk, cache.length, win) : null, cache.layers[l]));
      x = o.out;
      kvs.push(o.kv!); // the unfused path (a past is given) always returns keys/values
    });
    return { kvs, logits: unembed(w, x) }; // [1, V]
  });
  cache.set(r.kvs, cache.length + 1);
  try {
    return (await readAll([r.logits]))[0];
  } finally {
    r.logits.dispose();
  }
}

export interface GenerateControl {
  /** Checked between tokens; true stops generation. */
  shouldStop?: () => boolean;
  /** Awaited between tokens (e.g. a macrotask, so a cancel message can arrive). */
  yieldFn?: () => Promise<void>;
}

/**
 * Autoregressive generation from `prompt`. Temperature 0 = argmax; otherwise
 * sampling with a PRNG seeded by opts.seed (same seed, same tokens). Stops at
 * maxNewTokens, when the context (n_positions) is full, or when stopped.
 * An empty prompt starts from the model's BOS token when it has one.
 */
export async function generate(
  w: GptWeights,
  prompt: number[],
  opts: GenerateOptions,
  onStep: (s: GenerateStep) => void,
  control: GenerateControl = {},
): Promise<GenerateStats & { ids: number[] }> {
  const c = w.config;
  const ids = prompt.length === 0 && c.bosTokenId != null ? [c.bosTokenId] : prompt.slice();
  checkIds(w, ids);
  const rand = mulberry32(opts.seed);
  const max = Math.max(0, Math.floor(opts.maxNewTokens));
  const t0 = now();
  let produced = 0;
  let stopped = false;
  const cache = opts.useCache ? new KVCache() : null;
  try {
    if (max > 0) {
      let ts = now();
      let logits = cache ? await prefill(w, ids, cache) : await lastLogits(w, ids);
      for (;;) {
        if (control.shouldStop?.()) {
          stopped = true;
          break;
        }
        const id = sample(logits, opts.temperature, rand);
        ids.push(id);
        produced++;
        onStep({ id, ms: now() - ts });
        if (produced >= max || ids.length >= c.nPositions) break;
        if (control.yieldFn) await control.yieldFn();
        if (control.shouldStop?.()) {
          stopped = true;
          break;
        }
        ts = now();
        logits = cache ? await stepWithCache(w, id, cache) : await lastLogits(w, ids);
      }
    }
  } finally {
    cache?.dispose();
  }
  const ms = now() - t0;
  return { tokens: produced, ms, tokensPerSecond: ms > 0 ? (produced * 1000) / ms : 0, stopped, ids };
}

/** GFLOP/s of an n x n x n untransposed 2-D matMul on the active backend (median of a few runs). */
export async function matmulGflops(n: number): Promise<number> {
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  try {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = now();
      const c = tf.matMul(a, b);
      await c.data();
      times.push(now() - t0);
      c.dispose();
    }
    times.sort((x, y) => x - y);
    const ms = times[Math.floor(times.length / 2)];
    return (2 * n * n * n) / (ms * 1e6);
  } finally {
    a.dispose();
    b.dispose();
  }
}
