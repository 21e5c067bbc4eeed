/**
 * The float64 reference (reference.ts) extended for the inspect request: the
 * same forward pass in plain loops, keeping every head's attention
 * probabilities and, at one position, each head's z_h W_O[h], each block's
 * attention output bias, each MLP's output, the embedding, and the logits.
 * Reads the HF tensors in their stored layouts; shares no code with src/runtime.
 */
import type { ModelConfig } from '../../../src/runtime/types';
import { conv1d, gelu, layerNorm, linearOI, type Get } from './reference';

export interface RefInspect {
  attn: Float64Array; // [L, H, T, T]
  heads: Float64Array; // [L, H, D] at pos
  attnBias: Float64Array; // [L, D]
  mlps: Float64Array; // [L, D] at pos
  embed: Float64Array; // [D] at pos
  resid: Float64Array; // [D] at pos, leaving the last block
  logits: Float64Array; // [V] at pos
}

/** One block's weights behind a layout-free interface. */
interface RefBlock {
  ln1: [Float64Array, Float64Array];
  ln2: [Float64Array, Float64Array];
  /** q (unscaled), k, v [T, D] from the LayerNormed input. */
  qkv(h: Float64Array, T: number): [Float64Array, Float64Array, Float64Array];
  /** W_O entry from input coordinate i (a head's z) to output coordinate o. */
  wo(i: number, o: number): number;
  bO: Float64Array;
  mlp(h: Float64Array, T: number): Float64Array;
}

function gpt2Block(c: ModelConfig, get: Get, l: number): RefBlock {
  const { nEmbd: D, nInner: F } = c;
  const p = `h.${l}.`;
  const wo = get(p + 'attn.c_proj.weight'); // [in, out]
  return {
    ln1: [get(p + 'ln_1.weight'), get(p + 'ln_1.bias')],
    ln2: [get(p + 'ln_2.weight'), get(p + 'ln_2.bias')],
    qkv(h, T) {
      const qkv = conv1d(h, T, D, get(p + 'attn.c_attn.weight'), 3 * D, get(p + 'attn.c_attn.bias'));
      const parts = [0, 1, 2].map((j) => {
        const out = new Float64Array(T * D);
        for (let t = 0; t < T; t++) for (let i = 0; i < D; i++) out[t * D + i] = qkv[t * 3 * D + j * D + i];
        return out;
      });
      return parts as [Float64Array, Float64Array, Float64Array];
    },
    wo: (i, o) => wo[i * D + o],
    bO: get(p + 'attn.c_proj.bias'),
    mlp(h, T) {
      const f = conv1d(h, T, D, get(p + 'mlp.c_fc.weight'), F, get(p + 'mlp.c_fc.bias')).map(
        c.activation === 'relu' ? (z) => Math.max(0, z) : gelu,
      );
      return conv1d(f, T, F, get(p + 'mlp.c_proj.weight'), D, get(p + 'mlp.c_proj.bias'));
    },
  };
}

function optBlock(c: ModelConfig, get: Get, l: number): RefBlock {
  const { nEmbd: D, nInner: F } = c;
  const p = `layers.${l}.`;
  const wo = get(p + 'self_attn.out_proj.weight'); // [out, in]
  return {
    ln1: [get(p + 'self_attn_layer_norm.weight'), get(p + 'self_attn_layer_norm.bias')],
    ln2: [get(p + 'final_layer_norm.weight'), get(p + 'final_layer_norm.bias')],
    qkv: (h, T) =>
      ['q', 'k', 'v'].map((n) => linearOI(h, T, D, get(`${p}self_attn.${n}_proj.weight`), D, get(`${p}self_attn.${n}_proj.bias`))) as [
        Float64Array,
        Float64Array,
        Float64Array,
      ],
    wo: (i, o) => wo[o * D + i],
    bO: get(p + 'self_attn.out_proj.bias'),
    mlp(h, T) {
      const f = linearOI(h, T, D, get(p + 'fc1.weight'), F, get(p + 'fc1.bias')).map((z) => Math.max(0, z));
      return linearOI(f, T, F, get(p + 'fc2.weight'), D, get(p + 'fc2.bias'));
    },
  };
}

export function referenceInspect(c: ModelConfig, get: Get, ids: number[], pos: number): RefInspect {
  const { nEmbd: D, nHead: H, nLayer: L, vocabSize: V } = c;
  const hd = D / H;
  const T = ids.length;
  const gpt = c.arch === 'gpt2';
  const wte = get(gpt ? 'wte.weight' : 'embed_tokens.weight');
  const wpe = get(gpt ? 'wpe.weight' : 'embed_positions.weight');
  const off = gpt ? 0 : 2;
  let x = new Float64Array(T * D);
  for (let t = 0; t < T; t++) for (let i = 0; i < D; i++) x[t * D + i] = wte[ids[t] * D + i] + wpe[(t + off) * D + i];
  const embed = x.slice(pos * D, (pos + 1) * D);
  const attn = new Float64Array(L * H * T * T);
  const heads = new Float64Array(L * H * D);
  const attnBias = new Float64Array(L * D);
  const mlps = new Float64Array(L * D);
  for (let l = 0; l < L; l++) {
    const b = gpt ? gpt2Block(c, get, l) : optBlock(c, get, l);
    const [q, k, v] = b.qkv(layerNorm(x, T, D, b.ln1[0], b.ln1[1], c.eps), T);
    const z = new Float64Array(T * D);
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++) {
        const s = new Float64Array(t + 1);
        let max = -Infinity;
        for (let u = 0; u <= t; u++) {
          let d = 0;
          for (let i = 0; i < hd; i++) d += q[t * D + h * hd + i] * k[u * D + h * hd + i];
          s[u] = d / Math.sqrt(hd);
          max = Math.max(max, s[u]);
        }
        let sum = 0;
        for (let u = 0; u <= t; u++) sum += s[u] = Math.exp(s[u] - max);
        for (let u = 0; u <= t; u++) {
          const pr = s[u] / sum;
          attn[((l * H + h) * T + t) * T + u] = pr;
          for (let i = 0; i < hd; i++) z[t * D + h * hd + i] += pr * v[u * D + h * hd + i];
        }
      }
    // the attention output at every position (for the residual stream), and each head's share at pos
    const a = new Float64Array(T * D);
    for (let t = 0; t < T; t++)
      for (let o = 0; o < D; o++) {
        let s = b.bO[o];
        for (let i = 0; i < D; i++) s += z[t * D + i] * b.wo(i, o);
        a[t * D + o] = s;
      }
    for (let h = 0; h < H; h++)
      for (let o = 0; o < D; o++) {
        let s = 0;
        for (let i = h * hd; i < (h + 1) * hd; i++) s += z[pos * D + i] * b.wo(i, o);
        heads[(l * H + h) * D + o] = s;
      }
    attnBias.set(b.bO, l * D);
    const x1 = x.map((xi, j) => xi + a[j]);
    const m = b.mlp(layerNorm(x1, T, D, b.ln2[0], b.ln2[1], c.eps), T);
    mlps.set(m.subarray(pos * D, (pos + 1) * D), l * D);
    x = x1.map((xi, j) => xi + m[j]);
  }
  const resid = x.slice(pos * D, (pos + 1) * D);
  const y = layerNorm(
    resid,
    1,
    D,
    get(gpt ? 'ln_f.weight' : 'final_layer_norm.weight'),
    get(gpt ? 'ln_f.bias' : 'final_layer_norm.bias'),
    c.eps,
  );
  const wu = c.tied ? wte : get('lm_head.weight');
  const logits = linearOI(y, 1, D, wu, V, null);
  return { attn, heads, attnBias, mlps, embed, resid, logits };
}
