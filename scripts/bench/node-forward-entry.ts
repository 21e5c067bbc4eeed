/**
 * Node A/B of the runtime's forward (tfjs-backend-wasm, one thread) against onnxruntime-web (wasm,
 * one thread) on models/tiny-tied, run alternately, in CPU ms of this process: a quick check of one change, not the bench.
 * 'base', when present, is scripts/bench/.ab-base/src/runtime: a copy of an earlier runtime.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { parseSafetensors } from '../../src/runtime/safetensors';
import { parseConfigText } from '../../src/runtime/config';

type Rt = { forward: (w: unknown, ids: number[], o: { lensK: number }) => Promise<{ ms: number }>; w: unknown };
function ids(T: number, V: number) {
  return Array.from({ length: T }, (_, i) => 1 + ((i * 7919 + 13) % (V - 2)));
}
/** CPU ms of this process (less disturbed by other processes on a shared machine than wall time). */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs: number[]) => Math.min(...xs);

/** Loads tiny-tied with the runtime in `dir` (src/runtime of this checkout or of an earlier copy). */
async function load(dir: string, modelDir: string): Promise<Rt> {
  const gpt = await import(/* @vite-ignore */ `${dir}/gpt.ts`);
  const weights = await import(/* @vite-ignore */ `${dir}/weights.ts`);
  const cfg = parseConfigText(new Uint8Array(readFileSync(modelDir + 'config.json')).buffer);
  const b = readFileSync(modelDir + 'model.safetensors');
  const w = await weights.loadWeights(weights.fromSafetensors(parseSafetensors(new Uint8Array(b.buffer, b.byteOffset, b.byteLength))), cfg);
  return { forward: gpt.forward, w };
}

export async function run(root: string, args: string[]) {
  await tf.setBackend('wasm');
  const dir = root + '/models/tiny-tied/';
  const V = 4096;
  const rts: [string, Rt][] = [['new', await load(`${root}/src/runtime`, dir)]];
  const base = `${root}/scripts/bench/.ab-base/src/runtime`;
  if (existsSync(base)) rts.push(['base', await load(base, dir)]);
  ort.env.wasm.numThreads = 1;
  const sess = await ort.InferenceSession.create(new Uint8Array(readFileSync(dir + 'model.onnx')), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  const out: Record<string, unknown> = {};
  const reps = Number(args[0] ?? 30);
  for (const T of [8, 32, 128]) {
    const x = ids(T, V);
    const input = new ort.Tensor('int64', BigInt64Array.from(x.map(BigInt)), [1, T]);
    const times: Record<string, number[]> = { ort: [] };
    for (const [n] of rts) times[n] = [];
    for (let i = 0; i < reps + 3; i++) {
      for (const [n, rt] of rts) {
        const c0 = cpu();
        await rt.forward(rt.w, x, { lensK: 0 });
        if (i >= 3) times[n].push(cpu() - c0);
      }
      const c0 = cpu();
      const o = await sess.run({ [sess.inputNames[0]]: input });
      await o[sess.outputNames[0]].getData();
      const ms = cpu() - c0;
      for (const t of Object.values(o)) t.dispose();
      if (i >= 3) times.ort.push(ms);
    }
    const row: Record<string, string> = {};
    for (const [n, xs] of Object.entries(times)) row[n] = `${med(xs).toFixed(2)} (min ${min(xs).toFixed(2)})`;
    for (const [n] of rts)
      row[`${n}/ort`] = `${(med(times[n]) / med(times.ort)).toFixed(2)} (min ${(min(times[n]) / min(times.ort)).toFixed(2)})`;
    out[T] = row;
  }
  return out;
}
