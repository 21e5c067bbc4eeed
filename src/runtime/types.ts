/**
 * Shared types of the model runtime. Plain data only: no tfjs, no React.
 * Everything that crosses the worker boundary is one of these shapes, with
 * Float32Array / Int32Array payloads (transferred, not copied).
 *
 * Shape notation in comments: T = tokens in the prompt, D = n_embd,
 * V = vocab_size, L = n_layer, P = n_positions.
 */

/** Model families (the config.json model_type); each is one module in families/. */
export type Arch = 'gpt2' | 'opt' | 'gpt_neox' | 'llama' | 'gpt_neo';

/** Normalised model configuration (from HF config.json, validated). */
export interface ModelConfig {
  arch: Arch;
  vocabSize: number; // V
  nPositions: number; // P (max context)
  nEmbd: number; // D
  nLayer: number; // L
  nHead: number;
  nInner: number; // MLP hidden width (4D for GPT-2)
  eps: number; // norm epsilon
  tied: boolean; // W_U = W_E^T ?
  /** MLP: act(x W_up) W_down; 'gelu' is the exact erf GELU, 'swiglu' is silu(x W_gate) ⊙ (x W_up) then W_down. */
  activation: 'gelu_new' | 'gelu' | 'relu' | 'swiglu';
  /** OPT adds 2 to position ids before the positional lookup; GPT-2 0. */
  positionOffset: number;
  bosTokenId: number | null;
  eosTokenId: number | null;
  /** LayerNorm (centre, scale, gain, bias) or RMSNorm (scale by the root mean square, gain; no centring, no bias). */
  norm: 'layernorm' | 'rmsnorm';
  /** A learned table W_pos added to the token embedding, or rotary positions applied to q and k inside attention. */
  positions: 'learned' | 'rotary';
  /** Rotary: dimensions of each head that rotate (from the first one; GPT-NeoX rotates a fraction), 0 when learned. */
  rotaryDims: number;
  /** Rotary: the frequency base θ (pair i turns by position · θ^(−2i/rotaryDims)); 0 when learned. */
  rotaryBase: number;
  /** GPT-NeoX: x + attn(ln1(x)) + mlp(ln2(x)) instead of the sequential residual. */
  parallelResidual: boolean;
  /** Key/value heads (grouped-query attention when < nHead). */
  nKvHead: number;
  /** Queries are multiplied by this before q·k: 1/sqrt(head dim), except GPT-Neo (1). */
  attnScale: number;
  /** Per layer: 0 = global causal attention, w > 0 = each query sees only the last w keys (GPT-Neo local layers). */
  attnWindows: number[];
  /** GPT-NeoX / Llama: q/k/v/o carry biases (attention_bias); absent = the family's default. */
  attnBias?: boolean;
  /** Llama: the MLP's linears carry biases (mlp_bias). */
  mlpBias?: boolean;
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

/**
 * The logit lens of one prompt, computed on demand (ModelApi.lens): every residual row l = 0..L
 * (row l enters block l; row L leaves the last block) read through ln_f and W_U, top-k per position.
 * The same numbers as ForwardResult.lens of forward(ids, { lensK: k }).
 */
export interface LensResult {
  /** Sequence number of the lens request (a newer one supersedes it). */
  seq: number;
  modelKey: string;
  ids: Int32Array; // [T]
  T: number;
  L: number;
  V: number;
  lens: LogitLens;
  /** Milliseconds from the start of the computation to its end in the worker (waits for other requests included). */
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

/**
 * What one component of the model wrote into the residual stream at one
 * position, and every head's attention pattern, from an 'inspect' request.
 * The residual stream at `pos` leaving the last block is exactly
 *   embed + Σ_l Σ_h heads[l, h] + Σ_l attnBias[l] + Σ_l mlps[l]
 * (up to float32 rounding), which is what makes direct logit attribution a sum.
 */
export interface InspectResult {
  seq: number;
  modelKey: string;
  ids: Int32Array; // [T]
  T: number;
  L: number;
  H: number;
  D: number;
  /** The position the per-component outputs are taken at (default T − 1). */
  pos: number;
  /**
   * Attention probabilities [L, H, R, T]: row r is query position attnRow0 + r.
   * Normally every query (attnRow0 = 0, R = T); for very long prompts only the row of `pos` (R = 1).
   */
  attn: Float32Array;
  attnRow0: number;
  attnRows: number;
  /** [L, H, D]: head h of block l at `pos`, z_h W_O[h] (its slice of the output projection, no bias). */
  heads: Float32Array;
  /** [L, D]: the attention output bias b_O of each block (added at every position). */
  attnBias: Float32Array;
  /** [L, D]: each block's MLP output at `pos` (with its output bias). */
  mlps: Float32Array;
  /** [D]: token + positional embedding at `pos`. */
  embed: Float32Array;
  /** [D]: the residual stream at `pos` leaving the last block (what the final LayerNorm reads). */
  resid: Float32Array;
  /** Final LayerNorm statistics of `resid` from this forward pass: its mean and 1 / sqrt(var + eps). */
  lnMean: number;
  lnScale: number;
  /** The final norm's kind: RMSNorm does not centre (lnMean is 0, and the contributions are not centred either). */
  norm: 'layernorm' | 'rmsnorm';
  /** Milliseconds the request took inside the worker. */
  ms: number;
}
