/**
 * Browser probes for backend.ts: WebGPU adapter info, WebGL renderer, and
 * lazy registration of the webgpu / webgl / wasm / cpu backends (each bundle
 * is imported only when tried). Worker-safe: uses OffscreenCanvas, no DOM.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendProbes } from './backend';
import { isSoftwareRenderer } from './backend';
import type { BackendName } from './types';
import { readWebglRenderer } from './webgl-renderer';

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}

let wasmPathsSet = false;
let wasmModule: Promise<typeof import('@tensorflow/tfjs-backend-wasm')> | null = null;
let wasmPaths: Promise<typeof import('./wasm-paths')> | null = null;
let wasmBinary: Promise<{ url: string; bytes: ArrayBuffer }> | null = null;

/**
 * Starts downloading the wasm backend: its code (without registering it) and then the binary that this
 * browser will use, so that both are here by the time the automatic choice reaches wasm (on machines without
 * a hardware GPU, the usual case) instead of being fetched only after the GPU probes. worker.ts calls it at
 * start-up; activate('wasm') hands the downloaded bytes to tfjs.
 */
export function prefetchWasmBackend(): void {
  wasmModule ??= import('@tensorflow/tfjs-backend-wasm');
  wasmModule.catch(() => {
    wasmModule = null; // a failed download is retried by activate('wasm')
  });
  wasmPaths ??= import('./wasm-paths');
  wasmPaths.catch(() => {
    wasmPaths = null;
  });
  wasmBinary ??= (async () => {
    const [, { WASM_PATHS }] = await Promise.all([wasmModule, wasmPaths]);
    // the flag is registered by the wasm backend's module; activate() forces the single-threaded build
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const url = WASM_PATHS[simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm'];
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return { url, bytes: await response.arrayBuffer() };
  })();
  wasmBinary.catch(() => {
    wasmBinary = null; // tfjs then fetches the binary itself
  });
}

/**
 * Serves the prefetched binary to tfjs's own fetch of it (tfjs-backend-wasm loads through the platform's fetch
 * when setWasmPaths is given usePlatformFetch); every other request goes to the browser platform unchanged.
 */
async function servePrefetchedBinary(): Promise<boolean> {
  const got = await wasmBinary?.catch(() => null);
  if (!got) return false;
  const base = tf.env().platform;
  let pending: { url: string; bytes: ArrayBuffer } | null = got;
  const platform: typeof base = {
    fetch: (path, init) => {
      if (pending && path === pending.url) {
        const bytes = pending.bytes;
        pending = null;
        wasmBinary = null;
        return Promise.resolve(new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } }));
      }
      return base.fetch(path, init);
    },
    now: () => base.now(),
    encode: (text, encoding) => base.encode(text, encoding),
    decode: (bytes, encoding) => base.decode(bytes, encoding),
    setTimeoutCustom: base.setTimeoutCustom ? (f, delay) => base.setTimeoutCustom!(f, delay) : undefined,
    isTypedArray: (a): a is Float32Array | Int32Array | Uint8Array | Uint8ClampedArray => base.isTypedArray(a),
  };
  // setPlatform warns when it replaces a platform unless PROD is set: this replacement is deliberate
  const prod = tf.env().getBool('PROD');
  tf.env().set('PROD', true);
  tf.env().setPlatform(tf.env().platformName, platform);
  tf.env().set('PROD', prod);
  return true;
}

/** Reads the WebGL renderer in a throw-away worker (see webgl-probe-worker.ts); null when it cannot answer. */
function webglRendererInWorker(timeoutMs = 10_000): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let probe: Worker;
    try {
      probe = new Worker(new URL('./webgl-probe-worker.ts', import.meta.url), { type: 'module' });
    } catch (e) {
      reject(e as Error);
      return;
    }
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      probe.terminate();
      settle();
    };
    const timer = setTimeout(() => finish(() => resolve(null)), timeoutMs);
    probe.onmessage = (e: MessageEvent<string | null>) => finish(() => resolve(typeof e.data === 'string' ? e.data : null));
    probe.onerror = (e) => {
      e.preventDefault();
      finish(() => reject(new Error('the WebGL probe worker failed')));
    };
  });
}

export const browserProbes: BackendProbes = {
  async webgpuAdapter() {
    const gpu = (globalThis.navigator as unknown as { gpu?: { requestAdapter(o?: unknown): Promise<GpuAdapterLike | null> } }).gpu;
    if (!gpu) return null;
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    const info = adapter.info ?? {};
    const description = [info.vendor, info.architecture, info.description, info.device].filter((s) => s).join(' ') || 'unknown adapter';
    const software = adapter.isFallbackAdapter === true || isSoftwareRenderer(description);
    return { software, description };
  },

  async webglRenderer() {
    // Creating the first WebGL context in a browser session blocks its thread for as long as the GPU process takes to
    // answer (482 ms here, measured; 15 ms once it runs): a separate worker takes that wait, so this thread goes on
    // downloading the wasm backend. Where workers cannot start workers, the probe runs here, after the wasm
    // backend's module graph (each chunk's imports are found by parsing it on this thread).
    if (typeof Worker !== 'undefined') {
      try {
        return await webglRendererInWorker();
      } catch {
        // fall through
      }
    }
    await wasmModule?.catch(() => undefined);
    return readWebglRenderer();
  },

  watchLoss(name: BackendName, onLost: (reason: string) => void) {
    const be = tf.backend() as unknown as {
      device?: { lost?: Promise<{ reason?: string; message?: string }> };
      gpgpu?: { gl?: WebGLRenderingContext };
    };
    if (name === 'webgpu' && be?.device?.lost) {
      let live = true;
      void be.device.lost.then((info) => {
        if (live) onLost(`the WebGPU device was lost (${[info?.reason, info?.message].filter((s) => s).join(': ') || 'no reason given'})`);
      });
      return () => {
        live = false;
      };
    }
    const gl = name === 'webgl' ? be?.gpgpu?.gl : undefined;
    if (gl) {
      // A lost context may make reads hang rather than fail: poll (cheap) instead of relying on events,
      // which an OffscreenCanvas in a worker may not deliver.
      const timer = setInterval(() => {
        if (gl.isContextLost()) {
          clearInterval(timer);
          onLost('the WebGL context was lost');
        }
      }, 250);
      return () => clearInterval(timer);
    }
    return () => undefined;
  },

  async activate(name: BackendName) {
    if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
    else if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
    else if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    else if (name === 'wasm') {
      const wasm = await (wasmModule ??= import('@tensorflow/tfjs-backend-wasm'));
      const { WASM_PATHS } = await (wasmPaths ??= import('./wasm-paths'));
      // The threaded build hangs under Vite's minified bundles: force the single-threaded SIMD build.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (!wasmPathsSet) {
        // with the platform's fetch (usePlatformFetch), which servePrefetchedBinary answers from the prefetch
        const prefetched = await servePrefetchedBinary();
        wasm.setWasmPaths(WASM_PATHS, prefetched); // throws if called after the backend initialised
        wasmPathsSet = true;
      }
    }
    return await tf.setBackend(name);
  },
};
