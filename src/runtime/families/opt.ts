/**
 * OPT (model_type "opt": OPTForCausalLM / OPTModel with do_layer_norm_before and
 * no embedding projection, i.e. every OPT size except 350m). LayerNorm with bias,
 * a learned positional table offset by 2, ReLU MLP, separate q/k/v/out nn.Linear
 * [out, in] with biases, tied by default; the tokenizer prepends '</s>'.
 *
 * Canonical names ('model.decoder.' or 'decoder.' prefix):
 *   'embed_tokens' [V,D], 'embed_positions' [P+2,D],
 *   'layers.{i}.self_attn.{q,k,v,out}_proj.{weight [D,D], bias [D]}',
 *   'layers.{i}.self_attn_layer_norm.{weight,bias}' [D],
 *   'layers.{i}.fc1.weight' [I,D], '.bias' [I], 'layers.{i}.fc2.weight' [D,I], '.bias' [D],
 *   'layers.{i}.final_layer_norm.{weight,bias}' [D], 'final_layer_norm.{weight,bias}' [D],
 *   'lm_head.weight' [V,D] (also read as 'model.lm_head.weight'; optional when tied).
 */
import type { ModelConfig } from '../types';
import type { Family } from './types';
import { blocks, norm } from './layout';
import { HF_SIZE_KEYS, epsilon, err, modelConfig, optBool, readSizes, tokenIds } from './parse';

export const opt: Family = {
  arch: 'opt',
  label: 'OPT',
  modelType: 'opt',
  configKeys: [
    'hidden_size',
    'num_hidden_layers',
    'num_attention_heads',
    'max_position_embeddings',
    'vocab_size',
    'ffn_dim',
    'do_layer_norm_before',
    'word_embed_proj_dim',
    'enable_bias',
    'layer_norm_elementwise_affine',
    'activation_function',
    'layer_norm_epsilon',
    'tie_word_embeddings',
    'bos_token_id',
    'eos_token_id',
  ],
  parseConfig(o): ModelConfig {
    const sizes = readSizes(o, { ...HF_SIZE_KEYS, nInner: 'ffn_dim' });
    const nEmbd = sizes.nEmbd;
    if (!optBool(o, 'do_layer_norm_before', true)) {
      throw err('"do_layer_norm_before": false (post-LayerNorm OPT, e.g. opt-350m) is not supported; only pre-LayerNorm OPT models');
    }
    if (o.word_embed_proj_dim !== undefined && o.word_embed_proj_dim !== null && o.word_embed_proj_dim !== nEmbd) {
      throw err(
        `"word_embed_proj_dim" (${JSON.stringify(o.word_embed_proj_dim)}) differs from "hidden_size" (${nEmbd}); embedding projections (project_in/project_out) are not supported`,
      );
    }
    if (o.enable_bias === false) throw err('"enable_bias": false is not supported');
    if (o.layer_norm_elementwise_affine === false) throw err('"layer_norm_elementwise_affine": false is not supported');
    const act = o.activation_function ?? 'relu';
    if (act !== 'relu') throw err(`activation_function ${JSON.stringify(act)} is not supported for opt (only relu)`);
    return modelConfig(sizes, {
      arch: 'opt',
      eps: epsilon(o, 'layer_norm_epsilon'),
      tied: optBool(o, 'tie_word_embeddings', true),
      activation: 'relu',
      positionOffset: 2,
      ...tokenIds(o, sizes.vocabSize),
    });
  },
  canonicalName(actual) {
    if (actual === 'lm_head.weight') return actual;
    if (actual === 'model.lm_head.weight') return 'lm_head.weight';
    let n: string;
    if (actual.startsWith('model.decoder.')) n = actual.slice('model.decoder.'.length);
    else if (actual.startsWith('decoder.')) n = actual.slice('decoder.'.length);
    else return null;
    if (n === 'embed_tokens.weight') return 'embed_tokens';
    if (n === 'embed_positions.weight') return 'embed_positions';
    return n;
  },
  layerPattern: /^layers\.(\d+)\./,
  layout(c) {
    return {
      wte: 'embed_tokens',
      wpe: { name: 'embed_positions', rows: c.nPositions + c.positionOffset },
      blocks: blocks(c, {
        prefix: 'layers',
        layout: 'oi',
        ln1: 'self_attn_layer_norm',
        qkv: { kind: 'separate', q: 'self_attn.q_proj', k: 'self_attn.k_proj', v: 'self_attn.v_proj' },
        o: 'self_attn.out_proj',
        ln2: 'final_layer_norm',
        up: 'fc1',
        gate: null,
        down: 'fc2',
      }),
      lnF: norm('final_layer_norm'),
      head: 'lm_head.weight',
    };
  },
  unsupported(names) {
    for (const n of names) {
      if (/(^|\.)project_(in|out)\.weight$/.test(n)) {
        return 'this OPT checkpoint projects its embeddings (project_in/project_out, as OPT-350m does); only OPT models whose embedding width equals the hidden size are supported';
      }
    }
    return null;
  },
  storageHint: 'OPT Linear weights are [out, in]',
  tokenizer: { addBos: true },
};
