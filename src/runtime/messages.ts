/**
 * Typed messages between the page (client.ts) and the model worker
 * (worker.ts). Every request carries an id; every response names it.
 * Payloads are plain data and typed arrays (transferred, not copied).
 */
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

export type WorkerRequest =
  | { id: number; type: 'init'; preferred: BackendName | 'auto' }
  | { id: number; type: 'setBackend'; name: BackendName }
  | {
      id: number;
      type: 'load';
      key: string;
      label: string;
      /** config.json bytes */
      config: ArrayBuffer;
      /** model.safetensors: an ArrayBuffer (transferred) or a Blob (read tensor by tensor) */
      weights: ArrayBuffer | Blob;
    }
  /** seq increases per channel; a queued forward older than the newest of its channel is skipped. */
  | { id: number; type: 'forward'; seq: number; channel: string; ids: Int32Array; lensK: number; lastOnly: boolean }
  /**
   * The logit lens on demand, at lower priority than everything else: it runs outside the main queue,
   * chunk by chunk, and waits before each chunk until the main queue is empty. A newer lens request
   * (higher seq), a 'cancel' naming it, or another model loading stops it: answered 'superseded'.
   * chunkRows: rows per chunk (tests; default by vocabulary size).
   */
  | { id: number; type: 'lens'; seq: number; ids: Int32Array; k: number; chunkRows?: number }
  /** Attention patterns and per-component outputs at pos; superseded per channel like 'forward' (same seq counter). */
  | { id: number; type: 'inspect'; seq: number; channel: string; ids: Int32Array; pos: number }
  | { id: number; type: 'matrix'; name: MatrixName }
  | { id: number; type: 'directPath'; tokenId: number }
  | { id: number; type: 'generate'; ids: Int32Array; opts: GenerateOptions }
  /** Stops a running generate or load (by its request id). Handled at once, not queued. */
  | { id: number; type: 'cancel'; target: number }
  | { id: number; type: 'memory' }
  | { id: number; type: 'matmulGflops'; n: number };

export interface ResultMap {
  init: BackendInfo;
  setBackend: BackendInfo;
  load: ModelInfo;
  forward: ForwardResult;
  lens: LensResult;
  inspect: InspectResult;
  matrix: Matrix;
  directPath: Float32Array;
  generate: GenerateStats;
  cancel: null;
  memory: { numTensors: number; numBytes: number };
  matmulGflops: number;
}

export type WorkerResponse =
  | { id: number; kind: 'result'; result: unknown }
  | { id: number; kind: 'error'; error: { name: string; message: string } }
  /** A forward request that a newer one overtook before it ran; a lens request stopped or overtaken. */
  | { id: number; kind: 'superseded' }
  | { id: number; kind: 'progress'; progress: LoadProgress }
  | { id: number; kind: 'step'; step: GenerateStep }
  /** Unsolicited (id 0): the worker changed backend by itself, after the GPU it ran on was lost. */
  | { id: 0; kind: 'backend'; backend: BackendInfo };

/** The buffers of a result that can be transferred instead of copied. */
export function transferablesOf(result: unknown): Transferable[] {
  const out: Transferable[] = [];
  const seen = new Set<ArrayBufferLike>();
  const add = (v: unknown) => {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && !seen.has(v.buffer)) {
      seen.add(v.buffer);
      out.push(v.buffer);
    }
  };
  if (ArrayBuffer.isView(result)) add(result);
  else if (result && typeof result === 'object') {
    for (const v of Object.values(result)) {
      if (ArrayBuffer.isView(v)) add(v);
      else if (v && typeof v === 'object') for (const w of Object.values(v)) add(w);
    }
  }
  return out;
}
