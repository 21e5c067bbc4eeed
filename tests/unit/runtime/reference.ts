/**
 * An independent float64 GPT-2 / OPT forward pass in plain TypeScript (loops
 * over Float64Arrays), used only as the ground truth in tests. It reads the
 * HF tensors in their stored layouts (GPT-2 Conv1D [in, out]; OPT nn.Linear
 * [out, in]) and shares no code with the tfjs runtime.
 */
import type { ModelConfig } from '../../../src/runtime/types';

export type Get = (name: string) => Float64Array;

export interface RefResult {
  tokEmb: Float64Array; // [T, D]
  posEmb: Float64Array; // [T, D]
  residuals: Float64Array[]; // L+1 x [T, D]
  lnFinal: Float64Array; // [T, D]
  logits: Float64Array; // [T, V]
}

export function layerNorm(x: Float64Array, T: number, D: number, g: Float64Array, b: Float64Array, eps: number): Float64Array {
  const out = new Float64Array(T * D);
  for (let t = 0; t < T; t++) {
    let mean = 0;
    for (let i = 0; i < D; i++) mean += x[t * D + i];
    mean /= D;
    let v = 0;
    for (let i = 0; i < D; i++) v += (x[t * D + i] - mean) ** 2;
    v /= D;
    const s = 1 / Math.sqrt(v + eps);
    for (let i = 0; i < D; i++) out[t * D + i] = (x[t * D + i] - mean) * s * g[i] + b[i];
  }
  return out;
}

/** y[t, o] = sum_i x[t, i] W[i, o] + b[o]  (W stored [in, out]). */
export function conv1d(x: Float64Array, T: number, I: number, W: Float64Array, O: number, b: Float64Array): Float64Array {
  const y = new Float64Array(T * O);
  for (let t = 0; t < T; t++)
    for (let o = 0; o < O; o++) {
      let s = b[o];
      for (let i = 0; i < I; i++) s += x[t * I + i] * W[i * O + o];
      y[t * O + o] = s;
    }
  return y;
}

/** y[t, o] = sum_i x[t, i] W[o, i] + b[o]  (W stored [out, in], nn.Linear). */
export function linearOI(x: Float64Array, T: number, I: number, W: Float64Array, O: number, b: Float64Array | null): Float64Array {
  const y = new Float64Array(T * O);
  for (let t = 0; t < T; t++)
    for (let o = 0; o < O; o++) {
      let s = b ? b[o] : 0;
      for (let i = 0; i < I; i++) s += x[t * I + i] * W[o * I + i];
      y[t * O + o] = s;
    }
  return y;
}

export function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

/** Causal multi-head attention given q, k, v [T, D] (q already scaled). */
function attend(q: Float64Array, k: Float64Array, v: Float64Array, T: number, D: number, H: number): Float64Array {
  const hd = D / H;
  const out = new Float64Array(T * D);
  const s = new Float64Array(T);
  for (let h = 0; h < H; h++)
    for (let t = 0; t < T; t++) {
      let max = -Infinity;
      for (let u = 0; u <= t; u++) {
        let dot = 0;
        for (let i = 0; i < hd; i++) dot += q[t * D + h * hd + i] * k[u * D + h * hd + i];
        s[u] = dot;
        if (dot > max) max = dot;
      }
      let z = 0;
      for (let u = 0; u <= t; u++) {
        s[u] = Math.exp(s[u] - max);
        z += s[u];
      }
      for (let u = 0; u <= t; u++)
        for (let i = 0; i < hd; i++) out[t * D + h * hd + i] += (s[u] / z) * v[u * D + h * hd + i];
    }
  return out;
}

export function referenceForward(c: ModelConfig, get: Get, ids: number[]): RefResult {
  return c.arch === 'gpt2' ? gpt2(c, get, ids) : opt(c, get, ids);
}

function gpt2(c: ModelConfig, get: Get, ids: number[]): RefResult {
  const { nEmbd: D, nHead: H, nInner: F, vocabSize: V } = c;
  const T = ids.length;
  const wte = get('wte.weight');
  const wpe = get('wpe.weight');
  const tokEmb = new Float64Array(T * D);
  const posEmb = new Float64Array(T * D);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < D; i++) {
      tokEmb[t * D + i] = wte[ids[t] * D + i];
      posEmb[t * D + i] = wpe[t * D + i];
    }
  let x = tokEmb.map((a, j) => a + posEmb[j]);
  const residuals = [x.slice()];
  for (let l = 0; l < c.nLayer; l++) {
    const p = `h.${l}.`;
    const h1 = layerNorm(x, T, D, get(p + 'ln_1.weight'), get(p + 'ln_1.bias'), c.eps);
    const qkv = conv1d(h1, T, D, get(p + 'attn.c_attn.weight'), 3 * D, get(p + 'attn.c_attn.bias'));
    const q = new Float64Array(T * D);
    const k = new Float64Array(T * D);
    const v = new Float64Array(T * D);
    const sc = 1 / Math.sqrt(D / H);
    for (let t = 0; t < T; t++)
      for (let i = 0; i < D; i++) {
        q[t * D + i] = qkv[t * 3 * D + i] * sc;
        k[t * D + i] = qkv[t * 3 * D + D + i];
        v[t * D + i] = qkv[t * 3 * D + 2 * D + i];
      }
    const a = conv1d(attend(q, k, v, T, D, H), T, D, get(p + 'attn.c_proj.weight'), D, get(p + 'attn.c_proj.bias'));
    x = x.map((xi, j) => xi + a[j]);
    const h2 = layerNorm(x, T, D, get(p + 'ln_2.weight'), get(p + 'ln_2.bias'), c.eps);
    const f = conv1d(h2, T, D, get(p + 'mlp.c_fc.weight'), F, get(p + 'mlp.c_fc.bias')).map(c.activation === 'relu' ? (z) => Math.max(0, z) : gelu);
    const m = conv1d(f, T, F, get(p + 'mlp.c_proj.weight'), D, get(p + 'mlp.c_proj.bias'));
    x = x.map((xi, j) => xi + m[j]);
    residuals.push(x.slice());
  }
  const lnFinal = layerNorm(x, T, D, get('ln_f.weight'), get('ln_f.bias'), c.eps);
  const wu = c.tied ? wte : get('lm_head.weight');
  const logits = linearOI(lnFinal, T, D, wu, V, null);
  return { tokEmb, posEmb, residuals, lnFinal, logits };
}

function opt(c: ModelConfig, get: Get, ids: number[]): RefResult {
  const { nEmbd: D, nHead: H, nInner: F, vocabSize: V } = c;
  const T = ids.length;
  const wte = get('embed_tokens.weight');
  const wpe = get('embed_positions.weight');
  const tokEmb = new Float64Array(T * D);
  const posEmb = new Float64Array(T * D);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < D; i++) {
      tokEmb[t * D + i] = wte[ids[t] * D + i];
      posEmb[t * D + i] = wpe[(t + 2) * D + i];
    }
  let x = tokEmb.map((a, j) => a + posEmb[j]);
  const residuals = [x.slice()];
  const scaling = (D / H) ** -0.5;
  for (let l = 0; l < c.nLayer; l++) {
    const p = `layers.${l}.`;
    const h1 = layerNorm(x, T, D, get(p + 'self_attn_layer_norm.weight'), get(p + 'self_attn_layer_norm.bias'), c.eps);
    const q = linearOI(h1, T, D, get(p + 'self_attn.q_proj.weight'), D, get(p + 'self_attn.q_proj.bias')).map((z) => z * scaling);
    const k = linearOI(h1, T, D, get(p + 'self_attn.k_proj.weight'), D, get(p + 'self_attn.k_proj.bias'));
    const v = linearOI(h1, T, D, get(p + 'self_attn.v_proj.weight'), D, get(p + 'self_attn.v_proj.bias'));
    const a = linearOI(attend(q, k, v, T, D, H), T, D, get(p + 'self_attn.out_proj.weight'), D, get(p + 'self_attn.out_proj.bias'));
    x = x.map((xi, j) => xi + a[j]);
    const h2 = layerNorm(x, T, D, get(p + 'final_layer_norm.weight'), get(p + 'final_layer_norm.bias'), c.eps);
    const f = linearOI(h2, T, D, get(p + 'fc1.weight'), F, get(p + 'fc1.bias')).map((z) => Math.max(0, z));
    const m = linearOI(f, T, F, get(p + 'fc2.weight'), D, get(p + 'fc2.bias'));
    x = x.map((xi, j) => xi + m[j]);
    residuals.push(x.slice());
  }
  const lnFinal = layerNorm(x, T, D, get('final_layer_norm.weight'), get('final_layer_norm.bias'), c.eps);
  const wu = c.tied ? wte : get('lm_head.weight');
  const logits = linearOI(lnFinal, T, D, wu, V, null);
  return { tokEmb, posEmb, residuals, lnFinal, logits };
}

/** ||a - b|| / ||b|| (norm-wise relative error). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}
