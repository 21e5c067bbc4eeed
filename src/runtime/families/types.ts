/**
 * The architecture table's entry type. One module per family (gpt2.ts, opt.ts,
 * gpt-neox.ts, llama.ts, gpt-neo.ts) says, in plain data:
 *  - which config.json keys it reads and how it validates them (parseConfig),
 *  - how the file's tensor names map to canonical names (canonicalName),
 *  - the tensors a config needs and how each is laid out for the runtime (layout),
 *  - its tokenizer defaults.
 * The computational choices (norm, positions, MLP, attention layout, tied or not)
 * end up in ModelConfig fields, which layers.ts reads; weights.ts and config.ts
 * walk the layout. Pure TypeScript, no tfjs.
 */
import type { Arch, ModelConfig } from '../types';

/**
 * One linear map y = x W + b with W read from the file as stored:
 * 'io' = [in, out] (HF Conv1D, GPT-2); 'oi' = [out, in] (nn.Linear), transposed once at load.
 */
export interface LinearSource {
  weight: string; // canonical name
  layout: 'io' | 'oi';
  inDim: number;
  outDim: number;
  /** Canonical name of the bias [out], or null (the runtime then uses zeros). */
  bias: string | null;
}

/** A norm's gain [D] and bias [D] (null for RMSNorm or a bias-free LayerNorm). */
export interface NormSource {
  weight: string;
  bias: string | null;
}

/**
 * q, k, v as the runtime wants them: one [D, 3D] matrix, columns q | k | v, each
 * head-major (head h owns columns h·hd … (h+1)·hd − 1 of its part).
 *  - 'fused' (GPT-2 c_attn): stored q | k | v already.
 *  - 'fused-per-head' (GPT-NeoX query_key_value): stored head by head, [q_h | k_h | v_h]
 *    for h = 0 … H−1; reordered to q | k | v at load.
 *  - 'separate' (OPT, Llama, GPT-Neo): three linears; with grouped-query attention
 *    k and v have nKvHead heads, and each is repeated for its H / nKvHead query heads at load.
 */
export type QkvSource =
  | { kind: 'fused'; lin: LinearSource }
  | { kind: 'fused-per-head'; lin: LinearSource }
  | { kind: 'separate'; q: LinearSource; k: LinearSource; v: LinearSource };

export interface BlockSource {
  ln1: NormSource; // before attention
  ln2: NormSource; // before the MLP
  qkv: QkvSource;
  o: LinearSource;
  /** The MLP's input projection; with SwiGLU, `gate` is set and the runtime computes silu(x W_gate) ⊙ (x W_up). */
  up: LinearSource;
  gate: LinearSource | null;
  down: LinearSource;
}

export interface ModelLayout {
  /** Token embedding [V, D]. */
  wte: string;
  /** Learned positional table [rows, D], or null (rotary positions). */
  wpe: { name: string; rows: number } | null;
  blocks: BlockSource[];
  lnF: NormSource;
  /** The unembedding [V, D] when untied (the file may also hold it when tied: then it is checked, not used). */
  head: string;
}

export interface ParseContext {
  notes: string[];
}

export interface Family {
  arch: Arch;
  /** For messages and the loader's summary: 'GPT-2', 'GPT-NeoX', … */
  label: string;
  /** The config.json model_type that selects this family. */
  modelType: string;
  /** config.json keys read (documentation; the malformed-config tests walk them). */
  configKeys: readonly string[];
  parseConfig(o: Record<string, unknown>, ctx: ParseContext): ModelConfig;
  /** The file's tensor name → canonical name, or null if it is not a weight of this layout. */
  canonicalName(actual: string): string | null;
  /** Matches a canonical per-layer name; group 1 is the layer index. */
  layerPattern: RegExp;
  layout(c: ModelConfig): ModelLayout;
  /** A tensor name that marks a variant this runtime does not compute, with the reason; null if fine. */
  unsupported?(names: ReadonlySet<string>): string | null;
  /** How weights are stored, for a "transposed?" hint. */
  storageHint: string;
  tokenizer: {
    /**
     * true: always prepend BOS (OPT's '</s>', as its tokenizer does); false: as the tokenizer.json's
     * post-processor says (GPT-2, Pythia, SmolLM2 and TinyStories add none).
     */
    addBos: boolean;
  };
}
