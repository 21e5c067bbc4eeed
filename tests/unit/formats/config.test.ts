import { describe, expect, it } from 'vitest';
import { gpt2Tensors, layout, optTensors } from '../../../scripts/make-malformed.mjs';
import {
  canonicalGpt2Names,
  canonicalNames,
  canonicalOptNames,
  checkTensorsAgainstConfig,
  countParameters,
  estimateModelBytes,
  normaliseTensorName,
  expectedTensorShapes,
  parseConfig,
  parseConfigText,
  parseConfigWithNotes,
} from '../../../src/runtime/config';
import { ModelFileError, type TensorEntry } from '../../../src/runtime/formats';
import { parseSafetensors } from '../../../src/runtime/safetensors';
import { makeTinyCheckpoint } from '../runtime/checkpoint';

/** HF's gpt2 config.json (abridged to the keys that matter). */
const GPT2_SMALL = {
  activation_function: 'gelu_new',
  architectures: ['GPT2LMHeadModel'],
  attn_pdrop: 0.1,
  bos_token_id: 50256,
  embd_pdrop: 0.1,
  eos_token_id: 50256,
  initializer_range: 0.02,
  layer_norm_epsilon: 1e-5,
  model_type: 'gpt2',
  n_ctx: 1024,
  n_embd: 768,
  n_head: 12,
  n_layer: 12,
  n_positions: 1024,
  resid_pdrop: 0.1,
  summary_activation: null,
  summary_first_dropout: 0.1,
  summary_proj_to_labels: true,
  summary_type: 'cls_index',
  summary_use_proj: true,
  task_specific_params: { 'text-generation': { do_sample: true, max_length: 50 } },
  vocab_size: 50257,
};

/** HF's facebook/opt-125m config.json. */
const OPT_125M = {
  _name_or_path: 'facebook/opt-125m',
  activation_dropout: 0.0,
  activation_function: 'relu',
  architectures: ['OPTForCausalLM'],
  attention_dropout: 0.0,
  bos_token_id: 2,
  do_layer_norm_before: true,
  dropout: 0.1,
  eos_token_id: 2,
  ffn_dim: 3072,
  hidden_size: 768,
  init_std: 0.02,
  layerdrop: 0.0,
  max_position_embeddings: 2048,
  model_type: 'opt',
  num_attention_heads: 12,
  num_hidden_layers: 12,
  pad_token_id: 1,
  prefix: '</s>',
  torch_dtype: 'float16',
  transformers_version: '4.21.0.dev0',
  use_cache: true,
  vocab_size: 50272,
  word_embed_proj_dim: 768,
};

const entries = (tensors: { name: string; shape: number[] }[]) => {
  const m = new Map<string, TensorEntry>();
  for (const t of tensors) m.set(t.name, { name: t.name, dtype: 'F32', shape: t.shape, begin: 0, end: 0 });
  return { entries: m };
};

describe('parseConfig', () => {
  it('GPT-2 small', () => {
    const c = parseConfig(GPT2_SMALL);
    expect(c).toEqual({
      arch: 'gpt2',
      vocabSize: 50257,
      nPositions: 1024,
      nEmbd: 768,
      nLayer: 12,
      nHead: 12,
      nInner: 3072,
      eps: 1e-5,
      tied: true,
      activation: 'gelu_new',
      positionOffset: 0,
      bosTokenId: 50256,
      eosTokenId: 50256,
      norm: 'layernorm',
      positions: 'learned',
      rotaryDims: 0,
      rotaryBase: 0,
      parallelResidual: false,
      nKvHead: 12,
      attnScale: 1 / 8,
      attnWindows: new Array(12).fill(0),
    });
    expect(countParameters(c)).toBe(124_439_808);
    expect(estimateModelBytes(c)).toBe(124_439_808 * 4);
    expect(estimateModelBytes(c, 2)).toBe(124_439_808 * 2);
  });

  it('OPT-125m', () => {
    const c = parseConfig(OPT_125M);
    expect(c).toEqual({
      arch: 'opt',
      vocabSize: 50272,
      nPositions: 2048,
      nEmbd: 768,
      nLayer: 12,
      nHead: 12,
      nInner: 3072,
      eps: 1e-5,
      tied: true,
      activation: 'relu',
      positionOffset: 2,
      bosTokenId: 2,
      eosTokenId: 2,
      norm: 'layernorm',
      positions: 'learned',
      rotaryDims: 0,
      rotaryBase: 0,
      parallelResidual: false,
      nKvHead: 12,
      attnScale: 1 / 8,
      attnWindows: new Array(12).fill(0),
    });
    expect(countParameters(c)).toBe(125_239_296);
  });

  it('defaults and fallbacks', () => {
    const { n_positions: _p, ...noPositions } = GPT2_SMALL;
    void _p;
    expect(parseConfig(noPositions).nPositions).toBe(1024); // n_ctx
    const c = parseConfig({
      model_type: 'gpt2',
      n_embd: 64,
      n_layer: 2,
      n_head: 4,
      n_positions: 32,
      vocab_size: 100,
      n_inner: 100,
      tie_word_embeddings: false,
    });
    expect(c).toMatchObject({ nInner: 100, tied: false, eps: 1e-5, activation: 'gelu_new', bosTokenId: null });
    const untied = parseConfig({ ...c, model_type: 'gpt2', n_embd: 64, n_layer: 2, n_head: 4, n_positions: 32, vocab_size: 100 });
    expect(untied.tied).toBe(true);
    const { config, notes } = parseConfigWithNotes({ ...GPT2_SMALL, activation_function: 'gelu' });
    expect(config.activation).toBe('gelu_new');
    expect(notes[0]).toMatch(/exact erf GELU/);
    expect(parseConfigText(JSON.stringify(GPT2_SMALL)).nEmbd).toBe(768);
    expect(parseConfigText(new TextEncoder().encode(JSON.stringify(OPT_125M))).arch).toBe('opt');
  });

  it('refuses with reasons', () => {
    const bad: [unknown, RegExp][] = [
      [null, /must be a JSON object, got null/],
      [[], /must be a JSON object, got an array/],
      [{ ...GPT2_SMALL, model_type: 'bert' }, /model_type "bert" is not supported/],
      [{ ...GPT2_SMALL, n_head: 7 }, /"n_embd" \(768\) must be divisible by "n_head" \(7\)/],
      [{ ...GPT2_SMALL, n_embd: 64, n_head: 128 }, /"n_head" \(128\) cannot exceed "n_embd" \(64\)/],
      [{ ...GPT2_SMALL, vocab_size: 0 }, /"vocab_size" must be a positive integer, got 0/],
      [{ ...GPT2_SMALL, vocab_size: 400_000 }, /"vocab_size" = 400000 exceeds the limit of 300000/],
      [{ ...GPT2_SMALL, n_layer: 97 }, /"n_layer" = 97 exceeds the limit of 96/],
      [{ ...GPT2_SMALL, n_positions: 40_000 }, /"n_positions" = 40000 exceeds/],
      [{ ...GPT2_SMALL, n_embd: '768' }, /"n_embd" must be an integer, got "768"/],
      [{ ...GPT2_SMALL, layer_norm_epsilon: 0.5 }, /layer_norm_epsilon/],
      [{ ...GPT2_SMALL, layer_norm_epsilon: -1e-5 }, /layer_norm_epsilon/],
      [{ ...GPT2_SMALL, tie_word_embeddings: 'yes' }, /"tie_word_embeddings" must be true or false/],
      [{ ...GPT2_SMALL, bos_token_id: 60000 }, /"bos_token_id" must be a token id in \[0, 50257\)/],
      [{ ...OPT_125M, word_embed_proj_dim: 512 }, /word_embed_proj_dim.*not supported/],
      [{ ...OPT_125M, do_layer_norm_before: false }, /post-LayerNorm/],
      [{ ...OPT_125M, activation_function: 'gelu' }, /activation_function "gelu" is not supported for opt/],
      [{ ...OPT_125M, ffn_dim: undefined }, /missing required key "ffn_dim"/],
    ];
    for (const [json, re] of bad) {
      expect(() => parseConfig(json), JSON.stringify(json).slice(0, 60)).toThrow(ModelFileError);
      expect(() => parseConfig(json)).toThrow(re);
    }
    expect(() => parseConfigText('{')).toThrow(/^config\.json: is not valid JSON/);
  });
});

describe('tensor names and shapes', () => {
  const cfg = parseConfig({ model_type: 'gpt2', n_embd: 8, n_layer: 1, n_head: 2, n_positions: 16, vocab_size: 260 });

  it('canonical GPT-2 names with and without the transformer. prefix', () => {
    for (const prefix of ['transformer.', '']) {
      const file = entries(gpt2Tensors({ prefix, lmHead: true }));
      const m = canonicalGpt2Names(file);
      expect(m.get('wte')).toBe(`${prefix}wte.weight`);
      expect(m.get('wpe')).toBe(`${prefix}wpe.weight`);
      expect(m.get('h.0.attn.c_attn.weight')).toBe(`${prefix}h.0.attn.c_attn.weight`);
      expect(m.get('ln_f.bias')).toBe(`${prefix}ln_f.bias`);
      expect(m.get('lm_head.weight')).toBe('lm_head.weight');
      for (const k of expectedTensorShapes(cfg).keys()) expect(m.has(k), k).toBe(true);
      expect(() => checkTensorsAgainstConfig(file, cfg)).not.toThrow();
    }
  });

  it('canonical OPT names with model.decoder. or decoder. prefix', () => {
    const ocfg = parseConfig({
      ...OPT_125M,
      hidden_size: 8,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      ffn_dim: 32,
      max_position_embeddings: 16,
      vocab_size: 260,
      word_embed_proj_dim: 8,
    });
    for (const prefix of ['model.decoder.', 'decoder.']) {
      const file = entries(optTensors({ prefix }));
      const m = canonicalOptNames(file);
      expect(m.get('embed_tokens')).toBe(`${prefix}embed_tokens.weight`);
      expect(m.get('embed_positions')).toBe(`${prefix}embed_positions.weight`);
      expect(m.get('layers.0.self_attn.q_proj.weight')).toBe(`${prefix}layers.0.self_attn.q_proj.weight`);
      expect(m.get('final_layer_norm.weight')).toBe(`${prefix}final_layer_norm.weight`);
      expect(canonicalNames(file, 'opt')).toEqual(m);
      expect(() => checkTensorsAgainstConfig(file, ocfg)).not.toThrow();
    }
  });

  it('normaliseTensorName', () => {
    expect(normaliseTensorName('transformer.wte.weight', 'gpt2')).toBe('wte');
    expect(normaliseTensorName('h.3.mlp.c_fc.bias', 'gpt2')).toBe('h.3.mlp.c_fc.bias');
    expect(normaliseTensorName('score.weight', 'gpt2')).toBeNull();
    expect(normaliseTensorName('model.decoder.embed_positions.weight', 'opt')).toBe('embed_positions');
    expect(normaliseTensorName('decoder.layers.0.fc1.weight', 'opt')).toBe('layers.0.fc1.weight');
    expect(normaliseTensorName('lm_head.weight', 'opt')).toBe('lm_head.weight');
    expect(normaliseTensorName('wte.weight', 'opt')).toBeNull();
  });

  it('a name provided twice is ambiguous', () => {
    const file = entries([...gpt2Tensors(), { name: 'wte.weight', shape: [260, 8] }]);
    expect(() => canonicalGpt2Names(file)).toThrow(/'transformer\.wte\.weight' and 'wte\.weight' both provide 'wte'/);
  });

  it('extra buffers are ignored; lm_head optional when tied, required when untied', () => {
    const file = entries([...gpt2Tensors(), { name: 'transformer.h.0.attn.masked_bias', shape: [] }]);
    expect(() => checkTensorsAgainstConfig(file, cfg)).not.toThrow();
    expect(() => checkTensorsAgainstConfig(file, { ...cfg, tied: false })).toThrow(/no lm_head\.weight/);
    expect(() => checkTensorsAgainstConfig(entries(gpt2Tensors({ lmHead: true })), { ...cfg, tied: false })).not.toThrow();
  });

  it("accepts the runtime's tiny checkpoints (all layouts and dtypes)", () => {
    for (const spec of [
      { arch: 'gpt2', tied: true },
      { arch: 'gpt2', tied: true, prefix: '', lmHead: 'equal', dtype: 'F16' },
      { arch: 'gpt2', tied: false, dtype: 'BF16' },
      { arch: 'opt', tied: true },
      { arch: 'opt', tied: false, prefix: 'decoder.', dtype: 'F16' },
    ] as const) {
      const ck = makeTinyCheckpoint(spec);
      const f = parseSafetensors(ck.bytes);
      const c = parseConfig(ck.hfConfig);
      expect(() => checkTensorsAgainstConfig(f, c), JSON.stringify(spec)).not.toThrow();
      const names = canonicalNames(f, c.arch);
      const wte = f.getFloat32(names.get(c.arch === 'gpt2' ? 'wte' : 'embed_tokens')!);
      expect(wte.length).toBe(c.vocabSize * c.nEmbd);
    }
  });

  it('layout helper agrees with the parser', () => {
    const { header, data } = layout(gpt2Tensors());
    expect(Object.keys(header).length).toBe(gpt2Tensors().length);
    expect(data.byteLength % 4).toBe(0);
  });
});
