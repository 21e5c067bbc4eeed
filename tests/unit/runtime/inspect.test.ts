/**
 * The inspect request (src/runtime/inspect.ts) and the logit attribution built
 * on it (src/figures/logit-attribution/compute.ts) against the float64
 * reference, on tiny random checkpoints in the GPT-2 and OPT layouts, tied and
 * untied, on the cpu and wasm backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { inspect } from '../../../src/runtime/inspect';
import type { InspectResult } from '../../../src/runtime/types';
import { forward } from '../../../src/runtime/gpt';
import { disposeWeights } from '../../../src/runtime/weights';
import { attentionRow, attribute } from '../../../src/figures/logit-attribution/compute';
import { createModelClient } from '../../../src/runtime/client';
import { makeTinyCheckpoint, type TinySpec } from './checkpoint';
import { inProcessWorker } from './in-process-worker';
import { loadTiny, randomIds } from './helpers';
import { relErr } from './reference';
import { referenceInspect } from './reference-inspect';

const VARIANTS: [string, TinySpec][] = [
  ['gpt2 tied', { arch: 'gpt2', tied: true, seed: 31 }],
  ['gpt2 untied', { arch: 'gpt2', tied: false, seed: 32 }],
  ['gpt2 untied, 1 head, n_inner 48', { arch: 'gpt2', tied: false, H: 1, F: 48, seed: 33 }],
  ['opt tied', { arch: 'opt', tied: true, seed: 34 }],
  ['opt untied, 8 heads', { arch: 'opt', tied: false, H: 8, seed: 35 }],
];

function argmaxMin(x: ArrayLike<number>): [number, number] {
  let hi = 0;
  let lo = 0;
  for (let i = 1; i < x.length; i++) {
    if (x[i] > x[hi]) hi = i;
    if (x[i] < x[lo]) lo = i;
  }
  return [hi, lo];
}

/** embed + Σ_l (attention bias_l + mlp_l + Σ_h head_{l,h}): what the residual stream at the inspected position should be. */
function componentSum(r: Pick<InspectResult, 'embed' | 'attnBias' | 'mlps' | 'heads'>, L: number, H: number, D: number): Float64Array {
  const sum = Float64Array.from(r.embed);
  for (let l = 0; l < L; l++)
    for (let i = 0; i < D; i++) {
      sum[i] += r.attnBias[l * D + i] + r.mlps[l * D + i];
      for (let h = 0; h < H; h++) sum[i] += r.heads[(l * H + h) * D + i];
    }
  return sum;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`inspect on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    for (const [name, spec] of VARIANTS) {
      it(`${name}: attention, per-component outputs and the attribution sum match the float64 reference`, async () => {
        const m = await loadTiny(spec);
        const { nEmbd: D, nHead: H, nLayer: L, vocabSize: V } = m.config;
        const T = 13;
        const ids = randomIds(T, V, spec.seed ?? 1);
        const base = tf.memory().numTensors;
        for (const pos of [T - 1, 5]) {
          const r = await inspect(m.weights, ids, { pos });
          expect(tf.memory().numTensors).toBe(base);
          const ref = referenceInspect(m.config, m.get, ids, pos);
          expect([r.T, r.L, r.H, r.D, r.pos, r.attnRow0, r.attnRows]).toEqual([T, L, H, D, pos, 0, T]);
          expect(r.attn.length).toBe(L * H * T * T);
          // attention probabilities, head by head
          for (let l = 0; l < L; l++)
            for (let h = 0; h < H; h++) {
              const o = (l * H + h) * T * T;
              expect(relErr(r.attn.subarray(o, o + T * T), ref.attn.subarray(o, o + T * T)), `attn ${l}.${h}`).toBeLessThan(1e-5);
            }
          expect(relErr(r.embed, ref.embed)).toBeLessThan(1e-6);
          expect(relErr(r.attnBias, ref.attnBias)).toBeLessThan(1e-6);
          for (let l = 0; l < L; l++) {
            expect(relErr(r.mlps.subarray(l * D, (l + 1) * D), ref.mlps.subarray(l * D, (l + 1) * D)), `mlp ${l}`).toBeLessThan(1e-4);
            for (let h = 0; h < H; h++) {
              const o = (l * H + h) * D;
              expect(relErr(r.heads.subarray(o, o + D), ref.heads.subarray(o, o + D)), `head ${l}.${h}`).toBeLessThan(1e-4);
            }
          }
          expect(relErr(r.resid, ref.resid)).toBeLessThan(1e-4);
          // the components add up to the residual stream the pass produced
          expect(relErr(componentSum(r, L, H, D), r.resid)).toBeLessThan(1e-5);
          // direct logit attribution: the sum of contributions is the model's own logit difference
          const wu = m.get(m.config.tied ? (spec.arch === 'gpt2' ? 'wte.weight' : 'embed_tokens.weight') : 'lm_head.weight');
          const gain = m.get(spec.arch === 'gpt2' ? 'ln_f.weight' : 'final_layer_norm.weight');
          const bias = m.get(spec.arch === 'gpt2' ? 'ln_f.bias' : 'final_layer_norm.bias');
          const [a, b] = argmaxMin(ref.logits);
          const truth = ref.logits[a] - ref.logits[b];
          const att = attribute(r, wu, a, b, gain, bias);
          expect(att.items.length).toBe(1 + L * (H + 1) + 2);
          expect(Math.abs(att.sum - truth) / Math.abs(truth), `sum ${att.sum} vs ${truth}`).toBeLessThan(1e-4);
          expect(Math.abs(att.direct - truth) / Math.abs(truth)).toBeLessThan(1e-4);
          // and for a pair with a small difference (the two best tokens), measured against the logit scale
          const sorted = Array.from(ref.logits)
            .map((v, i) => [v, i] as const)
            .sort((p, q) => q[0] - p[0]);
          const close = attribute(r, wu, sorted[0][1], sorted[1][1], gain, bias);
          expect(Math.abs(close.sum - (sorted[0][0] - sorted[1][0]))).toBeLessThan(1e-4 * Math.abs(truth));
          // the top head really is the largest head term
          const headVals = att.items.filter((x) => x.kind === 'head').map((x) => Math.abs(x.value));
          expect(Math.abs(att.topHead!.value)).toBe(Math.max(...headVals));
          // attentionRow reads [l, h, q, :]
          const row = attentionRow(r, L - 1, H - 1, pos)!;
          expect(
            relErr(row, ref.attn.subarray(((L - 1) * H + H - 1) * T * T + pos * T, ((L - 1) * H + H - 1) * T * T + (pos + 1) * T)),
          ).toBeLessThan(1e-5);
        }
        // the inspect pass and the default forward produce the same residual stream
        const f = await forward(m.weights, ids, { lensK: 0 });
        const r = await inspect(m.weights, ids);
        expect(relErr(r.resid, f.residuals.subarray((L * T + T - 1) * D, (L * T + T) * D))).toBeLessThan(1e-5);
        expect(tf.memory().numTensors).toBe(base);
        disposeWeights(m.weights);
      });
    }

    // The newer families (rotary positions, RMSNorm, a parallel residual, local windows, unscaled GPT-Neo
    // attention): the components add up to the residual the default forward produces, and the attribution
    // sum is the forward's own logit difference.
    const FAMILIES: [string, TinySpec][] = [
      ['gpt_neox (rotary, parallel residual)', { arch: 'gpt_neox', tied: false, seed: 41 }],
      ['llama (RMSNorm, rotary, SwiGLU)', { arch: 'llama', tied: true, seed: 42 }],
      ['gpt_neo (local windows, unscaled)', { arch: 'gpt_neo', tied: true, seed: 43 }],
    ];
    for (const [name, spec] of FAMILIES) {
      it(`${name}: components add up and match the default forward`, async () => {
        const m = await loadTiny(spec);
        const { nEmbd: D, nHead: H, nLayer: L, vocabSize: V } = m.config;
        const T = 13;
        const ids = randomIds(T, V, spec.seed ?? 1);
        const base = tf.memory().numTensors;
        const f = await forward(m.weights, ids, { lensK: 0 });
        const r = await inspect(m.weights, ids);
        expect(tf.memory().numTensors).toBe(base);
        expect(relErr(r.resid, f.residuals.subarray((L * T + T - 1) * D, (L * T + T) * D))).toBeLessThan(1e-5);
        expect(relErr(componentSum(r, L, H, D), r.resid)).toBeLessThan(1e-5);
        const wuT = (await m.weights.wuT.data()) as Float32Array; // [D, V]
        const wu = new Float32Array(V * D);
        for (let i = 0; i < D; i++) for (let v = 0; v < V; v++) wu[v * D + i] = wuT[i * V + v];
        const gain = (await m.weights.lnF.g.data()) as Float32Array;
        const bias = (await m.weights.lnF.b.data()) as Float32Array;
        const last = f.logits.subarray((T - 1) * V, T * V);
        const [a, b] = argmaxMin(last);
        const truth = last[a] - last[b];
        const att = attribute(r, wu, a, b, gain, bias);
        expect(Math.abs(att.sum - truth) / Math.abs(truth), `sum ${att.sum} vs ${truth}`).toBeLessThan(1e-4);
        expect(Math.abs(att.direct - truth) / Math.abs(truth)).toBeLessThan(1e-4);
        disposeWeights(m.weights);
      });
    }

    it('a prompt too long for every pattern returns only the row of the inspected position', async () => {
      const m = await loadTiny({ arch: 'gpt2', tied: true, seed: 36 });
      const { nHead: H, nLayer: L, vocabSize: V } = m.config;
      const T = 10;
      const ids = randomIds(T, V, 3);
      const full = await inspect(m.weights, ids);
      const base = tf.memory().numTensors;
      const cut = await inspect(m.weights, ids, { pos: 7, maxAttnFloats: L * H * T * T - 1 });
      const first = await inspect(m.weights, ids, { pos: 0, maxAttnFloats: 1 });
      expect([first.attnRow0, first.attnRows, first.attn.length]).toEqual([0, 1, L * H * T]);
      expect(tf.memory().numTensors).toBe(base);
      expect([cut.attnRow0, cut.attnRows, cut.attn.length]).toEqual([7, 1, L * H * T]);
      expect(attentionRow(cut, 1, 2, 6)).toBeNull();
      const ref = referenceInspect(m.config, m.get, ids, 7);
      expect(relErr(attentionRow(cut, 1, 2, 7)!, ref.attn.subarray(((1 * H + 2) * T + 7) * T, ((1 * H + 2) * T + 8) * T))).toBeLessThan(
        1e-5,
      );
      expect(relErr(attentionRow(full, 1, 2, 9)!, attentionRow(await inspect(m.weights, ids), 1, 2, 9)!)).toBe(0);
      disposeWeights(m.weights);
    });

    it('bad input gets a clear message and leaks nothing', async () => {
      const m = await loadTiny({ arch: 'opt', tied: true, seed: 37 });
      const base = tf.memory().numTensors;
      await expect(inspect(m.weights, [])).rejects.toThrow(/no tokens/);
      await expect(inspect(m.weights, [1, 2, 3], { pos: 3 })).rejects.toThrow(/outside the prompt/);
      await expect(inspect(m.weights, [1, 2, 9999])).rejects.toThrow(/outside the vocabulary/);
      expect(tf.memory().numTensors).toBe(base);
      disposeWeights(m.weights);
    });
  });
}

describe('inspect through the client and the worker', () => {
  it('answers the newest request of its channel, does not cancel a forward, matches the direct call, leaks nothing', async () => {
    await tf.setBackend('cpu');
    const api = createModelClient({ worker: inProcessWorker() });
    await api.init('auto');
    const base = (await api.memory()).numTensors;
    const ck = makeTinyCheckpoint({ arch: 'opt', tied: false, seed: 38 });
    const config = new TextEncoder().encode(JSON.stringify(ck.hfConfig)).buffer as ArrayBuffer;
    await api.loadModel({
      kind: 'bytes',
      key: 'o',
      label: 'o',
      config,
      safetensors: ck.bytes.slice().buffer as ArrayBuffer,
      tokenizer: new ArrayBuffer(0),
    });
    const loaded = (await api.memory()).numTensors;
    const ids = randomIds(9, 64, 2);
    const [i1, f, i2] = await Promise.all([api.inspect(ids.slice(0, 5)), api.forward(ids, { lensK: 0 }), api.inspect(ids)]);
    expect(i1).toBeNull();
    expect(f).not.toBeNull();
    expect(i2!.modelKey).toBe('o');
    expect(i2!.pos).toBe(8);
    const D = f!.D;
    expect(relErr(i2!.resid, f!.residuals.subarray((f!.L * 9 + 8) * D, (f!.L * 9 + 9) * D))).toBeLessThan(1e-5);
    const at3 = await api.inspect(ids, { pos: 3 });
    expect(at3!.pos).toBe(3);
    await expect(api.inspect(ids, { pos: 12 })).rejects.toThrow(/outside the prompt/);
    expect((await api.memory()).numTensors).toBe(loaded);
    expect(loaded).toBeGreaterThan(base);
  });
});
