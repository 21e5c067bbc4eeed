/**
 * The model worker in-process (no real Worker in Node): worker-core.ts behind
 * a WorkerLike whose messages are structured-cloned with their transfer lists
 * (so transferred buffers really detach, as with postMessage) and cross a
 * macrotask boundary in both directions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WorkerLike } from '../../../src/runtime/client';
import { createWorkerHandler, type WorkerOptions } from '../../../src/runtime/worker-core';
import type { BackendProbes } from '../../../src/runtime/backend';
import type { BackendName } from '../../../src/runtime/types';

/** Node: no GPU; wasm and cpu start. */
export const nodeProbes: BackendProbes = {
  webgpuAdapter: async () => null,
  webglRenderer: () => null,
  activate: async (name: BackendName) => (name === 'cpu' || name === 'wasm' ? tf.setBackend(name) : false),
};

export function inProcessWorker(probes = nodeProbes, options: WorkerOptions = {}): WorkerLike {
  const listeners: ((e: MessageEvent) => void)[] = [];
  const handle = createWorkerHandler(
    (msg, transfer) => {
      const copy = structuredClone(msg, { transfer: (transfer ?? []) as Transferable[] });
      setTimeout(() => listeners.forEach((l) => l({ data: copy } as MessageEvent)), 0);
    },
    probes,
    options,
  );
  return {
    postMessage: (msg: unknown, transfer?: Transferable[]) => {
      const copy = structuredClone(msg, { transfer: (transfer ?? []) as Transferable[] });
      setTimeout(() => handle(copy as never), 0);
    },
    addEventListener: (type: string, l: (e: never) => void) => {
      if (type === 'message') listeners.push(l as (e: MessageEvent) => void);
    },
  } as WorkerLike;
}
