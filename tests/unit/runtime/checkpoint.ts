/**
 * Writes tiny random checkpoints in the exact Hugging Face layouts the runtime
 * must read (GPT-2 Conv1D [in, out]; OPT nn.Linear [out, in]), in F32, F16 or
 * BF16, with a matching HF config.json object. Test helper, not product code.
 */
import { writeSafetensors } from '../../../src/runtime/safetensors';
import type { SafeDtype } from '../../../src/runtime/formats';

export interface TinySpec {
  arch: 'gpt2' | 'opt';
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

  let hfConfig: Record<string, unknown>;
  if (spec.arch === 'gpt2') {
    const p = spec.prefix ?? 'transformer.';
    add(`${p}wte.weight`, [V, D], emb);
    add(`${p}wpe.weight`, [P, D], () => 0.5 * rnd());
    for (let i = 0; i < L; i++) {
      const h = `${p}h.${i}.`;
      add(`${h}ln_1.weight`, [D], gain);
      add(`${h}ln_1.bias`, [D], small);
      add(`${h}attn.c_attn.weight`, [D, 3 * D], mat(D));
      add(`${h}attn.c_attn.bias`, [3 * D], small);
      add(`${h}attn.c_proj.weight`, [D, D], mat(D));
      add(`${h}attn.c_proj.bias`, [D], small);
      add(`${h}ln_2.weight`, [D], gain);
      add(`${h}ln_2.bias`, [D], small);
      add(`${h}mlp.c_fc.weight`, [D, F], mat(D));
      add(`${h}mlp.c_fc.bias`, [F], small);
      add(`${h}mlp.c_proj.weight`, [F, D], mat(F));
      add(`${h}mlp.c_proj.bias`, [D], small);
    }
    add(`${p}ln_f.weight`, [D], gain);
    add(`${p}ln_f.bias`, [D], small);
    if (!spec.tied) add('lm_head.weight', [V, D], emb);
    else if (spec.lmHead === 'equal') push('lm_head.weight', [V, D], cache.get(`${p}wte.weight`)!);
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
  } else {
    const p = spec.prefix ?? 'model.decoder.';
    add(`${p}embed_tokens.weight`, [V, D], emb);
    add(`${p}embed_positions.weight`, [P + 2, D], () => 0.5 * rnd());
    if (spec.projectIn) {
      add(`${p}project_in.weight`, [D, D], mat(D));
      add(`${p}project_out.weight`, [D, D], mat(D));
    }
    for (let i = 0; i < L; i++) {
      const h = `${p}layers.${i}.`;
      for (const q of ['k', 'v', 'q', 'out']) {
        add(`${h}self_attn.${q}_proj.weight`, [D, D], mat(D));
        add(`${h}self_attn.${q}_proj.bias`, [D], small);
      }
      add(`${h}self_attn_layer_norm.weight`, [D], gain);
      add(`${h}self_attn_layer_norm.bias`, [D], small);
      add(`${h}fc1.weight`, [F, D], mat(D));
      add(`${h}fc1.bias`, [F], small);
      add(`${h}fc2.weight`, [D, F], mat(F));
      add(`${h}fc2.bias`, [D], small);
      add(`${h}final_layer_norm.weight`, [D], gain);
      add(`${h}final_layer_norm.bias`, [D], small);
    }
    add(`${p}final_layer_norm.weight`, [D], gain);
    add(`${p}final_layer_norm.bias`, [D], small);
    if (!spec.tied) add('lm_head.weight', [V, D], emb);
    else if (spec.lmHead === 'equal') push('lm_head.weight', [V, D], cache.get(`${p}embed_tokens.weight`)!);
    hfConfig = {
      model_type: 'opt',
      architectures: ['OPTForCausalLM'],
      vocab_size: V,
      max_position_embeddings: P,
      hidden_size: D,
      word_embed_proj_dim: D,
      num_hidden_layers: L,
      num_attention_heads: H,
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
