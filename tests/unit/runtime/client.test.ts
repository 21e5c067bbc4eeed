/**
 * client.ts + worker-core.ts wired through an in-process, asynchronous channel
 * (no real Worker in Node): ids, supersede, progress, errors as messages,
 * failed loads keep the previous model, cancel, backend choice and fallback.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createModelClient, fetchWithProgress } from '../../../src/runtime/client';
import { inProcessWorker, nodeProbes } from './in-process-worker';
import { chooseBackend, type BackendProbes } from '../../../src/runtime/backend';
import type { ModelSource } from '../../../src/runtime/api';
import type { BackendName, LoadProgress } from '../../../src/runtime/types';
import { makeTinyCheckpoint, type TinySpec } from './checkpoint';
import { float64View, randomIds } from './helpers';
import { referenceForward, relErr } from './reference';

function bytesSource(key: string, spec: TinySpec): { source: ModelSource; bytes: Uint8Array; hf: Record<string, unknown> } {
  const ck = makeTinyCheckpoint(spec);
  const enc = new TextEncoder();
  const config = enc.encode(JSON.stringify(ck.hfConfig)).buffer as ArrayBuffer;
  const safetensors = ck.bytes.slice().buffer as ArrayBuffer;
  return {
    source: { kind: 'bytes', key, label: key, config, safetensors, tokenizer: new ArrayBuffer(0) },
    bytes: ck.bytes,
    hf: ck.hfConfig,
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('client <-> worker', () => {
  it('init, load (bytes), forward matches the reference, supersede, memory back to baseline', async () => {
    const api = createModelClient({ worker: inProcessWorker() });
    const b = await api.init('auto');
    expect(b.name).toBe('wasm');
    expect(api.backend()?.name).toBe('wasm');
    const base = (await api.memory()).numTensors;
    const m = bytesSource('a', { arch: 'gpt2', tied: true, seed: 3 });
    const phases = new Set<LoadProgress['phase']>();
    const info = await api.loadModel(m.source, (p) => phases.add(p.phase));
    expect([...phases]).toEqual(['download', 'parse', 'upload', 'ready']);
    expect(info.key).toBe('a');
    expect(info.weightBytes).toBe(m.bytes.byteLength);
    expect(info.config.nEmbd).toBe(32);
    // the page's buffer is not detached
    expect((m.source as { safetensors: ArrayBuffer }).safetensors.byteLength).toBe(m.bytes.byteLength);
    const afterLoad = (await api.memory()).numTensors;
    expect(afterLoad).toBeGreaterThan(base);

    const ids = randomIds(10, 64, 4);
    const [r1, r2, r3] = await Promise.all([api.forward(ids.slice(0, 4)), api.forward(ids.slice(0, 7)), api.forward(ids, { lensK: 3 })]);
    expect(r1).toBeNull();
    expect(r2).toBeNull();
    expect(r3).not.toBeNull();
    expect(r3!.seq).toBe(3);
    expect(r3!.modelKey).toBe('a');
    const ref = referenceForward(info.config, float64View(m.bytes), ids);
    expect(relErr(r3!.logits, ref.logits)).toBeLessThan(1e-4);
    // another channel neither supersedes nor is superseded by the main one
    const [m1, o1, m2] = await Promise.all([api.forward([1, 2]), api.forward([3], { channel: 'fig' }), api.forward([4, 5])]);
    expect(m1).toBeNull();
    expect(o1!.T).toBe(1);
    expect(m2!.T).toBe(2);
    expect(r3!.lens.topIds.length).toBe(3 * 10 * 3);
    expect((await api.memory()).numTensors).toBe(afterLoad);

    const dp = await api.directPath(5);
    expect(dp.length).toBe(64);
    const wte = await api.matrix('wte');
    expect([wte.rows, wte.cols]).toEqual([64, 32]);
    expect(await api.matrix('wte')).toBe(wte); // cached per model
    expect((await api.memory()).numTensors).toBe(afterLoad);
  });

  it('errors come back as rejections and the worker keeps working; a failed load keeps the previous model', async () => {
    const api = createModelClient({ worker: inProcessWorker() });
    await api.init('cpu');
    await expect(api.forward([1, 2])).rejects.toThrow(/no model is loaded/);
    const good = bytesSource('good', { arch: 'opt', tied: true, seed: 5 });
    await api.loadModel(good.source);
    const before = await api.forward([3, 4, 5]);
    await expect(api.forward([3, 999])).rejects.toThrow(/outside the vocabulary/);

    // a truncated file, then a config that disagrees with the weights
    const bad = bytesSource('bad', { arch: 'gpt2', tied: true, seed: 6 });
    const truncated = {
      ...bad.source,
      safetensors: (bad.source as { safetensors: ArrayBuffer }).safetensors.slice(0, 1000),
    } as ModelSource;
    await expect(api.loadModel(truncated)).rejects.toThrow(/model\.safetensors/);
    const wrongCfg = { ...bad.source, config: new TextEncoder().encode(JSON.stringify({ ...bad.hf, n_embd: 64 })).buffer } as ModelSource;
    await expect(api.loadModel(wrongCfg)).rejects.toThrow();
    const garbage = { ...bad.source, config: new TextEncoder().encode('{nope').buffer } as ModelSource;
    await expect(api.loadModel(garbage)).rejects.toThrow(/config\.json/);

    const wpe = await api.matrix('wpe');
    const after = await api.forward([3, 4, 5]);
    expect(await api.matrix('wpe')).toBe(wpe); // a failed load keeps the cache
    await api.loadModel(bytesSource('other', { arch: 'gpt2', tied: true, seed: 7 }).source);
    expect(await api.matrix('wpe')).not.toBe(wpe);
    expect(after!.modelKey).toBe('good');
    expect(relErr(after!.logits, before!.logits)).toBe(0);
    expect((await api.forward([3, 4, 5]))!.modelKey).toBe('other');
  });

  it('generate streams steps, cancels via AbortSignal, and leaks nothing', async () => {
    const api = createModelClient({ worker: inProcessWorker() });
    await api.init('wasm');
    const m = bytesSource('g', { arch: 'gpt2', tied: false, seed: 7, P: 64 });
    await api.loadModel(m.source);
    const base = (await api.memory()).numTensors;
    const steps: number[] = [];
    const s = await api.generate([1, 2, 3], { temperature: 0, maxNewTokens: 10, useCache: true, seed: 1 }, (st) => steps.push(st.id));
    expect(s.tokens).toBe(10);
    expect(steps.length).toBe(10);
    const steps2: number[] = [];
    await api.generate([1, 2, 3], { temperature: 0, maxNewTokens: 10, useCache: false, seed: 1 }, (st) => steps2.push(st.id));
    expect(steps2).toEqual(steps);

    const ctrl = new AbortController();
    let n = 0;
    const c = await api.generate(
      [1],
      { temperature: 1, maxNewTokens: 60, useCache: true, seed: 2 },
      () => {
        if (++n === 3) ctrl.abort();
      },
      ctrl.signal,
    );
    expect(c.stopped).toBe(true);
    expect(c.tokens).toBeLessThan(60);
    expect((await api.memory()).numTensors).toBe(base);
  });

  it('aborting a load mid-upload keeps the previous model and leaks nothing', async () => {
    // yield after every tensor, so the test does not depend on this machine's speed
    const api = createModelClient({ worker: inProcessWorker(nodeProbes, { yieldEveryMs: 0 }) });
    await api.init('cpu');
    await api.loadModel(bytesSource('first', { arch: 'gpt2', tied: true, seed: 10 }).source);
    const mem = (await api.memory()).numTensors;
    const big = bytesSource('second', { arch: 'gpt2', tied: false, seed: 11, L: 12 });
    for (const src of [
      big.source,
      { ...big.source, safetensors: new Blob([(big.source as { safetensors: ArrayBuffer }).safetensors]) } as ModelSource,
    ]) {
      const ctrl = new AbortController();
      const p = api.loadModel(
        src,
        (pr) => {
          if (pr.phase === 'upload' && pr.loaded >= 3) ctrl.abort();
        },
        ctrl.signal,
      );
      await expect(p).rejects.toThrow(/cancelled/);
      expect((await api.memory()).numTensors).toBe(mem);
      expect((await api.forward([1, 2, 3]))!.modelKey).toBe('first');
    }
  });

  it('switching backend moves the model and gives the same logits', async () => {
    const api = createModelClient({ worker: inProcessWorker() });
    await api.init('cpu');
    const m = bytesSource('s', { arch: 'gpt2', tied: true, seed: 8 });
    await api.loadModel(m.source);
    const ids = randomIds(8, 64, 2);
    const a = await api.forward(ids);
    const mem = (await api.memory()).numTensors;
    expect((await api.setBackend('wasm')).name).toBe('wasm');
    const b = await api.forward(ids);
    expect(relErr(b!.logits, a!.logits)).toBeLessThan(1e-5);
    expect((await api.memory()).numTensors).toBe(mem);
    // webgl does not exist in Node: falls back with a note
    const f = await api.setBackend('webgl');
    expect(f.name).toBe('wasm');
    expect(f.note).toMatch(/Fell back to wasm: webgl did not start/);
    await api.setBackend('cpu');
  });

  it('url source: fetches config.json and model.safetensors with progress; abort rejects', async () => {
    const m = bytesSource('u', { arch: 'gpt2', tied: true, seed: 9 });
    const files: Record<string, Uint8Array> = {
      '/models/u/config.json': new TextEncoder().encode(JSON.stringify(m.hf)),
      '/models/u/model.safetensors': m.bytes,
    };
    const fetchImpl = (async (url: string) => {
      const body = files[url];
      if (!body) return new Response('missing', { status: 404, statusText: 'Not Found' });
      // stream in 4 KB chunks
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < body.byteLength; i += 4096) c.enqueue(body.slice(i, i + 4096));
          c.close();
        },
      });
      return new Response(stream, { headers: { 'Content-Length': String(body.byteLength) } });
    }) as unknown as typeof fetch;
    const api = createModelClient({ worker: inProcessWorker(), fetchImpl });
    await api.init('cpu');
    const prog: LoadProgress[] = [];
    const info = await api.loadModel({ kind: 'url', key: 'u', label: 'U', baseUrl: '/models/u/' }, (p) => prog.push(p));
    expect(info.weightBytes).toBe(m.bytes.byteLength);
    const dl = prog.filter((p) => p.phase === 'download');
    expect(dl.length).toBeGreaterThan(2);
    expect(dl[dl.length - 1]).toEqual({ loaded: m.bytes.byteLength, total: m.bytes.byteLength, phase: 'download' });
    await expect(api.loadModel({ kind: 'url', key: 'x', label: 'X', baseUrl: '/nope/' })).rejects.toThrow(/config\.json: HTTP 404/);
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(api.loadModel({ kind: 'url', key: 'u2', label: 'U', baseUrl: '/models/u/' }, undefined, ctrl.signal)).rejects.toThrow(
      /abort/,
    );
    expect((await api.forward([1, 2]))!.modelKey).toBe('u');
  });

  it('fetchWithProgress grows its buffer when Content-Length is missing or wrong', async () => {
    const body = new Uint8Array(10_000).map((_, i) => i % 251);
    for (const len of [null, '100']) {
      const f = (async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(c) {
              for (let i = 0; i < body.byteLength; i += 3000) c.enqueue(body.slice(i, i + 3000));
              c.close();
            },
          }),
          len ? { headers: { 'Content-Length': len } } : {},
        )) as unknown as typeof fetch;
      const got = new Uint8Array(await fetchWithProgress('x', () => undefined, undefined, f));
      expect(got).toEqual(body);
    }
  });

  it('fetchWithProgress tries a download again after a network failure mid-body, and gives up after its retries', async () => {
    const body = new Uint8Array(9_000).map((_, i) => i % 241);
    let calls = 0;
    const flaky = (failures: number) =>
      (async () => {
        const n = calls++;
        return new Response(
          new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(body.slice(0, 3000));
              // the way Chromium reports ERR_CACHE_WRITE_FAILURE to the reader: the stream errors with a TypeError
              if (n < failures) c.error(new TypeError('network error'));
              else {
                c.enqueue(body.slice(3000));
                c.close();
              }
            },
          }),
          { headers: { 'Content-Length': String(body.byteLength) } },
        );
      }) as unknown as typeof fetch;
    const got = new Uint8Array(await fetchWithProgress('x', () => undefined, undefined, flaky(2), [0, 0]));
    expect(got).toEqual(body);
    expect(calls).toBe(3);
    calls = 0;
    await expect(fetchWithProgress('x', () => undefined, undefined, flaky(3), [0, 0])).rejects.toThrow(/network error/);
    expect(calls).toBe(3);
    // an HTTP error or an abort is not retried
    calls = 0;
    const notFound = (async () => (calls++, new Response('no', { status: 404 }))) as unknown as typeof fetch;
    await expect(fetchWithProgress('x', () => undefined, undefined, notFound, [0, 0])).rejects.toThrow(/404/);
    expect(calls).toBe(1);
  });
});

describe('backend choice', () => {
  const probes = (
    o: Partial<{ gpu: { software: boolean; description: string } | null; gl: string | null; ok: BackendName[] }>,
  ): BackendProbes & { tried: BackendName[] } => {
    const tried: BackendName[] = [];
    return {
      tried,
      webgpuAdapter: async () => o.gpu ?? null,
      webglRenderer: () => o.gl ?? null,
      activate: async (n) => {
        tried.push(n);
        return (o.ok ?? ['cpu']).includes(n) ? tf.setBackend('cpu') : false;
      },
    };
  };
  it('skips software WebGPU and WebGL in auto mode', async () => {
    const p = probes({
      gpu: { software: true, description: 'google swiftshader' },
      gl: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))',
      ok: ['webgpu', 'webgl', 'wasm', 'cpu'],
    });
    const b = await chooseBackend(p, 'auto');
    expect(b.name).toBe('wasm');
    expect(p.tried).toEqual(['wasm']);
    expect(b.note).toMatch(/software adapter/);
  });
  it('uses hardware WebGPU first, hardware WebGL next', async () => {
    const p = probes({
      gpu: { software: false, description: 'nvidia ampere' },
      gl: 'ANGLE (NVIDIA)',
      ok: ['webgpu', 'webgl', 'wasm', 'cpu'],
    });
    expect((await chooseBackend(p, 'auto')).name).toBe('webgpu');
    const q = probes({ gpu: null, gl: 'ANGLE (NVIDIA)', ok: ['webgl', 'wasm', 'cpu'] });
    expect((await chooseBackend(q, 'auto')).name).toBe('webgl');
    const r = probes({ gpu: { software: false, description: 'x' }, gl: 'ANGLE (NVIDIA)', ok: ['webgl', 'cpu'] });
    const br = await chooseBackend(r, 'auto');
    expect(br.name).toBe('webgl');
    expect(br.note).toMatch(/webgpu did not start/);
  });
  it('a forced software backend is honoured; a failing one falls back with a note', async () => {
    const p = probes({ gpu: { software: true, description: 'google swiftshader' }, ok: ['webgpu', 'cpu'] });
    const b = await chooseBackend(p, 'webgpu');
    expect(b.name).toBe('webgpu');
    expect(b.adapter).toBe('google swiftshader');
    const q = probes({ ok: ['cpu'] });
    const c = await chooseBackend(q, 'wasm');
    expect(c.name).toBe('cpu');
    expect(c.note).toMatch(/^Fell back to cpu: wasm did not start/);
    await expect(chooseBackend(probes({ ok: [] }), 'auto')).rejects.toThrow(/no tfjs backend/);
  });
});

describe('eager backend choice (the worker starts choosing before the page asks)', () => {
  it("'init' auto takes the choice begun at start-up (one activation); a named backend switches after it", async () => {
    const tried: BackendName[] = [];
    const probes: BackendProbes = {
      ...nodeProbes,
      activate: async (n) => {
        tried.push(n);
        return nodeProbes.activate(n);
      },
    };
    const api = createModelClient({ worker: inProcessWorker(probes, { eagerInit: true }) });
    await new Promise((r) => setTimeout(r, 20));
    expect(tried).toEqual(['wasm']); // started without any message
    const b = await api.init('auto');
    expect(b.name).toBe('wasm');
    expect(tried).toEqual(['wasm']);
    const api2 = createModelClient({ worker: inProcessWorker(probes, { eagerInit: true }) });
    const c = await api2.init('cpu');
    expect(c.name).toBe('cpu');
    expect(tried.slice(1)).toEqual(['wasm', 'cpu']);
    await tf.setBackend('cpu');
  });
});
