/**
 * Chooses and switches the tfjs backend (runs in the worker).
 *
 * Automatic order: WebGPU on a hardware adapter, WebGL on a hardware
 * renderer, then wasm (SIMD), then cpu. Software GPU emulation (SwiftShader,
 * llvmpipe) is skipped: measured here, WebGPU-SwiftShader is ~100x and
 * WebGL-SwiftShader ~20x slower than wasm. A reader may still force any
 * backend; if it fails to start we fall back along the same order and say
 * why in BackendInfo.note.
 *
 * `exclude` skips backends in the automatic walk (a GPU that was lost this
 * session); a backend the reader names is still tried.
 *
 * tf.setBackend returns false instead of throwing when a backend cannot
 * start, so every switch is checked and followed by a tiny sanity op.
 *
 * No backend is imported here: probes.activate registers each one when it is
 * tried (in the browser, backend-browser.ts imports its bundle then), so the
 * worker's first download holds tfjs-core only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo, BackendName } from './types';

export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|microsoft basic/i;

/** What the environment offers, probed without starting tfjs backends. Injectable for tests. */
export interface BackendProbes {
  /** WebGPU adapter description, or null when there is none. */
  webgpuAdapter(): Promise<{ software: boolean; description: string } | null>;
  /** WebGL renderer string (unmasked when possible), or null when WebGL is unavailable. */
  webglRenderer(): string | null | Promise<string | null>;
  /** Registers (imports) the backend and switches to it; false when it did not start. */
  activate(name: BackendName): Promise<boolean>;
  /**
   * Watches the active GPU backend for loss (WebGPU device lost, WebGL context
   * lost) and calls onLost once with a reason. Returns a function that stops
   * watching. Absent, or a no-op for wasm / cpu, which cannot be lost.
   */
  watchLoss?(name: BackendName, onLost: (reason: string) => void): () => void;
}

/** Runs a tiny op and checks its result: catches backends that "start" but compute garbage or hang. */
export async function sanityCheck(): Promise<boolean> {
  const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const b = tf.tensor2d([5, 6, 7, 8], [2, 2]);
  const c = tf.matMul(a, b);
  try {
    const d = await withTimeout(c.data(), 30_000, 'sanity op');
    return d[0] === 19 && d[1] === 22 && d[2] === 43 && d[3] === 50;
  } catch {
    return false;
  } finally {
    a.dispose();
    b.dispose();
    c.dispose();
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

async function tryActivate(probes: BackendProbes, name: BackendName): Promise<string | null> {
  try {
    const ok = await withTimeout(probes.activate(name), 60_000, `starting ${name}`);
    if (!ok) return `${name} did not start`;
    if (!(await sanityCheck())) return `${name} failed a sanity check`;
    return null;
  } catch (e) {
    return `${name} failed: ${(e as Error)?.message ?? String(e)}`;
  }
}

/** The GPU probes, started together (the WebGPU adapter request waits on the GPU process while the WebGL probe runs). */
function startGpuProbes(probes: BackendProbes, names: readonly BackendName[]) {
  return {
    gpu: names.includes('webgpu') ? probes.webgpuAdapter().catch(() => null) : Promise.resolve(null),
    gl: names.includes('webgl') ? Promise.resolve(probes.webglRenderer()).catch(() => null) : Promise.resolve(null),
  };
}

/** A GPU backend's probe verdict: its adapter when it is hardware; otherwise why it is skipped (null: absent). */
async function gpuVerdict(
  name: 'webgpu' | 'webgl',
  probed: ReturnType<typeof startGpuProbes>,
): Promise<{ adapter: string } | { skipped: string | null }> {
  if (name === 'webgpu') {
    const a = await probed.gpu;
    if (!a) return { skipped: null };
    return a.software ? { skipped: `skipped WebGPU on a software adapter (${a.description})` } : { adapter: a.description };
  }
  const r = await probed.gl;
  if (r === null) return { skipped: null };
  return SOFTWARE.test(r) ? { skipped: `skipped WebGL on a software renderer (${r})` } : { adapter: r };
}

const isGpu = (n: BackendName): n is 'webgpu' | 'webgl' => n === 'webgpu' || n === 'webgl';

export interface ChooseOptions {
  /**
   * 'auto' only: take the first backend that is not a GPU, without waiting for the GPU probes (which take
   * hundreds of milliseconds on a fresh browser). The worker then asks findHardwareGpu and moves there.
   */
  skipGpus?: boolean;
}

/**
 * Picks a backend. 'auto' walks BACKEND_ORDER skipping software GPUs; a named
 * backend is tried first (even on a software GPU) and on failure we continue
 * with the automatic order.
 */
export async function chooseBackend(
  probes: BackendProbes,
  preferred: BackendName | 'auto',
  exclude: ReadonlySet<BackendName> = new Set(),
  options: ChooseOptions = {},
): Promise<BackendInfo> {
  const failures: string[] = [];
  if (preferred !== 'auto') {
    let adapter: string | undefined;
    if (preferred === 'webgpu') adapter = (await probes.webgpuAdapter().catch(() => null))?.description;
    if (preferred === 'webgl') adapter = (await probes.webglRenderer()) ?? undefined;
    const err = await tryActivate(probes, preferred);
    if (!err) return { name: preferred, note: `${preferred}, as requested${adapter ? ` (${adapter})` : ''}`, adapter };
    failures.push(err);
  }
  const skipGpus = preferred === 'auto' && options.skipGpus === true;
  // on a machine with only software GPUs both probes are skipped, and this wait is on the path to a ready model
  const probed = startGpuProbes(
    probes,
    BACKEND_ORDER.filter((n) => n !== preferred && !exclude.has(n) && !(skipGpus && isGpu(n))),
  );
  for (const name of BACKEND_ORDER) {
    if (name === preferred || (skipGpus && isGpu(name))) continue;
    if (exclude.has(name)) {
      failures.push(`skipped ${name} (lost earlier in this session)`);
      continue;
    }
    let adapter: string | undefined;
    if (isGpu(name)) {
      const v = await gpuVerdict(name, probed);
      if ('skipped' in v) {
        if (v.skipped) failures.push(v.skipped);
        continue;
      }
      adapter = v.adapter;
    }
    const err = await tryActivate(probes, name);
    if (err) {
      failures.push(err);
      continue;
    }
    const why = preferred === 'auto' ? (skipGpus ? 'chosen automatically while the GPUs are probed' : 'chosen automatically') : 'fell back';
    const note =
      preferred !== 'auto'
        ? `Fell back to ${name}: ${failures.join('; ')}`
        : `${name}, ${why}${adapter ? ` (${adapter})` : ''}${failures.length ? `; ${failures.join('; ')}` : ''}`;
    return { name, note, adapter };
  }
  throw new Error(`no tfjs backend could start: ${failures.join('; ')}`);
}

/**
 * The first GPU backend in BACKEND_ORDER on hardware (not software emulation), with its adapter (null when there is
 * none), and why the GPUs before it were skipped. Activates nothing.
 */
export async function findHardwareGpu(
  probes: BackendProbes,
  exclude: ReadonlySet<BackendName> = new Set(),
): Promise<{ gpu: { name: 'webgpu' | 'webgl'; adapter: string } | null; skipped: string[] }> {
  const gpus = BACKEND_ORDER.filter((n): n is 'webgpu' | 'webgl' => isGpu(n) && !exclude.has(n));
  const probed = startGpuProbes(probes, gpus);
  const skipped: string[] = [];
  for (const name of gpus) {
    const v = await gpuVerdict(name, probed);
    if ('adapter' in v) return { gpu: { name, adapter: v.adapter }, skipped };
    if (v.skipped) skipped.push(v.skipped);
  }
  return { gpu: null, skipped };
}

export function isSoftwareRenderer(s: string): boolean {
  return SOFTWARE.test(s);
}
