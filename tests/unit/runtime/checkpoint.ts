/**
 * Writes tiny random checkpoints in the exact Hugging Face layouts the runtime
 * must read (GPT-2 Conv1D [in, out]; OPT, GPT-NeoX, Llama, GPT-Neo nn.Linear
 * [out, in], with each family's tensor names as transformers saves them), in
 * F32, F16 or BF16, with a matching HF config.json object. Test helper, not
 * product code.
 */
import { writeSafetensors } from '../../../src/runtime/safetensors';
import type { SafeDtype } from '../../../src/runtime/formats';
import type { ModelSource } from '../../../src/runtime/api';

export interface TinySpec {
  arch: 'gpt2' | 'opt' | 'gpt_neox' | 'llama' | 'gpt_neo';
  V?: number;
  P?: number;
  D?: number;
  L?: number;
  H?: number;
  F?: number;
  /** tie_word_embeddings */
  tied: boolean;
  /** For tied models: write lm_head.weight (equal to wte) or leave it out. Untied models always write it. */
  lmHead?: 'absent' | 'equal';
  /** GPT-2: 'transformer.' or ''. OPT: 'model.decoder.' or 'decoder.'. */
  prefix?: string;
  dtype?: SafeDtype;
  seed?: number;
  /** OPT only: add project_in/project_out (as OPT-350m). */
  projectIn?: boolean;
  activation?: string;
  /** GPT-NeoX: rotary_pct (default 0.5) and use_parallel_residual (default true). */
  rotaryPct?: number;
  parallel?: boolean;
  /** Llama: num_key_value_heads (default H / 2). */
  kvHeads?: number;
  /** GPT-Neo: window_size (default 4) and attention_types (default [[["global","local"], L/2]]). */
  window?: number;
  attentionTypes?: unknown;
  /** Rotary base (rotary_emb_base / rope_theta); default 10000. */
  rotaryBase?: number;
}

/** Deterministic normal samples (mulberry32 + Box-Muller). */
export function normalRng(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float -> IEEE half bits, round to nearest even (no NaN handling needed here). */
export function f32ToF16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  let e = exp - 127 + 15;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return sign | h;
}

/** float -> bfloat16 bits, round to nearest even. */
export function f32ToBf16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

export interface TinyCheckpoint {
  hfConfig: Record<string, unknown>;
  bytes: Uint8Array;
  /** tensor name -> shape, in file order */
  names: string[];
}

export function makeTinyCheckpoint(spec: TinySpec): TinyCheckpoint {
  const V = spec.V ?? 64;
  const P = spec.P ?? 16;
  const D = spec.D ?? 32;
  const L = spec.L ?? 2;
  const H = spec.H ?? 4;
  const F = spec.F ?? 4 * D;
  const dtype = spec.dtype ?? 'F32';
  const rnd = normalRng(spec.seed ?? 1);
  const tensors: { name: string; dtype: SafeDtype; shape: number[]; data: Float32Array | Uint16Array }[] = [];
  const cache = new Map<string, Float32Array>();
  const add = (name: string, shape: number[], gen: () => number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = gen();
    cache.set(name, v);
    push(name, shape, v);
  };
  const push = (name: string, shape: number[], v: Float32Array) => {
    if (dtype === 'F32') tensors.push({ name, dtype, shape, data: v });
    else {
      const u = new Uint16Array(v.length);
      for (let i = 0; i < v.length; i++) u[i] = dtype === 'F16' ? f32ToF16Bits(v[i]) : f32ToBf16Bits(v[i]);
      tensors.push({ name, dtype, shape, data: u });
    }
  };
  const mat = (fanIn: number) => () => rnd() / Math.sqrt(fanIn);
  const gain = () => 1 + 0.2 * rnd();
  const small = () => 0.1 * rnd();
  const emb = () => rnd();
  const layout = spec.arch === 'gpt2' ? 'io' : 'oi';
  /** A norm's gain `name.weight` [D] and, with `bias`, `name.bias` [D]. */
  const norm = (name: string, bias = true) => {
    add(`${name}.weight`, [D], gain);
    if (bias) add(`${name}.bias`, [D], small);
  };
  /** A linear map inDim → outDim: `name.weight` stored [in, out] (GPT-2 Conv1D) or [out, in], and `name.bias` [out] with `bias`. */
  const linear = (name: string, inDim: number, outDim: number, bias = true) => {
    add(`${name}.weight`, layout === 'io' ? [inDim, outDim] : [outDim, inDim], mat(inDim));
    if (bias) add(`${name}.bias`, [outDim], small);
  };
  /** The unembedding [V, D]: its own values when untied; when tied, a copy of `wte` or nothing, as spec.lmHead says. */
  const head = (name: string, wte: string) => {
    if (!spec.tied) add(name, [V, D], emb);
    else if (spec.lmHead === 'equal') push(name, [V, D], cache.get(wte)!);
  };

  /** The size keys of the configs that use transformers' standard names (OPT, GPT-NeoX, Llama). */
  const hfSizes = { vocab_size: V, max_position_embeddings: P, hidden_size: D, num_hidden_layers: L, num_attention_heads: H };
  let hfConfig: Record<string, unknown>;
  if (spec.arch === 'gpt2') {
    const p = spec.prefix ?? 'transformer.';
    add(`${p}wte.weight`, [V, D], emb);
    add(`${p}wpe.weight`, [P, D], () => 0.5 * rnd());
    for (let i = 0; i < L; i++) {
      const h = `${p}h.${i}.`;
      norm(`${h}ln_1`);
      linear(`${h}attn.c_attn`, D, 3 * D);
      linear(`${h}attn.c_proj`, D, D);
      norm(`${h}ln_2`);
      linear(`${h}mlp.c_fc`, D, F);
      linear(`${h}mlp.c_proj`, F, D);
    }
    norm(`${p}ln_f`);
    head('lm_head.weight', `${p}wte.weight`);
    hfConfig = {
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      vocab_size: V,
      n_positions: P,
      n_embd: D,
      n_layer: L,
      n_head: H,
      n_inner: F === 4 * D ? null : F,
      activation_function: spec.activation ?? 'gelu_new',
      layer_norm_epsilon: 1e-5,
      tie_word_embeddings: spec.tied,
      bos_token_id: V - 1,
      eos_token_id: V - 1,
    };
  } else if (spec.arch === 'gpt_neox') {
    const p = 'gpt_neox.';
    add(`${p}embed_in.weight`, [V, D], emb);
    for (let i = 0; i < L; i++) {
      const h = `${p}layers.${i}.`;
      norm(`${h}input_layernorm`);
      norm(`${h}post_attention_layernorm`);
      linear(`${h}attention.query_key_value`, D, 3 * D);
      linear(`${h}attention.dense`, D, D);
      linear(`${h}mlp.dense_h_to_4h`, D, F);
      linear(`${h}mlp.dense_4h_to_h`, F, D);
    }
    norm(`${p}final_layer_norm`);
    head('embed_out.weight', `${p}embed_in.weight`);
    hfConfig = {
      model_type: 'gpt_neox',
      architectures: ['GPTNeoXForCausalLM'],
      ...hfSizes,
      intermediate_size: F,
      rotary_pct: spec.rotaryPct ?? 0.5,
      rotary_emb_base: spec.rotaryBase ?? 10000,
      use_parallel_residual: spec.parallel ?? true,
      hidden_act: spec.activation ?? 'gelu',
      layer_norm_eps: 1e-5,
      tie_word_embeddings: spec.tied,
      bos_token_id: 0,
      eos_token_id: 0,
    };
  } else if (spec.arch === 'llama') {
    const p = 'model.';
    const KV = spec.kvHeads ?? H / 2;
    const kvd = KV * (D / H);
    add(`${p}embed_tokens.weight`, [V, D], emb);
    for (let i = 0; i < L; i++) {
      const h = `${p}layers.${i}.`;
      norm(`${h}input_layernorm`, false);
      linear(`${h}self_attn.q_proj`, D, D, false);
      linear(`${h}self_attn.k_proj`, D, kvd, false);
      linear(`${h}self_attn.v_proj`, D, kvd, false);
      linear(`${h}self_attn.o_proj`, D, D, false);
      norm(`${h}post_attention_layernorm`, false);
      linear(`${h}mlp.gate_proj`, D, F, false);
      linear(`${h}mlp.up_proj`, D, F, false);
      linear(`${h}mlp.down_proj`, F, D, false);
    }
    norm(`${p}norm`, false);
    head('lm_head.weight', `${p}embed_tokens.weight`);
    hfConfig = {
      model_type: 'llama',
      architectures: ['LlamaForCausalLM'],
      ...hfSizes,
      num_key_value_heads: KV,
      intermediate_size: F,
      rms_norm_eps: 1e-5,
      rope_theta: spec.rotaryBase ?? 10000,
      rope_scaling: null,
      hidden_act: 'silu',
      attention_bias: false,
      mlp_bias: false,
      tie_word_embeddings: spec.tied,
      bos_token_id: 0,
      eos_token_id: 0,
    };
  } else if (spec.arch === 'gpt_neo') {
    const p = spec.prefix ?? 'transformer.';
    add(`${p}wte.weight`, [V, D], emb);
    add(`${p}wpe.weight`, [P, D], () => 0.5 * rnd());
    for (let i = 0; i < L; i++) {
      const h = `${p}h.${i}.`;
      norm(`${h}ln_1`);
      for (const q of ['k', 'v', 'q']) linear(`${h}attn.attention.${q}_proj`, D, D, false);
      linear(`${h}attn.attention.out_proj`, D, D);
      norm(`${h}ln_2`);
      linear(`${h}mlp.c_fc`, D, F);
      linear(`${h}mlp.c_proj`, F, D);
    }
    norm(`${p}ln_f`);
    head('lm_head.weight', `${p}wte.weight`);
    const types = spec.attentionTypes ?? [[['global', 'local'], Math.ceil(L / 2)]];
    hfConfig = {
      model_type: 'gpt_neo',
      architectures: ['GPTNeoForCausalLM'],
      vocab_size: V,
      max_position_embeddings: P,
      hidden_size: D,
      num_layers: L,
      num_heads: H,
      intermediate_size: F === 4 * D ? null : F,
      activation_function: spec.activation ?? 'gelu_new',
      layer_norm_epsilon: 1e-5,
      window_size: spec.window ?? 4,
      attention_types: types,
      tie_word_embeddings: spec.tied,
      bos_token_id: V - 1,
      eos_token_id: V - 1,
    };
  } else {
    const p = spec.prefix ?? 'model.decoder.';
    add(`${p}embed_tokens.weight`, [V, D], emb);
    add(`${p}embed_positions.weight`, [P + 2, D], () => 0.5 * rnd());
    if (spec.projectIn) {
      linear(`${p}project_in`, D, D, false);
      linear(`${p}project_out`, D, D, false);
    }
    for (let i = 0; i < L; i++) {
      const h = `${p}layers.${i}.`;
      for (const q of ['k', 'v', 'q', 'out']) linear(`${h}self_attn.${q}_proj`, D, D);
      norm(`${h}self_attn_layer_norm`);
      linear(`${h}fc1`, D, F);
      linear(`${h}fc2`, F, D);
      norm(`${h}final_layer_norm`);
    }
    norm(`${p}final_layer_norm`);
    head('lm_head.weight', `${p}embed_tokens.weight`);
    hfConfig = {
      model_type: 'opt',
      architectures: ['OPTForCausalLM'],
      ...hfSizes,
      word_embed_proj_dim: D,
      ffn_dim: F,
      do_layer_norm_before: true,
      activation_function: 'relu',
      layer_norm_epsilon: 1e-5,
      tie_word_embeddings: spec.tied,
      bos_token_id: 2,
      eos_token_id: 2,
      pad_token_id: 1,
    };
  }
  return { hfConfig, bytes: writeSafetensors(tensors), names: tensors.map((t) => t.name) };
}

/** A tiny checkpoint as the model client loads it (bytes in memory, key and label 'tiny', no tokenizer). */
export function tinySource(spec: TinySpec): ModelSource {
  const ck = makeTinyCheckpoint(spec);
  return {
    kind: 'bytes',
    key: 'tiny',
    label: 'tiny',
    config: new TextEncoder().encode(JSON.stringify(ck.hfConfig)).buffer as ArrayBuffer,
    safetensors: ck.bytes.slice().buffer as ArrayBuffer,
    tokenizer: new ArrayBuffer(0),
  };
}
