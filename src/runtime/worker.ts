/// <reference lib="webworker" />
/**
 * The model worker (a module Web Worker): tfjs lives here and only here.
 * See worker-core.ts for the request handling.
 */
import { browserProbes } from './backend-browser';
import type { WorkerRequest } from './messages';
import { createWorkerHandler } from './worker-core';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createWorkerHandler((msg, transfer) => scope.postMessage(msg, transfer ?? []), browserProbes);
scope.onmessage = (e: MessageEvent<WorkerRequest>) => handle(e.data);
