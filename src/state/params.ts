/**
 * One declarative table drives the URL state (in the manner of TensorFlow
 * Playground's state.ts). Every parameter a reader can change and share is
 * listed here with its type, default and clamp. Values from the URL are
 * untrusted: `parseParams` clamps numbers, ignores NaN/Infinity, caps string
 * length, and falls back to defaults; nothing from the URL is ever HTML.
 *
 * Figures add their own parameters to their chapter's section below.
 */

export const DEFAULT_PROMPT = 'When Mary and John went to the store, John gave a drink to';

export type ParamSpec =
  | { kind: 'string'; default: string; maxLength: number; pattern?: RegExp }
  | { kind: 'number'; default: number; min: number; max: number; integer?: boolean }
  | { kind: 'boolean'; default: boolean }
  | { kind: 'enum'; default: string; values: readonly string[] };

export const PARAMS = {
  // ---- shared by every chapter -------------------------------------------
  /** The prompt shared by every chapter. */
  prompt: { kind: 'string', default: DEFAULT_PROMPT, maxLength: 4000 },
  /** Active model key: a bundled model or a loaded checkpoint. */
  model: { kind: 'string', default: 'tiny-tied', maxLength: 64, pattern: /^[a-z0-9][a-z0-9._-]{0,63}$/i },
  backend: { kind: 'enum', default: 'auto', values: ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] },
  /** Sampling / softmax temperature, shared by chapters 5, 7 and 9. */
  temp: { kind: 'number', default: 1, min: 0, max: 100 },

  // ---- chapters 0–5 (part 1) ---------------------------------------------
  // (figure parameters for chapters 0–5 go here)
  /** Ch. 0: the two vectors a and b in the plane. */
  cl_ax: { kind: 'number', default: 2.2, min: -4, max: 4 },
  cl_ay: { kind: 'number', default: 0.8, min: -4, max: 4 },
  cl_bx: { kind: 'number', default: 1, min: -4, max: 4 },
  cl_by: { kind: 'number', default: 1.8, min: -4, max: 4 },
  /** Ch. 1: the reader's own word in the case/space grid. */
  tk_word: { kind: 'string', default: 'drink', maxLength: 40 },
  /** Ch. 2: the token picked for the embedding row and the round trip (as text). */
  emb_tok: { kind: 'string', default: ' John', maxLength: 40 },
  /** Ch. 2b: how to go back from the vector to the vocabulary. */
  rt_mode: { kind: 'enum', default: 'transpose', values: ['transpose', 'normalized', 'pinv'] },
  /** Ch. 2c: which matrix's row norms, and the brushed range (lo = hi = 0: none). */
  nh_mat: { kind: 'enum', default: 'wte', values: ['wte', 'wu'] },
  nh_lo: { kind: 'number', default: 0, min: 0, max: 1e4 },
  nh_hi: { kind: 'number', default: 0, min: 0, max: 1e4 },
  /** Ch. 4a: the factor that scales the residual vector (log10 of it). */
  ln_scale: { kind: 'number', default: 0, min: -1, max: 2 },
  /** Ch. 4a/4b: the layer whose residual vector is scaled (0 = entering block 0). */
  ln_layer: { kind: 'number', default: 2, min: 0, max: 96, integer: true },
  /** Ch. 4b: highlighted position in the residual-norm chart (−1 = the last). */
  rn_pos: { kind: 'number', default: -1, min: -1, max: 4096, integer: true },
  /** Ch. 5c: the factor α that scales x (log10 of it), and whether it drives the temperature. */
  ut_alpha: { kind: 'number', default: 0, min: -1.5, max: 1.5 },
  ut_link: { kind: 'boolean', default: true },

  // ---- chapters 6–10 (part 2) --------------------------------------------
  // (figure parameters for chapters 6–10 go here)
  /** Ch. 6a: how many tokens each of the three rankings lists. */
  rk_k: { kind: 'number', default: 8, min: 3, max: 20, integer: true },
  /** Ch. 6a: the length of x used for the distance column, as log10 of a multiple of the median row length |u_i|. */
  rk_len: { kind: 'number', default: 0, min: -1, max: 2.5 },
  /** Ch. 6b: the two token directions spanning the plane (typed as text), centring, and raw vs read-out vectors. */
  hs_a: { kind: 'string', default: ' Mary', maxLength: 40 },
  hs_b: { kind: 'string', default: ' John', maxLength: 40 },
  hs_centre: { kind: 'boolean', default: false },
  hs_raw: { kind: 'boolean', default: false },
  /** Ch. 6c: the selected logit-lens cell (−1 = the last layer / position). */
  ll_layer: { kind: 'number', default: -1, min: -1, max: 96, integer: true },
  ll_pos: { kind: 'number', default: -1, min: -1, max: 4096, integer: true },
  /** Ch. 6d/6e: the selected head (−1 = the head with the largest contribution) and the query row of the enlarged pattern (−1 = the last). */
  ap_l: { kind: 'number', default: -1, min: -1, max: 96, integer: true },
  ap_h: { kind: 'number', default: -1, min: -1, max: 128, integer: true },
  ap_q: { kind: 'number', default: -1, min: -1, max: 4096, integer: true },
  /** Ch. 7: the toy vector's length and angle (degrees), and the length of the long " gold" row. */
  sz_len: { kind: 'number', default: 1.5, min: 0, max: 4 },
  sz_ang: { kind: 'number', default: 80, min: -180, max: 180 },
  sz_gold: { kind: 'number', default: 1.8, min: 0.5, max: 3 },
  /** Ch. 8: the token whose direct path (no blocks) is shown. */
  tu_tok: { kind: 'string', default: ' the', maxLength: 40 },
  /** Ch. 9: how many tokens to generate and the sampling seed. */
  gen_n: { kind: 'number', default: 24, min: 1, max: 200, integer: true },
  gen_seed: { kind: 'number', default: 1, min: 0, max: 1e9, integer: true },
  /** Ch. 11 (training lab): the switch that differs between the two models, the shared switches, and the seed. */
  tl_diff: { kind: 'enum', default: 'ln', values: ['ln', 'tied', 'scale'] },
  tl_ln: { kind: 'boolean', default: true },
  tl_tied: { kind: 'boolean', default: true },
  tl_scale: { kind: 'boolean', default: false },
  tl_seed: { kind: 'number', default: 1, min: 0, max: 1e6, integer: true },
} as const satisfies Record<string, ParamSpec>;

export type ParamName = keyof typeof PARAMS;
type ValueOf<S> = S extends { kind: 'number' } ? number : S extends { kind: 'boolean' } ? boolean : string;
export type AppState = { [K in ParamName]: ValueOf<(typeof PARAMS)[K]> };

export function defaults(): AppState {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(PARAMS)) out[k] = spec.default;
  return out as AppState;
}

/** Parses one untrusted value; returns undefined when it should be ignored. */
export function parseValue(spec: ParamSpec, raw: string): string | number | boolean | undefined {
  switch (spec.kind) {
    case 'string': {
      const s = raw.slice(0, spec.maxLength);
      if (spec.pattern && !spec.pattern.test(s)) return undefined;
      return s;
    }
    case 'number': {
      // An empty value (`?temp=`) means "not given", not 0 (Number('') is 0).
      if (raw.length > 32 || raw.trim() === '') return undefined;
      const x = Number(raw);
      if (!Number.isFinite(x)) return undefined;
      const c = Math.min(spec.max, Math.max(spec.min, x));
      return spec.integer ? Math.round(c) : c;
    }
    case 'boolean':
      if (raw === '1' || raw === 'true') return true;
      if (raw === '0' || raw === 'false') return false;
      return undefined;
    case 'enum':
      return spec.values.includes(raw) ? raw : undefined;
  }
}

/** URL query string → full state (defaults for anything missing or invalid). */
export function parseParams(search: string): AppState {
  return readParams(search).state;
}

export interface ParsedParams {
  state: AppState;
  /** String parameters that were longer than their cap and were cut, with the length they had (in characters). */
  cut: Partial<Record<ParamName, number>>;
}

/** parseParams, also saying which string parameters had to be cut (the page tells the reader about the prompt). */
export function readParams(search: string): ParsedParams {
  const state = defaults() as Record<string, unknown>;
  const cut: Partial<Record<ParamName, number>> = {};
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(search.length > 100_000 ? search.slice(0, 100_000) : search);
  } catch {
    return { state: state as AppState, cut };
  }
  for (const [k, spec] of Object.entries(PARAMS) as [ParamName, ParamSpec][]) {
    const raw = q.get(k);
    if (raw === null) continue;
    const v = parseValue(spec, raw);
    if (v === undefined) continue;
    state[k] = v;
    if (spec.kind === 'string' && raw.length > spec.maxLength) cut[k] = raw.length;
  }
  return { state: state as AppState, cut };
}

function formatValue(v: unknown): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(Math.round(v * 1e6) / 1e6);
  return String(v);
}

/** State → query string holding only the values that differ from the defaults. */
export function serializeParams(state: AppState): string {
  const q = new URLSearchParams();
  for (const [k, spec] of Object.entries(PARAMS) as [ParamName, ParamSpec][]) {
    const v = state[k];
    if (v !== spec.default) q.set(k, formatValue(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// ---- the URL-length rule -----------------------------------------------------

/**
 * The page never writes an address longer than this many bytes (origin, path,
 * query and fragment together, as sent on the wire). 8 KB is the smallest
 * request-line or header limit of common servers and CDNs (nginx's default
 * large_client_header_buffers is 8 KB; Apache's LimitRequestLine is 8,190).
 * Percent-encoding makes a CJK character 9 bytes, so a 4,000-character CJK
 * prompt (36 KB) does not fit.
 */
export const MAX_URL_BYTES = 8192;

export interface PageUrl {
  /** path + query + fragment to give history.replaceState */
  url: string;
  /** Bytes of the full address (origin included). */
  bytes: number;
  /** The prompt was left out of the address (it would have made it longer than MAX_URL_BYTES). */
  promptDropped: boolean;
  /** How long the address would have been with the prompt, in bytes (when dropped). */
  fullBytes: number;
}

/** UTF-8 bytes of a string (an address is ASCII once percent-encoded; the fragment may not be). */
function utf8Bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * The address the page writes for a state, under MAX_URL_BYTES: with every
 * parameter when it fits; else without the prompt; else (a fragment someone
 * typed is very long) without the prompt and the fragment.
 */
export function pageUrl(state: AppState, origin: string, pathname: string, hash: string, max = MAX_URL_BYTES): PageUrl {
  const full = `${pathname}${serializeParams(state)}${hash}`;
  const fullBytes = utf8Bytes(origin + full);
  if (fullBytes <= max) return { url: full, bytes: fullBytes, promptDropped: false, fullBytes };
  const noPrompt = serializeParams({ ...state, prompt: PARAMS.prompt.default });
  for (const url of [`${pathname}${noPrompt}${hash}`, `${pathname}${noPrompt}`, pathname]) {
    const bytes = utf8Bytes(origin + url);
    if (bytes <= max) return { url, bytes, promptDropped: true, fullBytes };
  }
  return { url: '/', bytes: utf8Bytes(origin + '/'), promptDropped: true, fullBytes };
}
