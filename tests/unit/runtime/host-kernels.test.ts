/**
 * The fused host kernels (src/runtime/host-kernels.ts) against the float64 reference and against the
 * composed tfjs ops they replace, on both host backends: every family, each attention path (one JS
 * kernel, per-head matMuls between host kernels, host kernels off), a local-attention window shorter
 * than the prompt, and a KV-cache prefill (which splits keys and values off the fused projection).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { forward, KVCache, prefill, stepWithCache } from '../../../src/runtime/gpt';
import { hostAttentionSettings } from '../../../src/runtime/layers';
import { causalAttention, hasHostKernel, maskedScores, NORM_KERNEL, setHostKernels } from '../../../src/runtime/host-kernels';
import type { TinySpec } from './checkpoint';
import { loadTiny, randomIds } from './helpers';
import { referenceForward, relErr } from './reference';
import { disposeWeights } from '../../../src/runtime/weights';

const JS_LIMIT = hostAttentionSettings.jsLimit;
const PATHS: Record<string, () => void> = {
  'one JS kernel': () => {
    setHostKernels(true);
    hostAttentionSettings.jsLimit = Number.MAX_SAFE_INTEGER;
  },
  'per-head matMuls': () => {
    setHostKernels(true);
    hostAttentionSettings.jsLimit = 0;
  },
  'host kernels off': () => setHostKernels(false),
};
afterEach(() => {
  setHostKernels(true);
  hostAttentionSettings.jsLimit = JS_LIMIT;
});

const SPECS: [string, TinySpec][] = [
  ['GPT-2', { arch: 'gpt2', tied: true, P: 40, D: 32, H: 4, seed: 3 }],
  ['OPT', { arch: 'opt', tied: true, P: 40, D: 32, H: 4, seed: 4 }],
  ['GPT-Neo, window 4', { arch: 'gpt_neo', tied: true, P: 40, D: 32, H: 4, window: 4, seed: 5 }],
  ['GPT-NeoX (rotary: composed attention)', { arch: 'gpt_neox', tied: false, P: 40, D: 32, H: 4, seed: 6 }],
  ['Llama (RMSNorm)', { arch: 'llama', tied: false, P: 40, D: 32, H: 4, seed: 7 }],
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`host kernels on ${backend}`, () => {
    it('are registered for the backend', async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      expect(hasHostKernel(NORM_KERNEL)).toBe(true);
      setHostKernels(false);
      expect(hasHostKernel(NORM_KERNEL)).toBe(false);
    });

    for (const [name, spec] of SPECS) {
      it(`${name}: every attention path matches the float64 reference; no tensor left`, async () => {
        expect(await tf.setBackend(backend)).toBe(true);
        const m = await loadTiny(spec);
        const T = 23;
        const ids = randomIds(T, m.config.vocabSize, 11);
        const ref = referenceForward(m.config, m.get, ids);
        const base = tf.memory().numTensors;
        const logits: Record<string, Float32Array> = {};
        for (const [path, set] of Object.entries(PATHS)) {
          set();
          const r = await forward(m.weights, ids, { lensK: 0 });
          logits[path] = r.logits;
          expect(relErr(r.logits, ref.logits), path).toBeLessThan(1e-4);
          const n = T * m.config.nEmbd;
          for (let l = 0; l <= m.config.nLayer; l++)
            expect(relErr(r.residuals.subarray(l * n, (l + 1) * n), ref.residuals[l]), `${path}, residual ${l}`).toBeLessThan(1e-4);
          expect(tf.memory().numTensors, path).toBe(base);
        }
        expect(relErr(logits['one JS kernel'], logits['host kernels off'])).toBeLessThan(1e-5);
        expect(relErr(logits['per-head matMuls'], logits['host kernels off'])).toBeLessThan(1e-5);
        disposeWeights(m.weights);
      });
    }

    it('a cache filled by the fused path continues as the full forward does', async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      const m = await loadTiny({ arch: 'gpt_neo', tied: true, P: 40, D: 32, H: 4, window: 4, seed: 8 });
      const ids = randomIds(14, m.config.vocabSize, 2);
      for (const [path, set] of Object.entries(PATHS)) {
        set();
        const base = tf.memory().numTensors;
        const cache = new KVCache();
        await prefill(m.weights, ids.slice(0, 12), cache);
        await stepWithCache(m.weights, ids[12], cache);
        const stepped = await stepWithCache(m.weights, ids[13], cache);
        cache.dispose();
        const full = await forward(m.weights, ids, { lensK: 0, lastOnly: true });
        expect(relErr(stepped, full.logits), path).toBeLessThan(1e-5);
        expect(tf.memory().numTensors, path).toBe(base);
      }
      disposeWeights(m.weights);
    });
  });
}

describe('host kernel arithmetic', () => {
  it('causal attention: a query sees itself and earlier keys only, within the window', () => {
    // T 3, D 2, one head; keys all equal, so each query averages the values it may see
    const T = 3;
    const qkv = new Float32Array([0, 0, 1, 1, 1, 10, 0, 0, 1, 1, 2, 20, 0, 0, 1, 1, 3, 30]); // rows: q | k | v
    const out = new Float32Array(T * 2);
    causalAttention(qkv, out, T, 2, 1, 1, 0);
    expect(Array.from(out)).toEqual([1, 10, 1.5, 15, 2, 20]);
    causalAttention(qkv, out, T, 2, 1, 1, 2); // window 2: the last query no longer sees the first key
    expect(Array.from(out)).toEqual([1, 10, 1.5, 15, 2.5, 25]);
  });

  it('masked scores hide later keys, and keys outside the window', () => {
    const s = [new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9])];
    const out = new Float32Array(9);
    maskedScores(s, out, 3, 2);
    expect(Array.from(out)).toEqual([1, -1e9, -1e9, 4, 5, -1e9, -1e9, 8, 9]);
  });
});
