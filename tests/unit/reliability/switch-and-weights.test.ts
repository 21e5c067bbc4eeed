/**
 * Issue 16 (1, 3) at the runtime level, client + worker in-process on the cpu
 * backend: a checkpoint with NaN / ±Infinity is refused with a message naming
 * the tensor (the previous model keeps answering, nothing leaks); a model
 * switch during a long generation stops it at once and drops the old model's
 * queued work (forwards answered null, matrix rejected), so the load does not
 * wait behind it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createModelClient } from '../../../src/runtime/client';
import { findNonFinite, nonFiniteMessage, tensorRole } from '../../../src/runtime/weight-checks';
import type { ModelSource } from '../../../src/runtime/api';
import type { BackendName } from '../../../src/runtime/types';
import type { BackendProbes } from '../../../src/runtime/backend';
import { inProcessWorker } from '../runtime/in-process-worker';
import { makeTinyCheckpoint, type TinySpec } from '../runtime/checkpoint';

const cpuOnly: BackendProbes = {
  webgpuAdapter: async () => null,
  webglRenderer: () => null,
  activate: async (name: BackendName) => (name === 'cpu' ? tf.setBackend(name) : false),
};

/** A tiny checkpoint as a page source; `poison` writes values into one tensor (F32) after it is made. */
function source(key: string, spec: TinySpec, poison?: { tensor: RegExp; at: number[]; value: number }): ModelSource {
  const ck = makeTinyCheckpoint({ dtype: 'F32', ...spec });
  const bytes = ck.bytes.slice();
  if (poison) {
    const dv = new DataView(bytes.buffer);
    const hlen = Number(dv.getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hlen))) as Record<string, { data_offsets: [number, number] }>;
    const name = Object.keys(header).find((n) => poison.tensor.test(n))!;
    const begin = 8 + hlen + header[name].data_offsets[0];
    for (const i of poison.at) dv.setFloat32(begin + 4 * i, poison.value, true);
  }
  const config = new TextEncoder().encode(JSON.stringify(ck.hfConfig)).buffer as ArrayBuffer;
  return { kind: 'bytes', key, label: key, config, safetensors: bytes.buffer as ArrayBuffer, tokenizer: new ArrayBuffer(0) };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('numeric checks on loaded weights', () => {
  it('findNonFinite and the message', () => {
    expect(findNonFinite(new Float32Array([1, 2, 3]))).toBeNull();
    expect(findNonFinite(new Float32Array([0, NaN, Infinity, -Infinity]))).toEqual({ count: 3, first: 1, value: NaN });
    expect(tensorRole('transformer.wte.weight')).toBe('the token embeddings W_E');
    expect(tensorRole('model.decoder.embed_tokens.weight')).toBe('the token embeddings W_E');
    expect(tensorRole('lm_head.weight')).toBe('the unembedding W_U');
    expect(nonFiniteMessage('wte.weight', [10, 4], { count: 2, first: 9, value: -Infinity })).toMatch(
      /'wte\.weight' \(the token embeddings W_E\) holds 2 values .*−Infinity, at row 2, column 1/,
    );
  });

  for (const [what, tensor, value] of [
    ['NaN in W_E', /wte\.weight$/, NaN],
    ['+Infinity in W_U', /lm_head\.weight$/, Infinity],
    ['NaN in a LayerNorm gain', /h\.1\.ln_2\.weight$/, NaN],
  ] as const) {
    it(`${what}: refused naming the tensor; the previous model keeps answering, no tensor leaked`, async () => {
      const api = createModelClient({ worker: inProcessWorker(cpuOnly) });
      await api.init('cpu');
      await api.loadModel(source('good', { arch: 'gpt2', tied: false, seed: 1 }));
      const before = await api.forward([1, 2, 3]);
      const n0 = (await api.memory()).numTensors;
      const bad = source('bad', { arch: 'gpt2', tied: false, seed: 2 }, { tensor, at: [5, 6], value });
      const err = await api.loadModel(bad).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(err).not.toBeNull();
      expect(err).toContain('model.safetensors');
      expect(err).toMatch(tensor.source.replace(/\\\./g, '.').replace('$', '').split('.').pop()!);
      expect(err).toMatch(/not a finite number/);
      expect((await api.memory()).numTensors).toBe(n0);
      const after = await api.forward([1, 2, 3]);
      expect(after!.modelKey).toBe('good');
      expect(Array.from(after!.logits)).toEqual(Array.from(before!.logits));
    });
  }
});

describe('a model switch during generation', () => {
  it('stops the generation and drops the old model’s queued work at once', async () => {
    const api = createModelClient({ worker: inProcessWorker(cpuOnly) });
    await api.init('cpu');
    // context 256 without the cache: each token costs a full forward pass, so 250 tokens is a long generation here
    const spec: TinySpec = { arch: 'gpt2', tied: true, seed: 1, P: 256, D: 64, L: 2, H: 4 };
    await api.loadModel(source('old', spec));
    let steps = 0;
    let stepsAtSwitch = -1;
    const gen = api.generate([1, 2, 3], { temperature: 1, maxNewTokens: 250, useCache: false, seed: 1 }, () => {
      steps++;
    });
    while (steps < 3) await new Promise((r) => setTimeout(r, 5));
    // queued work of the old model, then the switch
    const fwd = api.forward([1, 2, 3, 4]);
    const mat = api.matrix('wte').then(
      () => 'resolved',
      (e: Error) => e.name,
    );
    stepsAtSwitch = steps;
    const load = api.loadModel(source('new', { ...spec, seed: 2 }));
    const stats = await gen;
    expect(stats.stopped).toBe(true);
    expect(stats.switched).toBe(true);
    // it stopped within a token or two of the switch, far from the 250 asked for
    expect(stats.tokens).toBeLessThanOrEqual(stepsAtSwitch + 2);
    expect(await fwd).toBeNull();
    expect(await mat).toBe('AbortError');
    const info = await load;
    expect(info.key).toBe('new');
    const r = await api.forward([1, 2, 3]);
    expect(r!.modelKey).toBe('new');
    // a generation of the new model is not affected
    const s2 = await api.generate([1, 2, 3], { temperature: 0, maxNewTokens: 4, useCache: true, seed: 1 }, () => undefined);
    expect(s2).toMatchObject({ tokens: 4, stopped: false });
    expect(s2.switched).toBeUndefined();
  }, 120_000);
});
