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
import { CONFIG_LIMITS, epsilon, err, headsDivide, lin, optBool, optTokenId, posInt } from './parse';

/** attention_types ([[["global", "local"], 4]] …) → one 'global' | 'local' per layer; the message names the key. */
export function expandAttentionTypes(v: unknown, key: string): string[] {
  const bad = () => err(`"${key}" must be a list of [[types…], repeat] pairs with types "global" or "local", got ${JSON.stringify(v)?.slice(0, 80)}`);
  if (!Array.isArray(v)) throw bad();
  const out: string[] = [];
  for (const item of v) {
    if (!Array.isArray(item) || item.length !== 2 || !Array.isArray(item[0]) || !Number.isInteger(item[1]) || (item[1] as number) < 1) throw bad();
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
    'hidden_size', 'num_layers', 'num_heads', 'max_position_embeddings', 'vocab_size', 'intermediate_size',
    'activation_function', 'layer_norm_epsilon', 'window_size', 'attention_types', 'attention_layers',
    'tie_word_embeddings', 'bos_token_id', 'eos_token_id',
  ],
  parseConfig(o): ModelConfig {
    const nEmbd = posInt(o, 'hidden_size', CONFIG_LIMITS.nEmbd);
    const nLayer = posInt(o, 'num_layers', CONFIG_LIMITS.nLayer);
    const nHead = posInt(o, 'num_heads', CONFIG_LIMITS.nHead);
    const nPositions = posInt(o, 'max_position_embeddings', CONFIG_LIMITS.nPositions);
    const vocabSize = posInt(o, 'vocab_size', CONFIG_LIMITS.vocabSize);
    headsDivide(nEmbd, nHead, 'hidden_size', 'num_heads');
    const nInner = o.intermediate_size === undefined || o.intermediate_size === null ? 4 * nEmbd : posInt(o, 'intermediate_size', CONFIG_LIMITS.nInner);
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
    return {
      arch: 'gpt_neo',
      vocabSize,
      nPositions,
      nEmbd,
      nLayer,
      nHead,
      nInner,
      eps: epsilon(o, 'layer_norm_epsilon'),
      tied: optBool(o, 'tie_word_embeddings', true),
      activation,
      positionOffset: 0,
      bosTokenId: optTokenId(o, 'bos_token_id', vocabSize),
      eosTokenId: optTokenId(o, 'eos_token_id', vocabSize),
      norm: 'layernorm',
      positions: 'learned',
      rotaryDims: 0,
      rotaryBase: 0,
      parallelResidual: false,
      nKvHead: nHead,
      attnScale: 1,
      attnWindows: types.map((t) => (t === 'local' ? window : 0)),
    };
  },
  canonicalName(actual) {
    if (actual === 'lm_head.weight') return actual;
    const n = actual.startsWith('transformer.') ? actual.slice('transformer.'.length) : actual;
    if (/^(wte|wpe)\.weight$/.test(n) || /^(h\.\d+\.|ln_f\.)/.test(n)) return n;
    return null;
  },
  layerPattern: /^h\.(\d+)\./,
  layout(c) {
    const { nEmbd: D, nInner: I, nPositions: P } = c;
    return {
      wte: 'wte.weight',
      wpe: { name: 'wpe.weight', rows: P },
      blocks: Array.from({ length: c.nLayer }, (_, i) => {
        const h = `h.${i}.`;
        const a = (p: string, bias: boolean) => lin(`${h}attn.attention.${p}.weight`, 'oi', D, D, bias ? `${h}attn.attention.${p}.bias` : null);
        return {
          ln1: { weight: h + 'ln_1.weight', bias: h + 'ln_1.bias' },
          qkv: { kind: 'separate' as const, q: a('q_proj', false), k: a('k_proj', false), v: a('v_proj', false) },
          o: a('out_proj', true),
          ln2: { weight: h + 'ln_2.weight', bias: h + 'ln_2.bias' },
          up: lin(h + 'mlp.c_fc.weight', 'oi', D, I, h + 'mlp.c_fc.bias'),
          gate: null,
          down: lin(h + 'mlp.c_proj.weight', 'oi', I, D, h + 'mlp.c_proj.bias'),
        };
      }),
      lnF: { weight: 'ln_f.weight', bias: 'ln_f.bias' },
      head: 'lm_head.weight',
    };
  },
  storageHint: 'GPT-Neo Linear weights are [out, in]',
  tokenizer: { addBos: false },
};
