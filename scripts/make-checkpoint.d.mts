/** Types for scripts/make-checkpoint.mjs (random checkpoint folders of every family, HF layout). */
export interface MakeCheckpointOptions {
  out: string;
  shape?: 'tiny' | 'small' | 'gpt2-small';
  vocab?: number;
  d?: number;
  layers?: number;
  heads?: number;
  ctx?: number;
  inner?: number;
  dtype?: 'f16' | 'bf16' | 'f32';
  seed?: number;
  /** 'gpt2' (GPT-2's tokenizer.json), 'bytes' (257 tokens) or a path to a tokenizer.json. */
  tokenizer?: string;
  untied?: boolean;
  /** GPT-NeoX only: tie embed_out to embed_in (untied by default, as Pythia). */
  tied?: boolean;
  /** Default 'gpt2'. */
  family?: 'gpt2' | 'gpt_neox' | 'llama' | 'gpt_neo';
  /** Llama: num_key_value_heads (default heads/3 when divisible, else heads/2). */
  kvHeads?: number;
  /** Tensor-name prefix, e.g. 'transformer.' (default none, as in Hugging Face's gpt2 safetensors). */
  prefix?: string;
}
export interface MadeCheckpoint {
  out: string;
  config: Record<string, unknown>;
  parameters: number;
  files: Record<'config.json' | 'model.safetensors' | 'tokenizer.json', number>;
}
export const SHAPES: Record<'tiny' | 'small' | 'gpt2-small', { vocab: number; d: number; layers: number; heads: number; ctx: number }>;
export function makeCheckpoint(opts: MakeCheckpointOptions): Promise<MadeCheckpoint>;
export function gpt2TokenizerJson(): Promise<string>;
export function bytesTokenizerJson(): string;
