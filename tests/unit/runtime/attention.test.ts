/**
 * The attention core's two paths (batched [H, ..] matMuls for small inputs, per-head 2-D matMuls for
 * large ones) against a float64 computation, with and without a mask and a KV-cache past; and a
 * forward long enough to take the per-head path against the float64 reference.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { attentionCore, BATCHED_ATTENTION_LIMIT, causalMask, type AttentionMode } from '../../../src/runtime/layers';
import { forward } from '../../../src/runtime/gpt';
import { normalRng } from './checkpoint';
import { loadTiny, randomIds } from './helpers';
import { referenceForward, relErr } from './reference';

/** softmax(q_h kT_h + mask) v_h per head in float64; q [Tq, D], kT [D, Tk], v [Tk, D] row-major. */
function attention64(
  q: Float32Array,
  kT: Float32Array,
  v: Float32Array,
  Tq: number,
  Tk: number,
  D: number,
  H: number,
  causal: boolean,
): Float64Array {
  const hd = D / H;
  const out = new Float64Array(Tq * D);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < Tq; i++) {
      const s = new Float64Array(Tk);
      let max = -Infinity;
      for (let j = 0; j < Tk; j++) {
        let acc = 0;
        for (let d = 0; d < hd; d++) acc += q[i * D + h * hd + d] * kT[(h * hd + d) * Tk + j];
        s[j] = causal && j > i ? -Infinity : acc;
        max = Math.max(max, s[j]);
      }
      let sum = 0;
      for (let j = 0; j < Tk; j++) sum += s[j] = Math.exp(s[j] - max);
      for (let d = 0; d < hd; d++) {
        let acc = 0;
        for (let j = 0; j < Tk; j++) acc += (s[j] / sum) * v[j * D + h * hd + d];
        out[i * D + h * hd + d] = acc;
      }
    }
  }
  return out;
}

function randn(n: number, seed: number): Float32Array {
  const r = normalRng(seed);
  return Float32Array.from({ length: n }, () => r());
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`attention core on ${backend}`, () => {
    const cases: [string, number, number, number, number][] = [
      // name, Tq, Tk, D, H (Tq = Tk: causal prompt; Tq = 1: one new token against a cache)
      ['prompt of 9, D 32, 4 heads', 9, 9, 32, 4],
      ['prompt of 40, D 48, 3 heads', 40, 40, 48, 3],
      ['one token against 30 cached, D 32, 2 heads', 1, 30, 32, 2],
      ['one head', 12, 12, 16, 1],
    ];
    for (const [name, Tq, Tk, D, H] of cases) {
      it(`${name}: batched and per-head paths match float64`, async () => {
        expect(await tf.setBackend(backend)).toBe(true);
        const q = randn(Tq * D, Tq + D);
        const kT = randn(D * Tk, Tk + 7);
        const v = randn(Tk * D, D + 11);
        const causal = Tq === Tk;
        const ref = attention64(q, kT, v, Tq, Tk, D, H, causal);
        const base = tf.memory().numTensors;
        const qt = tf.tensor2d(q, [Tq, D]);
        const kt = tf.tensor2d(kT, [D, Tk]);
        const vt = tf.tensor2d(v, [Tk, D]);
        const mask = causal ? causalMask(Tq) : null;
        for (const mode of ['batched', 'heads', 'auto'] as AttentionMode[]) {
          const y = attentionCore(qt, kt, vt, H, mask, mode);
          expect(y.shape).toEqual([Tq, D]);
          expect(relErr(await y.data(), ref), mode).toBeLessThan(1e-5);
          y.dispose();
        }
        tf.dispose([qt, kt, vt, ...(mask ? [mask] : [])]);
        expect(tf.memory().numTensors).toBe(base);
      });
    }

    it('a prompt long enough for the per-head path matches the float64 reference', async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      const m = await loadTiny({ arch: 'gpt2', tied: true, P: 80, D: 32, H: 4, seed: 21 });
      const T = 72;
      expect(T * T).toBeGreaterThan(BATCHED_ATTENTION_LIMIT);
      const ids = randomIds(T, m.config.vocabSize, 5);
      const r = await forward(m.weights, ids, { lensK: 0 });
      const ref = referenceForward(m.config, m.get, ids);
      expect(relErr(r.logits, ref.logits)).toBeLessThan(1e-4);
      for (let l = 0; l <= m.config.nLayer; l++) {
        const n = T * m.config.nEmbd;
        expect(relErr(r.residuals.subarray(l * n, (l + 1) * n), ref.residuals[l]), `residual ${l}`).toBeLessThan(1e-4);
      }
    });
  });
}
