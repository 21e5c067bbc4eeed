/**
 * GPT-2 (model_type "gpt2": GPT2LMHeadModel / GPT2Model exports, DistilGPT-2).
 * LayerNorm with bias, learned positions, GELU (tanh) MLP, one fused Conv1D
 * c_attn (q | k | v) stored [in, out], biases everywhere, tied by default.
 *
 * Canonical names ('transformer.' prefix optional):
 *   'wte' [V,D], 'wpe' [P,D],
 *   'h.{i}.ln_1.{weight,bias}' [D], 'h.{i}.attn.c_attn.weight' [D,3D], '.bias' [3D],
 *   'h.{i}.attn.c_proj.weight' [D,D], '.bias' [D], 'h.{i}.ln_2.{weight,bias}' [D],
 *   'h.{i}.mlp.c_fc.weight' [D,I], '.bias' [I], 'h.{i}.mlp.c_proj.weight' [I,D], '.bias' [D],
 *   'ln_f.{weight,bias}' [D], 'lm_head.weight' [V,D] (optional when tied).
 */
import type { ModelConfig } from '../types';
import type { Family } from './types';
import { blocks, norm } from './layout';
import { epsilon, err, modelConfig, optBool, readSizes, tokenIds } from './parse';

export const gpt2: Family = {
  arch: 'gpt2',
  label: 'GPT-2',
  modelType: 'gpt2',
  configKeys: [
    'n_embd',
    'n_layer',
    'n_head',
    'n_positions',
    'n_ctx',
    'vocab_size',
    'n_inner',
    'activation_function',
    'layer_norm_epsilon',
    'tie_word_embeddings',
    'scale_attn_weights',
    'scale_attn_by_inverse_layer_idx',
    'reorder_and_upcast_attn',
    'bos_token_id',
    'eos_token_id',
  ],
  parseConfig(o, { notes }): ModelConfig {
    const sizes = readSizes(o, {
      nEmbd: 'n_embd',
      nLayer: 'n_layer',
      nHead: 'n_head',
      nPositions: 'n_positions',
      nPositionsFallback: 'n_ctx',
      vocabSize: 'vocab_size',
      nInner: 'n_inner',
      nInnerOptional: true,
    });
    const act = o.activation_function ?? 'gelu_new';
    let activation: ModelConfig['activation'];
    if (act === 'gelu_new' || act === 'gelu_pytorch_tanh' || act === 'gelu_fast') activation = 'gelu_new';
    else if (act === 'gelu') {
      activation = 'gelu_new';
      notes.push('activation_function "gelu" (exact erf GELU) is computed with the tanh approximation (differences ~1e-4)');
    } else if (act === 'relu') activation = 'relu';
    else throw err(`activation_function ${JSON.stringify(act)} is not supported for gpt2 (use gelu_new, gelu or relu)`);
    if (o.scale_attn_weights === false) throw err('"scale_attn_weights": false is not supported');
    if (o.scale_attn_by_inverse_layer_idx === true) throw err('"scale_attn_by_inverse_layer_idx": true is not supported');
    if (o.reorder_and_upcast_attn === true) notes.push('"reorder_and_upcast_attn" ignored (float32 throughout)');
    return modelConfig(sizes, {
      arch: 'gpt2',
      eps: epsilon(o, 'layer_norm_epsilon'),
      tied: optBool(o, 'tie_word_embeddings', true),
      activation,
      ...tokenIds(o, sizes.vocabSize),
    });
  },
  canonicalName(actual) {
    if (actual === 'lm_head.weight') return actual;
    const n = actual.startsWith('transformer.') ? actual.slice('transformer.'.length) : actual;
    if (n === 'wte.weight') return 'wte';
    if (n === 'wpe.weight') return 'wpe';
    if (/^(h\.\d+\.|ln_f\.)/.test(n)) return n;
    return null;
  },
  layerPattern: /^h\.(\d+)\./,
  layout(c) {
    return {
      wte: 'wte',
      wpe: { name: 'wpe', rows: c.nPositions },
      blocks: blocks(c, {
        prefix: 'h',
        layout: 'io',
        ln1: 'ln_1',
        qkv: { kind: 'fused', name: 'attn.c_attn' },
        o: 'attn.c_proj',
        ln2: 'ln_2',
        up: 'mlp.c_fc',
        gate: null,
        down: 'mlp.c_proj',
      }),
      lnF: norm('ln_f'),
      head: 'lm_head.weight',
    };
  },
  storageHint: 'GPT-2 Conv1D weights are [in, out]',
  tokenizer: { addBos: false },
};
