/**
 * Shared types of the model runtime. Plain data only: no tfjs, no React.
 * Everything that crosses the worker boundary is one of these shapes, with
 * Float32Array / Int32Array payloads (transferred, not copied).
 *
 * Shape notation in comments: T = tokens in the prompt, D = n_embd,
 * V = vocab_size, L = n_layer, P = n_positions.
 */

export type Arch = 'gpt2' | 'opt';

/** Normalised model configuration (from HF config.json, validated). */
export interface ModelConfig {
  arch: Arch;
  vocabSize: number; // V
  nPositions: number; // P (max context)
  nEmbd: number; // D
  nLayer: number; // L
  nHead: number;
  nInner: number; // MLP hidden width (4D for GPT-2)
  eps: number; // LayerNorm epsilon
  tied: boolean; // W_U = W_E^T ?
  activation: 'gelu_new' | 'relu';
  /** OPT adds 2 to position ids before the positional lookup; GPT-2 0. */
  positionOffset: number;
  bosTokenId: number | null;
  eosTokenId: number | null;
}

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Human-readable reason it was chosen or why we fell back. */
  note: string;
  /** e.g. 'swiftshader' for a software WebGPU adapter. */
  adapter?: string;
}

/** What a loaded model looks like to the page. */
export interface ModelInfo {
  /** Stable key, used in the URL: 'tiny-tied', 'tiny-untied', or a checkpoint key. */
  key: string;
  label: string;
  config: ModelConfig;
  parameterCount: number;
  /** Bytes of weights as stored (for the prose / loading bar). */
  weightBytes: number;
}

/** Per-(layer,position) top-k read through the final LayerNorm and W_U (logit lens). */
export interface LogitLens {
  k: number;
  /** [(L+1), T, k] token ids, best first. Row l = residual entering block l; row L = after the last block. */
  topIds: Int32Array;
  /** [(L+1), T, k] probabilities at T=1. */
  topProbs: Float32Array;
}

/**
 * The one result shape every figure reads. Row-major flat arrays.
 */
export interface ForwardResult {
  /** Sequence number of the request that produced it (stale results are dropped). */
  seq: number;
  modelKey: string;
  ids: Int32Array; // [T]
  T: number;
  D: number;
  V: number;
  L: number;
  tokEmb: Float32Array; // [T, D]   W_E[id_t]
  posEmb: Float32Array; // [T, D]   W_pos[t (+offset)]
  /** [L+1, T, D]: residuals[0] = tokEmb + posEmb (entering block 0); residuals[l+1] = leaving block l. */
  residuals: Float32Array;
  lnFinal: Float32Array; // [T, D]   final LayerNorm output (with gain and bias)
  /** [T, V] logits (only the last position when lastOnly was requested: then [1, V]). */
  logits: Float32Array;
  logitsRows: number;
  lens: LogitLens;
  /** Milliseconds the forward pass took inside the worker. */
  ms: number;
}

/** Named weight matrices a figure may ask for (copied out once per model, cached by the client). */
export type MatrixName =
  | 'wte' // [V, D] token embedding W_E
  | 'wpe' // [P, D] positional embedding
  | 'wu' // [V, D] unembedding rows u_i (== wte when tied)
  | 'ln_f.weight' // [D]
  | 'ln_f.bias'; // [D]

export interface Matrix {
  name: MatrixName;
  rows: number;
  cols: number;
  data: Float32Array;
}

export interface GenerateOptions {
  temperature: number; // 0 = argmax
  maxNewTokens: number;
  useCache: boolean;
  seed: number;
}

export interface GenerateStep {
  id: number;
  /** ms for this token */
  ms: number;
}

export interface GenerateStats {
  tokens: number;
  ms: number;
  tokensPerSecond: number;
  stopped: boolean;
  /** Stopped because another model started loading (the page must say so rather than show it as a normal stop). */
  switched?: boolean;
}

export interface LoadProgress {
  loaded: number;
  total: number;
  phase: 'download' | 'parse' | 'upload' | 'ready';
}
