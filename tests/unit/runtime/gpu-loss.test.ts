/**
 * Issue 7 (5), the runtime half of "a GPU lost mid-session": worker-core.ts
 * recovers by itself. A stand-in GPU backend (the cpu kernels registered under
 * the name 'webgl', on a "hardware" renderer so auto mode picks it) can be
 * "lost": from then on every read from it hangs, as reads do after a real
 * WebGL context loss here, and the loss is reported through probes.watchLoss
 * like the browser probe does. The page-level test with the real WebGL and
 * WebGPU backends is tests/browser/reliability-gpu-faults.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createModelClient } from '../../../src/runtime/client';
import type { ModelSource } from '../../../src/runtime/api';
import type { BackendProbes } from '../../../src/runtime/backend';
import type { BackendInfo, BackendName } from '../../../src/runtime/types';
import { tinySource } from './checkpoint';
import { inProcessWorker } from './in-process-worker';

class LosableBackend extends MathBackendCPU {
  lost = false;
  /** Reads hang (never settle) once lost; with hangNow, even before (a read in flight at the moment of loss). */
  hangNow = false;
  override read(dataId: object): Promise<tf.backend_util.BackendValues> {
    if (this.lost || this.hangNow) return new Promise(() => undefined);
    return super.read(dataId);
  }
}

let gpu: LosableBackend;

beforeAll(async () => {
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'webgl' });
  tf.registerBackend('webgl', () => {
    gpu = new LosableBackend();
    return gpu;
  });
});

/** Probes of a machine with a hardware "WebGL" that can be lost. */
function losableProbes() {
  let report: ((reason: string) => void) | null = null;
  const probes: BackendProbes = {
    webgpuAdapter: async () => null,
    webglRenderer: () => 'ANGLE (Test GPU, hardware)',
    activate: async (name: BackendName) => (name === 'webgl' || name === 'wasm' || name === 'cpu' ? tf.setBackend(name) : false),
    watchLoss: (name, onLost) => {
      if (name !== 'webgl') return () => undefined;
      report = onLost;
      return () => {
        report = null;
      };
    },
  };
  const lose = () => {
    gpu.lost = true;
    report?.('the WebGL context was lost');
  };
  return { probes, lose };
}

const source = (): ModelSource => tinySource({ arch: 'gpt2', tied: false, seed: 11 });

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
const IDS = [1, 5, 9, 2, 7, 3];

async function setUp() {
  if (gpu) gpu.lost = gpu.hangNow = false; // tfjs keeps one instance per backend name: a fresh "context"
  const { probes, lose } = losableProbes();
  const api = createModelClient({ worker: inProcessWorker(probes) });
  const changes: BackendInfo[] = [];
  api.onBackendChange!((b) => changes.push(b));
  const b = await api.init('auto');
  expect(b.name).toBe('webgl');
  await api.loadModel(source());
  const before = await api.forward(IDS, { channel: 'main' });
  expect(before).not.toBeNull();
  return { api, lose, changes, before: before! };
}

describe('a GPU lost mid-session', () => {
  it('lost between requests: the next forward pass runs on wasm with the same model, and the page is told why', async () => {
    const { api, lose, changes, before } = await setUp();
    lose();
    const after = await api.forward(IDS);
    expect(after).not.toBeNull();
    expect(api.backend()?.name).toBe('wasm');
    expect(changes.map((c) => c.name)).toEqual(['wasm']);
    expect(changes[0].note).toMatch(/^Fell back to wasm: the WebGL context was lost; the model was loaded again there/);
    expect(maxAbsDiff(after!.logits, before.logits)).toBeLessThan(1e-4);
    expect(maxAbsDiff(after!.residuals, before.residuals)).toBeLessThan(1e-4);
    // and it keeps working
    const again = await api.forward(IDS.slice(0, 3));
    expect(again?.T).toBe(3);
  });

  it('lost while a forward pass is in flight (its read never settles): the pass is re-run on wasm', async () => {
    const { api, lose, changes, before } = await setUp();
    gpu.hangNow = true;
    const p = api.forward(IDS);
    await new Promise((r) => setTimeout(r, 50)); // the pass is now waiting on a read that will never come back
    lose();
    const after = await p;
    expect(after).not.toBeNull();
    expect(changes).toHaveLength(1);
    expect(api.backend()?.name).toBe('wasm');
    expect(maxAbsDiff(after!.logits, before.logits)).toBeLessThan(1e-4);
  });

  it('lost during generation: generation stops with a message; the model then works on wasm', async () => {
    const { api, lose, changes, before } = await setUp();
    gpu.hangNow = true;
    const g = api.generate(IDS, { maxNewTokens: 5, temperature: 0, seed: 1, useCache: true }, () => undefined);
    await new Promise((r) => setTimeout(r, 50));
    lose();
    await expect(g).rejects.toThrow(/Generation stopped: the WebGL context was lost\. The page now runs on wasm/);
    expect(changes.map((c) => c.name)).toEqual(['wasm']);
    const after = await api.forward(IDS);
    expect(maxAbsDiff(after!.logits, before.logits)).toBeLessThan(1e-4);
  });

  it('a later automatic choice skips the lost backend; asking for it by name tries it again', async () => {
    const { api, lose } = await setUp();
    lose();
    await api.forward(IDS);
    const auto = await api.init('auto');
    expect(auto.name).toBe('wasm');
    expect(auto.note).toMatch(/skipped webgl \(lost earlier in this session\)/);
    gpu.lost = false; // a new context
    const named = await api.setBackend('webgl');
    expect(named.name).toBe('webgl');
    expect((await api.forward(IDS))?.T).toBe(IDS.length);
  });
});
