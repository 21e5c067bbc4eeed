/**
 * Llama-style (model_type "llama": LlamaForCausalLM, e.g. SmolLM2). RMSNorm (gain
 * only), rotary positions on every dimension of each head (base rope_theta, pairs
 * (i, i + hd/2) as HF's rotate_half), SwiGLU MLP down(silu(gate(x)) ⊙ up(x)),
 * separate q/k/v/o nn.Linear [out, in], grouped-query attention (num_key_value_heads
 * ≤ num_attention_heads), no biases unless attention_bias / mlp_bias; untied by
 * default (SmolLM2-135M sets tie_word_embeddings true).
 *
 * Canonical names ('model.' prefix stripped; KV = num_key_value_heads · head dim):
 *   'embed_tokens.weight' [V,D],
 *   'layers.{i}.input_layernorm.weight' [D], 'layers.{i}.post_attention_layernorm.weight' [D],
 *   'layers.{i}.self_attn.q_proj.weight' [D,D], '.k_proj.weight' [KV,D], '.v_proj.weight' [KV,D], '.o_proj.weight' [D,D]
 *     (+ '.bias' with attention_bias),
 *   'layers.{i}.mlp.gate_proj.weight' [I,D], '.up_proj.weight' [I,D], '.down_proj.weight' [D,I] (+ '.bias' with mlp_bias),
 *   'norm.weight' [D], 'lm_head.weight' [V,D] (optional when tied).
 */
import type { ModelConfig } from '../types';
import type { Family } from './types';
import { blocks, norm } from './layout';
import { CONFIG_LIMITS, HF_SIZE_KEYS, epsilon, err, modelConfig, optBool, optNumber, optPosInt, readSizes, tokenIds } from './parse';

export const llama: Family = {
  arch: 'llama',
  label: 'Llama',
  modelType: 'llama',
  configKeys: [
    'hidden_size',
    'num_hidden_layers',
    'num_attention_heads',
    'num_key_value_heads',
    'head_dim',
    'intermediate_size',
    'max_position_embeddings',
    'vocab_size',
    'rms_norm_eps',
    'rope_theta',
    'rope_scaling',
    'hidden_act',
    'tie_word_embeddings',
    'attention_bias',
    'mlp_bias',
    'bos_token_id',
    'eos_token_id',
  ],
  parseConfig(o): ModelConfig {
    const sizes = readSizes(o, { ...HF_SIZE_KEYS, nInner: 'intermediate_size' });
    const { nEmbd, nHead } = sizes;
    const hd = nEmbd / nHead;
    const nKvHead = optPosInt(o, 'num_key_value_heads', CONFIG_LIMITS.nHead, nHead);
    if (nHead % nKvHead !== 0) {
      throw err(`"num_attention_heads" (${nHead}) must be a multiple of "num_key_value_heads" (${nKvHead})`);
    }
    if (o.head_dim !== undefined && o.head_dim !== null && o.head_dim !== hd) {
      throw err(`"head_dim" (${JSON.stringify(o.head_dim)}) must equal hidden_size / num_attention_heads (${hd})`);
    }
    if (hd % 2 !== 0) throw err(`"num_attention_heads" gives an odd head dimension (${hd}); rotary positions need an even one`);
    if (o.rope_scaling !== undefined && o.rope_scaling !== null) throw err('"rope_scaling" is not supported (only plain rotary positions)');
    const act = o.hidden_act ?? 'silu';
    if (act !== 'silu') throw err(`"hidden_act" ${JSON.stringify(act)} is not supported for llama (only silu)`);
    optBool(o, 'attention_bias', false);
    optBool(o, 'mlp_bias', false);
    return modelConfig(sizes, {
      arch: 'llama',
      eps: epsilon(o, 'rms_norm_eps', 1e-6),
      tied: optBool(o, 'tie_word_embeddings', false),
      activation: 'swiglu',
      ...tokenIds(o, sizes.vocabSize),
      norm: 'rmsnorm',
      positions: 'rotary',
      rotaryDims: hd,
      rotaryBase: optNumber(o, 'rope_theta', 10000, 1, 1e9, true),
      nKvHead,
      attnBias: optBool(o, 'attention_bias', false),
      mlpBias: optBool(o, 'mlp_bias', false),
    });
  },
  canonicalName(actual) {
    if (actual === 'lm_head.weight') return actual;
    if (!actual.startsWith('model.')) return null;
    return actual.slice('model.'.length);
  },
  layerPattern: /^layers\.(\d+)\./,
  layout(c) {
    const ab = c.attnBias === true;
    return {
      wte: 'embed_tokens.weight',
      wpe: null,
      blocks: blocks(c, {
        prefix: 'layers',
        layout: 'oi',
        ln1: 'input_layernorm',
        qkv: { kind: 'separate', q: 'self_attn.q_proj', k: 'self_attn.k_proj', v: 'self_attn.v_proj' },
        o: 'self_attn.o_proj',
        ln2: 'post_attention_layernorm',
        up: 'mlp.up_proj',
        gate: 'mlp.gate_proj',
        down: 'mlp.down_proj',
        bias: { norms: false, qkv: ab, o: ab, mlp: c.mlpBias === true },
      }),
      lnF: norm('norm', false),
      head: 'lm_head.weight',
    };
  },
  storageHint: 'Llama Linear weights are [out, in]',
  tokenizer: { addBos: false },
};
