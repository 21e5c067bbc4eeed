/**
 * The trainer worker's core in Node (tfjs-wasm, single-threaded): Start /
 * Pause / Reset, the same curve after Reset, both models fed the same
 * batches, and no tensor leaked over 20 resets.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { createTrainerCore } from '../../../src/trainer/worker-core';
import type { TrainerResponse } from '../../../src/trainer/messages';
import { Lab, DEFAULT_SETTINGS, pairConfigs } from '../../../src/trainer/lab';

beforeAll(async () => {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
});

function harness() {
  const got: TrainerResponse[] = [];
  const handle = createTrainerCore(
    (m) => got.push(m),
    async () => ({ name: tf.getBackend(), note: 'test' }),
  );
  const steps = (run: number) => got.flatMap((m) => (m.type === 'progress' && m.run === run ? m.steps : []));
  /** The first eight (step, loss) pairs of a run: what a reset must reproduce bit for bit. */
  const losses = (run: number) =>
    steps(run)
      .slice(0, 8)
      .map(({ step, loss }) => ({ step, loss }));
  const until = async (f: () => boolean, ms = 120_000) => {
    const t0 = Date.now();
    while (!f()) {
      if (Date.now() - t0 > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const memory = async () => {
    const id = Math.random();
    handle({ type: 'memory', id });
    await until(() => got.some((m) => m.type === 'memory' && m.id === id));
    return (got.find((m) => m.type === 'memory' && m.id === id) as { numTensors: number }).numTensors;
  };
  const lastRun = () => [...got].reverse().find((m) => m.type === 'ready') as Extract<TrainerResponse, { type: 'ready' }>;
  return { got, handle, steps, losses, until, memory, lastRun };
}

describe('trainer worker core', () => {
  test('pairs differ in exactly the chosen switch', () => {
    const [a, b] = pairConfigs({ ...DEFAULT_SETTINGS, diff: 'tied', ln: false }, 100);
    expect(a.tied).toBe(true);
    expect(b.tied).toBe(false);
    expect(a.layerNorm).toBe(false);
    expect(b.layerNorm).toBe(false);
  });

  test('start, pause, reset: the same curve again, and memory flat over 20 resets', async () => {
    const h = harness();
    h.handle({ type: 'init', backend: 'wasm' });
    await h.until(() => !!h.lastRun());
    const run1 = h.lastRun().run;
    const base = await h.memory();
    h.handle({ type: 'start' });
    await h.until(() => h.steps(run1).length >= 8);
    h.handle({ type: 'pause' });
    const paused = await h.memory();
    expect(paused).toBe(base); // a step leaves nothing behind
    const first = h.losses(run1);
    expect(first.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // step 0 and step 5 read-outs were recorded
    const recs = h.got.flatMap((m) => (m.type === 'progress' && m.run === run1 ? m.records : []));
    expect(recs.map((r) => r.step).slice(0, 2)).toEqual([0, 5]);
    expect(recs[0].a.rowNorms.length).toBe(h.lastRun().info.vocabSize);

    h.handle({ type: 'reset' });
    await h.until(() => h.lastRun().run > run1);
    const run2 = h.lastRun().run;
    h.handle({ type: 'start' });
    await h.until(() => h.steps(run2).length >= 8);
    h.handle({ type: 'pause' });
    expect(h.losses(run2)).toEqual(first); // bit-identical losses after Reset

    // while the reader drags a slider elsewhere the loop takes no step; afterwards it goes on with the same losses.
    // The hint is answered by nothing (it is not queued behind other requests).
    h.handle({ type: 'reset' });
    await h.until(() => h.lastRun().run > run2);
    const run3 = h.lastRun().run;
    const answers = h.got.length;
    h.handle({ type: 'reader-busy', ms: 60_000 });
    expect(h.got.length).toBe(answers);
    h.handle({ type: 'start' });
    await new Promise((r) => setTimeout(r, 400));
    const held = h.steps(run3).length;
    await new Promise((r) => setTimeout(r, 600));
    expect(held).toBeLessThanOrEqual(1); // at most the first step (posted with the next one, if any)
    expect(h.steps(run3).length).toBe(held); // and then none while the hint lasts
    h.handle({ type: 'reader-busy', ms: 0 });
    await h.until(() => h.steps(run3).length >= 8);
    h.handle({ type: 'pause' });
    expect(h.losses(run3)).toEqual(first);

    for (let i = 0; i < 20; i++) {
      h.handle({ type: 'reset' });
      if (i % 5 === 0) h.handle({ type: 'start' });
    }
    h.handle({ type: 'pause' });
    expect(await h.memory()).toBe(base);
    expect(h.got.some((m) => m.type === 'error')).toBe(false);
  }, 240_000);

  test('with the learned scale as the switch, both models agree on the first step (the scale starts at 1; same seed, same batch)', async () => {
    const lab = new Lab({ ...DEFAULT_SETTINGS, diff: 'scale', scale: false });
    // diff 'scale': A has a learned scale initialised to 1, B none — until the scale moves, the two agree exactly.
    const s = await lab.step();
    expect(s.loss[0]).toBeCloseTo(s.loss[1], 6);
    lab.dispose();
  });
});
