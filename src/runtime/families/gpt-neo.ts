/**
 * GPT-Neo (model_type "gpt_neo": GPTNeoForCausalLM, e.g. the TinyStories models).
 * LayerNorm with bias, a learned positional table, GELU (tanh) MLP of nn.Linear
 * layers [out, in] with biases; q/k/v separate nn.Linear without bias, out_proj
 * with bias; attention scores are NOT divided by sqrt(head dim) (HF's
 * GPTNeoSelfAttention computes q·kᵀ unscaled); layers alternate global and local
 * attention as attention_types says, a local layer letting query i see keys
 * j with i − window_size < j ≤ i. Tied by default.
 *
 * Canonical names ('transformer.' prefix stripped):
 *   'wte.weight' [V,D], 'wpe.weight' [P,D],
 *   'h.{i}.ln_1.{weight,bias}' [D], 'h.{i}.attn.attention.{q,k,v}_proj.weight' [D,D],
 *   'h.{i}.attn.attention.out_proj.weight' [D,D], '.bias' [D], 'h.{i}.ln_2.{weight,bias}' [D],
 *   'h.{i}.mlp.c_fc.weight' [I,D], '.bias' [I], 'h.{i}.mlp.c_proj.weight' [D,I], '.bias' [D],
 *   'ln_f.{weight,bias}' [D], 'lm_head.weight' [V,D] (optional when tied).
 * The mask buffers (attn.attention.bias, masked_bias) of older exports are ignored.
 */
import type { ModelConfig } from '../types';
import type { Family } from './types';
import { blocks, norm } from './layout';
import { CONFIG_LIMITS, HF_SIZE_KEYS, err, epsilon, modelConfig, optBool, posInt, readSizes, tokenIds } from './parse';

/** attention_types ([[["global", "local"], 4]] …) → one 'global' | 'local' per layer; the message names the key. */
export function expandAttentionTypes(v: unknown, key: string): string[] {
  const bad = () =>
    err(`"${key}" must be a list of [[types…], repeat] pairs with types "global" or "local", got ${JSON.stringify(v)?.slice(0, 80)}`);
  if (!Array.isArray(v)) throw bad();
  const out: string[] = [];
  for (const item of v) {
    if (!Array.isArray(item) || item.length !== 2 || !Array.isArray(item[0]) || !Number.isInteger(item[1]) || (item[1] as number) < 1)
      throw bad();
    for (let r = 0; r < (item[1] as number); r++) {
      for (const t of item[0] as unknown[]) {
        if (t !== 'global' && t !== 'local') throw bad();
        out.push(t);
        if (out.length > CONFIG_LIMITS.nLayer) throw err(`"${key}" lists more than ${CONFIG_LIMITS.nLayer} layers`);
      }
    }
  }
  return out;
}

export const gptNeo: Family = {
  arch: 'gpt_neo',
  label: 'GPT-Neo',
  modelType: 'gpt_neo',
  configKeys: [
    'hidden_size',
    'num_layers',
    'num_heads',
    'max_position_embeddings',
    'vocab_size',
    'intermediate_size',
    'activation_function',
    'layer_norm_epsilon',
    'window_size',
    'attention_types',
    'attention_layers',
    'tie_word_embeddings',
    'bos_token_id',
    'eos_token_id',
  ],
  parseConfig(o): ModelConfig {
    const sizes = readSizes(o, {
      ...HF_SIZE_KEYS,
      nLayer: 'num_layers',
      nHead: 'num_heads',
      nInner: 'intermediate_size',
      nInnerOptional: true,
    });
    const nLayer = sizes.nLayer;
    const act = o.activation_function ?? 'gelu_new';
    let activation: ModelConfig['activation'];
    if (act === 'gelu_new' || act === 'gelu_fast' || act === 'gelu_pytorch_tanh') activation = 'gelu_new';
    else if (act === 'gelu') activation = 'gelu';
    else if (act === 'relu') activation = 'relu';
    else throw err(`"activation_function" ${JSON.stringify(act)} is not supported for gpt_neo (use gelu_new, gelu or relu)`);
    // HF's GPTNeoConfig rebuilds attention_layers from attention_types; a config with only attention_layers is read as is
    let types: string[];
    if (o.attention_types !== undefined && o.attention_types !== null) types = expandAttentionTypes(o.attention_types, 'attention_types');
    else if (Array.isArray(o.attention_layers)) {
      types = o.attention_layers as string[];
      if (!types.every((t) => t === 'global' || t === 'local')) throw err('"attention_layers" entries must be "global" or "local"');
    } else throw err('missing required key "attention_types"');
    if (types.length !== nLayer) {
      throw err(`"attention_types" describes ${types.length} layers but "num_layers" is ${nLayer}`);
    }
    const window = types.includes('local') ? posInt(o, 'window_size', CONFIG_LIMITS.nPositions) : 0;
    return modelConfig(sizes, {
      arch: 'gpt_neo',
      eps: epsilon(o, 'layer_norm_epsilon'),
      tied: optBool(o, 'tie_word_embeddings', true),
      activation,
      ...tokenIds(o, sizes.vocabSize),
      attnScale: 1,
      attnWindows: types.map((t) => (t === 'local' ? window : 0)),
    });
  },
  canonicalName(actual) {
    if (actual === 'lm_head.weight') return actual;
    const n = actual.startsWith('transformer.') ? actual.slice('transformer.'.length) : actual;
    if (/^(wte|wpe)\.weight$/.test(n) || /^(h\.\d+\.|ln_f\.)/.test(n)) return n;
    return null;
  },
  layerPattern: /^h\.(\d+)\./,
  layout(c) {
    return {
      wte: 'wte.weight',
      wpe: { name: 'wpe.weight', rows: c.nPositions },
      blocks: blocks(c, {
        prefix: 'h',
        layout: 'oi',
        ln1: 'ln_1',
        qkv: { kind: 'separate', q: 'attn.attention.q_proj', k: 'attn.attention.k_proj', v: 'attn.attention.v_proj' },
        o: 'attn.attention.out_proj',
        ln2: 'ln_2',
        up: 'mlp.c_fc',
        gate: null,
        down: 'mlp.c_proj',
        bias: { qkv: false },
      }),
      lnF: norm('ln_f'),
      head: 'lm_head.weight',
    };
  },
  storageHint: 'GPT-Neo Linear weights are [out, in]',
  tokenizer: { addBos: false },
};
