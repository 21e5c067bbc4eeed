/**
 * Checkpoints the reader can load with one click, with their download sizes
 * stated before anything is fetched. All are served by Hugging Face with CORS
 * headers; `baseUrl` is the folder (…/resolve/main/), files are fetched from
 * it by name. Sizes are the files on the Hub (model.safetensors + tokenizer).
 *
 * The GPT-NeoX and Llama presets' sizes could not be checked from this machine
 * (no network): each says where its number comes from. The memory a preset
 * needs is estimated from its config.json before the weights are fetched (the
 * loader reads config.json first; `hfConfig` below is that file, so the page can
 * state the estimate before any request: see presetMemory).
 *
 * TinyStories (GPT-Neo) has no preset: its repos served pytorch_model.bin, not
 * model.safetensors, when last known; such a folder converted to safetensors
 * loads through "open a folder" or a URL.
 */
import { parseConfig } from '../runtime/config';
import { estimateMemory, type MemoryEstimate } from './memory';

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
  dtype: 'F32' | 'F16' | 'BF16';
  /** The tokenizer files the folder has. */
  tokenizer: 'tokenizer.json' | 'vocab+merges';
  description: string;
  /** The repo's config.json, for the memory estimate before anything is downloaded. */
  hfConfig?: Record<string, unknown>;
  /** Where downloadBytes comes from, when it is not a size read off the Hub today. */
  sizeSource?: string;
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
  {
    key: 'pythia-70m',
    label: 'Pythia-70m',
    repo: 'EleutherAI/pythia-70m',
    baseUrl: hf('EleutherAI/pythia-70m'),
    // 70,426,624 F16 parameters = 140.9 MB, plus the BOOL attention-mask buffers (6 × 2048² bytes = 25.2 MB)
    // that the Pythia exports carry: the 166 MB the Hub listed for its weights; + tokenizer.json (≈ 2.1 MB)
    downloadBytes: 168_000_000,
    sizeSource: 'computed from the config (F16 weights + mask buffers) and the Hub listing as remembered (166 MB); not re-checked offline',
    parameters: 70_426_624,
    dtype: 'F16',
    tokenizer: 'tokenizer.json',
    description: "EleutherAI's Pythia-70m (GPT-NeoX): 6 layers, d = 512, rotary positions, parallel attention and MLP, untied W_U",
    hfConfig: {
      architectures: ['GPTNeoXForCausalLM'],
      bos_token_id: 0,
      eos_token_id: 0,
      hidden_act: 'gelu',
      hidden_size: 512,
      intermediate_size: 2048,
      layer_norm_eps: 1e-5,
      max_position_embeddings: 2048,
      model_type: 'gpt_neox',
      num_attention_heads: 8,
      num_hidden_layers: 6,
      rotary_emb_base: 10000,
      rotary_pct: 0.25,
      tie_word_embeddings: false,
      torch_dtype: 'float16',
      use_parallel_residual: true,
      vocab_size: 50304,
    },
  },
  {
    key: 'pythia-160m',
    label: 'Pythia-160m',
    repo: 'EleutherAI/pythia-160m',
    baseUrl: hf('EleutherAI/pythia-160m'),
    // 162,322,944 F16 parameters = 324.6 MB + 12 BOOL mask buffers (50.3 MB) ≈ the 375 MB the Hub listed; + tokenizer.json
    downloadBytes: 377_000_000,
    sizeSource: 'computed from the config (F16 weights + mask buffers) and the Hub listing as remembered (375 MB); not re-checked offline',
    parameters: 162_322_944,
    dtype: 'F16',
    tokenizer: 'tokenizer.json',
    description: "EleutherAI's Pythia-160m (GPT-NeoX): 12 layers, d = 768, rotary positions, untied W_U",
    hfConfig: {
      architectures: ['GPTNeoXForCausalLM'],
      bos_token_id: 0,
      eos_token_id: 0,
      hidden_act: 'gelu',
      hidden_size: 768,
      intermediate_size: 3072,
      layer_norm_eps: 1e-5,
      max_position_embeddings: 2048,
      model_type: 'gpt_neox',
      num_attention_heads: 12,
      num_hidden_layers: 12,
      rotary_emb_base: 10000,
      rotary_pct: 0.25,
      tie_word_embeddings: false,
      torch_dtype: 'float16',
      use_parallel_residual: true,
      vocab_size: 50304,
    },
  },
  {
    key: 'smollm2-135m',
    label: 'SmolLM2-135M',
    repo: 'HuggingFaceTB/SmolLM2-135M',
    baseUrl: hf('HuggingFaceTB/SmolLM2-135M'),
    // 134,515,008 BF16 parameters = 269.0 MB (the Hub's 269 MB model.safetensors) + tokenizer.json (≈ 2.1 MB)
    downloadBytes: 271_000_000,
    sizeSource: 'computed from the config (BF16 weights) and the Hub listing as remembered (269 MB); not re-checked offline',
    parameters: 134_515_008,
    dtype: 'BF16',
    tokenizer: 'tokenizer.json',
    description:
      "Hugging Face's SmolLM2-135M (Llama): 30 layers, d = 576, RMSNorm, rotary positions, SwiGLU, 9 query heads sharing 3 key/value heads, tied",
    hfConfig: {
      architectures: ['LlamaForCausalLM'],
      attention_bias: false,
      bos_token_id: 0,
      eos_token_id: 0,
      hidden_act: 'silu',
      hidden_size: 576,
      intermediate_size: 1536,
      max_position_embeddings: 8192,
      model_type: 'llama',
      num_attention_heads: 9,
      num_hidden_layers: 30,
      num_key_value_heads: 3,
      rms_norm_eps: 1e-5,
      rope_scaling: null,
      rope_theta: 100000,
      tie_word_embeddings: true,
      torch_dtype: 'bfloat16',
      vocab_size: 49152,
    },
  },
];

/** Parameters and memory for a preset, from its config.json alone (null when the preset carries none). */
export function presetMemory(p: Preset, deviceGB?: number | null): MemoryEstimate | null {
  if (!p.hfConfig) return null;
  // the estimate walks every tensor shape of the architecture: computed once per preset and device size,
  // not on each render of the loader (which re-renders with every progress step of a download)
  const key = `${p.key}|${deviceGB === undefined ? 'default' : String(deviceGB)}`;
  let e = memoryCache.get(key);
  if (!e) {
    e = deviceGB === undefined ? estimateMemory(parseConfig(p.hfConfig)) : estimateMemory(parseConfig(p.hfConfig), deviceGB);
    memoryCache.set(key, e);
  }
  return e;
}
const memoryCache = new Map<string, MemoryEstimate>();

export function findPreset(key: string): Preset | undefined {
  return PRESETS.find((p) => p.key === key);
}
