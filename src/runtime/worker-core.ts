/**
 * The model worker's logic, independent of how messages travel (worker.ts
 * wires it to `self`; tests wire it to an in-process channel).
 *
 * Requests run one at a time, in order. A 'forward' that a newer forward
 * overtook while it waited in the queue is answered 'superseded' without
 * running. 'cancel' is handled on arrival. Errors become messages; the worker
 * never dies from a bad request. A model that fails to load leaves the
 * previous one active.
 */
import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend, type BackendProbes } from './backend';
import { checkTensorsAgainstConfig, parseConfigText } from './config';
import { directPath, forward, generate, matmulGflops, matrix } from './gpt';
import { transferablesOf, type WorkerRequest, type WorkerResponse } from './messages';
import { parseSafetensors, readSafetensorsHeader } from './safetensors';
import type { BackendInfo, BackendName, ModelInfo } from './types';
import { disposeWeights, fromSafetensors, fromSafetensorsReader, loadWeights, moveWeightsToActiveBackend, parameterCount, type GptWeights, type TensorSource } from './weights';

export type Post = (msg: WorkerResponse, transfer?: Transferable[]) => void;

class Cancelled extends Error {
  constructor(what: string) {
    super(`${what} was cancelled`);
    this.name = 'AbortError';
  }
}

export interface WorkerOptions {
  /** While uploading weights, yield to the event loop (so a cancel can arrive) at least this often. */
  yieldEveryMs?: number;
}

export function createWorkerHandler(post: Post, probes: BackendProbes, options: WorkerOptions = {}): (req: WorkerRequest) => void {
  const yieldEveryMs = options.yieldEveryMs ?? 25;
  let weights: GptWeights | null = null;
  let info: ModelInfo | null = null;
  let backend: BackendInfo | null = null;
  const latestForward = new Map<string, number>(); // channel -> newest seq received
  const cancelled = new Set<number>();
  let queue: Promise<void> = Promise.resolve();

  const ensureBackend = async (): Promise<BackendInfo> => {
    if (!backend) backend = await chooseBackend(probes, 'auto');
    return backend;
  };

  const requireModel = (): GptWeights => {
    if (!weights) throw new Error('no model is loaded yet');
    return weights;
  };

  const switchTo = async (preferred: BackendName | 'auto'): Promise<BackendInfo> => {
    const before = tf.getBackend();
    const b = await chooseBackend(probes, preferred);
    backend = b;
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
        return switchTo(req.preferred);
      case 'setBackend':
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
        let lastYield = performance.now();
        const fresh = await loadWeights(src, config, {
          onTensor: async (done, total) => {
            // yield to the event loop now and then, so a 'cancel' message can arrive mid-upload
            if (performance.now() - lastYield >= yieldEveryMs) {
              await new Promise((r) => setTimeout(r, 0));
              lastYield = performance.now();
            }
            if (cancelled.has(req.id)) throw new Cancelled('loading the model');
            post({ id: req.id, kind: 'progress', progress: { loaded: done, total, phase: 'upload' } });
          },
        });
        // the new model is complete: only now let the previous one go
        if (weights) disposeWeights(weights);
        weights = fresh;
        info = { key: req.key, label: req.label, config, parameterCount: parameterCount(fresh), weightBytes: bytes };
        post({ id: req.id, kind: 'progress', progress: { loaded: bytes, total: bytes, phase: 'ready' } });
        return info;
      }
      case 'forward': {
        const w = requireModel();
        return forward(w, Array.from(req.ids), { lensK: req.lensK, lastOnly: req.lastOnly, seq: req.seq, modelKey: info?.key ?? '' });
      }
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

  async function handle(req: WorkerRequest): Promise<void> {
    if (req.type === 'forward' && req.seq < (latestForward.get(req.channel) ?? -Infinity)) {
      post({ id: req.id, kind: 'superseded' });
      return;
    }
    try {
      if (req.type !== 'init' && req.type !== 'setBackend' && req.type !== 'memory') await ensureBackend();
      const result = await run(req);
      // tfjs-cpu hands out its own storage from data(): never transfer (detach) it there
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
    if (req.type === 'forward') latestForward.set(req.channel, Math.max(latestForward.get(req.channel) ?? -Infinity, req.seq));
    queue = queue.then(() => handle(req));
  };
}
