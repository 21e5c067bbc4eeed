/**
 * One training step of the in-page trainer (tfjs, float32, cpu backend)
 * against the independent float64 reference in reference64.ts: the loss, every
 * gradient, and the parameters after one Adam step, for the LayerNorm and
 * no-LayerNorm variants (tied), and an untied model with a learned final scale.
 * Weights are drawn large (not the tiny training init) so every
 * non-linearity is exercised.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mulberry32 } from '../../../src/geometry/random';
import type { Corpus } from '../../../src/trainer/corpus';
import { normalGen, paramShapes, type ModelConfig } from '../../../src/trainer/model';
import { Trainer, type OptimConfig } from '../../../src/trainer/trainer';
import { refAdamFirstStep, refGrads, refLoss, type RefParams } from './reference64';

const V = 13;
const rand = mulberry32(3);
const corpus: Corpus = {
  ids: Int32Array.from({ length: 300 }, () => Math.floor(rand() * V)),
  vocabSize: V,
  unigramEntropy: NaN,
  bigramEntropy: NaN,
  nameSentences: 0,
  sentences: 0,
};
const optim: OptimConfig = { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, warmup: 1, batch: 2 };

function bigInit(c: ModelConfig, seed: number): Map<string, Float32Array> {
  const g = normalGen(seed);
  const m = new Map<string, Float32Array>();
  for (const [name, shape] of paramShapes(c)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = name.endsWith('.g') || name === 'scale' ? 1 + 0.3 * g() : (name.endsWith('.b') ? 0.2 : 0.5) * g();
    m.set(name, a);
  }
  return m;
}

function idsOf(onehot: Float32Array, rows: number, T: number): number[][] {
  const out: number[][] = [];
  for (let b = 0; b < rows; b++) {
    const r: number[] = [];
    for (let t = 0; t < T; t++) r.push(onehot.subarray((b * T + t) * V, (b * T + t + 1) * V).indexOf(1));
    out.push(r);
  }
  return out;
}

const VARIANTS: [string, Partial<ModelConfig>][] = [
  ['LayerNorm, tied', { layerNorm: true, tied: true, finalScale: false }],
  ['no LayerNorm, tied', { layerNorm: false, tied: true, finalScale: false }],
  ['LayerNorm, untied, learned scale', { layerNorm: true, tied: false, finalScale: true }],
  ['no LayerNorm, untied, learned scale', { layerNorm: false, tied: false, finalScale: true }],
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('one training step matches a float64 reference', () => {
  for (const [label, sw] of VARIANTS) {
    test(label, async () => {
      const c: ModelConfig = {
        vocabSize: V,
        context: 5,
        dModel: 8,
        layers: 2,
        heads: 2,
        layerNorm: true,
        tied: true,
        finalScale: false,
        ...sw,
      };
      const init = bigInit(c, 11);
      const before = tf.memory().numTensors;
      const tr = new Trainer(c, corpus, 5, optim, init);
      const batch = tr.nextBatch();
      const ids = idsOf(batch.inputs, batch.B, batch.T);
      const targets = idsOf(batch.targets, batch.B, batch.T);
      const p64: RefParams = new Map([...init].map(([k, v]) => [k, Float64Array.from(v)]));

      // loss and gradients
      const refL = refLoss(c, p64, ids, targets);
      const refG = refGrads(c, p64, ids, targets);
      const { loss, grads } = tr.lossAndGrads(batch);
      const l = (await loss.data())[0];
      expect(Math.abs(l - refL)).toBeLessThan(2e-5 * Math.max(1, Math.abs(refL)));
      let gmax = 0;
      for (const g of refG.values()) for (const x of g) gmax = Math.max(gmax, Math.abs(x));
      expect(gmax).toBeGreaterThan(1e-3); // the test is not vacuous
      for (const [name, g] of grads) {
        const got = await g.data();
        const want = refG.get(name)!;
        expect(got.length).toBe(want.length);
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
        expect(worst, `gradient of ${name}`).toBeLessThan(1e-4 * gmax + 1e-6);
      }
      tf.dispose([loss, ...grads.values()]);

      // one Adam step: parameters after the update, and the batch loss it reports
      const r = await tr.step(batch);
      expect(Math.abs(r.loss - refL)).toBeLessThan(2e-5 * Math.max(1, refL));
      const after = await tr.paramValues();
      const refAfter = refAdamFirstStep(p64, refG, optim.lr, optim.beta1, optim.beta2, optim.eps);
      let checked = 0;
      for (const [name, want] of refAfter) {
        const got = after.get(name)!;
        const g = refG.get(name)!;
        for (let i = 0; i < want.length; i++) {
          // On the first step Adam moves each weight by about lr·sign(g): where |g| is at float32 rounding level
          // the sign is noise, so those weights are only held to a move of at most lr.
          if (Math.abs(g[i]) > 1e-5) {
            expect(Math.abs(got[i] - want[i]), `${name}[${i}]`).toBeLessThan(1e-5);
            checked++;
          } else expect(Math.abs(got[i] - init.get(name)![i])).toBeLessThanOrEqual(optim.lr * 1.0001);
        }
      }
      expect(checked).toBeGreaterThan(100);
      tr.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
