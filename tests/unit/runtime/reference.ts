/**
 * An independent float64 forward pass of every family the runtime reads (GPT-2,
 * OPT, GPT-NeoX, Llama, GPT-Neo) in plain TypeScript (loops over Float64Arrays),
 * used only as the ground truth in tests. It reads the HF tensors by their HF
 * names in their stored layouts (GPT-2 Conv1D [in, out]; the others nn.Linear
 * [out, in]) and follows the HF modeling code's documented computation, sharing
 * no code with the tfjs runtime or its architecture table.
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
      for (let u = 0; u <= t; u++) for (let i = 0; i < hd; i++) out[t * D + h * hd + i] += (s[u] / z) * v[u * D + h * hd + i];
    }
  return out;
}

export function referenceForward(c: ModelConfig, get: Get, ids: number[]): RefResult {
  switch (c.arch) {
    case 'gpt2':
      return gpt2(c, get, ids);
    case 'opt':
      return opt(c, get, ids);
    case 'gpt_neox':
      return gptNeox(c, get, ids);
    case 'llama':
      return llama(c, get, ids);
    case 'gpt_neo':
      return gptNeo(c, get, ids);
  }
}

// ------------------------------------------------- GPT-NeoX, Llama, GPT-Neo

/** RMSNorm (Llama): x / sqrt(mean(x²) + eps) · g. */
function rmsNorm(x: Float64Array, T: number, D: number, g: Float64Array, eps: number): Float64Array {
  const out = new Float64Array(T * D);
  for (let t = 0; t < T; t++) {
    let ms = 0;
    for (let i = 0; i < D; i++) ms += x[t * D + i] ** 2;
    const s = 1 / Math.sqrt(ms / D + eps);
    for (let i = 0; i < D; i++) out[t * D + i] = x[t * D + i] * s * g[i];
  }
  return out;
}

/** erf, Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7, ample for a 1e-4 comparison). */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
const geluErf = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));
const silu = (x: number) => x / (1 + Math.exp(-x));

/**
 * HF rotary embedding (GPT-NeoX and Llama: rotate_half): on the first r dims of one head vector
 * at position pos, inv_freq[j] = base^(−2j/r), emb = cat(freqs, freqs),
 * out = x·cos(emb) + rotate_half(x)·sin(emb), rotate_half(x) = cat(−x[r/2:r], x[0:r/2]).
 * Applies in place to a[off .. off+r).
 */
function rope(a: Float64Array, off: number, r: number, pos: number, base: number): void {
  const half = r / 2;
  const x = a.slice(off, off + r);
  for (let i = 0; i < r; i++) {
    const j = i % half;
    const ang = pos / Math.pow(base, (2 * j) / r);
    const rot = i < half ? -x[i + half] : x[i - half];
    a[off + i] = x[i] * Math.cos(ang) + rot * Math.sin(ang);
  }
}

/**
 * Causal attention with q [T, H·hd], k, v [T, KV·hd] (query head h reads key/value head
 * floor(h / (H/KV))), scores multiplied by `scale`, and, when window > 0, query i seeing only
 * keys j with i − window < j ≤ i.
 */
function attendGqa(
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  T: number,
  H: number,
  KV: number,
  hd: number,
  scale: number,
  window: number,
): Float64Array {
  const out = new Float64Array(T * H * hd);
  const s = new Float64Array(T);
  const rep = H / KV;
  for (let h = 0; h < H; h++) {
    const g = Math.floor(h / rep);
    for (let t = 0; t < T; t++) {
      const lo = window > 0 ? Math.max(0, t - window + 1) : 0;
      let max = -Infinity;
      for (let u = lo; u <= t; u++) {
        let dot = 0;
        for (let i = 0; i < hd; i++) dot += q[t * H * hd + h * hd + i] * k[u * KV * hd + g * hd + i];
        s[u] = dot * scale;
        if (s[u] > max) max = s[u];
      }
      let z = 0;
      for (let u = lo; u <= t; u++) {
        s[u] = Math.exp(s[u] - max);
        z += s[u];
      }
      for (let u = lo; u <= t; u++) for (let i = 0; i < hd; i++) out[t * H * hd + h * hd + i] += (s[u] / z) * v[u * KV * hd + g * hd + i];
    }
  }
  return out;
}

function embedRows(table: Float64Array, ids: number[], D: number): Float64Array {
  const out = new Float64Array(ids.length * D);
  ids.forEach((id, t) => out.set(table.subarray(id * D, (id + 1) * D), t * D));
  return out;
}

/** a + b elementwise: a residual add. */
const plus = (a: Float64Array, b: Float64Array): Float64Array => a.map((ai, j) => ai + b[j]);

interface Embedded {
  tokEmb: Float64Array;
  posEmb: Float64Array;
  /** The residual stream entering block 0. */
  x: Float64Array;
}

/**
 * The input: rows of wte for the tokens, plus rows offset, offset + 1, … of a learned positional
 * table wpe; with wpe null (rotary positions) posEmb is zeros and the stream is the token rows alone.
 */
function embed(ids: number[], D: number, wte: Float64Array, wpe: Float64Array | null, offset = 0): Embedded {
  const tokEmb = embedRows(wte, ids, D);
  if (!wpe) return { tokEmb, posEmb: new Float64Array(ids.length * D), x: tokEmb.slice() };
  const posEmb = embedRows(
    wpe,
    ids.map((_, t) => t + offset),
    D,
  );
  return { tokEmb, posEmb, x: plus(tokEmb, posEmb) };
}

/**
 * What every family shares around its blocks: the stream through c.nLayer blocks (block l maps the
 * stream to the next one; each is recorded), the final norm, and the logits against the unembedding
 * [V, D] (read once the blocks have run).
 */
function decode(
  c: ModelConfig,
  { tokEmb, posEmb, x: x0 }: Embedded,
  block: (x: Float64Array, l: number) => Float64Array,
  finalNorm: (x: Float64Array) => Float64Array,
  unembed: () => Float64Array,
): RefResult {
  const T = tokEmb.length / c.nEmbd;
  let x = x0;
  const residuals = [x.slice()];
  for (let l = 0; l < c.nLayer; l++) {
    x = block(x, l);
    residuals.push(x.slice());
  }
  const lnFinal = finalNorm(x);
  const logits = linearOI(lnFinal, T, c.nEmbd, unembed(), c.vocabSize, null);
  return { tokEmb, posEmb, residuals, lnFinal, logits };
}

/**
 * GPT-NeoX (HF GPTNeoXForCausalLM): query_key_value output viewed as [T, H, 3·hd] (q, k, v per head),
 * rotary on the first int(hd·rotary_pct) dims of q and k, 1/sqrt(hd) scaling, dense; exact GELU MLP;
 * parallel residual x + attn(ln1(x)) + mlp(ln2(x)) when use_parallel_residual, else sequential.
 */
function gptNeox(c: ModelConfig, get: Get, ids: number[]): RefResult {
  const { nEmbd: D, nHead: H, nInner: F } = c;
  const hd = D / H;
  const T = ids.length;
  const wte = get('embed_in.weight');
  const block = (x: Float64Array, l: number): Float64Array => {
    const p = `layers.${l}.`;
    const h1 = layerNorm(x, T, D, get(p + 'input_layernorm.weight'), get(p + 'input_layernorm.bias'), c.eps);
    const qkv = linearOI(h1, T, D, get(p + 'attention.query_key_value.weight'), 3 * D, get(p + 'attention.query_key_value.bias'));
    const q = new Float64Array(T * D);
    const k = new Float64Array(T * D);
    const v = new Float64Array(T * D);
    for (let t = 0; t < T; t++)
      for (let h = 0; h < H; h++)
        for (let i = 0; i < hd; i++) {
          const base = t * 3 * D + h * 3 * hd;
          q[t * D + h * hd + i] = qkv[base + i];
          k[t * D + h * hd + i] = qkv[base + hd + i];
          v[t * D + h * hd + i] = qkv[base + 2 * hd + i];
        }
    for (let t = 0; t < T; t++)
      for (let h = 0; h < H; h++) {
        rope(q, t * D + h * hd, c.rotaryDims, t, c.rotaryBase);
        rope(k, t * D + h * hd, c.rotaryDims, t, c.rotaryBase);
      }
    const a = linearOI(
      attendGqa(q, k, v, T, H, H, hd, 1 / Math.sqrt(hd), 0),
      T,
      D,
      get(p + 'attention.dense.weight'),
      D,
      get(p + 'attention.dense.bias'),
    );
    const mlpOf = (y: Float64Array) => {
      const f = linearOI(y, T, D, get(p + 'mlp.dense_h_to_4h.weight'), F, get(p + 'mlp.dense_h_to_4h.bias')).map(geluErf);
      return linearOI(f, T, F, get(p + 'mlp.dense_4h_to_h.weight'), D, get(p + 'mlp.dense_4h_to_h.bias'));
    };
    if (c.parallelResidual) {
      const m = mlpOf(layerNorm(x, T, D, get(p + 'post_attention_layernorm.weight'), get(p + 'post_attention_layernorm.bias'), c.eps));
      return x.map((xi, j) => xi + a[j] + m[j]);
    }
    const xa = plus(x, a);
    const m = mlpOf(layerNorm(xa, T, D, get(p + 'post_attention_layernorm.weight'), get(p + 'post_attention_layernorm.bias'), c.eps));
    return plus(xa, m);
  };
  const finalNorm = (x: Float64Array) => layerNorm(x, T, D, get('final_layer_norm.weight'), get('final_layer_norm.bias'), c.eps);
  return decode(c, embed(ids, D, wte, null), block, finalNorm, () => (c.tied ? wte : get('embed_out.weight')));
}

/**
 * Llama (HF LlamaForCausalLM): RMSNorm; q_proj [H·hd, D], k_proj/v_proj [KV·hd, D] (grouped-query:
 * repeat_kv), rotary on the whole head, 1/sqrt(hd) scaling, o_proj; MLP down(silu(gate(x)) · up(x));
 * no biases; final norm; lm_head or, tied, embed_tokens.
 */
function llama(c: ModelConfig, get: Get, ids: number[]): RefResult {
  const { nEmbd: D, nHead: H, nInner: F, nKvHead: KV } = c;
  const hd = D / H;
  const T = ids.length;
  const wte = get('embed_tokens.weight');
  const block = (x: Float64Array, l: number): Float64Array => {
    const p = `layers.${l}.`;
    const h1 = rmsNorm(x, T, D, get(p + 'input_layernorm.weight'), c.eps);
    const q = linearOI(h1, T, D, get(p + 'self_attn.q_proj.weight'), H * hd, null);
    const k = linearOI(h1, T, D, get(p + 'self_attn.k_proj.weight'), KV * hd, null);
    const v = linearOI(h1, T, D, get(p + 'self_attn.v_proj.weight'), KV * hd, null);
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < H; h++) rope(q, t * H * hd + h * hd, hd, t, c.rotaryBase);
      for (let g = 0; g < KV; g++) rope(k, t * KV * hd + g * hd, hd, t, c.rotaryBase);
    }
    const a = linearOI(attendGqa(q, k, v, T, H, KV, hd, 1 / Math.sqrt(hd), 0), T, D, get(p + 'self_attn.o_proj.weight'), D, null);
    x = plus(x, a);
    const h2 = rmsNorm(x, T, D, get(p + 'post_attention_layernorm.weight'), c.eps);
    const gate = linearOI(h2, T, D, get(p + 'mlp.gate_proj.weight'), F, null);
    const upv = linearOI(h2, T, D, get(p + 'mlp.up_proj.weight'), F, null);
    const m = linearOI(
      gate.map((g, j) => silu(g) * upv[j]),
      T,
      F,
      get(p + 'mlp.down_proj.weight'),
      D,
      null,
    );
    return plus(x, m);
  };
  const finalNorm = (x: Float64Array) => rmsNorm(x, T, D, get('norm.weight'), c.eps);
  return decode(c, embed(ids, D, wte, null), block, finalNorm, () => (c.tied ? wte : get('lm_head.weight')));
}

/**
 * GPT-Neo (HF GPTNeoForCausalLM): learned wte + wpe; q/k/v_proj without bias, out_proj with bias;
 * scores q·kᵀ NOT scaled; layer l is global or local per attention_types (local: keys within
 * window_size, i − window < j ≤ i); gelu_new MLP c_fc / c_proj (nn.Linear); ln_f; tied lm_head.
 */
function gptNeo(c: ModelConfig, get: Get, ids: number[]): RefResult {
  const { nEmbd: D, nHead: H, nInner: F } = c;
  const hd = D / H;
  const T = ids.length;
  const wte = get('wte.weight');
  const block = (x: Float64Array, l: number): Float64Array => {
    const p = `h.${l}.`;
    const a0 = `${p}attn.attention.`;
    const h1 = layerNorm(x, T, D, get(p + 'ln_1.weight'), get(p + 'ln_1.bias'), c.eps);
    const q = linearOI(h1, T, D, get(a0 + 'q_proj.weight'), D, null);
    const k = linearOI(h1, T, D, get(a0 + 'k_proj.weight'), D, null);
    const v = linearOI(h1, T, D, get(a0 + 'v_proj.weight'), D, null);
    const a = linearOI(
      attendGqa(q, k, v, T, H, H, hd, 1, c.attnWindows[l]),
      T,
      D,
      get(a0 + 'out_proj.weight'),
      D,
      get(a0 + 'out_proj.bias'),
    );
    x = plus(x, a);
    const h2 = layerNorm(x, T, D, get(p + 'ln_2.weight'), get(p + 'ln_2.bias'), c.eps);
    const f = linearOI(h2, T, D, get(p + 'mlp.c_fc.weight'), F, get(p + 'mlp.c_fc.bias')).map(gelu);
    const m = linearOI(f, T, F, get(p + 'mlp.c_proj.weight'), D, get(p + 'mlp.c_proj.bias'));
    return plus(x, m);
  };
  const finalNorm = (x: Float64Array) => layerNorm(x, T, D, get('ln_f.weight'), get('ln_f.bias'), c.eps);
  return decode(c, embed(ids, D, wte, get('wpe.weight')), block, finalNorm, () => (c.tied ? wte : get('lm_head.weight')));
}

function gpt2(c: ModelConfig, get: Get, ids: number[]): RefResult {
  const { nEmbd: D, nHead: H, nInner: F } = c;
  const T = ids.length;
  const wte = get('wte.weight');
  const block = (x: Float64Array, l: number): Float64Array => {
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
    x = plus(x, a);
    const h2 = layerNorm(x, T, D, get(p + 'ln_2.weight'), get(p + 'ln_2.bias'), c.eps);
    const f = conv1d(h2, T, D, get(p + 'mlp.c_fc.weight'), F, get(p + 'mlp.c_fc.bias')).map(
      c.activation === 'relu' ? (z) => Math.max(0, z) : gelu,
    );
    const m = conv1d(f, T, F, get(p + 'mlp.c_proj.weight'), D, get(p + 'mlp.c_proj.bias'));
    return plus(x, m);
  };
  const finalNorm = (x: Float64Array) => layerNorm(x, T, D, get('ln_f.weight'), get('ln_f.bias'), c.eps);
  return decode(c, embed(ids, D, wte, get('wpe.weight')), block, finalNorm, () => (c.tied ? wte : get('lm_head.weight')));
}

function opt(c: ModelConfig, get: Get, ids: number[]): RefResult {
  const { nEmbd: D, nHead: H, nInner: F } = c;
  const T = ids.length;
  const wte = get('embed_tokens.weight');
  const scaling = (D / H) ** -0.5;
  const block = (x: Float64Array, l: number): Float64Array => {
    const p = `layers.${l}.`;
    const h1 = layerNorm(x, T, D, get(p + 'self_attn_layer_norm.weight'), get(p + 'self_attn_layer_norm.bias'), c.eps);
    const q = linearOI(h1, T, D, get(p + 'self_attn.q_proj.weight'), D, get(p + 'self_attn.q_proj.bias')).map((z) => z * scaling);
    const k = linearOI(h1, T, D, get(p + 'self_attn.k_proj.weight'), D, get(p + 'self_attn.k_proj.bias'));
    const v = linearOI(h1, T, D, get(p + 'self_attn.v_proj.weight'), D, get(p + 'self_attn.v_proj.bias'));
    const a = linearOI(attend(q, k, v, T, D, H), T, D, get(p + 'self_attn.out_proj.weight'), D, get(p + 'self_attn.out_proj.bias'));
    x = plus(x, a);
    const h2 = layerNorm(x, T, D, get(p + 'final_layer_norm.weight'), get(p + 'final_layer_norm.bias'), c.eps);
    const f = linearOI(h2, T, D, get(p + 'fc1.weight'), F, get(p + 'fc1.bias')).map((z) => Math.max(0, z));
    const m = linearOI(f, T, F, get(p + 'fc2.weight'), D, get(p + 'fc2.bias'));
    return plus(x, m);
  };
  const finalNorm = (x: Float64Array) => layerNorm(x, T, D, get('final_layer_norm.weight'), get('final_layer_norm.bias'), c.eps);
  return decode(c, embed(ids, D, wte, get('embed_positions.weight'), 2), block, finalNorm, () => (c.tied ? wte : get('lm_head.weight')));
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
