/**
 * Forward latency of one random checkpoint per family (GPT-2, GPT-NeoX, Llama, GPT-Neo) at the
 * bundled tiny model's shape, on tfjs-backend-wasm in Node (one thread, SIMD), in CPU ms of this
 * process (median of `reps` runs after 3 warm-up runs), lens off and on. Loaded through the same
 * config/safetensors/weights path as a download.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { parseConfigText } from '../../src/runtime/config';
import { parseSafetensors } from '../../src/runtime/safetensors';
import { disposeWeights, fromSafetensors, loadWeights } from '../../src/runtime/weights';
import { forward } from '../../src/runtime/gpt';

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(dirs: Record<string, string>, reps: number) {
  await tf.setBackend('wasm');
  const rows: { family: string; T: number; lens: number; cpuMs: number }[] = [];
  for (const [family, dir] of Object.entries(dirs)) {
    const cfg = parseConfigText(readFileSync(dir + '/config.json'));
    const b = readFileSync(dir + '/model.safetensors');
    const w = await loadWeights(fromSafetensors(parseSafetensors(new Uint8Array(b.buffer, b.byteOffset, b.byteLength))), cfg);
    for (const T of [8, 32, 128]) {
      const ids = Array.from({ length: T }, (_, i) => 1 + ((i * 7919 + 13) % (cfg.vocabSize - 2)));
      for (const lens of [0, 5]) {
        for (let r = 0; r < 3; r++) await forward(w, ids, { lensK: lens }); // warm-up (the first calls compile kernels)
        const xs: number[] = [];
        for (let r = 0; r < reps; r++) {
          const t0 = cpu();
          await forward(w, ids, { lensK: lens });
          xs.push(cpu() - t0);
        }
        rows.push({ family, T, lens, cpuMs: Math.round(med(xs) * 10) / 10 });
      }
    }
    disposeWeights(w);
  }
  return rows;
}
