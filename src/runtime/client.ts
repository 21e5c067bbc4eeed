/**
 * The main-thread side of the model runtime: implements ModelApi by talking
 * to the model worker. No tfjs here.
 *
 * - every request has an id; responses, progress and generation steps are
 *   routed back by id;
 * - `forward` requests are numbered; a result older than the newest forward
 *   request resolves null (the worker also skips queued stale forwards);
 * - `lens` requests are numbered too: a newer lens request, an abort, or a
 *   'main' forward of other ids (a newer prompt) stops an older one, which
 *   resolves null;
 * - `loadModel` downloads config.json and model.safetensors here (progress
 *   from Content-Length and a streamed reader, AbortSignal honoured) and
 *   transfers the bytes to the worker; a Blob is passed as is (the worker
 *   reads it tensor by tensor). The previous model stays active on failure.
 * - a model switch comes first: `loadModel` cancels, before it fetches
 *   anything, every outstanding request of the old model (forward, matrix,
 *   directPath, generate). A generation stopped so resolves with
 *   `switched: true`; forwards resolve null; matrix/directPath reject with
 *   an AbortError.
 */
import type { ModelApi, ModelSource } from './api';
import type { WorkerRequest, WorkerResponse } from './messages';
import type {
  BackendInfo,
  BackendName,
  ForwardResult,
  GenerateOptions,
  GenerateStats,
  GenerateStep,
  InspectResult,
  LensResult,
  LoadProgress,
  Matrix,
  MatrixName,
  ModelInfo,
} from './types';

/** The part of a Worker the client uses (a real Worker, or an in-process channel in tests). */
export interface WorkerLike {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', l: (e: MessageEvent) => void): void;
  addEventListener(type: 'error', l: (e: ErrorEvent) => void): void;
  terminate?(): void;
}

interface Pending {
  /** the request type (to find the old model's work when a model switch starts) */
  type?: string;
  /** cancelled by a model switch */
  switched?: boolean;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (p: LoadProgress) => void;
  onStep?: (s: GenerateStep) => void;
  superseded?: () => void;
}

type Body = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function abortError(): Error {
  const e = new Error('The operation was aborted.');
  e.name = 'AbortError';
  return e;
}

/** Waits between tries of a download that failed on the network (ms; one entry per retry). */
export const FETCH_RETRY_MS = [250, 1000];

/**
 * Fetches a URL into one ArrayBuffer, reporting progress; honours the signal.
 * A network failure (fetch rejecting with a TypeError, before or while the body
 * streams) is tried again, from the start, after each wait in FETCH_RETRY_MS.
 * Chromium fails one of two concurrent downloads of the same URL with
 * ERR_CACHE_WRITE_FAILURE, which is what a model switch meets while the
 * service worker is still precaching that model.
 */
export async function fetchWithProgress(
  url: string,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
  fetchImpl: typeof fetch = fetch,
  retryMs: readonly number[] = FETCH_RETRY_MS,
): Promise<ArrayBuffer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce(url, onProgress, signal, fetchImpl);
    } catch (e) {
      const network = e instanceof TypeError && !signal?.aborted;
      if (!network || attempt >= retryMs.length) throw e;
      await new Promise((r) => setTimeout(r, retryMs[attempt]));
      if (signal?.aborted) throw abortError();
    }
  }
}

async function fetchOnce(
  url: string,
  onProgress: (loaded: number, total: number) => void,
  signal: AbortSignal | undefined,
  fetchImpl: typeof fetch,
): Promise<ArrayBuffer> {
  const res = await fetchImpl(url, { signal });
  if (!res.ok) throw new Error(`${url.split('/').pop()}: HTTP ${res.status} ${res.statusText}`.trim());
  const total = Number(res.headers.get('Content-Length')) || 0;
  if (!res.body) {
    const b = await res.arrayBuffer();
    onProgress(b.byteLength, b.byteLength);
    return b;
  }
  const reader = res.body.getReader();
  let buf = new Uint8Array(total > 0 ? total : 1 << 20);
  let loaded = 0;
  for (;;) {
    if (signal?.aborted) {
      await reader.cancel().catch(() => undefined);
      throw abortError();
    }
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.byteLength > buf.byteLength) {
      // Content-Length missing or smaller than the body (e.g. compressed transfer): grow
      const bigger = new Uint8Array(Math.max(buf.byteLength * 2, loaded + value.byteLength));
      bigger.set(buf.subarray(0, loaded));
      buf = bigger;
    }
    buf.set(value, loaded);
    loaded += value.byteLength;
    onProgress(loaded, Math.max(total, loaded));
  }
  return loaded === buf.byteLength ? buf.buffer : buf.slice(0, loaded).buffer;
}

function sameIds(a: Int32Array, b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface ClientOptions {
  /** Use this worker instead of starting src/runtime/worker.ts (tests). */
  worker?: WorkerLike;
  fetchImpl?: typeof fetch;
}

export function createModelClient(options: ClientOptions = {}): ModelApi {
  const worker: WorkerLike =
    options.worker ?? (new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'model' }) as unknown as WorkerLike);
  const fetchImpl = options.fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let forwardSeq = 0;
  /** channel -> seq of its newest forward request */
  const latestSeq = new Map<string, number>();
  let current: BackendInfo | null = null;
  const backendListeners = new Set<(b: BackendInfo) => void>();
  let dead: Error | null = null;
  let lensSeq = 0;
  /** The lens request in flight (at most one matters: a newer one supersedes it). */
  let lensInFlight: { id: number; seq: number; ids: Int32Array } | null = null;
  const cancel = (target: number) => worker.postMessage({ type: 'cancel', id: nextId++, target });
  /** Weight matrices of the active model (cleared when another model loads). Shared: do not mutate. */
  let matrices = new Map<MatrixName, Promise<Matrix>>();

  worker.addEventListener('message', (e: MessageEvent) => {
    const msg = e.data as WorkerResponse;
    if (msg.kind === 'backend') {
      current = msg.backend;
      for (const l of backendListeners) l(msg.backend);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    switch (msg.kind) {
      case 'progress':
        p.onProgress?.(msg.progress);
        return;
      case 'step':
        p.onStep?.(msg.step);
        return;
      case 'superseded':
        pending.delete(msg.id);
        p.resolve(null);
        return;
      case 'result':
        pending.delete(msg.id);
        p.resolve(p.switched && p.type === 'generate' ? { ...(msg.result as GenerateStats), switched: true } : msg.result);
        return;
      case 'error': {
        pending.delete(msg.id);
        const err = new Error(msg.error.message);
        err.name = msg.error.name;
        p.reject(err);
        return;
      }
    }
  });
  worker.addEventListener('error', (e: ErrorEvent) => {
    dead = new Error(`the model worker failed: ${e.message || 'could not start'}`);
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
  });

  function send<T>(
    body: Body,
    extra: Omit<Pending, 'resolve' | 'reject'> = {},
    transfer: Transferable[] = [],
  ): { id: number; promise: Promise<T> } {
    const id = nextId++;
    const promise = new Promise<T>((resolve, reject) => {
      if (dead) return reject(dead);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, type: body.type, ...extra });
      try {
        worker.postMessage({ ...body, id }, transfer);
      } catch (e) {
        pending.delete(id);
        reject(e as Error);
      }
    });
    return { id, promise };
  }

  const api: ModelApi = {
    async init(preferred: BackendName | 'auto' = 'auto') {
      current = await send<BackendInfo>({ type: 'init', preferred }).promise;
      return current;
    },
    async setBackend(name: BackendName) {
      current = await send<BackendInfo>({ type: 'setBackend', name }).promise;
      return current;
    },
    backend: () => current,
    cancelModelWork() {
      for (const [target, p] of pending) {
        if (!p.switched && (p.type === 'forward' || p.type === 'matrix' || p.type === 'directPath' || p.type === 'generate')) {
          p.switched = true;
          worker.postMessage({ type: 'cancel', id: nextId++, target });
        }
      }
    },
    onBackendChange(listener: (b: BackendInfo) => void) {
      backendListeners.add(listener);
      return () => backendListeners.delete(listener);
    },

    async loadModel(
      source: ModelSource,
      onProgress?: (p: LoadProgress) => void,
      signal?: AbortSignal,
      after?: Promise<unknown>,
    ): Promise<ModelInfo> {
      if (signal?.aborted) throw abortError();
      // The switch has priority: the old model's generation and queued work stop now, not after the download.
      api.cancelModelWork!();
      let config: ArrayBuffer;
      let weights: ArrayBuffer | Blob;
      const transfer: Transferable[] = [];
      if (source.kind === 'url') {
        // both files at once; a config that fails is reported (before the weights) and stops the download
        const both = new AbortController();
        const stop = () => both.abort();
        signal?.addEventListener('abort', stop, { once: true });
        try {
          const configP = fetchWithProgress(`${source.baseUrl}config.json`, () => undefined, both.signal, fetchImpl);
          const weightsP = fetchWithProgress(
            `${source.baseUrl}model.safetensors`,
            (loaded, total) => onProgress?.({ loaded, total, phase: 'download' }),
            both.signal,
            fetchImpl,
          );
          weightsP.catch(() => undefined); // (awaited below)
          config = await configP.catch((e: unknown) => {
            stop();
            throw signal?.aborted ? abortError() : e;
          });
          weights = await weightsP.catch((e: unknown) => {
            throw signal?.aborted ? abortError() : e;
          });
        } finally {
          signal?.removeEventListener('abort', stop);
        }
        transfer.push(weights);
      } else {
        config = source.config.slice(0);
        // The page keeps its bytes (to reload the model later): hand the worker a Blob it reads tensor by tensor.
        weights = source.safetensors instanceof Blob ? source.safetensors : new Blob([source.safetensors]);
        onProgress?.({ loaded: weights.size, total: weights.size, phase: 'download' });
      }
      transfer.push(config);
      await after; // rejects: nothing is sent, the previous model stays
      if (signal?.aborted) throw abortError();
      const { id, promise } = send<ModelInfo>(
        { type: 'load', key: source.key, label: source.label, config, weights },
        { onProgress },
        transfer,
      );
      const onAbort = () => cancel(id);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const info = await promise;
        matrices = new Map();
        return info;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },

    async forward(ids: number[], opts: { lensK?: number; lastOnly?: boolean; channel?: string } = {}): Promise<ForwardResult | null> {
      const channel = opts.channel ?? 'main';
      const seq = ++forwardSeq;
      latestSeq.set(channel, seq);
      // a newer prompt: the lens of an older one is no longer wanted
      if (channel === 'main' && lensInFlight && !sameIds(lensInFlight.ids, ids)) {
        cancel(lensInFlight.id);
        lensInFlight = null;
      }
      const r = await send<ForwardResult | null>({
        type: 'forward',
        seq,
        channel,
        ids: Int32Array.from(ids),
        lensK: opts.lensK ?? 0,
        lastOnly: opts.lastOnly ?? false,
      }).promise;
      if (r === null || latestSeq.get(channel) !== seq) return null;
      return r;
    },

    async lens(ids: number[], k = 5, opts: { signal?: AbortSignal; chunkRows?: number } = {}): Promise<LensResult | null> {
      if (opts.signal?.aborted) return null;
      const seq = ++lensSeq;
      const body: Body = { type: 'lens', seq, ids: Int32Array.from(ids), k, ...(opts.chunkRows ? { chunkRows: opts.chunkRows } : {}) };
      const { id, promise } = send<LensResult | null>(body);
      lensInFlight = { id, seq, ids: Int32Array.from(ids) };
      const onAbort = () => cancel(id);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const r = await promise;
        return r === null || seq !== lensSeq ? null : r;
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
        if (lensInFlight?.id === id) lensInFlight = null;
      }
    },

    async inspect(ids: number[], opts: { pos?: number; channel?: string } = {}): Promise<InspectResult | null> {
      const channel = opts.channel ?? 'inspect';
      const seq = ++forwardSeq;
      latestSeq.set(channel, seq);
      const r = await send<InspectResult | null>({
        type: 'inspect',
        seq,
        channel,
        ids: Int32Array.from(ids),
        pos: opts.pos ?? ids.length - 1,
      }).promise;
      if (r === null || latestSeq.get(channel) !== seq) return null;
      return r;
    },

    matrix(name: MatrixName): Promise<Matrix> {
      let p = matrices.get(name);
      if (!p) {
        p = send<Matrix>({ type: 'matrix', name }).promise;
        matrices.set(name, p);
        const cached = p;
        p.catch(() => matrices.get(name) === cached && matrices.delete(name));
      }
      return p;
    },

    directPath(tokenId: number): Promise<Float32Array> {
      return send<Float32Array>({ type: 'directPath', tokenId }).promise;
    },

    async generate(ids: number[], opts: GenerateOptions, onStep: (s: GenerateStep) => void, signal?: AbortSignal): Promise<GenerateStats> {
      if (signal?.aborted) return { tokens: 0, ms: 0, tokensPerSecond: 0, stopped: true };
      const { id, promise } = send<GenerateStats>({ type: 'generate', ids: Int32Array.from(ids), opts }, { onStep });
      const onAbort = () => worker.postMessage({ type: 'cancel', id: nextId++, target: id });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await promise;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },

    memory() {
      return send<{ numTensors: number; numBytes: number }>({ type: 'memory' }).promise;
    },

    matmulGflops(n: number) {
      return send<number>({ type: 'matmulGflops', n }).promise;
    },
  };
  return api;
}
