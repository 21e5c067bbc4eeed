#!/usr/bin/env node
/**
 * Quick A/B of the runtime's forward in Node (tfjs-backend-wasm, one thread) against an earlier copy
 * of the runtime and onnxruntime-web (wasm, one thread) on models/tiny-tied, run alternately and
 * timed in CPU ms of this process. For checking one change; the numbers that count come from
 * `npm run bench` (the browser).
 *
 *   git archive HEAD src/runtime src/geometry | tar -x -C scripts/bench/.ab-base
 *   node scripts/bench/node-forward.mjs [reps]
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!existsSync(resolve(ROOT, 'scripts/bench/.ab-base/src/runtime'))) {
  console.error('scripts/bench/.ab-base/src/runtime is missing: git archive HEAD src/runtime src/geometry | tar -x -C scripts/bench/.ab-base');
  process.exit(1);
}
const { module: m } = await runnerImport(resolve(ROOT, 'scripts/bench/node-forward-entry.ts'));
console.log(JSON.stringify(await m.run(ROOT, process.argv.slice(2)), null, 1));
process.exit(0);
