/**
 * Browser probes for backend.ts: WebGPU adapter info, WebGL renderer, and
 * lazy registration of the webgpu / webgl / wasm / cpu backends (each bundle
 * is imported only when tried). Worker-safe: uses OffscreenCanvas, no DOM.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendProbes } from './backend';
import { isSoftwareRenderer } from './backend';
import type { BackendName } from './types';

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}

let wasmPathsSet = false;
let wasmModule: Promise<typeof import('@tensorflow/tfjs-backend-wasm')> | null = null;
let wasmPaths: Promise<typeof import('./wasm-paths')> | null = null;

/**
 * Starts downloading the wasm backend's code (not its binary) without registering it, so that it is
 * there by the time the automatic choice reaches wasm (on machines without a hardware GPU, the usual
 * case) instead of after the GPU probes. worker.ts calls it at start-up.
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
    // Creating the first WebGL context in a browser session blocks this thread for as long as the GPU process takes to
    // start (482 ms here, measured; 15 ms once it runs), and while this thread is blocked the wasm backend's prefetched
    // module graph cannot progress (each chunk's imports are found by parsing it here): let that download finish first.
    await wasmModule?.catch(() => undefined);
    try {
      if (typeof OffscreenCanvas === 'undefined') return null;
      const canvas = new OffscreenCanvas(1, 1);
      const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
      if (!gl) return null;
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const r = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'unknown renderer');
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      return r;
    } catch {
      return null;
    }
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
        wasm.setWasmPaths(WASM_PATHS); // throws if called after the backend initialised
        wasmPathsSet = true;
      }
    }
    return await tf.setBackend(name);
  },
};
