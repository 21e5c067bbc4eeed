/**
 * HF config.json → ModelConfig, plus the checks that tie a safetensors file to
 * its config, and canonical tensor names the runtime looks weights up by.
 *
 * Every family (GPT-2, OPT, GPT-NeoX, Llama, GPT-Neo) is one entry of the
 * architecture table in families/: its config keys, canonical tensor names and
 * expected shapes are documented and implemented there; this file only walks
 * the table.
 *
 * Pure TypeScript, no tfjs.
 */
import { ModelFileError, type TensorEntry } from './formats';
import type { Arch, ModelConfig } from './types';
import { familyForModelType, familyOf, SUPPORTED_MODEL_TYPES } from './families';
import type { LinearSource, ModelLayout } from './families';
import { err } from './families/parse';
import { isFloatDtype, unsupportedDtypeMessage } from './safetensors';

export { CONFIG_LIMITS } from './families/parse';

const WEIGHTS_FILE = 'model.safetensors';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Notes about lossy choices made while reading a config (e.g. exact GELU run as tanh GELU). */
export interface ParsedConfig {
  config: ModelConfig;
  notes: string[];
}

/** Like parseConfig, but also returns notes about approximations made. */
export function parseConfigWithNotes(json: unknown): ParsedConfig {
  if (!isPlainObject(json))
    throw err(`must be a JSON object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`);
  const mt = json.model_type;
  const notes: string[] = [];
  if (mt === undefined) throw err(`missing required key "model_type" (expected ${SUPPORTED_MODEL_TYPES})`);
  const family = typeof mt === 'string' ? familyForModelType(mt) : undefined;
  if (!family) throw err(`model_type ${JSON.stringify(mt)} is not supported (expected ${SUPPORTED_MODEL_TYPES})`);
  return { config: family.parseConfig(json, { notes }), notes };
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

/** The stored shape of a linear's weight. */
const linearShape = (l: LinearSource): number[] => (l.layout === 'io' ? [l.inDim, l.outDim] : [l.outDim, l.inDim]);

/** Every tensor a layout reads: canonical name → shape (the head only when untied). */
export function layoutShapes(layout: ModelLayout, config: ModelConfig): Map<string, number[]> {
  const { vocabSize: V, nEmbd: D } = config;
  const m = new Map<string, number[]>();
  const norm = (n: { weight: string; bias: string | null }) => {
    m.set(n.weight, [D]);
    if (n.bias) m.set(n.bias, [D]);
  };
  const linear = (l: LinearSource) => {
    m.set(l.weight, linearShape(l));
    if (l.bias) m.set(l.bias, [l.outDim]);
  };
  m.set(layout.wte, [V, D]);
  if (layout.wpe) m.set(layout.wpe.name, [layout.wpe.rows, D]);
  for (const b of layout.blocks) {
    norm(b.ln1);
    if (b.qkv.kind === 'separate') {
      linear(b.qkv.q);
      linear(b.qkv.k);
      linear(b.qkv.v);
    } else linear(b.qkv.lin);
    linear(b.o);
    norm(b.ln2);
    if (b.gate) linear(b.gate);
    linear(b.up);
    linear(b.down);
  }
  norm(layout.lnF);
  if (!config.tied) m.set(layout.head, [V, D]);
  return m;
}

/** Canonical name → required shape, for the given config (the unembedding only when untied). */
export function expectedTensorShapes(config: ModelConfig): Map<string, number[]> {
  return layoutShapes(familyOf(config.arch).layout(config), config);
}

type EntrySource = { entries: Map<string, TensorEntry> };

/** Actual entry name → canonical name for GPT-2 ('transformer.' prefix optional), or null if not a GPT-2 weight name. */
export function canonicalGpt2Name(actual: string): string | null {
  return familyOf('gpt2').canonicalName(actual);
}

/** Actual entry name → canonical name for OPT ('model.decoder.' or 'decoder.' prefix), or null. */
export function canonicalOptName(actual: string): string | null {
  return familyOf('opt').canonicalName(actual);
}

/** Actual entry name → canonical name for the architecture, or null if it is not a weight of that layout. */
export function normaliseTensorName(actual: string, arch: Arch): string | null {
  return familyOf(arch).canonicalName(actual);
}

/** Canonical name → actual name over a list of names; throws if two names claim one canonical name. */
export function canonicalMapOfNames(names: Iterable<string>, f: (a: string) => string | null): Map<string, string> {
  const m = new Map<string, string>();
  for (const name of names) {
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

function canonicalMap(file: EntrySource, f: (a: string) => string | null): Map<string, string> {
  return canonicalMapOfNames(file.entries.keys(), f);
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

/** Canonical name → actual entry name for the architecture's family. */
export function canonicalNames(file: EntrySource, arch: Arch): Map<string, string> {
  const family = familyOf(arch);
  return canonicalMap(file, (a) => family.canonicalName(a));
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
  const family = familyOf(config.arch);
  const names = canonicalNames(file, config.arch);
  if (names.size === 0) {
    const first = [...file.entries.keys()]
      .slice(0, 3)
      .map((n) => `'${n}'`)
      .join(', ');
    throw new ModelFileError(WEIGHTS_FILE, `no ${family.label} weights found (tensor names start ${first || '(none)'}); wrong model_type?`);
  }
  const why = family.unsupported?.(new Set(file.entries.keys()));
  if (why) throw new ModelFileError(WEIGHTS_FILE, why);
  const layout = family.layout(config);
  const expected = layoutShapes(layout, config);
  for (const [canon, shape] of expected) {
    const actual = names.get(canon);
    if (actual === undefined) {
      if (canon === layout.head && !config.tied) {
        throw new ModelFileError(
          WEIGHTS_FILE,
          `config says tie_word_embeddings: false but the file has no ${layout.head} (the unembedding)`,
        );
      }
      throw new ModelFileError(WEIGHTS_FILE, `missing tensor '${canon}' (expected shape ${fmt(shape)})`);
    }
    const entry = file.entries.get(actual)!;
    if (!isFloatDtype(entry.dtype)) throw new ModelFileError(WEIGHTS_FILE, unsupportedDtypeMessage(actual, entry.dtype));
    const got = entry.shape;
    if (!sameShape(got, shape)) {
      const transposed = got.length === 2 && shape.length === 2 && got[0] === shape[1] && got[1] === shape[0];
      throw new ModelFileError(
        WEIGHTS_FILE,
        `tensor '${actual}' has shape ${fmt(got)} but the config needs ${fmt(shape)}` +
          (transposed ? ` (transposed? ${family.storageHint})` : ''),
      );
    }
  }
  // the head present while tied: allowed if it has the right shape (the runtime uses wte).
  const lm = names.get(layout.head);
  if (lm !== undefined && config.tied) {
    const got = file.entries.get(lm)!.shape;
    const need = [config.vocabSize, config.nEmbd];
    if (!sameShape(got, need)) {
      throw new ModelFileError(WEIGHTS_FILE, `tensor '${lm}' has shape ${fmt(got)} but the config needs ${fmt(need)}`);
    }
  }
  const layerRe = family.layerPattern;
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

/** Number of parameters the config implies (the unembedding counted only when untied). */
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
