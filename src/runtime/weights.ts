/**
 * Model weights as tfjs tensors, laid out for the fast path of tfjs-wasm
 * (untransposed 2-D matMul [T,D] x [D,N]), following the family's layout from
 * the architecture table (families/):
 *   - Conv1D weights (GPT-2) are stored [in, out] already;
 *   - nn.Linear weights [out, in] (every other family) are transposed ONCE here;
 *   - q/k/v end up as one [D, 3D] matrix, columns q | k | v, head-major: separate
 *     projections are concatenated, GPT-NeoX's per-head [q_h | k_h | v_h] rows are
 *     reordered, grouped-query k/v heads are repeated for their query heads;
 *   - a SwiGLU MLP keeps [gate | up] as one [D, 2I] matrix;
 *   - missing biases (Llama, GPT-Neo's q/k/v) and RMSNorm's bias are zeros;
 *   - the unembedding is kept as W_U^T [D, V] (a transposed copy for tied models too).
 *
 * Weights are uploaded tensor by tensor from the parsed file (each Float32Array
 * is dropped right after its upload), so at most one big tensor is duplicated
 * on the host at a time.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ModelFileError, type SafetensorsFile } from './formats';
import type { SafetensorsReader } from './safetensors';
import type { ModelConfig } from './types';
import { familyOf, type LinearSource, type NormSource } from './families';
import { canonicalMapOfNames, layoutShapes } from './config';

export interface LayerNormWeights {
  g: tf.Tensor1D; // [D] gain
  b: tf.Tensor1D; // [D] bias (zeros for RMSNorm, which has none)
}

export interface BlockWeights {
  ln1: LayerNormWeights; // before attention (GPT-2 ln_1, OPT self_attn_layer_norm)
  wQkv: tf.Tensor2D; // [D, 3D]  columns: q | k | v
  bQkv: tf.Tensor1D; // [3D]
  wO: tf.Tensor2D; // [D, D]
  bO: tf.Tensor1D; // [D]
  ln2: LayerNormWeights; // before the MLP (GPT-2 ln_2, OPT final_layer_norm)
  wFc: tf.Tensor2D; // [D, F]; SwiGLU: [D, 2F], columns gate | up
  bFc: tf.Tensor1D; // [F] (SwiGLU: [2F])
  wProj: tf.Tensor2D; // [F, D]
  bProj: tf.Tensor1D; // [D]
}

export interface GptWeights {
  config: ModelConfig;
  wte: tf.Tensor2D; // [V, D]  token embedding W_E
  wpe: tf.Tensor2D | null; // [P + offset, D] positional embedding (OPT: rows 0,1 unused); null with rotary positions
  blocks: BlockWeights[];
  lnF: LayerNormWeights; // final LayerNorm
  wuT: tf.Tensor2D; // [D, V]  W_U^T, so logits = x @ wuT
}

/** The minimum the loader needs from a tensor file (SafetensorsFile satisfies it via `fromSafetensors`). */
export interface TensorSource {
  names(): string[];
  shape(name: string): number[] | undefined;
  getFloat32(name: string): Float32Array | Promise<Float32Array>;
}

export function fromSafetensors(file: SafetensorsFile): TensorSource {
  return {
    names: () => [...file.entries.keys()],
    shape: (name) => file.entries.get(name)?.shape,
    getFloat32: (name) => file.getFloat32(name),
  };
}

/** A lazily read file (Blob / File): each tensor's bytes are read only when uploaded. */
export function fromSafetensorsReader(r: SafetensorsReader): TensorSource {
  return {
    names: () => [...r.entries.keys()],
    shape: (name) => r.entries.get(name)?.shape,
    getFloat32: (name) => r.readFloat32(name),
  };
}

const FILE = 'model.safetensors';

function sameShape(a: number[] | undefined, b: number[]): boolean {
  return !!a && a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface LoadWeightsOptions {
  /**
   * Called after each tensor upload with (uploaded, total) tensor counts; awaited, so it may yield
   * to the event loop (to let a cancel message in) or throw to abort the load.
   */
  onTensor?: (done: number, total: number) => void | Promise<void>;
}

/** Uploads one tensor, checking its shape. */
async function upload(src: TensorSource, name: string, shape: number[]): Promise<tf.Tensor> {
  const s = src.shape(name);
  if (!s) throw new ModelFileError(FILE, `missing tensor '${name}'`);
  if (!sameShape(s, shape)) {
    throw new ModelFileError(FILE, `tensor '${name}' has shape [${s.join(', ')}], expected [${shape.join(', ')}]`);
  }
  const data = await src.getFloat32(name);
  return tf.tensor(data, shape, 'float32');
}

/** [out, in] -> [in, out], disposing the input. */
function transposeOwned(t: tf.Tensor): tf.Tensor2D {
  const r = tf.transpose(t as tf.Tensor2D) as tf.Tensor2D;
  t.dispose();
  return r;
}

/** Every tensor of a GptWeights, for disposal and moving between backends. */
export function allTensors(w: GptWeights): tf.Tensor[] {
  const out: tf.Tensor[] = [w.wte, w.lnF.g, w.lnF.b, w.wuT];
  if (w.wpe) out.push(w.wpe);
  for (const b of w.blocks) {
    out.push(b.ln1.g, b.ln1.b, b.wQkv, b.bQkv, b.wO, b.bO, b.ln2.g, b.ln2.b, b.wFc, b.bFc, b.wProj, b.bProj);
  }
  return out;
}

export function disposeWeights(w: GptWeights): void {
  for (const t of allTensors(w)) t.dispose();
}

/** Parameters of the model as it computes (the tied unembedding counted once). */
export function parameterCount(w: GptWeights): number {
  let n = 0;
  for (const t of allTensors(w)) n += t.size;
  if (w.config.tied) n -= w.wuT.size;
  return n;
}

/**
 * Builds the weights from a tensor file. On any error, every tensor uploaded
 * so far is disposed before the error propagates.
 */
export async function loadWeights(src: TensorSource, config: ModelConfig, opts: LoadWeightsOptions = {}): Promise<GptWeights> {
  const created: tf.Tensor[] = [];
  const track = <T extends tf.Tensor>(t: T): T => {
    created.push(t);
    return t;
  };
  try {
    return await loadFromLayout(src, config, track, opts);
  } catch (e) {
    for (const t of created) if (!t.isDisposed) t.dispose();
    throw e;
  }
}

type Track = <T extends tf.Tensor>(t: T) => T;

/** Column order that turns GPT-NeoX's per-head [q_h | k_h | v_h] columns into q | k | v. */
function perHeadToQkv(D: number, H: number): Int32Array {
  const hd = D / H;
  const idx = new Int32Array(3 * D);
  for (let j = 0; j < 3 * D; j++) {
    const part = Math.floor(j / D);
    const h = Math.floor((j % D) / hd);
    idx[j] = h * 3 * hd + part * hd + (j % hd);
  }
  return idx;
}

/** Column order that repeats each of KV key/value heads for its H / KV query heads: [KV·hd] → [H·hd]. */
function repeatKvHeads(H: number, KV: number, hd: number): Int32Array {
  const idx = new Int32Array(H * hd);
  const rep = H / KV;
  for (let j = 0; j < H * hd; j++) idx[j] = Math.floor(Math.floor(j / hd) / rep) * hd + (j % hd);
  return idx;
}

/**
 * Reorders the last axis of `t` by `idx` (out[.., j] = t[.., idx[j]]), disposing `t`. Done on the
 * host, once at load: tfjs-wasm 4.22's gather returns a wrong rank for a 1-D input along axis 0.
 */
async function reorderOwned<T extends tf.Tensor>(t: T, idx: Int32Array): Promise<T> {
  const src = (await t.data()) as Float32Array;
  const C = t.shape[t.rank - 1];
  const R = t.size / C;
  const n = idx.length;
  const out = new Float32Array(R * n);
  for (let r = 0; r < R; r++) for (let j = 0; j < n; j++) out[r * n + j] = src[r * C + idx[j]];
  const shape = [...t.shape.slice(0, -1), n];
  t.dispose();
  return tf.tensor(out, shape, 'float32') as T;
}

async function loadFromLayout(src: TensorSource, c: ModelConfig, track: Track, opts: LoadWeightsOptions): Promise<GptWeights> {
  const { nEmbd: D, vocabSize: V, nHead: H } = c;
  const family = familyOf(c.arch);
  const layout = family.layout(c);
  const why = family.unsupported?.(new Set(src.names()));
  if (why) throw new ModelFileError(FILE, why);
  const names = canonicalMapOfNames(src.names(), (a) => family.canonicalName(a));
  if (!names.has(layout.wte)) {
    throw new ModelFileError(FILE, `no ${family.label} token embedding tensor ('${layout.wte}') found`);
  }
  const total = layoutShapes(layout, c).size;
  let done = 0;
  const up = async (canon: string, shape: number[]): Promise<tf.Tensor> => {
    const actual = names.get(canon);
    if (actual === undefined) throw new ModelFileError(FILE, `missing tensor '${canon}'`);
    const t = track(await upload(src, actual, shape));
    await opts.onTensor?.(++done, total);
    return t;
  };
  const norm = async (n: NormSource): Promise<LayerNormWeights> => ({
    g: (await up(n.weight, [D])) as tf.Tensor1D,
    b: n.bias ? ((await up(n.bias, [D])) as tf.Tensor1D) : track(tf.zeros([D]) as tf.Tensor1D),
  });
  /** W as [in, out] and b [out] (zeros when the layout has none). */
  const linear = async (l: LinearSource): Promise<{ w: tf.Tensor2D; b: tf.Tensor1D }> => {
    const raw = await up(l.weight, l.layout === 'io' ? [l.inDim, l.outDim] : [l.outDim, l.inDim]);
    const w = l.layout === 'io' ? (raw as tf.Tensor2D) : track(transposeOwned(raw));
    const b = l.bias ? ((await up(l.bias, [l.outDim])) as tf.Tensor1D) : track(tf.zeros([l.outDim]) as tf.Tensor1D);
    return { w, b };
  };
  /** Concatenates along the last axis, disposing the parts. */
  const cat = <T extends tf.Tensor>(parts: T[]): T => {
    const r = track(tf.concat(parts, parts[0].rank - 1) as T);
    for (const p of parts) p.dispose();
    return r;
  };
  const wte = (await up(layout.wte, [V, D])) as tf.Tensor2D;
  const wpe = layout.wpe ? ((await up(layout.wpe.name, [layout.wpe.rows, D])) as tf.Tensor2D) : null;
  const blocks: BlockWeights[] = [];
  for (const s of layout.blocks) {
    const ln1 = await norm(s.ln1);
    let wQkv: tf.Tensor2D;
    let bQkv: tf.Tensor1D;
    if (s.qkv.kind === 'separate') {
      const parts = [await linear(s.qkv.q), await linear(s.qkv.k), await linear(s.qkv.v)];
      if (c.nKvHead !== H) {
        const idx = repeatKvHeads(H, c.nKvHead, D / H);
        for (const p of parts.slice(1)) {
          p.w = track(await reorderOwned(p.w, idx));
          p.b = track(await reorderOwned(p.b, idx));
        }
      }
      wQkv = cat(parts.map((p) => p.w));
      bQkv = cat(parts.map((p) => p.b));
    } else {
      const f = await linear(s.qkv.lin);
      wQkv = f.w;
      bQkv = f.b;
      if (s.qkv.kind === 'fused-per-head') {
        const idx = perHeadToQkv(D, H);
        wQkv = track(await reorderOwned(wQkv, idx));
        bQkv = track(await reorderOwned(bQkv, idx));
      }
    }
    const o = await linear(s.o);
    const ln2 = await norm(s.ln2);
    let fc: { w: tf.Tensor2D; b: tf.Tensor1D };
    if (s.gate) {
      const g = await linear(s.gate);
      const u = await linear(s.up);
      fc = { w: cat([g.w, u.w]), b: cat([g.b, u.b]) };
    } else fc = await linear(s.up);
    const down = await linear(s.down);
    blocks.push({ ln1, wQkv, bQkv, wO: o.w, bO: o.b, ln2, wFc: fc.w, bFc: fc.b, wProj: down.w, bProj: down.b });
  }
  const lnF = await norm(layout.lnF);
  let wuT: tf.Tensor2D;
  if (c.tied) wuT = track(tf.transpose(wte) as tf.Tensor2D);
  else {
    if (!names.has(layout.head)) {
      throw new ModelFileError(FILE, `untied model (tie_word_embeddings=false) has no '${layout.head}' tensor`);
    }
    wuT = track(transposeOwned(await up(layout.head, [V, D])));
  }
  await opts.onTensor?.(total, total);
  return { config: c, wte, wpe, blocks, lnF, wuT };
}

/**
 * Moves every weight onto the currently active backend (after tf.setBackend):
 * downloads each tensor from its old backend and re-uploads it. The old
 * tensors are disposed only once every new one exists, so a failure leaves
 * the old weights intact (and the new copies disposed).
 */
export async function moveWeightsToActiveBackend(w: GptWeights): Promise<GptWeights> {
  const created: tf.Tensor[] = [];
  const move = async <T extends tf.Tensor>(t: T): Promise<T> => {
    const data = (await t.data()) as Float32Array;
    const moved = tf.tensor(data, t.shape, 'float32') as T;
    created.push(moved);
    return moved;
  };
  const ln = async (l: LayerNormWeights): Promise<LayerNormWeights> => ({ g: await move(l.g), b: await move(l.b) });
  try {
    const blocks: BlockWeights[] = [];
    for (const b of w.blocks) {
      blocks.push({
        ln1: await ln(b.ln1),
        wQkv: await move(b.wQkv),
        bQkv: await move(b.bQkv),
        wO: await move(b.wO),
        bO: await move(b.bO),
        ln2: await ln(b.ln2),
        wFc: await move(b.wFc),
        bFc: await move(b.bFc),
        wProj: await move(b.wProj),
        bProj: await move(b.bProj),
      });
    }
    const moved: GptWeights = {
      config: w.config,
      wte: await move(w.wte),
      wpe: w.wpe ? await move(w.wpe) : null,
      blocks,
      lnF: await ln(w.lnF),
      wuT: await move(w.wuT),
    };
    disposeWeights(w);
    return moved;
  } catch (e) {
    for (const t of created) t.dispose();
    throw e;
  }
}
