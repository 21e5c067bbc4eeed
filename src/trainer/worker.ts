/// <reference lib="webworker" />
/**
 * The trainer worker (a module Web Worker, separate from the model worker in
 * src/runtime): tfjs training lives here. See worker-core.ts.
 */
import { chooseBackend } from '../runtime/backend';
import { browserProbes } from '../runtime/backend-browser';
import type { BackendName } from '../runtime/types';
import type { TrainerRequest } from './messages';
import { createTrainerCore } from './worker-core';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createTrainerCore(
  (m) => scope.postMessage(m),
  async (name) => {
    const b = await chooseBackend(
      browserProbes,
      (['webgpu', 'webgl', 'wasm', 'cpu'].includes(name) ? name : 'auto') as BackendName | 'auto',
    );
    return { name: b.name, note: b.note };
  },
);
scope.onmessage = (e: MessageEvent<TrainerRequest>) => handle(e.data);
