/**
 * Model weights as tfjs tensors, laid out for the fast path of tfjs-wasm
 * (untransposed 2-D matMul [T,D] x [D,N]):
 *   - GPT-2 Conv1D weights are stored [in, out] already;
 *   - OPT Linear weights [out, in] are transposed ONCE here;
 *   - OPT's separate q/k/v projections are fused into one [D, 3D] matrix;
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

export interface LayerNormWeights {
  g: tf.Tensor1D; // [D] gain
  b: tf.Tensor1D; // [D] bias
}

export interface BlockWeights {
  ln1: LayerNormWeights; // before attention (GPT-2 ln_1, OPT self_attn_layer_norm)
  wQkv: tf.Tensor2D; // [D, 3D]  columns: q | k | v
  bQkv: tf.Tensor1D; // [3D]
  wO: tf.Tensor2D; // [D, D]
  bO: tf.Tensor1D; // [D]
  ln2: LayerNormWeights; // before the MLP (GPT-2 ln_2, OPT final_layer_norm)
  wFc: tf.Tensor2D; // [D, F]
  bFc: tf.Tensor1D; // [F]
  wProj: tf.Tensor2D; // [F, D]
  bProj: tf.Tensor1D; // [D]
}

export interface GptWeights {
  config: ModelConfig;
  wte: tf.Tensor2D; // [V, D]  token embedding W_E
  wpe: tf.Tensor2D; // [P + offset, D] positional embedding (OPT: rows 0,1 unused)
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

/** Names of the tensors for one architecture, resolved against the file's actual prefix. */
interface Layout {
  prefix: string;
  name(rel: string): string;
}

function findPrefix(src: TensorSource, candidates: string[], probe: string, what: string): Layout {
  const names = new Set(src.names());
  for (const p of candidates) {
    if (names.has(p + probe)) return { prefix: p, name: (rel) => p + rel };
  }
  throw new ModelFileError(FILE, `no ${what} tensor '${candidates.map((c) => c + probe).join("' or '")}' found`);
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
  const out: tf.Tensor[] = [w.wte, w.wpe, w.lnF.g, w.lnF.b, w.wuT];
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
    const w = config.arch === 'gpt2' ? await loadGpt2(src, config, track, opts) : await loadOpt(src, config, track, opts);
    return w;
  } catch (e) {
    for (const t of created) if (!t.isDisposed) t.dispose();
    throw e;
  }
}

type Track = <T extends tf.Tensor>(t: T) => T;

async function loadGpt2(src: TensorSource, c: ModelConfig, track: Track, opts: LoadWeightsOptions): Promise<GptWeights> {
  const { nEmbd: D, vocabSize: V, nPositions: P, nInner: F, nLayer: L } = c;
  const lay = findPrefix(src, ['transformer.', ''], 'wte.weight', 'GPT-2 token embedding');
  const total = 4 + 12 * L + 2 + (c.tied ? 0 : 1);
  let done = 0;
  const up = async (name: string, shape: number[]): Promise<tf.Tensor> => {
    const t = track(await upload(src, lay.name(name), shape));
    await opts.onTensor?.(++done, total);
    return t;
  };
  const wte = (await up('wte.weight', [V, D])) as tf.Tensor2D;
  const wpe = (await up('wpe.weight', [P, D])) as tf.Tensor2D;
  const blocks: BlockWeights[] = [];
  for (let i = 0; i < L; i++) {
    const h = (n: string) => `h.${i}.${n}`;
    blocks.push({
      ln1: { g: (await up(h('ln_1.weight'), [D])) as tf.Tensor1D, b: (await up(h('ln_1.bias'), [D])) as tf.Tensor1D },
      wQkv: (await up(h('attn.c_attn.weight'), [D, 3 * D])) as tf.Tensor2D,
      bQkv: (await up(h('attn.c_attn.bias'), [3 * D])) as tf.Tensor1D,
      wO: (await up(h('attn.c_proj.weight'), [D, D])) as tf.Tensor2D,
      bO: (await up(h('attn.c_proj.bias'), [D])) as tf.Tensor1D,
      ln2: { g: (await up(h('ln_2.weight'), [D])) as tf.Tensor1D, b: (await up(h('ln_2.bias'), [D])) as tf.Tensor1D },
      wFc: (await up(h('mlp.c_fc.weight'), [D, F])) as tf.Tensor2D,
      bFc: (await up(h('mlp.c_fc.bias'), [F])) as tf.Tensor1D,
      wProj: (await up(h('mlp.c_proj.weight'), [F, D])) as tf.Tensor2D,
      bProj: (await up(h('mlp.c_proj.bias'), [D])) as tf.Tensor1D,
    });
  }
  const lnF = { g: (await up('ln_f.weight', [D])) as tf.Tensor1D, b: (await up('ln_f.bias', [D])) as tf.Tensor1D };
  const wuT = await loadUnembedding(src, c, wte, track, ['lm_head.weight']);
  await opts.onTensor?.(total, total);
  return { config: c, wte, wpe, blocks, lnF, wuT };
}

/** W_U^T [D, V]: the transpose of W_E when tied, of lm_head.weight [V, D] otherwise. */
async function loadUnembedding(src: TensorSource, c: ModelConfig, wte: tf.Tensor2D, track: Track, headNames: string[]): Promise<tf.Tensor2D> {
  const { nEmbd: D, vocabSize: V } = c;
  if (c.tied) return track(tf.transpose(wte) as tf.Tensor2D);
  const names = new Set(src.names());
  const head = headNames.find((n) => names.has(n));
  if (!head) throw new ModelFileError(FILE, `untied model (tie_word_embeddings=false) has no '${headNames[0]}' tensor`);
  return track(transposeOwned(await upload(src, head, [V, D])));
}

async function loadOpt(src: TensorSource, c: ModelConfig, track: Track, opts: LoadWeightsOptions): Promise<GptWeights> {
  const { nEmbd: D, vocabSize: V, nPositions: P, nInner: F, nLayer: L } = c;
  const lay = findPrefix(src, ['model.decoder.', 'decoder.'], 'embed_tokens.weight', 'OPT token embedding');
  const names = new Set(src.names());
  if (names.has(lay.name('project_in.weight')) || names.has(lay.name('project_out.weight'))) {
    throw new ModelFileError(
      FILE,
      'this OPT checkpoint projects its embeddings (project_in/project_out, as OPT-350m does); only OPT models whose embedding width equals the hidden size are supported',
    );
  }
  const total = 4 + 16 * L + 2 + (c.tied ? 0 : 1);
  let done = 0;
  const up = async (name: string, shape: number[]): Promise<tf.Tensor> => {
    const t = track(await upload(src, lay.name(name), shape));
    await opts.onTensor?.(++done, total);
    return t;
  };
  /** An nn.Linear weight [out, in], transposed to [in, out] for x @ W. */
  const upLinear = async (name: string, outDim: number, inDim: number): Promise<tf.Tensor2D> => {
    const raw = await upload(src, lay.name(name), [outDim, inDim]);
    const t = track(transposeOwned(raw));
    await opts.onTensor?.(++done, total);
    return t;
  };
  const wte = (await up('embed_tokens.weight', [V, D])) as tf.Tensor2D;
  const wpe = (await up('embed_positions.weight', [P + c.positionOffset, D])) as tf.Tensor2D;
  const blocks: BlockWeights[] = [];
  for (let i = 0; i < L; i++) {
    const h = (n: string) => `layers.${i}.${n}`;
    // q, k, v: [D_out, D_in] each -> fused [D, 3D]
    const parts: tf.Tensor2D[] = [];
    const biases: tf.Tensor1D[] = [];
    for (const p of ['q', 'k', 'v']) {
      parts.push(track(transposeOwned(await upload(src, lay.name(h(`self_attn.${p}_proj.weight`)), [D, D]))));
      biases.push(track((await upload(src, lay.name(h(`self_attn.${p}_proj.bias`)), [D])) as tf.Tensor1D));
      done += 2;
    }
    const wQkv = track(tf.concat(parts, 1) as tf.Tensor2D);
    const bQkv = track(tf.concat(biases, 0) as tf.Tensor1D);
    for (const t of [...parts, ...biases]) t.dispose();
    blocks.push({
      ln1: {
        g: (await up(h('self_attn_layer_norm.weight'), [D])) as tf.Tensor1D,
        b: (await up(h('self_attn_layer_norm.bias'), [D])) as tf.Tensor1D,
      },
      wQkv,
      bQkv,
      wO: await upLinear(h('self_attn.out_proj.weight'), D, D),
      bO: (await up(h('self_attn.out_proj.bias'), [D])) as tf.Tensor1D,
      ln2: {
        g: (await up(h('final_layer_norm.weight'), [D])) as tf.Tensor1D,
        b: (await up(h('final_layer_norm.bias'), [D])) as tf.Tensor1D,
      },
      wFc: await upLinear(h('fc1.weight'), F, D),
      bFc: (await up(h('fc1.bias'), [F])) as tf.Tensor1D,
      wProj: await upLinear(h('fc2.weight'), D, F),
      bProj: (await up(h('fc2.bias'), [D])) as tf.Tensor1D,
    });
  }
  const lnF = { g: (await up('final_layer_norm.weight', [D])) as tf.Tensor1D, b: (await up('final_layer_norm.bias', [D])) as tf.Tensor1D };
  const wuT = await loadUnembedding(src, c, wte, track, ['lm_head.weight', 'model.lm_head.weight']);
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
      wpe: await move(w.wpe),
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
