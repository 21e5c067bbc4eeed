/** Validation helpers shared by the families' config parsers; every message names the key. */
import { ModelFileError } from '../formats';

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

/** A LinearSource in one line. */
export const lin = (weight: string, layout: 'io' | 'oi', inDim: number, outDim: number, bias: string | null) => ({
  weight,
  layout,
  inDim,
  outDim,
  bias,
});
