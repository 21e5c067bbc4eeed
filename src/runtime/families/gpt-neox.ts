/**
 * GPT-NeoX (model_type "gpt_neox": EleutherAI's Pythia suite, GPTNeoXForCausalLM).
 * LayerNorm with bias; rotary positions on the first rotary_pct of each head's
 * dimensions (base rotary_emb_base, pairs (i, i + r/2) as HF's rotate_half);
 * one fused query_key_value nn.Linear [3D, D] whose rows are grouped by head
 * ([q_h | k_h | v_h] for each head h); exact-erf GELU MLP; parallel residual
 * (x + attn(ln1(x)) + mlp(ln2(x))) when use_parallel_residual; an untied
 * unembedding embed_out by default.
 *
 * Canonical names ('gpt_neox.' prefix stripped):
 *   'embed_in.weight' [V,D],
 *   'layers.{i}.input_layernorm.{weight,bias}' [D], 'layers.{i}.post_attention_layernorm.{weight,bias}' [D],
 *   'layers.{i}.attention.query_key_value.weight' [3D,D], '.bias' [3D],
 *   'layers.{i}.attention.dense.weight' [D,D], '.bias' [D],
 *   'layers.{i}.mlp.dense_h_to_4h.weight' [I,D], '.bias' [I], 'layers.{i}.mlp.dense_4h_to_h.weight' [D,I], '.bias' [D],
 *   'final_layer_norm.{weight,bias}' [D], 'embed_out.weight' [V,D] (the unembedding; optional when tied).
 * Buffers some exports carry (attention.bias, attention.masked_bias, rotary_emb.inv_freq) are ignored.
 */
import type { ModelConfig } from '../types';
import type { Family } from './types';
import { blocks, norm } from './layout';
import { HF_SIZE_KEYS, epsilon, err, modelConfig, optBool, optNumber, readSizes, tokenIds } from './parse';

export const gptNeox: Family = {
  arch: 'gpt_neox',
  label: 'GPT-NeoX',
  modelType: 'gpt_neox',
  configKeys: [
    'hidden_size',
    'num_hidden_layers',
    'num_attention_heads',
    'intermediate_size',
    'max_position_embeddings',
    'vocab_size',
    'rotary_pct',
    'rotary_emb_base',
    'rope_theta',
    'rope_scaling',
    'layer_norm_eps',
    'use_parallel_residual',
    'hidden_act',
    'tie_word_embeddings',
    'attention_bias',
    'bos_token_id',
    'eos_token_id',
  ],
  parseConfig(o): ModelConfig {
    const sizes = readSizes(o, { ...HF_SIZE_KEYS, nInner: 'intermediate_size' });
    const hd = sizes.nEmbd / sizes.nHead;
    const pct = optNumber(o, 'rotary_pct', 0.25, 0, 1, true);
    const rotaryDims = Math.floor(hd * pct); // HF: int(head_size * rotary_pct)
    if (rotaryDims < 2 || rotaryDims % 2 !== 0) {
      throw err(`"rotary_pct" (${pct}) gives ${rotaryDims} rotary dimensions of a ${hd}-dimensional head; need an even number ≥ 2`);
    }
    // newer transformers versions write rope_theta; older Pythia configs rotary_emb_base
    const baseKey = o.rope_theta !== undefined && o.rope_theta !== null ? 'rope_theta' : 'rotary_emb_base';
    const rotaryBase = optNumber(o, baseKey, 10000, 1, 1e9, true);
    if (o.rope_scaling !== undefined && o.rope_scaling !== null) throw err('"rope_scaling" is not supported (only plain rotary positions)');
    const act = o.hidden_act ?? 'gelu';
    let activation: ModelConfig['activation'];
    if (act === 'gelu') activation = 'gelu';
    else if (act === 'gelu_new' || act === 'gelu_fast' || act === 'gelu_pytorch_tanh') activation = 'gelu_new';
    else if (act === 'relu') activation = 'relu';
    else throw err(`"hidden_act" ${JSON.stringify(act)} is not supported for gpt_neox (use gelu, gelu_new or relu)`);
    optBool(o, 'attention_bias', true); // validated here, read again by layout()
    return modelConfig(sizes, {
      arch: 'gpt_neox',
      eps: epsilon(o, 'layer_norm_eps'),
      tied: optBool(o, 'tie_word_embeddings', false),
      activation,
      ...tokenIds(o, sizes.vocabSize),
      positions: 'rotary',
      rotaryDims,
      rotaryBase,
      parallelResidual: optBool(o, 'use_parallel_residual', true),
      attnBias: optBool(o, 'attention_bias', true),
    });
  },
  canonicalName(actual) {
    if (actual === 'embed_out.weight') return actual;
    if (!actual.startsWith('gpt_neox.')) return null;
    return actual.slice('gpt_neox.'.length);
  },
  layerPattern: /^layers\.(\d+)\./,
  layout(c) {
    const ab = c.attnBias !== false;
    return {
      wte: 'embed_in.weight',
      wpe: null,
      blocks: blocks(c, {
        prefix: 'layers',
        layout: 'oi',
        ln1: 'input_layernorm',
        qkv: { kind: 'fused-per-head', name: 'attention.query_key_value' },
        o: 'attention.dense',
        ln2: 'post_attention_layernorm',
        up: 'mlp.dense_h_to_4h',
        gate: null,
        down: 'mlp.dense_4h_to_h',
        bias: { qkv: ab, o: ab },
      }),
      lnF: norm('final_layer_norm'),
      head: 'embed_out.weight',
    };
  },
  storageHint: 'GPT-NeoX Linear weights are [out, in]',
  tokenizer: { addBos: false },
};
