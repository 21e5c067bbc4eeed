#!/usr/bin/env node
/**
 * Bench rows for the model families: one random checkpoint of each (scripts/make-checkpoint.mjs,
 * d 128, 4 layers, 4 heads, vocab 4096, ctx 256, F16; Llama with 2 key/value heads and a SwiGLU
 * width of 384) timed forward at 8/32/128 tokens on tfjs-wasm in Node, one thread. Not the
 * browser bench (`npm run bench`): a quick, comparable table across families.
 *
 *   node scripts/bench/families.mjs [reps=15]
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { makeCheckpoint } from '../make-checkpoint.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = process.env.BENCH_CACHE ? resolve(process.env.BENCH_CACHE) : join(ROOT, 'node_modules/.cache/token-directions');
const reps = Number(process.argv[2] ?? 15);
const dirs = {};
for (const family of ['gpt2', 'gpt_neox', 'llama', 'gpt_neo']) {
  const out = join(CACHE, `bench-family-${family}`);
  if (!existsSync(join(out, 'model.safetensors'))) {
    await makeCheckpoint({
      out,
      family,
      tokenizer: 'bytes',
      vocab: 4096,
      d: 128,
      layers: 4,
      heads: 4,
      ctx: 256,
      dtype: 'f16',
      seed: 3,
      ...(family === 'llama' ? { kvHeads: 2 } : {}),
    });
  }
  dirs[family] = out;
}
const { module: m } = await runnerImport(resolve(ROOT, 'scripts/bench/families-entry.ts'));
const rows = await m.run(dirs, reps);
console.log('| family | T | forward, no lens (CPU ms) | forward, lens top-5 (CPU ms) |\n|---|---|---|---|');
for (const fam of Object.keys(dirs))
  for (const T of [8, 32, 128]) {
    const get = (lens) => rows.find((r) => r.family === fam && r.T === T && r.lens === lens).cpuMs;
    console.log(`| ${fam} | ${T} | ${get(0)} | ${get(5)} |`);
  }
process.exit(0);
