/**
 * HF config.json → ModelConfig, plus the checks that tie a safetensors file to
 * its config, and canonical tensor names the runtime looks weights up by.
 *
 * Supported: model_type "gpt2" (GPT2LMHeadModel / GPT2Model exports) and
 * model_type "opt" (OPTForCausalLM / OPTModel with do_layer_norm_before and
 * no embedding projection, i.e. every OPT size except 350m).
 *
 * Canonical names (what the runtime asks for):
 *  GPT-2: 'wte' [V,D], 'wpe' [P,D],
 *         'h.{i}.ln_1.weight' [D], 'h.{i}.ln_1.bias' [D],
 *         'h.{i}.attn.c_attn.weight' [D,3D], 'h.{i}.attn.c_attn.bias' [3D],
 *         'h.{i}.attn.c_proj.weight' [D,D], 'h.{i}.attn.c_proj.bias' [D],
 *         'h.{i}.ln_2.weight' [D], 'h.{i}.ln_2.bias' [D],
 *         'h.{i}.mlp.c_fc.weight' [D,I], 'h.{i}.mlp.c_fc.bias' [I],
 *         'h.{i}.mlp.c_proj.weight' [I,D], 'h.{i}.mlp.c_proj.bias' [D],
 *         'ln_f.weight' [D], 'ln_f.bias' [D], 'lm_head.weight' [V,D] (optional when tied).
 *         (HF Conv1D layout: weight is [in, out], y = x W + b.)
 *  OPT:   'embed_tokens' [V,D], 'embed_positions' [P+2,D],
 *         'layers.{i}.self_attn.{q,k,v,out}_proj.weight' [D,D] (nn.Linear layout [out, in], y = x Wᵀ + b),
 *         'layers.{i}.self_attn.{q,k,v,out}_proj.bias' [D],
 *         'layers.{i}.self_attn_layer_norm.{weight,bias}' [D],
 *         'layers.{i}.fc1.weight' [I,D], 'layers.{i}.fc1.bias' [I],
 *         'layers.{i}.fc2.weight' [D,I], 'layers.{i}.fc2.bias' [D],
 *         'layers.{i}.final_layer_norm.{weight,bias}' [D],
 *         'final_layer_norm.weight' [D], 'final_layer_norm.bias' [D], 'lm_head.weight' [V,D] (optional when tied).
 *
 * Pure TypeScript, no tfjs.
 */
import { ModelFileError, type TensorEntry } from './formats';
import type { Arch, ModelConfig } from './types';

const CONFIG_FILE = 'config.json';
const WEIGHTS_FILE = 'model.safetensors';

/** Upper bounds on sizes we accept (anything larger is a typo or not a browser model). */
export const CONFIG_LIMITS = {
  vocabSize: 300_000,
  nEmbd: 8192,
  nLayer: 96,
  nHead: 256,
  nPositions: 32768,
  nInner: 65536,
} as const;

function err(message: string): ModelFileError {
  return new ModelFileError(CONFIG_FILE, message);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A required positive integer ≤ max; the message names the key. */
function posInt(o: Record<string, unknown>, key: string, max: number, fallbackKey?: string): number {
  let v = o[key];
  let k = key;
  if (v === undefined && fallbackKey !== undefined && o[fallbackKey] !== undefined) {
    v = o[fallbackKey];
    k = fallbackKey;
  }
  if (v === undefined || v === null) throw err(`missing required key "${key}"`);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw err(`"${k}" must be an integer, got ${JSON.stringify(v)}`);
  if (v <= 0) throw err(`"${k}" must be a positive integer, got ${v}`);
  if (v > max) throw err(`"${k}" = ${v} exceeds the limit of ${max}`);
  return v;
}

function optBool(o: Record<string, unknown>, key: string, dflt: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw err(`"${key}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function optTokenId(o: Record<string, unknown>, key: string, vocab: number): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= vocab) {
    throw err(`"${key}" must be a token id in [0, ${vocab}), got ${JSON.stringify(v)}`);
  }
  return v;
}

function epsilon(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (v === undefined || v === null) return 1e-5;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 0.1) {
    throw err(`"${key}" must be a number in (0, 0.1], got ${JSON.stringify(v)}`);
  }
  return v;
}

function headsDivide(d: number, h: number, dKey: string, hKey: string): void {
  if (h > d) throw err(`"${hKey}" (${h}) cannot exceed "${dKey}" (${d})`);
  if (d % h !== 0) throw err(`"${dKey}" (${d}) must be divisible by "${hKey}" (${h})`);
}

/** Notes about lossy choices made while reading a config (e.g. exact GELU run as tanh GELU). */
export interface ParsedConfig {
  config: ModelConfig;
  notes: string[];
}

function parseGpt2(o: Record<string, unknown>, notes: string[]): ModelConfig {
  const nEmbd = posInt(o, 'n_embd', CONFIG_LIMITS.nEmbd);
  const nLayer = posInt(o, 'n_layer', CONFIG_LIMITS.nLayer);
  const nHead = posInt(o, 'n_head', CONFIG_LIMITS.nHead);
  const nPositions = posInt(o, 'n_positions', CONFIG_LIMITS.nPositions, 'n_ctx');
  const vocabSize = posInt(o, 'vocab_size', CONFIG_LIMITS.vocabSize);
  headsDivide(nEmbd, nHead, 'n_embd', 'n_head');
  const nInner = o.n_inner === undefined || o.n_inner === null ? 4 * nEmbd : posInt(o, 'n_inner', CONFIG_LIMITS.nInner);
  const act = o.activation_function ?? 'gelu_new';
  let activation: ModelConfig['activation'];
  if (act === 'gelu_new' || act === 'gelu_pytorch_tanh' || act === 'gelu_fast') activation = 'gelu_new';
  else if (act === 'gelu') {
    activation = 'gelu_new';
    notes.push('activation_function "gelu" (exact erf GELU) is computed with the tanh approximation (differences ~1e-4)');
  } else if (act === 'relu') activation = 'relu';
  else throw err(`activation_function ${JSON.stringify(act)} is not supported for gpt2 (use gelu_new, gelu or relu)`);
  if (o.scale_attn_weights === false) throw err('"scale_attn_weights": false is not supported');
  if (o.scale_attn_by_inverse_layer_idx === true) throw err('"scale_attn_by_inverse_layer_idx": true is not supported');
  if (o.reorder_and_upcast_attn === true) notes.push('"reorder_and_upcast_attn" ignored (float32 throughout)');
  return {
    arch: 'gpt2',
    vocabSize,
    nPositions,
    nEmbd,
    nLayer,
    nHead,
    nInner,
    eps: epsilon(o, 'layer_norm_epsilon'),
    tied: optBool(o, 'tie_word_embeddings', true),
    activation,
    positionOffset: 0,
    bosTokenId: optTokenId(o, 'bos_token_id', vocabSize),
    eosTokenId: optTokenId(o, 'eos_token_id', vocabSize),
  };
}

function parseOpt(o: Record<string, unknown>): ModelConfig {
  const nEmbd = posInt(o, 'hidden_size', CONFIG_LIMITS.nEmbd);
  const nLayer = posInt(o, 'num_hidden_layers', CONFIG_LIMITS.nLayer);
  const nHead = posInt(o, 'num_attention_heads', CONFIG_LIMITS.nHead);
  const nPositions = posInt(o, 'max_position_embeddings', CONFIG_LIMITS.nPositions);
  const vocabSize = posInt(o, 'vocab_size', CONFIG_LIMITS.vocabSize);
  const nInner = posInt(o, 'ffn_dim', CONFIG_LIMITS.nInner);
  headsDivide(nEmbd, nHead, 'hidden_size', 'num_attention_heads');
  if (!optBool(o, 'do_layer_norm_before', true)) {
    throw err('"do_layer_norm_before": false (post-LayerNorm OPT, e.g. opt-350m) is not supported; only pre-LayerNorm OPT models');
  }
  if (o.word_embed_proj_dim !== undefined && o.word_embed_proj_dim !== null && o.word_embed_proj_dim !== nEmbd) {
    throw err(
      `"word_embed_proj_dim" (${JSON.stringify(o.word_embed_proj_dim)}) differs from "hidden_size" (${nEmbd}); embedding projections (project_in/project_out) are not supported`,
    );
  }
  if (o.enable_bias === false) throw err('"enable_bias": false is not supported');
  if (o.layer_norm_elementwise_affine === false) throw err('"layer_norm_elementwise_affine": false is not supported');
  const act = o.activation_function ?? 'relu';
  if (act !== 'relu') throw err(`activation_function ${JSON.stringify(act)} is not supported for opt (only relu)`);
  return {
    arch: 'opt',
    vocabSize,
    nPositions,
    nEmbd,
    nLayer,
    nHead,
    nInner,
    eps: epsilon(o, 'layer_norm_epsilon'),
    tied: optBool(o, 'tie_word_embeddings', true),
    activation: 'relu',
    positionOffset: 2,
    bosTokenId: optTokenId(o, 'bos_token_id', vocabSize),
    eosTokenId: optTokenId(o, 'eos_token_id', vocabSize),
  };
}

/** Like parseConfig, but also returns notes about approximations made. */
export function parseConfigWithNotes(json: unknown): ParsedConfig {
  if (!isPlainObject(json)) throw err(`must be a JSON object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`);
  const mt = json.model_type;
  const notes: string[] = [];
  if (mt === undefined) throw err('missing required key "model_type" (expected "gpt2" or "opt")');
  if (mt === 'gpt2') return { config: parseGpt2(json, notes), notes };
  if (mt === 'opt') return { config: parseOpt(json), notes };
  throw err(`model_type ${JSON.stringify(mt)} is not supported (expected "gpt2" or "opt")`);
}

/** HF config.json (already JSON-parsed) → validated ModelConfig. Throws ModelFileError('config.json', …). */
export function parseConfig(json: unknown): ModelConfig {
  return parseConfigWithNotes(json).config;
}

/** Text or bytes of config.json → ModelConfig (JSON syntax errors reported as ModelFileError). */
export function parseConfigText(text: string | ArrayBuffer | Uint8Array): ModelConfig {
  let s: string;
  try {
    s = typeof text === 'string' ? text : new TextDecoder('utf-8', { fatal: true }).decode(text);
  } catch {
    throw err('is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(s);
  } catch (e) {
    throw err(`is not valid JSON (${(e as Error).message})`);
  }
  return parseConfig(json);
}

// ---------------------------------------------------------------- tensors

/** Canonical name → required shape, for the given config (lm_head only when untied). */
export function expectedTensorShapes(config: ModelConfig): Map<string, number[]> {
  const { vocabSize: V, nEmbd: D, nInner: I, nPositions: P, nLayer: L } = config;
  const m = new Map<string, number[]>();
  if (config.arch === 'gpt2') {
    m.set('wte', [V, D]);
    m.set('wpe', [P, D]);
    for (let i = 0; i < L; i++) {
      const h = `h.${i}.`;
      m.set(h + 'ln_1.weight', [D]);
      m.set(h + 'ln_1.bias', [D]);
      m.set(h + 'attn.c_attn.weight', [D, 3 * D]);
      m.set(h + 'attn.c_attn.bias', [3 * D]);
      m.set(h + 'attn.c_proj.weight', [D, D]);
      m.set(h + 'attn.c_proj.bias', [D]);
      m.set(h + 'ln_2.weight', [D]);
      m.set(h + 'ln_2.bias', [D]);
      m.set(h + 'mlp.c_fc.weight', [D, I]);
      m.set(h + 'mlp.c_fc.bias', [I]);
      m.set(h + 'mlp.c_proj.weight', [I, D]);
      m.set(h + 'mlp.c_proj.bias', [D]);
    }
    m.set('ln_f.weight', [D]);
    m.set('ln_f.bias', [D]);
  } else {
    m.set('embed_tokens', [V, D]);
    m.set('embed_positions', [P + config.positionOffset, D]);
    for (let i = 0; i < L; i++) {
      const l = `layers.${i}.`;
      for (const p of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) {
        m.set(`${l}self_attn.${p}.weight`, [D, D]);
        m.set(`${l}self_attn.${p}.bias`, [D]);
      }
      m.set(l + 'self_attn_layer_norm.weight', [D]);
      m.set(l + 'self_attn_layer_norm.bias', [D]);
      m.set(l + 'fc1.weight', [I, D]);
      m.set(l + 'fc1.bias', [I]);
      m.set(l + 'fc2.weight', [D, I]);
      m.set(l + 'fc2.bias', [D]);
      m.set(l + 'final_layer_norm.weight', [D]);
      m.set(l + 'final_layer_norm.bias', [D]);
    }
    m.set('final_layer_norm.weight', [D]);
    m.set('final_layer_norm.bias', [D]);
  }
  if (!config.tied) m.set('lm_head.weight', [V, D]);
  return m;
}

type EntrySource = { entries: Map<string, TensorEntry> };

/** Actual entry name → canonical name for GPT-2 ('transformer.' prefix optional), or null if not a GPT-2 weight name. */
export function canonicalGpt2Name(actual: string): string | null {
  if (actual === 'lm_head.weight') return actual;
  const n = actual.startsWith('transformer.') ? actual.slice('transformer.'.length) : actual;
  if (n === 'wte.weight') return 'wte';
  if (n === 'wpe.weight') return 'wpe';
  if (/^(h\.\d+\.|ln_f\.)/.test(n)) return n;
  return null;
}

/** Actual entry name → canonical name for OPT ('model.decoder.' or 'decoder.' prefix), or null. */
export function canonicalOptName(actual: string): string | null {
  if (actual === 'lm_head.weight') return actual;
  let n: string;
  if (actual.startsWith('model.decoder.')) n = actual.slice('model.decoder.'.length);
  else if (actual.startsWith('decoder.')) n = actual.slice('decoder.'.length);
  else return null;
  if (n === 'embed_tokens.weight') return 'embed_tokens';
  if (n === 'embed_positions.weight') return 'embed_positions';
  return n;
}

/** Actual entry name → canonical name for the architecture, or null if it is not a weight of that layout. */
export function normaliseTensorName(actual: string, arch: Arch): string | null {
  return arch === 'gpt2' ? canonicalGpt2Name(actual) : canonicalOptName(actual);
}

function canonicalMap(file: EntrySource, f: (a: string) => string | null): Map<string, string> {
  const m = new Map<string, string>();
  for (const name of file.entries.keys()) {
    const c = f(name);
    if (c === null) continue;
    const prev = m.get(c);
    if (prev !== undefined) {
      throw new ModelFileError(WEIGHTS_FILE, `tensors '${prev}' and '${name}' both provide '${c}'; ambiguous`);
    }
    m.set(c, name);
  }
  return m;
}

/**
 * Map canonical GPT-2 name → actual entry name in `file` (e.g. 'wte' →
 * 'transformer.wte.weight'). Includes every GPT-2-looking tensor present;
 * buffers such as 'h.0.attn.bias' / 'h.0.attn.masked_bias' map too but are
 * never required. Throws if two entries claim the same canonical name.
 */
export function canonicalGpt2Names(file: EntrySource): Map<string, string> {
  return canonicalMap(file, canonicalGpt2Name);
}

/** Map canonical OPT name → actual entry name ('model.decoder.*' or 'decoder.*'). */
export function canonicalOptNames(file: EntrySource): Map<string, string> {
  return canonicalMap(file, canonicalOptName);
}

/** canonicalGpt2Names or canonicalOptNames, by architecture. */
export function canonicalNames(file: EntrySource, arch: Arch): Map<string, string> {
  return arch === 'gpt2' ? canonicalGpt2Names(file) : canonicalOptNames(file);
}

const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const fmt = (s: number[]) => `[${s.join(', ')}]`;

/**
 * Checks that `file` holds every tensor the config needs, with the right
 * shape; extra tensors (attention-mask buffers etc.) are ignored, but a layer
 * index ≥ n_layer is an error (config and weights disagree). Throws
 * ModelFileError('model.safetensors', …) naming the first problem.
 * Accepts a full SafetensorsFile or just its header ({ entries }).
 */
export function checkTensorsAgainstConfig(file: EntrySource, config: ModelConfig): void {
  const names = canonicalNames(file, config.arch);
  if (names.size === 0) {
    const first = [...file.entries.keys()].slice(0, 3).map((n) => `'${n}'`).join(', ');
    throw new ModelFileError(
      WEIGHTS_FILE,
      `no ${config.arch === 'gpt2' ? 'GPT-2' : 'OPT'} weights found (tensor names start ${first || '(none)'}); wrong model_type?`,
    );
  }
  const expected = expectedTensorShapes(config);
  for (const [canon, shape] of expected) {
    const actual = names.get(canon);
    if (actual === undefined) {
      if (canon === 'lm_head.weight') {
        throw new ModelFileError(
          WEIGHTS_FILE,
          'config says tie_word_embeddings: false but the file has no lm_head.weight (the unembedding)',
        );
      }
      throw new ModelFileError(WEIGHTS_FILE, `missing tensor '${canon}' (expected shape ${fmt(shape)})`);
    }
    const got = file.entries.get(actual)!.shape;
    if (!sameShape(got, shape)) {
      const transposed = got.length === 2 && shape.length === 2 && got[0] === shape[1] && got[1] === shape[0];
      throw new ModelFileError(
        WEIGHTS_FILE,
        `tensor '${actual}' has shape ${fmt(got)} but the config needs ${fmt(shape)}` +
          (transposed ? ' (transposed? GPT-2 Conv1D weights are [in, out], OPT Linear weights [out, in])' : ''),
      );
    }
  }
  // lm_head present while tied: allowed if it has the right shape (the runtime uses wte).
  const lm = names.get('lm_head.weight');
  if (lm !== undefined && config.tied) {
    const got = file.entries.get(lm)!.shape;
    const need = [config.vocabSize, config.nEmbd];
    if (!sameShape(got, need)) {
      throw new ModelFileError(WEIGHTS_FILE, `tensor '${lm}' has shape ${fmt(got)} but the config needs ${fmt(need)}`);
    }
  }
  const layerRe = config.arch === 'gpt2' ? /^h\.(\d+)\./ : /^layers\.(\d+)\./;
  for (const canon of names.keys()) {
    const m = layerRe.exec(canon);
    if (m && Number(m[1]) >= config.nLayer) {
      throw new ModelFileError(
        WEIGHTS_FILE,
        `tensor '${names.get(canon)}' belongs to layer ${m[1]} but the config has only ${config.nLayer} layers`,
      );
    }
  }
}

/** Number of parameters the config implies (lm_head counted only when untied). */
export function countParameters(config: ModelConfig): number {
  let n = 0;
  for (const s of expectedTensorShapes(config).values()) n += s.reduce((a, b) => a * b, 1);
  return n;
}

/**
 * Bytes of weights the runtime will hold for this config in float32
 * (parameters × 4), for memory warnings and loading bars. Pass
 * bytesPerParam = 2 for the on-disk size of an F16/BF16 file.
 */
export function estimateModelBytes(config: ModelConfig, bytesPerParam = 4): number {
  return countParameters(config) * bytesPerParam;
}
