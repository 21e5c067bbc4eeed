/**
 * Checkpoints the reader can load with one click, with their download sizes
 * stated before anything is fetched. All are served by Hugging Face with CORS
 * headers; `baseUrl` is the folder (…/resolve/main/), files are fetched from
 * it by name. Sizes are the files on the Hub (model.safetensors + tokenizer).
 */
export interface Preset {
  /** URL key (the `model` parameter). */
  key: string;
  label: string;
  repo: string;
  baseUrl: string;
  /** Bytes to download (all files), for the button and the offer. */
  downloadBytes: number;
  /** Parameters (for the prose). */
  parameters: number;
  /** Storage dtype of model.safetensors. */
  dtype: 'F32' | 'F16';
  /** The tokenizer files the folder has. */
  tokenizer: 'tokenizer.json' | 'vocab+merges';
  description: string;
}

const hf = (repo: string) => `https://huggingface.co/${repo}/resolve/main/`;

export const PRESETS: Preset[] = [
  {
    key: 'gpt2',
    label: 'GPT-2 small',
    repo: 'gpt2',
    baseUrl: hf('gpt2'),
    downloadBytes: 550_000_000,
    parameters: 124_439_808,
    dtype: 'F32',
    tokenizer: 'tokenizer.json',
    description: 'OpenAI GPT-2 small: 12 layers, d = 768, 50,257 tokens, tied W_U = W_Eᵀ',
  },
  {
    key: 'distilgpt2',
    label: 'DistilGPT-2',
    repo: 'distilgpt2',
    baseUrl: hf('distilgpt2'),
    downloadBytes: 355_000_000,
    parameters: 81_912_576,
    dtype: 'F32',
    tokenizer: 'tokenizer.json',
    description: 'GPT-2 small distilled to 6 layers (d = 768), tied',
  },
  {
    key: 'gpt2-medium',
    label: 'GPT-2 medium',
    repo: 'gpt2-medium',
    baseUrl: hf('gpt2-medium'),
    downloadBytes: 1_522_000_000,
    parameters: 354_823_168,
    dtype: 'F32',
    tokenizer: 'tokenizer.json',
    description: 'OpenAI GPT-2 medium: 24 layers, d = 1024, tied',
  },
  {
    key: 'opt-125m',
    label: 'OPT-125m',
    repo: 'facebook/opt-125m',
    baseUrl: hf('facebook/opt-125m'),
    downloadBytes: 252_000_000,
    parameters: 125_239_296,
    dtype: 'F16',
    tokenizer: 'vocab+merges',
    description: "Meta's OPT-125m (the source post's model): 12 layers, d = 768, ReLU MLP, tied",
  },
];

export function findPreset(key: string): Preset | undefined {
  return PRESETS.find((p) => p.key === key);
}
