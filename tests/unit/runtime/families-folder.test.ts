/**
 * The path a real download of each new family takes, on folders written by
 * scripts/make-checkpoint.mjs in Hugging Face layout (config.json,
 * model.safetensors, tokenizer.json): the loader's checks (config, memory,
 * tensors against config, tokenizer against vocab_size), the lazy Blob reader
 * the worker uses, then the forward pass against the float64 reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { makeCheckpoint } from '../../../scripts/make-checkpoint.mjs';
import { checkpointFromFiles } from '../../../src/loader/checkpoint';
import { readSafetensorsHeader } from '../../../src/runtime/safetensors';
import { disposeWeights, fromSafetensorsReader, loadWeights } from '../../../src/runtime/weights';
import { forward } from '../../../src/runtime/gpt';
import { referenceForward, relErr } from './reference';
import { float64View, randomIds } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'td-families-'));
beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = [
  { family: 'gpt_neox', dtype: 'f16', d: 32, heads: 4 },
  { family: 'gpt_neox', dtype: 'bf16', d: 32, heads: 2, tied: true },
  { family: 'llama', dtype: 'bf16', d: 48, heads: 6 },
  { family: 'llama', dtype: 'f32', d: 32, heads: 4, untied: true, kvHeads: 1 },
  { family: 'gpt_neo', dtype: 'f16', d: 32, heads: 4 },
  { family: 'gpt_neo', dtype: 'f32', d: 32, heads: 4, layers: 3, untied: true },
] as const;

describe('random HF-layout folders of each family, through the loader', () => {
  CASES.forEach((spec, i) => {
    it(`${spec.family} ${spec.dtype}${'untied' in spec ? ' untied' : ''}${'tied' in spec ? ' tied' : ''}`, async () => {
      const out = join(dir, String(i));
      await makeCheckpoint({ out, tokenizer: 'bytes', layers: 2, ctx: 300, seed: 10 + i, ...spec });
      const f = (name: string) => new File([readFileSync(join(out, name))], name);
      const c = await checkpointFromFiles([f('config.json'), f('model.safetensors'), f('tokenizer.json')]);
      expect(c.config.arch).toBe(spec.family);
      const w = await loadWeights(fromSafetensorsReader(await readSafetensorsHeader(f('model.safetensors'))), c.config);
      const base = tf.memory().numTensors;
      const ids = randomIds(260, c.config.vocabSize, i); // longer than GPT-Neo's 256-key window
      const r = await forward(w, ids, { lensK: 0 });
      const ref = referenceForward(c.config, float64View(readFileSync(join(out, 'model.safetensors'))), ids);
      const { nEmbd: D, nLayer: L } = c.config;
      const T = ids.length;
      for (let l = 0; l <= L; l++)
        expect(relErr(r.residuals.subarray(l * T * D, (l + 1) * T * D), ref.residuals[l]), `residual ${l}`).toBeLessThan(1e-4);
      expect(relErr(r.logits, ref.logits)).toBeLessThan(1e-4);
      expect(tf.memory().numTensors).toBe(base);
      disposeWeights(w);
    }, 120_000);
  });
});
