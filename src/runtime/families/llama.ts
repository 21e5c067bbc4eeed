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
import { CONFIG_LIMITS, allGlobal, epsilon, err, headsDivide, lin, optBool, optNumber, optPosInt, optTokenId, posInt } from './parse';

export const llama: Family = {
  arch: 'llama',
  label: 'Llama',
  modelType: 'llama',
  configKeys: [
    'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'head_dim', 'intermediate_size',
    'max_position_embeddings', 'vocab_size', 'rms_norm_eps', 'rope_theta', 'rope_scaling', 'hidden_act',
    'tie_word_embeddings', 'attention_bias', 'mlp_bias', 'bos_token_id', 'eos_token_id',
  ],
  parseConfig(o): ModelConfig {
    const nEmbd = posInt(o, 'hidden_size', CONFIG_LIMITS.nEmbd);
    const nLayer = posInt(o, 'num_hidden_layers', CONFIG_LIMITS.nLayer);
    const nHead = posInt(o, 'num_attention_heads', CONFIG_LIMITS.nHead);
    const nPositions = posInt(o, 'max_position_embeddings', CONFIG_LIMITS.nPositions);
    const vocabSize = posInt(o, 'vocab_size', CONFIG_LIMITS.vocabSize);
    const nInner = posInt(o, 'intermediate_size', CONFIG_LIMITS.nInner);
    headsDivide(nEmbd, nHead, 'hidden_size', 'num_attention_heads');
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
    return {
      arch: 'llama',
      vocabSize,
      nPositions,
      nEmbd,
      nLayer,
      nHead,
      nInner,
      eps: epsilon(o, 'rms_norm_eps', 1e-6),
      tied: optBool(o, 'tie_word_embeddings', false),
      activation: 'swiglu',
      positionOffset: 0,
      bosTokenId: optTokenId(o, 'bos_token_id', vocabSize),
      eosTokenId: optTokenId(o, 'eos_token_id', vocabSize),
      norm: 'rmsnorm',
      positions: 'rotary',
      rotaryDims: hd,
      rotaryBase: optNumber(o, 'rope_theta', 10000, 1, 1e9, true),
      parallelResidual: false,
      nKvHead,
      attnScale: 1 / Math.sqrt(hd),
      attnWindows: allGlobal(nLayer),
      attnBias: optBool(o, 'attention_bias', false),
      mlpBias: optBool(o, 'mlp_bias', false),
    };
  },
  canonicalName(actual) {
    if (actual === 'lm_head.weight') return actual;
    if (!actual.startsWith('model.')) return null;
    return actual.slice('model.'.length);
  },
  layerPattern: /^layers\.(\d+)\./,
  layout(c) {
    const { nEmbd: D, nInner: I } = c;
    const KV = c.nKvHead * (D / c.nHead);
    const ab = c.attnBias === true;
    const mb = c.mlpBias === true;
    return {
      wte: 'embed_tokens.weight',
      wpe: null,
      blocks: Array.from({ length: c.nLayer }, (_, i) => {
        const l = `layers.${i}.`;
        const a = (p: string, out: number) => lin(`${l}self_attn.${p}.weight`, 'oi', D, out, ab ? `${l}self_attn.${p}.bias` : null);
        const m = (p: string, inD: number, out: number) => lin(`${l}mlp.${p}.weight`, 'oi', inD, out, mb ? `${l}mlp.${p}.bias` : null);
        return {
          ln1: { weight: l + 'input_layernorm.weight', bias: null },
          qkv: { kind: 'separate' as const, q: a('q_proj', D), k: a('k_proj', KV), v: a('v_proj', KV) },
          o: a('o_proj', D),
          ln2: { weight: l + 'post_attention_layernorm.weight', bias: null },
          up: m('up_proj', D, I),
          gate: m('gate_proj', D, I),
          down: m('down_proj', I, D),
        };
      }),
      lnF: { weight: 'norm.weight', bias: null },
      head: 'lm_head.weight',
    };
  },
  storageHint: 'Llama Linear weights are [out, in]',
  tokenizer: { addBos: false },
};
