/**
 * The logit lens on demand: gpt.lens (chunked, top-k on the backend) gives the same numbers as the
 * full lens inside forward; it stops between chunks and leaks nothing; through the client and the
 * worker it runs after the main queue, a newer lens request, a newer prompt or an abort stops an
 * older one (null), and the worker's tensor count is back to its baseline after all of them.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { forward, lens } from '../../../src/runtime/gpt';
import { createModelClient } from '../../../src/runtime/client';
import type { LogitLens } from '../../../src/runtime/types';
import { makeTinyCheckpoint } from './checkpoint';
import { inProcessWorker } from './in-process-worker';
import { loadTiny, randomIds } from './helpers';

function expectSameLens(a: LogitLens, b: LogitLens): void {
  expect(a.k).toBe(b.k);
  expect(Array.from(a.topIds)).toEqual(Array.from(b.topIds));
  expect(a.topProbs.length).toBe(b.topProbs.length);
  let worst = 0;
  for (let i = 0; i < a.topProbs.length; i++) worst = Math.max(worst, Math.abs(a.topProbs[i] - b.topProbs[i]));
  expect(worst).toBeLessThan(1e-6);
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`gpt.lens on ${backend}`, () => {
    it('same numbers as forward(ids, { lensK }) for several chunk sizes, GPT-2 and OPT; no tensor left', async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      for (const spec of [
        { arch: 'gpt2', tied: true, seed: 31 },
        { arch: 'opt', tied: false, seed: 32 },
      ] as const) {
        const m = await loadTiny(spec);
        const ids = randomIds(11, m.config.vocabSize, 3);
        const full = await forward(m.weights, ids, { lensK: 4 });
        const base = tf.memory().numTensors;
        for (const chunkRows of [1, 7, 1000, undefined]) {
          const r = await lens(m.weights, ids, 4, { chunkRows });
          expect(r).not.toBeNull();
          expect(r!.lens.topIds.length).toBe((m.config.nLayer + 1) * ids.length * 4);
          expectSameLens(r!.lens, full.lens);
        }
        expect(tf.memory().numTensors).toBe(base);
      }
    });

    it('stops between chunks when asked (resolves null) and leaks nothing', async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      const m = await loadTiny({ arch: 'gpt2', tied: true, seed: 33 });
      const ids = randomIds(9, m.config.vocabSize, 4);
      const base = tf.memory().numTensors;
      let chunks = 0;
      const r = await lens(m.weights, ids, 3, {
        chunkRows: 5,
        yieldFn: async () => {
          chunks++;
        },
        shouldStop: () => chunks >= 3,
      });
      expect(r).toBeNull();
      expect(chunks).toBe(3); // it ran two chunks, then stopped before the third
      expect(tf.memory().numTensors).toBe(base);
      // bad ids: a clear error, nothing left behind
      await expect(lens(m.weights, [1, 99999], 3)).rejects.toThrow(/outside the vocabulary/);
      expect(tf.memory().numTensors).toBe(base);
    });
  });
}

describe('client.lens through the worker', () => {
  async function setup() {
    const api = createModelClient({ worker: inProcessWorker() });
    await api.init('wasm');
    const ck = makeTinyCheckpoint({ arch: 'gpt2', tied: true, seed: 34 });
    const enc = new TextEncoder();
    await api.loadModel({
      kind: 'bytes',
      key: 'm',
      label: 'm',
      config: enc.encode(JSON.stringify(ck.hfConfig)).buffer as ArrayBuffer,
      safetensors: ck.bytes.slice().buffer as ArrayBuffer,
      tokenizer: new ArrayBuffer(0),
    });
    return { api, V: ck.hfConfig.vocab_size as number };
  }

  it('same numbers as the full lens; runs after the main queue; the default forward has no lens', async () => {
    const { api, V } = await setup();
    const base = (await api.memory()).numTensors;
    const ids = randomIds(10, V, 6);
    const order: string[] = [];
    const pl = api.lens(ids, 5, { chunkRows: 3 }).then((r) => (order.push('lens'), r));
    const pf = api.forward(ids, { channel: 'fig' }).then((r) => (order.push('forward'), r));
    const pm = api.matrix('wte').then((r) => (order.push('matrix'), r));
    const [l, f] = await Promise.all([pl, pf, pm]);
    expect(order).toEqual(['forward', 'matrix', 'lens']);
    expect(f!.lens.k).toBe(0);
    expect(f!.lens.topIds.length).toBe(0);
    expect(l).not.toBeNull();
    expect([l!.T, l!.modelKey, l!.seq]).toEqual([10, 'm', 1]);
    const full = await api.forward(ids, { lensK: 5 });
    expectSameLens(l!.lens, full!.lens);
    expect((await api.memory()).numTensors).toBe(base);
  });

  it('a newer lens request, a newer prompt and an abort each stop an older lens; nothing leaks', async () => {
    const { api, V } = await setup();
    const base = (await api.memory()).numTensors;
    const a = randomIds(12, V, 7);
    const b = randomIds(8, V, 8);
    // newer lens request supersedes the older
    const [l1, l2] = await Promise.all([api.lens(a, 3, { chunkRows: 1 }), api.lens(b, 3, { chunkRows: 1 })]);
    expect(l1).toBeNull();
    expect(l2!.T).toBe(8);
    // a main forward of another prompt cancels the lens in flight; one of the same prompt does not
    const l3 = api.lens(a, 3, { chunkRows: 1 });
    const f3 = await api.forward(b);
    expect(f3!.T).toBe(8);
    expect(await l3).toBeNull();
    const l4 = api.lens(a, 3, { chunkRows: 1 });
    await api.forward(a);
    expect((await l4)!.T).toBe(12);
    // abort
    const ctl = new AbortController();
    const l5 = api.lens(a, 3, { chunkRows: 1, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 0);
    expect(await l5).toBeNull();
    const pre = new AbortController();
    pre.abort();
    expect(await api.lens(a, 3, { signal: pre.signal })).toBeNull();
    // errors come back as rejections
    await expect(api.lens([1, 10_000], 3)).rejects.toThrow(/outside the vocabulary/);
    // the worker still answers, with nothing leaked
    expect((await api.lens(b, 2))!.lens.k).toBe(2);
    expect((await api.memory()).numTensors).toBe(base);
  });
});
