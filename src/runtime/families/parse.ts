/** Helpers shared by the families' config parsers: validation (every message names the key), the sizes, and the ModelConfig defaults. */
import { ModelFileError } from '../formats';
import type { ModelConfig } from '../types';

export const CONFIG_FILE = 'config.json';

/** Upper bounds on sizes we accept (anything larger is a typo or not a browser model). */
export const CONFIG_LIMITS = {
  vocabSize: 300_000,
  nEmbd: 8192,
  nLayer: 96,
  nHead: 256,
  nPositions: 32768,
  nInner: 65536,
} as const;

export function err(message: string): ModelFileError {
  return new ModelFileError(CONFIG_FILE, message);
}

/** A required positive integer ≤ max; the message names the key. */
export function posInt(o: Record<string, unknown>, key: string, max: number, fallbackKey?: string): number {
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

/** An optional positive integer (null/absent → dflt). */
export function optPosInt(o: Record<string, unknown>, key: string, max: number, dflt: number): number {
  return o[key] === undefined || o[key] === null ? dflt : posInt(o, key, max);
}

export function optBool(o: Record<string, unknown>, key: string, dflt: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw err(`"${key}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

export function optTokenId(o: Record<string, unknown>, key: string, vocab: number): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= vocab) {
    throw err(`"${key}" must be a token id in [0, ${vocab}), got ${JSON.stringify(v)}`);
  }
  return v;
}

export function epsilon(o: Record<string, unknown>, key: string, dflt = 1e-5): number {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 0.1) {
    throw err(`"${key}" must be a number in (0, 0.1], got ${JSON.stringify(v)}`);
  }
  return v;
}

/** An optional finite number in [lo, hi] (lo exclusive when loOpen). */
export function optNumber(o: Record<string, unknown>, key: string, dflt: number, lo: number, hi: number, loOpen = false): number {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v > hi || v < lo || (loOpen && v === lo)) {
    throw err(`"${key}" must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${JSON.stringify(v)}`);
  }
  return v;
}

export function headsDivide(d: number, h: number, dKey: string, hKey: string): void {
  if (h > d) throw err(`"${hKey}" (${h}) cannot exceed "${dKey}" (${d})`);
  if (d % h !== 0) throw err(`"${dKey}" (${d}) must be divisible by "${hKey}" (${h})`);
}

/** Per-layer attention window list for a model whose every layer is global. */
export const allGlobal = (L: number): number[] => new Array<number>(L).fill(0);

/** The sizes every family reads from its config. */
export type Sizes = Pick<ModelConfig, 'vocabSize' | 'nPositions' | 'nEmbd' | 'nLayer' | 'nHead' | 'nInner'>;

/** The config.json keys a family gives its sizes. */
export interface SizeKeys {
  nEmbd: string;
  nLayer: string;
  nHead: string;
  nPositions: string;
  /** Read for nPositions when that key is absent (GPT-2's n_ctx). */
  nPositionsFallback?: string;
  vocabSize: string;
  nInner: string;
  /** true: the MLP width may be absent, and is then 4·D. */
  nInnerOptional?: boolean;
}

/** The size keys of most Hugging Face configs (PretrainedConfig's standard attribute names). */
export const HF_SIZE_KEYS = {
  nEmbd: 'hidden_size',
  nLayer: 'num_hidden_layers',
  nHead: 'num_attention_heads',
  nPositions: 'max_position_embeddings',
  vocabSize: 'vocab_size',
} as const;

/**
 * Reads and validates the sizes in this order (the first bad key is the one reported):
 * D, L, H, P, V, a required MLP width, H dividing D, then an optional MLP width.
 */
export function readSizes(o: Record<string, unknown>, k: SizeKeys): Sizes {
  const nEmbd = posInt(o, k.nEmbd, CONFIG_LIMITS.nEmbd);
  const nLayer = posInt(o, k.nLayer, CONFIG_LIMITS.nLayer);
  const nHead = posInt(o, k.nHead, CONFIG_LIMITS.nHead);
  const nPositions = posInt(o, k.nPositions, CONFIG_LIMITS.nPositions, k.nPositionsFallback);
  const vocabSize = posInt(o, k.vocabSize, CONFIG_LIMITS.vocabSize);
  const requiredInner = k.nInnerOptional ? 0 : posInt(o, k.nInner, CONFIG_LIMITS.nInner);
  headsDivide(nEmbd, nHead, k.nEmbd, k.nHead);
  const nInner = k.nInnerOptional ? optPosInt(o, k.nInner, CONFIG_LIMITS.nInner, 4 * nEmbd) : requiredInner;
  return { vocabSize, nPositions, nEmbd, nLayer, nHead, nInner };
}

/** bos_token_id and eos_token_id: token ids below vocab, or null when absent. */
export const tokenIds = (o: Record<string, unknown>, vocab: number): Pick<ModelConfig, 'bosTokenId' | 'eosTokenId'> => ({
  bosTokenId: optTokenId(o, 'bos_token_id', vocab),
  eosTokenId: optTokenId(o, 'eos_token_id', vocab),
});

/** What every family states in its ModelConfig; any other field it sets replaces a default of modelConfig. */
export type FamilyConfig = Pick<ModelConfig, 'arch' | 'eps' | 'tied' | 'activation' | 'bosTokenId' | 'eosTokenId'> &
  Partial<Omit<ModelConfig, keyof Sizes>>;

/**
 * A family's ModelConfig: its sizes and stated fields, the rest defaulting to no position offset,
 * LayerNorm, a learned positional table, the sequential residual, one key/value head per query head,
 * scores scaled by 1/sqrt(head dim) and every layer global.
 */
export function modelConfig(s: Sizes, own: FamilyConfig): ModelConfig {
  const { arch, eps, tied, activation, bosTokenId, eosTokenId, ...rest } = own;
  return {
    arch,
    vocabSize: s.vocabSize,
    nPositions: s.nPositions,
    nEmbd: s.nEmbd,
    nLayer: s.nLayer,
    nHead: s.nHead,
    nInner: s.nInner,
    eps,
    tied,
    activation,
    positionOffset: 0,
    bosTokenId,
    eosTokenId,
    norm: 'layernorm',
    positions: 'learned',
    rotaryDims: 0,
    rotaryBase: 0,
    parallelResidual: false,
    nKvHead: s.nHead,
    attnScale: 1 / Math.sqrt(s.nEmbd / s.nHead),
    attnWindows: allGlobal(s.nLayer),
    ...rest,
  };
}
