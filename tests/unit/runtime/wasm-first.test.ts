/**
 * worker-core's wasmFirst start (the browser worker's): the model starts on wasm at once, and moves to a hardware
 * GPU when the probes, which take hundreds of milliseconds on a fresh browser, find one; never when the page named
 * a backend, never onto a software GPU. The stand-in GPU is the cpu kernels registered as 'webgl' (as in
 * gpu-loss.test.ts).
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

beforeAll(() => {
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'webgl' });
  tf.registerBackend('webgl', () => new MathBackendCPU());
});

/** A machine whose WebGL probe answers after `delayMs` with `renderer` (and whose wasm binary may fail to load). */
function probesWith(renderer: string, delayMs: number, wasmLoads = true) {
  const activated: BackendName[] = [];
  const probes: BackendProbes = {
    webgpuAdapter: async () => null,
    webglRenderer: () => new Promise((r) => setTimeout(() => r(renderer), delayMs)),
    activate: async (name: BackendName) => {
      activated.push(name);
      if (name === 'wasm' && !wasmLoads) return false;
      return name === 'webgl' || name === 'wasm' || name === 'cpu' ? tf.setBackend(name) : false;
    },
  };
  return { probes, activated };
}

const source = (): ModelSource => tinySource({ arch: 'gpt2', tied: true, seed: 5 });

const IDS = [3, 1, 4, 1, 5, 9];
const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
const until = async (ok: () => boolean, ms = 5000) => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('wasmFirst: the model starts on wasm and moves to a hardware GPU the probes find', () => {
  it('answers on wasm before the probe does, then moves the loaded model to the GPU with the same numbers', async () => {
    const { probes, activated } = probesWith('ANGLE (Test GPU, hardware)', 300);
    const api = createModelClient({ worker: inProcessWorker(probes, { eagerInit: true, wasmFirst: true }) });
    const changes: BackendInfo[] = [];
    api.onBackendChange!((b) => changes.push(b));
    const b = await api.init('auto');
    expect(b.name).toBe('wasm');
    expect(b.note).toMatch(/while the GPUs are probed/);
    await api.loadModel(source());
    const first = await api.forward(IDS, { channel: 'main' });
    expect(changes).toHaveLength(0); // the probe has not answered yet: everything so far ran on wasm
    expect(activated).toEqual(['wasm']);
    await until(() => changes.length > 0);
    expect(changes.map((c) => c.name)).toEqual(['webgl']);
    expect(changes[0].note).toMatch(/^webgl, chosen automatically \(ANGLE \(Test GPU, hardware\)\); the first requests ran on wasm/);
    expect(api.backend()?.name).toBe('webgl');
    const after = await api.forward(IDS, { channel: 'main' });
    expect(tf.getBackend()).toBe('webgl');
    expect(maxAbsDiff(after!.logits, first!.logits)).toBeLessThan(1e-4);
  });

  it('stays on wasm when the only GPU is software emulation, and then says why', async () => {
    const { probes, activated } = probesWith('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', 20);
    const api = createModelClient({ worker: inProcessWorker(probes, { eagerInit: true, wasmFirst: true }) });
    const changes: BackendInfo[] = [];
    api.onBackendChange!((b) => changes.push(b));
    expect((await api.init('auto')).name).toBe('wasm');
    await api.loadModel(source());
    await until(() => changes.length > 0);
    expect(await api.forward(IDS)).not.toBeNull();
    expect(changes.map((c) => c.name)).toEqual(['wasm']);
    expect(changes[0].note).toMatch(/^wasm, chosen automatically; skipped WebGL on a software renderer \(ANGLE \(Google, Vulkan/);
    expect(api.backend()?.note).toBe(changes[0].note);
    expect(activated).toEqual(['wasm']);
  });

  it('keeps saying that wasm did not start once the note gains why the GPUs were skipped', async () => {
    const { probes } = probesWith('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', 20, false);
    const api = createModelClient({ worker: inProcessWorker(probes, { eagerInit: true, wasmFirst: true }) });
    const changes: BackendInfo[] = [];
    api.onBackendChange!((b) => changes.push(b));
    const b = await api.init('auto');
    expect(b.name).toBe('cpu');
    expect(b.note).toMatch(/wasm did not start/);
    await until(() => changes.length > 0);
    expect(changes[0].note).toMatch(/^cpu, chosen automatically; skipped WebGL on a software renderer .*; wasm did not start$/);
  });

  it('stays where the page put it when the page names a backend before the probe answers', async () => {
    const { probes } = probesWith('ANGLE (Test GPU, hardware)', 200);
    const api = createModelClient({ worker: inProcessWorker(probes, { eagerInit: true, wasmFirst: true }) });
    const changes: BackendInfo[] = [];
    api.onBackendChange!((b) => changes.push(b));
    await api.init('auto');
    await api.loadModel(source());
    expect((await api.setBackend('cpu')).name).toBe('cpu');
    await new Promise((r) => setTimeout(r, 400));
    expect(await api.forward(IDS)).not.toBeNull();
    expect(changes).toHaveLength(0);
    expect(tf.getBackend()).toBe('cpu');
  });
});
