/**
 * The benchmark page (src/bench/index.html, built only by `npm run bench`):
 * the app's own model runtime (the same client and Web Worker the essay
 * uses) and onnxruntime-web's wasm backend (single-threaded, its .wasm
 * served from this origin) side by side in one page. scripts/bench/run.mjs
 * drives it through window.__bench; nothing here runs on its own.
 *
 * Every timing is a list of repeated runs; the driver takes medians.
 */
import * as ort from 'onnxruntime-web/wasm';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { createModelClient } from '../runtime/client';
import type { ModelApi } from '../runtime/api';
import type { BackendName, ModelInfo } from '../runtime/types';

const now = () => performance.now();

/** Deterministic token ids in [0, V) (no special tokens: 1..V-2). */
export function benchIds(T: number, V: number, salt = 0): number[] {
  return Array.from({ length: T }, (_, i) => 1 + ((i * 7919 + salt * 104729 + 13) % (V - 2)));
}

let client: ModelApi | null = null;
let info: ModelInfo | null = null;
let session: ort.InferenceSession | null = null;

function api(): ModelApi {
  if (!client) client = createModelClient();
  return client;
}

async function superseded<T>(p: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 5; i++) {
    const r = await p();
    if (r !== null) return r;
  }
  throw new Error('forward kept being superseded');
}

const bench = {
  /** Starts (or switches) the backend of the runtime worker. */
  async backend(name: BackendName) {
    const c = api();
    return c.backend() ? c.setBackend(name) : c.init(name);
  },

  /** Loads a model folder (config.json + model.safetensors) into the worker. */
  async load(baseUrl: string, key: string) {
    const t0 = now();
    info = await api().loadModel({ kind: 'url', key, label: key, baseUrl });
    return { info, ms: now() - t0 };
  },

  /**
   * Forward latency of T tokens: `reps` timed runs after `warm` untimed ones.
   * worker = ms inside the worker (compute + reading the results back), wall = round trip from this page.
   */
  async forward(T: number, reps: number, warm: number, opts: { lensK: number; lastOnly: boolean }) {
    if (!info) throw new Error('no model');
    const ids = benchIds(Math.min(T, info.config.nPositions), info.config.vocabSize);
    const worker: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < warm + reps; i++) {
      const t0 = now();
      const r = await superseded(() => api().forward(ids, opts));
      const w = now() - t0;
      if (i >= warm) {
        worker.push(r.ms);
        wall.push(w);
      }
    }
    return { T: ids.length, worker, wall };
  },

  /** The logit lens on demand (top-5), as the lens figure asks for it: ms inside the worker per request. */
  async lens(T: number, reps: number) {
    if (!info) throw new Error('no model');
    const ids = benchIds(Math.min(T, info.config.nPositions), info.config.vocabSize);
    const worker: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = now();
      const r = await superseded(() => api().lens(ids, 5));
      wall.push(now() - t0);
      worker.push(r.ms);
    }
    return { T: ids.length, worker, wall };
  },

  /**
   * The inspect request against the page's default forward (no lens, last row of logits only: state/model.ts) and
   * the forward with the logit lens inline (k = 5, every row of logits), alternating, T tokens:
   * `reps` timed pairs after `warm` untimed ones. Milliseconds inside the worker, and round trips.
   */
  async inspectVsForward(T: number, reps: number, warm: number) {
    if (!info) throw new Error('no model');
    const ids = benchIds(Math.min(T, info.config.nPositions), info.config.vocabSize, 1);
    const forward: number[] = [];
    const withLens: number[] = [];
    const inspect: number[] = [];
    const forwardWall: number[] = [];
    const inspectWall: number[] = [];
    for (let i = 0; i < warm + reps; i++) {
      const l = await superseded(() => api().forward(ids, { lensK: 5, lastOnly: false }));
      let t0 = now();
      const f = await superseded(() => api().forward(ids, { lensK: 0, lastOnly: true }));
      const fw = now() - t0;
      t0 = now();
      const r = await superseded(() => api().inspect(ids));
      const iw = now() - t0;
      if (i >= warm) {
        forward.push(f.ms);
        withLens.push(l.ms);
        inspect.push(r.ms);
        forwardWall.push(fw);
        inspectWall.push(iw);
      }
    }
    return { T: ids.length, forward, withLens, inspect, forwardWall, inspectWall };
  },

  async matmulGflops(n: number, reps: number) {
    const out: number[] = [];
    for (let i = 0; i < reps; i++) out.push(await api().matmulGflops(n));
    return out;
  },

  /** Generation from a `promptLen`-token prompt to `promptLen + newTokens`; per-step ms as reported by the worker. */
  async generate(promptLen: number, newTokens: number, useCache: boolean) {
    if (!info) throw new Error('no model');
    const ids = benchIds(promptLen, info.config.vocabSize, 1);
    const steps: number[] = [];
    const stats = await api().generate(ids, { temperature: 0, maxNewTokens: newTokens, useCache, seed: 1 }, (s) => steps.push(s.ms));
    return { stats, steps };
  },

  async memory() {
    return api().memory();
  },

  // ---- onnxruntime-web (wasm, one thread) ----------------------------------
  async ortLoad(url: string) {
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, location.href).href };
    const t0 = now();
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    return { ms: now() - t0, inputs: session.inputNames, outputs: session.outputNames, version: ort.env.versions?.web ?? '' };
  },

  async ortForward(T: number, V: number, reps: number, warm: number) {
    if (!session) throw new Error('no ONNX session');
    const ids = benchIds(T, V);
    const input = new ort.Tensor('int64', BigInt64Array.from(ids.map((x) => BigInt(x))), [1, T]);
    const times: number[] = [];
    let dims: readonly number[] = [];
    for (let i = 0; i < warm + reps; i++) {
      const t0 = now();
      const out = await session.run({ [session.inputNames[0]]: input });
      const logits = out[session.outputNames[0]];
      await logits.getData(); // on wasm the data is already on the CPU; kept for symmetry with the worker's read-back
      const ms = now() - t0;
      dims = logits.dims;
      for (const t of Object.values(out)) t.dispose();
      if (i >= warm) times.push(ms);
    }
    return { T, ms: times, dims };
  },

  /**
   * Ours and onnxruntime-web alternately on the same ids (ours, ort, ours, ort, …), so both see the
   * same machine load: the fair way to take a ratio on a shared, busy machine.
   */
  async interleaved(T: number, reps: number, warm: number) {
    if (!session || !info) throw new Error('load both first');
    const ids = benchIds(T, info.config.vocabSize);
    const input = new ort.Tensor('int64', BigInt64Array.from(ids.map((x) => BigInt(x))), [1, T]);
    const ours: number[] = [];
    const theirs: number[] = [];
    let dims: readonly number[] = [];
    for (let i = 0; i < warm + reps; i++) {
      const r = await superseded(() => api().forward(ids, { lensK: 0, lastOnly: false }));
      const t0 = now();
      const out = await session.run({ [session.inputNames[0]]: input });
      const logits = out[session.outputNames[0]];
      await logits.getData();
      const ms = now() - t0;
      dims = logits.dims;
      for (const t of Object.values(out)) t.dispose();
      if (i >= warm) {
        ours.push(r.ms);
        theirs.push(ms);
      }
    }
    return { T, ours, ort: theirs, dims };
  },

  /** Last-position logits of both runtimes for the same ids (a sanity check that the two run the same model). */
  async compareLogits(T: number) {
    if (!session || !info) throw new Error('load both first');
    const V = info.config.vocabSize;
    const ids = benchIds(T, V);
    const ours = await superseded(() => api().forward(ids, { lensK: 0, lastOnly: true }));
    const out = await session.run({
      [session.inputNames[0]]: new ort.Tensor('int64', BigInt64Array.from(ids.map((x) => BigInt(x))), [1, T]),
    });
    const theirs = (await out[session.outputNames[0]].getData()) as Float32Array;
    const last = theirs.subarray((T - 1) * V, T * V);
    let maxAbs = 0;
    let maxRef = 0;
    for (let i = 0; i < V; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(ours.logits[i] - last[i]));
      maxRef = Math.max(maxRef, Math.abs(last[i]));
    }
    for (const t of Object.values(out)) t.dispose();
    return { maxAbsDiff: maxAbs, maxAbsLogit: maxRef };
  },

  userAgent: () => navigator.userAgent,
  hardwareConcurrency: () => navigator.hardwareConcurrency,
};

export type BenchPage = typeof bench;
(window as unknown as { __bench: BenchPage }).__bench = bench;
document.getElementById('status')!.dataset.ready = '1';
