/// <reference lib="webworker" />
/**
 * The model worker (a module Web Worker): tfjs lives here and only here.
 * See worker-core.ts for the request handling.
 */
import { browserProbes, prefetchWasmBackend } from './backend-browser';
import type { WorkerRequest } from './messages';
import { createWorkerHandler } from './worker-core';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// the wasm backend downloads at once; the model starts there, before the page asks, and moves to a hardware GPU if
// the probes (which run meanwhile) find one
prefetchWasmBackend();
const handle = createWorkerHandler((msg, transfer) => scope.postMessage(msg, transfer ?? []), browserProbes, {
  eagerInit: true,
  wasmFirst: true,
});
scope.onmessage = (e: MessageEvent<WorkerRequest>) => handle(e.data);
// A GPU lost mid-computation can make tfjs throw from its own callbacks. Every request already answers with
// its own error, so a stray exception must not reach the page's Worker.onerror (which would end the worker).
scope.addEventListener('error', (e) => {
  e.preventDefault();
  console.warn('model worker:', e.message);
});
scope.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  console.warn('model worker: unhandled rejection:', e.reason);
});
