/**
 * The architecture table's config parsing for GPT-NeoX, Llama and GPT-Neo: real
 * Hugging Face config.json files (as the repos serve them, written from the
 * published files), parameter counts against the published totals, and
 * malformed configs for every new key, each rejected with a message naming it.
 */
import { describe, expect, it } from 'vitest';
import { checkTensorsAgainstConfig, countParameters, expectedTensorShapes, parseConfig } from '../../../src/runtime/config';
import { FAMILIES } from '../../../src/runtime/families';
import { ModelFileError, type TensorEntry } from '../../../src/runtime/formats';
import { parseSafetensors, writeSafetensors } from '../../../src/runtime/safetensors';
import { estimateMemory } from '../../../src/loader/memory';
import { makeTinyCheckpoint } from '../runtime/checkpoint';

/** EleutherAI/pythia-70m config.json. */
export const PYTHIA_70M = {
  architectures: ['GPTNeoXForCausalLM'],
  bos_token_id: 0,
  eos_token_id: 0,
  hidden_act: 'gelu',
  hidden_size: 512,
  initializer_range: 0.02,
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
  use_cache: true,
  use_parallel_residual: true,
  vocab_size: 50304,
};
/** EleutherAI/pythia-160m: same keys, d 768, 12 layers, 12 heads. */
export const PYTHIA_160M = { ...PYTHIA_70M, hidden_size: 768, intermediate_size: 3072, num_attention_heads: 12, num_hidden_layers: 12 };
/** HuggingFaceTB/SmolLM2-135M config.json. */
export const SMOLLM2_135M = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 0,
  eos_token_id: 0,
  hidden_act: 'silu',
  hidden_size: 576,
  initializer_range: 0.041666666666666664,
  intermediate_size: 1536,
  is_llama_config: true,
  max_position_embeddings: 8192,
  model_type: 'llama',
  num_attention_heads: 9,
  num_hidden_layers: 30,
  num_key_value_heads: 3,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_interleaved: false,
  rope_scaling: null,
  rope_theta: 100000,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  use_cache: true,
  vocab_size: 49152,
};
/** roneneldan/TinyStories-1M config.json (abridged: dropout and summary keys left out). */
export const TINYSTORIES_1M = {
  activation_function: 'gelu_new',
  architectures: ['GPTNeoForCausalLM'],
  attention_layers: ['global', 'local', 'global', 'local', 'global', 'local', 'global', 'local'],
  attention_types: [[['global', 'local'], 4]],
  bos_token_id: 50256,
  eos_token_id: 50256,
  hidden_size: 64,
  intermediate_size: null,
  layer_norm_epsilon: 1e-5,
  max_position_embeddings: 2048,
  model_type: 'gpt_neo',
  num_heads: 16,
  num_layers: 8,
  torch_dtype: 'float32',
  vocab_size: 50257,
  window_size: 256,
};
/** roneneldan/TinyStories-33M: d 768, 4 layers. */
export const TINYSTORIES_33M = {
  ...TINYSTORIES_1M,
  hidden_size: 768,
  num_layers: 4,
  attention_layers: ['global', 'local', 'global', 'local'],
  attention_types: [[['global', 'local'], 2]],
};

describe('real configs', () => {
  it('Pythia-70m / 160m: rotary on a quarter of each head, parallel residual, exact GELU, untied', () => {
    const c = parseConfig(PYTHIA_70M);
    expect(c).toMatchObject({
      arch: 'gpt_neox',
      nEmbd: 512,
      nLayer: 6,
      nHead: 8,
      nKvHead: 8,
      nInner: 2048,
      vocabSize: 50304,
      nPositions: 2048,
      norm: 'layernorm',
      positions: 'rotary',
      rotaryDims: 16,
      rotaryBase: 10000,
      parallelResidual: true,
      activation: 'gelu',
      tied: false,
      attnScale: 1 / 8,
      positionOffset: 0,
    });
    // published totals (HF model cards / the Pythia paper's table): 70,426,624 and 162,322,944
    expect(countParameters(c)).toBe(70_426_624);
    expect(countParameters(parseConfig(PYTHIA_160M))).toBe(162_322_944);
    expect(expectedTensorShapes(c).get('layers.0.attention.query_key_value.weight')).toEqual([1536, 512]);
    expect(expectedTensorShapes(c).get('embed_out.weight')).toEqual([50304, 512]);
  });

  it('SmolLM2-135M: RMSNorm, full rotary base 1e5, SwiGLU, 9 heads sharing 3 key/value heads, tied', () => {
    const c = parseConfig(SMOLLM2_135M);
    expect(c).toMatchObject({
      arch: 'llama',
      nEmbd: 576,
      nLayer: 30,
      nHead: 9,
      nKvHead: 3,
      nInner: 1536,
      vocabSize: 49152,
      norm: 'rmsnorm',
      positions: 'rotary',
      rotaryDims: 64,
      rotaryBase: 100000,
      activation: 'swiglu',
      tied: true,
      eps: 1e-5,
    });
    expect(countParameters(c)).toBe(134_515_008); // the published 134.5M
    expect(expectedTensorShapes(c).get('layers.0.self_attn.k_proj.weight')).toEqual([192, 576]);
    expect(expectedTensorShapes(c).has('lm_head.weight')).toBe(false);
    expect(expectedTensorShapes({ ...c, tied: false }).get('lm_head.weight')).toEqual([49152, 576]);
  });

  it('TinyStories-1M / 33M: learned positions, alternating global/local (window 256), unscaled attention, tied', () => {
    const c = parseConfig(TINYSTORIES_1M);
    expect(c).toMatchObject({
      arch: 'gpt_neo',
      nEmbd: 64,
      nLayer: 8,
      nHead: 16,
      nInner: 256,
      positions: 'learned',
      norm: 'layernorm',
      activation: 'gelu_new',
      attnScale: 1,
      tied: true,
    });
    expect(c.attnWindows).toEqual([0, 256, 0, 256, 0, 256, 0, 256]);
    const c33 = parseConfig(TINYSTORIES_33M);
    expect(c33.attnWindows).toEqual([0, 256, 0, 256]);
    // wte 50257·768 + wpe 2048·768 + 4 blocks + ln_f; HF reports 68.5M for TinyStories-33M's weights (embeddings included)
    expect(countParameters(c33)).toBe(
      50257 * 768 + 2048 * 768 + 4 * (4 * 768 + 4 * 768 * 768 + 768 + 8 * 768 * 768 + 3072 + 768) + 2 * 768,
    );
  });

  it('memory is estimated from config.json alone, before the weights are fetched', () => {
    const e = estimateMemory(parseConfig(SMOLLM2_135M), 8);
    expect(e.parameters).toBe(134_515_008);
    expect(e.float32Bytes).toBe(134_515_008 * 4);
    expect(e.fits).toBe(true);
  });

  it('every family lists the config keys it reads', () => {
    for (const f of Object.values(FAMILIES)) expect(f.configKeys.length).toBeGreaterThan(5);
  });
});

describe('malformed configs for the new keys: each rejected, naming the key', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['rotary_pct', { ...PYTHIA_70M, rotary_pct: 0 }, 'rotary_pct'],
    ['rotary_pct', { ...PYTHIA_70M, rotary_pct: 1.5 }, 'rotary_pct'],
    ['rotary_pct', { ...PYTHIA_70M, rotary_pct: '0.25' }, 'rotary_pct'],
    ['rotary_pct', { ...PYTHIA_70M, rotary_pct: 0.01 }, 'rotary_pct'],
    ['rotary_emb_base', { ...PYTHIA_70M, rotary_emb_base: -1 }, 'rotary_emb_base'],
    ['rope_scaling', { ...PYTHIA_70M, rope_scaling: { type: 'linear', factor: 2 } }, 'rope_scaling'],
    ['use_parallel_residual', { ...PYTHIA_70M, use_parallel_residual: 'yes' }, 'use_parallel_residual'],
    ['hidden_act', { ...PYTHIA_70M, hidden_act: 'swish' }, 'hidden_act'],
    ['layer_norm_eps', { ...PYTHIA_70M, layer_norm_eps: 0 }, 'layer_norm_eps'],
    ['intermediate_size', { ...PYTHIA_70M, intermediate_size: undefined }, 'intermediate_size'],
    ['attention_bias', { ...PYTHIA_70M, attention_bias: 1 }, 'attention_bias'],
    ['num_key_value_heads', { ...SMOLLM2_135M, num_key_value_heads: 4 }, 'num_key_value_heads'],
    ['num_key_value_heads', { ...SMOLLM2_135M, num_key_value_heads: 0 }, 'num_key_value_heads'],
    ['head_dim', { ...SMOLLM2_135M, head_dim: 32 }, 'head_dim'],
    ['rope_theta', { ...SMOLLM2_135M, rope_theta: 0 }, 'rope_theta'],
    ['rope_scaling', { ...SMOLLM2_135M, rope_scaling: { rope_type: 'llama3', factor: 8 } }, 'rope_scaling'],
    ['hidden_act', { ...SMOLLM2_135M, hidden_act: 'gelu' }, 'hidden_act'],
    ['rms_norm_eps', { ...SMOLLM2_135M, rms_norm_eps: -1e-5 }, 'rms_norm_eps'],
    ['mlp_bias', { ...SMOLLM2_135M, mlp_bias: 'no' }, 'mlp_bias'],
    ['tie_word_embeddings', { ...SMOLLM2_135M, tie_word_embeddings: 'true' }, 'tie_word_embeddings'],
    ['attention_types', { ...TINYSTORIES_1M, attention_types: undefined, attention_layers: undefined }, 'attention_types'],
    ['attention_types', { ...TINYSTORIES_1M, attention_types: [[['global', 'local'], 3]] }, 'attention_types'],
    ['attention_types', { ...TINYSTORIES_1M, attention_types: [[['global', 'sparse'], 4]] }, 'attention_types'],
    ['attention_types', { ...TINYSTORIES_1M, attention_types: 'global' }, 'attention_types'],
    ['window_size', { ...TINYSTORIES_1M, window_size: 0 }, 'window_size'],
    ['window_size', { ...TINYSTORIES_1M, window_size: undefined }, 'window_size'],
    ['num_heads', { ...TINYSTORIES_1M, num_heads: 7 }, 'num_heads'],
    ['activation_function', { ...TINYSTORIES_1M, activation_function: 'swish' }, 'activation_function'],
  ];
  for (const [key, json, named] of cases) {
    it(`${json.model_type}: ${key} = ${JSON.stringify(json[key])?.slice(0, 40)}`, () => {
      let e: unknown;
      try {
        parseConfig(JSON.parse(JSON.stringify(json)));
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(ModelFileError);
      expect((e as Error).message.startsWith('config.json: ')).toBe(true);
      expect((e as Error).message).toContain(`"${named}"`);
    });
  }
});

const entriesOf = (f: { entries: Map<string, TensorEntry> }) => f;

describe('tensor checks name the tensor in the family layout', () => {
  it('untied GPT-NeoX without embed_out; GQA k_proj of the wrong width; transposed hint', () => {
    const neox = makeTinyCheckpoint({ arch: 'gpt_neox', tied: true });
    const cfg = parseConfig({ ...neox.hfConfig, tie_word_embeddings: false });
    expect(() => checkTensorsAgainstConfig(parseSafetensors(neox.bytes), cfg)).toThrow(/no embed_out\.weight/);
    const ll = makeTinyCheckpoint({ arch: 'llama', tied: true, kvHeads: 2 });
    const lcfg = parseConfig({ ...ll.hfConfig, num_key_value_heads: 1 });
    expect(() => checkTensorsAgainstConfig(parseSafetensors(ll.bytes), lcfg)).toThrow(
      /model\.layers\.0\.self_attn\.k_proj\.weight' has shape \[16, 32\] but the config needs \[8, 32\]/,
    );
    const neo = makeTinyCheckpoint({ arch: 'gpt_neo', tied: true, F: 48 });
    const ncfg = parseConfig(neo.hfConfig);
    const f = parseSafetensors(neo.bytes);
    const e = f.entries.get('transformer.h.0.mlp.c_fc.weight')!;
    f.entries.set(e.name, { ...e, shape: [32, 48] });
    expect(() => checkTensorsAgainstConfig(entriesOf(f), ncfg)).toThrow(/transposed\? GPT-Neo Linear weights are \[out, in\]/);
  });

  it('a GPT-NeoX file with BOOL mask buffers (attention.bias) loads; a needed tensor in I64 is refused by name', () => {
    const ck = makeTinyCheckpoint({ arch: 'gpt_neox', tied: false });
    const f = parseSafetensors(ck.bytes);
    const tensors = [...f.entries.keys()].map((name) => ({ name, shape: f.entries.get(name)!.shape, data: f.getFloat32(name) }));
    // a file with a BOOL buffer: written by hand, since writeSafetensors writes float dtypes only
    const withMask = addRawTensor(writeSafetensors(tensors), 'gpt_neox.layers.0.attention.bias', 'BOOL', [1, 1, 16, 16], 256);
    const g = parseSafetensors(withMask);
    expect(g.entries.get('gpt_neox.layers.0.attention.bias')!.dtype).toBe('BOOL');
    const cfg = parseConfig(ck.hfConfig);
    expect(() => checkTensorsAgainstConfig(g, cfg)).not.toThrow();
    expect(() => g.getFloat32('gpt_neox.layers.0.attention.bias')).toThrow(/unsupported dtype BOOL/);
    const e = g.entries.get('gpt_neox.embed_in.weight')!;
    g.entries.set(e.name, { ...e, dtype: 'I64' });
    expect(() => checkTensorsAgainstConfig(g, cfg)).toThrow(/'gpt_neox\.embed_in\.weight' has unsupported dtype I64/);
  });
});

/** Appends one tensor of any dtype (zero bytes) to a safetensors file. */
function addRawTensor(file: Uint8Array, name: string, dtype: string, shape: number[], bytes: number): Uint8Array {
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, { data_offsets?: number[] }>;
  const data = file.subarray(8 + n);
  header[name] = { dtype, shape, data_offsets: [data.byteLength, data.byteLength + bytes] } as never;
  let h = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (h.byteLength % 8)) % 8;
  h = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + h.byteLength + data.byteLength + bytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.byteLength), true);
  out.set(h, 8);
  out.set(data, 8 + h.byteLength);
  return out;
}

describe('presets of the new families', () => {
  it('each carries its config.json: parameters match, the download holds at least the weights, memory is known before fetching', async () => {
    const { PRESETS, presetMemory } = await import('../../../src/loader/presets');
    const fresh = PRESETS.filter((p) => p.hfConfig);
    expect(fresh.map((p) => p.key)).toEqual(['pythia-70m', 'pythia-160m', 'smollm2-135m']);
    for (const p of fresh) {
      const c = parseConfig(p.hfConfig);
      expect(countParameters(c), p.key).toBe(p.parameters);
      expect(p.downloadBytes, p.key).toBeGreaterThan(p.parameters * 2);
      expect(p.sizeSource, p.key).toBeTruthy();
      const m = presetMemory(p, 8)!;
      expect(m.float32Bytes).toBe(p.parameters * 4);
      expect(m.fits, p.key).toBe(true); // 8 GB device: all three fit
    }
    expect(presetMemory(PRESETS[0])).toBeNull();
  });
});
