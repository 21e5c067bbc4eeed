#!/usr/bin/env node
/**
 * Quick A/B of the runtime's forward in Node (tfjs-backend-wasm, one thread) against an earlier copy
 * of the runtime and onnxruntime-web (wasm, one thread) on models/tiny-tied, run alternately and
 * timed in CPU ms of this process. For checking one change; the numbers that count come from
 * `npm run bench` (the browser).
 *
 *   git archive HEAD src/runtime src/geometry | tar -x -C scripts/bench/.ab-base   (optional: the 'base' runtime)
 *   node scripts/bench/node-forward.mjs [reps]
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// a Vite server in middleware mode (no port): its SSR loader resolves the entry's dynamic imports of TypeScript
const server = await createServer({
  root: ROOT,
  configFile: false,
  logLevel: 'error',
  server: { middlewareMode: true, hmr: false, watch: null },
  appType: 'custom',
});
try {
  const m = await server.ssrLoadModule(resolve(ROOT, 'scripts/bench/node-forward-entry.ts'));
  console.log(JSON.stringify(await m.run(ROOT, process.argv.slice(2)), null, 1));
} finally {
  await server.close();
}
process.exit(0);
