/** Types for scripts/make-checkpoint.mjs (random GPT-2-architecture checkpoint folders). */
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
