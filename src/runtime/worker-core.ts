/**
 * The model worker's logic, independent of how messages travel (worker.ts
 * wires it to `self`; tests wire it to an in-process channel).
 *
 * Requests run one at a time, in order. A 'forward' that a newer forward
 * overtook while it waited in the queue is answered 'superseded' without
 * running. 'cancel' is handled on arrival. 'lens' requests run at lower
 * priority, outside that queue (one at a time): before each chunk a lens
 * waits until the main queue is empty, and it stops (answered 'superseded')
 * when a newer lens request arrives, a 'cancel' names it, the model changes
 * or the backend is lost. Errors become messages; the worker
 * never dies from a bad request. A model that fails to load leaves the
 * previous one active.
 *
 * Any request can be cancelled: a running generation or load stops at its
 * next token or tensor; a queued request is answered without running (a
 * forward 'superseded', a generation as stopped with 0 tokens, anything else
 * with an AbortError). A model switch has priority: when a 'load' arrives,
 * every request of the old model that arrived before it and is not finished
 * (forward, matrix, directPath, generate) is cancelled on the spot, so the
 * load runs next instead of after seconds of stale work (the client also
 * cancels them as soon as a switch starts, before the weights are fetched).
 *
 * GPU loss (WebGPU device lost, WebGL context lost): probes.watchLoss reports
 * it; a request running on the lost backend is abandoned (it may never
 * settle), the worker picks the next backend automatically (never the lost
 * one), re-uploads the active model from the bytes it kept, re-runs the
 * request, and posts an unsolicited { kind: 'backend' } message whose note
 * says what happened. A generation or a load in flight is not re-run: it
 * fails with a message, and the previous model is back on the new backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend, findHardwareGpu, type BackendProbes, type ChooseOptions } from './backend';
import { checkTensorsAgainstConfig, parseConfigText } from './config';
import { directPath, forward, generate, lens, matmulGflops, matrix } from './gpt';
import { inspect } from './inspect';
import { checkedSource } from './weight-checks';
import { transferablesOf, type WorkerRequest, type WorkerResponse } from './messages';
import { parseSafetensors, readSafetensorsHeader } from './safetensors';
import type { BackendInfo, BackendName, ModelConfig, ModelInfo } from './types';
import {
  disposeWeights,
  fromSafetensors,
  fromSafetensorsReader,
  loadWeights,
  moveWeightsToActiveBackend,
  parameterCount,
  type GptWeights,
  type TensorSource,
} from './weights';

export type Post = (msg: WorkerResponse, transfer?: Transferable[]) => void;

/** Requests that compute on the active backend (init and setBackend choose it; memory only reads counters). */
const runsOnBackend = (req: WorkerRequest): boolean => req.type !== 'init' && req.type !== 'setBackend' && req.type !== 'memory';

/** The active GPU backend was lost while a request ran on it. */
class BackendLost extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'BackendLost';
  }
}

class Cancelled extends Error {
  constructor(what: string) {
    super(`${what} was cancelled`);
    this.name = 'AbortError';
  }
}

export interface WorkerOptions {
  /** While uploading weights, yield to the event loop (so a cancel can arrive) at least this often. */
  yieldEveryMs?: number;
  /**
   * Start choosing the backend automatically as soon as the worker starts, before the page's 'init'
   * arrives (the page creates the worker during its first render and sends 'init' after it): an
   * 'init' with 'auto' then takes that choice; any other waits for it and switches.
   */
  eagerInit?: boolean;
  /**
   * With eagerInit: start on the first backend that is not a GPU (wasm) without waiting for the GPU probes,
   * and move the model to a hardware GPU once the probes find one, unless the page has named a backend by
   * then. The probes take hundreds of milliseconds on a fresh browser, and on machines without a hardware
   * GPU (the usual case for this essay) the model ends on wasm anyway.
   */
  wasmFirst?: boolean;
}

export function createWorkerHandler(post: Post, probes: BackendProbes, options: WorkerOptions = {}): (req: WorkerRequest) => void {
  const yieldEveryMs = options.yieldEveryMs ?? 25;
  let weights: GptWeights | null = null;
  let info: ModelInfo | null = null;
  let backend: BackendInfo | null = null;
  const latestForward = new Map<string, number>(); // channel -> newest seq received
  const cancelled = new Set<number>();
  /** Requests received and not yet answered that belong to the active model (cancelled when another model loads). */
  const ofModel = new Set<number>();
  let queue: Promise<void> = Promise.resolve();
  /** The active model's config and weights file, kept to re-upload it after a GPU is lost. */
  let source: { config: ModelConfig; file: Blob } | null = null;
  /** Why the active backend was lost (null while it is healthy). */
  let lost: string | null = null;
  const lostBackends = new Set<BackendName>();
  const lostWaiters = new Set<(reason: string) => void>();
  let stopWatching: (() => void) | null = null;
  /** Bumped on every recovery: an upload that began before it must not install its weights. */
  let epoch = 0;
  /** Requests in the main queue (waiting or running); lens chunks wait until it is 0. */
  let mainPending = 0;
  let mainIdleWaiters: (() => void)[] = [];
  const mainIdle = (): Promise<void> => (mainPending === 0 ? Promise.resolve() : new Promise((r) => mainIdleWaiters.push(r)));
  /** Runs f after everything before it in the main queue. */
  const enqueue = (f: () => Promise<void>): void => {
    mainPending++;
    queue = queue.then(async () => {
      try {
        await f();
      } catch {
        // f answers its own request; an internal step (moveToGpu) that fails leaves the backend as it was
      } finally {
        mainPending--;
        if (mainPending === 0) {
          const waiters = mainIdleWaiters;
          mainIdleWaiters = [];
          for (const wake of waiters) wake();
        }
      }
    });
  };
  let lensQueue: Promise<void> = Promise.resolve();
  let latestLens = -Infinity;

  /** Starts watching the active backend for loss (after every backend change). */
  const watch = (): void => {
    stopWatching?.();
    stopWatching = null;
    lost = null;
    const name = tf.getBackend() as BackendName;
    stopWatching =
      probes.watchLoss?.(name, (reason) => {
        if (lost !== null || tf.getBackend() !== name) return;
        lost = reason;
        for (const w of lostWaiters) w(reason);
      }) ?? null;
  };

  const chooseAndWatch = async (preferred: BackendName | 'auto', choose: ChooseOptions = {}): Promise<BackendInfo> => {
    const b = await chooseBackend(probes, preferred, preferred === 'auto' ? lostBackends : new Set(), choose);
    watch();
    return b;
  };

  /** Lets go of the active weights; on a lost backend their memory is gone already and disposing may throw. */
  const dropWeights = (): void => {
    const old = weights;
    weights = null;
    if (!old) return;
    try {
      disposeWeights(old);
    } catch {
      /* a lost backend may refuse; nothing to free */
    }
  };

  const reupload = async (): Promise<void> => {
    if (!source) return;
    const reader = await readSafetensorsHeader(source.file);
    weights = await loadWeights(fromSafetensorsReader(reader), source.config);
  };

  /** The active GPU was lost: drop its tensors, pick the next backend, re-upload the model, tell the page. */
  const recover = async (): Promise<void> => {
    epoch++;
    const reason = lost ?? 'the GPU backend was lost';
    const from = (backend?.name ?? tf.getBackend()) as BackendName;
    lostBackends.add(from);
    dropWeights();
    const b = await chooseAndWatch('auto');
    backend = { ...b, note: `Fell back to ${b.name}: ${reason}${source ? '; the model was loaded again there' : ''}` };
    await reupload();
    post({ id: 0, kind: 'backend', backend });
  };

  /** Set once the page names a backend: the automatic move to a GPU (options.wasmFirst) is then off. */
  let named = false;

  /** The move of options.wasmFirst: to the GPU the probes found, if the model is still on the backend it started on. */
  const moveToGpu = async (gpu: { name: BackendName; adapter: string }, from: BackendName): Promise<void> => {
    if (named || lost !== null || lostBackends.has(gpu.name) || tf.getBackend() !== from) return;
    const b = await switchTo(gpu.name);
    if (b.name === from) return; // it did not start: stay
    backend =
      b.name === gpu.name
        ? { ...b, note: `${b.name}, chosen automatically (${gpu.adapter}); the first requests ran on ${from} while the GPUs were probed` }
        : b;
    post({ id: 0, kind: 'backend', backend });
  };

  /** Without a hardware GPU, the note of the backend options.wasmFirst started on gains why the GPUs were skipped. */
  const explainStay = async (skipped: string[], from: BackendName): Promise<void> => {
    const cur = await ensureBackend();
    if (named || lost !== null || cur.name !== from || skipped.length === 0) return;
    // what failed at the start (e.g. "wasm did not start") stays in the note, after the GPUs' reasons
    const failedAtStart = cur.note.split('; ').slice(1);
    backend = { ...cur, note: `${from}, chosen automatically; ${[...skipped, ...failedAtStart].join('; ')}` };
    post({ id: 0, kind: 'backend', backend });
  };

  const chooseAtStart = async (): Promise<BackendInfo> => {
    if (!options.wasmFirst) return chooseAndWatch('auto');
    const found = findHardwareGpu(probes, lostBackends);
    const b = await chooseAndWatch('auto', { skipGpus: true });
    void found.then(({ gpu, skipped }) => enqueue(() => (gpu ? moveToGpu(gpu, b.name) : explainStay(skipped, b.name))));
    return b;
  };

  /** The automatic choice started at start-up (options.eagerInit), until a switch takes it. */
  let eager: Promise<BackendInfo | null> | null = options.eagerInit ? chooseAtStart().catch(() => null) : null;

  const ensureBackend = async (): Promise<BackendInfo> => {
    if (!backend) backend = await switchTo('auto');
    return backend;
  };

  const requireModel = (): GptWeights => {
    if (!weights) throw new Error('no model is loaded yet');
    return weights;
  };

  const switchTo = async (preferred: BackendName | 'auto'): Promise<BackendInfo> => {
    if (eager) {
      // never two choices at once: wait for the one begun at start-up, and take it if it is what is asked for
      const started = eager;
      eager = null;
      const b = await started;
      if (b && preferred === 'auto' && lost === null) {
        backend = b;
        return b;
      }
    }
    const before = tf.getBackend();
    const wasLost = lost;
    const b = await chooseAndWatch(preferred);
    backend = b;
    if (wasLost && weights) {
      // the old GPU cannot be read back: upload the model again from its bytes
      dropWeights();
      await reupload();
      return b;
    }
    if (weights && b.name !== before) {
      try {
        weights = await moveWeightsToActiveBackend(weights);
      } catch (e) {
        // the old tensors are intact; tfjs moves their data on first use instead
        return { ...b, note: `${b.note} (weights will move on first use: ${(e as Error)?.message ?? e})` };
      }
    }
    return b;
  };

  async function run(req: WorkerRequest): Promise<unknown> {
    switch (req.type) {
      case 'init':
        if (req.preferred !== 'auto') named = true;
        return switchTo(req.preferred);
      case 'setBackend':
        named = true;
        return switchTo(req.name);
      case 'load': {
        await ensureBackend();
        const config = parseConfigText(req.config);
        post({ id: req.id, kind: 'progress', progress: { loaded: 0, total: 1, phase: 'parse' } });
        let src: TensorSource;
        let bytes: number;
        if (req.weights instanceof ArrayBuffer) {
          const file = parseSafetensors(req.weights);
          checkTensorsAgainstConfig(file, config);
          src = fromSafetensors(file);
          bytes = req.weights.byteLength;
        } else {
          const reader = await readSafetensorsHeader(req.weights);
          checkTensorsAgainstConfig(reader, config);
          src = fromSafetensorsReader(reader);
          bytes = reader.fileSize;
        }
        src = checkedSource(src); // NaN / ±Infinity in any tensor: a message naming it, before it is uploaded
        let lastYield = performance.now();
        const startEpoch = epoch;
        const fresh = await loadWeights(src, config, {
          onTensor: async (done, total) => {
            // yield to the event loop now and then, so a 'cancel' message can arrive mid-upload
            if (performance.now() - lastYield >= yieldEveryMs) {
              await new Promise((r) => setTimeout(r, 0));
              lastYield = performance.now();
            }
            if (cancelled.has(req.id)) throw new Cancelled('loading the model');
            if (epoch !== startEpoch) throw new BackendLost('the backend changed while loading');
            post({ id: req.id, kind: 'progress', progress: { loaded: done, total, phase: 'upload' } });
          },
        });
        if (epoch !== startEpoch) {
          disposeWeights(fresh);
          throw new BackendLost('the backend changed while loading');
        }
        // the new model is complete: only now let the previous one go
        if (weights) disposeWeights(weights);
        weights = fresh;
        source = { config, file: req.weights instanceof Blob ? req.weights : new Blob([req.weights]) };
        info = { key: req.key, label: req.label, config, parameterCount: parameterCount(fresh), weightBytes: bytes };
        post({ id: req.id, kind: 'progress', progress: { loaded: bytes, total: bytes, phase: 'ready' } });
        return info;
      }
      case 'forward': {
        const w = requireModel();
        return forward(w, Array.from(req.ids), { lensK: req.lensK, lastOnly: req.lastOnly, seq: req.seq, modelKey: info?.key ?? '' });
      }
      case 'lens':
        throw new Error('lens requests do not run in the main queue');
      case 'inspect':
        return inspect(requireModel(), Array.from(req.ids), { pos: req.pos, seq: req.seq, modelKey: info?.key ?? '' });
      case 'matrix':
        return matrix(requireModel(), req.name);
      case 'directPath':
        return directPath(requireModel(), req.tokenId);
      case 'generate': {
        const stats = await generate(requireModel(), Array.from(req.ids), req.opts, (step) => post({ id: req.id, kind: 'step', step }), {
          shouldStop: () => cancelled.has(req.id),
          yieldFn: () => new Promise((r) => setTimeout(r, 0)),
        });
        return { tokens: stats.tokens, ms: stats.ms, tokensPerSecond: stats.tokensPerSecond, stopped: stats.stopped };
      }
      case 'memory': {
        const m = tf.memory();
        return { numTensors: m.numTensors, numBytes: m.numBytes };
      }
      case 'matmulGflops':
        await ensureBackend();
        return matmulGflops(req.n);
      case 'cancel':
        return null;
    }
  }

  /** run(), raced against a loss of the active backend; after a loss, recovers and re-runs what can be re-run. */
  async function runGuarded(req: WorkerRequest): Promise<unknown> {
    const rerunnable =
      req.type === 'forward' || req.type === 'inspect' || req.type === 'matrix' || req.type === 'directPath' || req.type === 'matmulGflops';
    for (let attempt = 0; ; attempt++) {
      if (lost !== null && runsOnBackend(req)) await recover();
      let onLost: (reason: string) => void = () => undefined;
      const lostPromise = new Promise<never>((_, reject) => {
        onLost = (reason) => reject(new BackendLost(reason));
      });
      lostWaiters.add(onLost);
      let result: unknown;
      try {
        result = await Promise.race([run(req), lostPromise]);
      } catch (e) {
        if (lost === null) throw e;
        if (rerunnable && attempt < 2) continue;
        const reason = lost;
        await recover();
        const what = req.type === 'generate' ? 'Generation stopped' : req.type === 'load' ? 'Loading stopped' : 'The request failed';
        throw new Error(`${what}: ${reason}. The page now runs on ${backend?.name ?? 'another backend'}.`);
      } finally {
        lostWaiters.delete(onLost);
      }
      // a result computed while the backend was being lost may be garbage: compute it again
      if (lost !== null && rerunnable && attempt < 2) continue;
      return result;
    }
  }

  async function handle(req: WorkerRequest): Promise<void> {
    if ((req.type === 'forward' || req.type === 'inspect') && req.seq < (latestForward.get(req.channel) ?? -Infinity)) {
      ofModel.delete(req.id);
      post({ id: req.id, kind: 'superseded' });
      return;
    }
    if (cancelled.has(req.id) && req.type !== 'load') {
      // cancelled while it waited in the queue (a model switch, or the page no longer wants it): answer without running
      cancelled.delete(req.id);
      ofModel.delete(req.id);
      if (req.type === 'forward' || req.type === 'inspect') post({ id: req.id, kind: 'superseded' });
      else if (req.type === 'generate')
        post({ id: req.id, kind: 'result', result: { tokens: 0, ms: 0, tokensPerSecond: 0, stopped: true } });
      else post({ id: req.id, kind: 'error', error: { name: 'AbortError', message: `the ${req.type} request was cancelled` } });
      return;
    }
    try {
      if (runsOnBackend(req)) await ensureBackend();
      const result = await runGuarded(req);
      // tfjs-cpu hands out its own storage from data(): never transfer (detach) it there
      post({ id: req.id, kind: 'result', result }, tf.getBackend() === 'cpu' ? [] : transferablesOf(result));
    } catch (e) {
      const err = e as Error;
      post({ id: req.id, kind: 'error', error: { name: err?.name ?? 'Error', message: err?.message ?? String(e) } });
    } finally {
      cancelled.delete(req.id);
      ofModel.delete(req.id);
    }
  }

  /** A macrotask (lets messages in), then the main queue drained. */
  const yieldToMain = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, 0));
    while (mainPending > 0) await mainIdle();
  };

  async function handleLens(req: Extract<WorkerRequest, { type: 'lens' }>): Promise<void> {
    try {
      await yieldToMain();
      const w = weights;
      const startEpoch = epoch;
      const stale = (): boolean => cancelled.has(req.id) || req.seq < latestLens || weights !== w || epoch !== startEpoch || lost !== null;
      if (stale() || !w) {
        if (!w && !stale()) throw new Error('no model is loaded yet');
        post({ id: req.id, kind: 'superseded' });
        return;
      }
      const ids = Array.from(req.ids);
      // a chunk on a GPU that is lost may never settle: stop waiting for it then (its tensors went with the GPU)
      let onLost: (reason: string) => void = () => undefined;
      const lostNow = new Promise<null>((resolve) => {
        onLost = () => resolve(null);
      });
      lostWaiters.add(onLost);
      let r: Awaited<ReturnType<typeof lens>>;
      try {
        r = await Promise.race([lens(w, ids, req.k, { chunkRows: req.chunkRows, shouldStop: stale, yieldFn: yieldToMain }), lostNow]);
      } finally {
        lostWaiters.delete(onLost);
      }
      if (r === null || stale()) {
        post({ id: req.id, kind: 'superseded' });
        return;
      }
      const c = w.config;
      const result = {
        seq: req.seq,
        modelKey: info?.key ?? '',
        ids: Int32Array.from(ids),
        T: ids.length,
        L: c.nLayer,
        V: c.vocabSize,
        lens: r.lens,
        ms: r.ms,
      };
      post({ id: req.id, kind: 'result', result }, tf.getBackend() === 'cpu' ? [] : transferablesOf(result));
    } catch (e) {
      const err = e as Error;
      post({ id: req.id, kind: 'error', error: { name: err?.name ?? 'Error', message: err?.message ?? String(e) } });
    } finally {
      cancelled.delete(req.id);
    }
  }

  return (req: WorkerRequest) => {
    if (req.type === 'cancel') {
      cancelled.add(req.target);
      return;
    }
    if (req.type === 'lens') {
      latestLens = Math.max(latestLens, req.seq);
      lensQueue = lensQueue.then(() => handleLens(req));
      return;
    }
    if (req.type === 'load') {
      // the old model's outstanding work is dropped now, so the switch does not wait behind it
      for (const id of ofModel) cancelled.add(id);
      ofModel.clear();
    } else if (
      req.type === 'forward' ||
      req.type === 'inspect' ||
      req.type === 'matrix' ||
      req.type === 'directPath' ||
      req.type === 'generate'
    ) {
      ofModel.add(req.id);
    }
    if (req.type === 'forward' || req.type === 'inspect')
      latestForward.set(req.channel, Math.max(latestForward.get(req.channel) ?? -Infinity, req.seq));
    enqueue(() => handle(req));
  };
}
