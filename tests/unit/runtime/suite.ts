/**
 * The tfjs runtime against the float64 reference on tiny random checkpoints in
 * every HF layout we read. Run on the cpu backend (gpt-cpu.test.ts) and on the
 * wasm backend in Node (gpt-wasm.test.ts, single-threaded).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { directPath, forward, generate, matrix } from '../../../src/runtime/gpt';
import { disposeWeights, fromSafetensors, loadWeights, parameterCount } from '../../../src/runtime/weights';
import { parseSafetensors } from '../../../src/runtime/safetensors';
import { parseConfig } from '../../../src/runtime/config';
import { makeTinyCheckpoint, type TinySpec } from './checkpoint';
import { referenceForward, relErr } from './reference';
import { loadTiny, randomIds } from './helpers';

const TOL = 1e-4;

export function defineRuntimeSuite(backend: 'cpu' | 'wasm'): void {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });

  const VARIANTS: [string, TinySpec][] = [
    [
      'gpt2 tied, lm_head absent, transformer. prefix, F32',
      { arch: 'gpt2', tied: true, lmHead: 'absent', prefix: 'transformer.', seed: 1 },
    ],
    ['gpt2 tied, lm_head present and equal, F32', { arch: 'gpt2', tied: true, lmHead: 'equal', seed: 2 }],
    ['gpt2 tied, no prefix (GPT2Model export), F32', { arch: 'gpt2', tied: true, prefix: '', seed: 3 }],
    ['gpt2 untied, F32', { arch: 'gpt2', tied: false, seed: 4 }],
    ['gpt2 untied, F16', { arch: 'gpt2', tied: false, dtype: 'F16', seed: 5 }],
    ['gpt2 tied, BF16', { arch: 'gpt2', tied: true, dtype: 'BF16', seed: 6 }],
    ['gpt2 n_inner != 4D, 1 head', { arch: 'gpt2', tied: true, F: 48, H: 1, seed: 7 }],
    ['opt tied, model.decoder. prefix, F32', { arch: 'opt', tied: true, seed: 8 }],
    [
      'opt tied, lm_head present, decoder. prefix, F16',
      { arch: 'opt', tied: true, lmHead: 'equal', prefix: 'decoder.', dtype: 'F16', seed: 9 },
    ],
    ['opt untied, BF16, ffn 80', { arch: 'opt', tied: false, F: 80, dtype: 'BF16', seed: 10 }],
    // GPT-NeoX (Pythia): rotary on a fraction of each head, parallel residual, exact GELU, untied embed_out
    ['gpt_neox untied, rotary_pct 0.5, parallel residual, F32', { arch: 'gpt_neox', tied: false, seed: 11 }],
    [
      'gpt_neox untied, rotary_pct 0.25, parallel residual, BF16',
      { arch: 'gpt_neox', tied: false, rotaryPct: 0.25, D: 64, H: 4, dtype: 'BF16', seed: 12 },
    ],
    [
      'gpt_neox tied, sequential residual, full rotary, F16',
      { arch: 'gpt_neox', tied: true, parallel: false, rotaryPct: 1, dtype: 'F16', seed: 13 },
    ],
    // Llama (SmolLM2): RMSNorm, rotary on every dim, SwiGLU, grouped-query attention, no biases
    ['llama tied (SmolLM2-style), 4 heads / 2 kv heads, F32', { arch: 'llama', tied: true, F: 80, rotaryBase: 100000, seed: 14 }],
    ['llama untied, 4 heads / 1 kv head, BF16', { arch: 'llama', tied: false, kvHeads: 1, F: 80, dtype: 'BF16', seed: 15 }],
    ['llama untied, no grouping (kv heads = heads), F16', { arch: 'llama', tied: false, kvHeads: 4, dtype: 'F16', seed: 16 }],
    // GPT-Neo (TinyStories): learned positions, global/local layers (window 4 < T), unscaled scores
    ['gpt_neo tied, global+local (window 4), F32', { arch: 'gpt_neo', tied: true, seed: 17 }],
    [
      'gpt_neo untied, local+global, 3 layers, F16',
      { arch: 'gpt_neo', tied: false, L: 3, attentionTypes: [[['local', 'global', 'local'], 1]], window: 5, dtype: 'F16', seed: 18 },
    ],
    [
      'gpt_neo tied, lm_head present, no prefix, BF16',
      { arch: 'gpt_neo', tied: true, lmHead: 'equal', prefix: '', dtype: 'BF16', seed: 19 },
    ],
  ];

  describe('forward vs float64 reference', () => {
    for (const [name, spec] of VARIANTS) {
      it(name, async () => {
        const m = await loadTiny(spec);
        const base = tf.memory().numTensors;
        const T = 12;
        const ids = randomIds(T, m.config.vocabSize, spec.seed ?? 0);
        const r = await forward(m.weights, ids, { lensK: 3 });
        expect(tf.memory().numTensors).toBe(base);
        const ref = referenceForward(m.config, m.get, ids);
        const { nEmbd: D, nLayer: L, vocabSize: V } = m.config;
        expect([r.T, r.D, r.L, r.V]).toEqual([T, D, L, V]);
        expect(r.residuals.length).toBe((L + 1) * T * D);
        expect(relErr(r.tokEmb, ref.tokEmb)).toBeLessThan(1e-6);
        expect(relErr(r.posEmb, ref.posEmb)).toBeLessThan(1e-6);
        for (let l = 0; l <= L; l++) {
          expect(relErr(r.residuals.subarray(l * T * D, (l + 1) * T * D), ref.residuals[l]), `residual ${l}`).toBeLessThan(TOL);
        }
        expect(relErr(r.lnFinal, ref.lnFinal)).toBeLessThan(TOL);
        expect(r.logitsRows).toBe(T);
        expect(relErr(r.logits, ref.logits)).toBeLessThan(TOL);
        // per position too (the first position has the least mixing)
        for (const t of [0, T - 1]) {
          expect(relErr(r.logits.subarray(t * V, (t + 1) * V), ref.logits.subarray(t * V, (t + 1) * V))).toBeLessThan(TOL);
        }
        disposeWeights(m.weights);
      });
    }
  });

  describe('logit lens', () => {
    it('top-k per layer and position matches the reference read through ln_f and W_U', async () => {
      const m = await loadTiny({ arch: 'gpt2', tied: false, seed: 21 });
      const T = 9;
      const K = 4;
      const ids = randomIds(T, m.config.vocabSize, 5);
      const r = await forward(m.weights, ids, { lensK: K });
      const { nLayer: L, vocabSize: V, nEmbd: D } = m.config;
      expect(r.lens.k).toBe(K);
      expect(r.lens.topIds.length).toBe((L + 1) * T * K);
      const ref = referenceForward(m.config, m.get, ids);
      const g = m.get('ln_f.weight');
      const b = m.get('ln_f.bias');
      const wu = m.get('lm_head.weight');
      for (let l = 0; l <= L; l++)
        for (let t = 0; t < T; t++) {
          const x = ref.residuals[l].subarray(t * D, (t + 1) * D);
          const mean = x.reduce((a, v) => a + v, 0) / D;
          const vr = x.reduce((a, v) => a + (v - mean) ** 2, 0) / D;
          const y = Array.from(x, (v, i) => ((v - mean) / Math.sqrt(vr + m.config.eps)) * g[i] + b[i]);
          const logits = Array.from({ length: V }, (_, j) => y.reduce((a, yi, i) => a + yi * wu[j * D + i], 0));
          const max = Math.max(...logits);
          const z = logits.reduce((a, v) => a + Math.exp(v - max), 0);
          const order = logits.map((v, j) => [v, j] as const).sort((p, q) => q[0] - p[0]);
          const row = (l * T + t) * K;
          for (let k = 0; k < K; k++) {
            const gap = k + 1 < V ? order[k][0] - order[k + 1][0] : 1;
            if (gap > 1e-3) expect(r.lens.topIds[row + k], `l${l} t${t} k${k}`).toBe(order[k][1]);
            expect(r.lens.topProbs[row + k]).toBeCloseTo(Math.exp(order[k][0] - max) / z, 4);
          }
        }
      // the last lens row is the model's own prediction
      for (let t = 0; t < T; t++) {
        const lg = r.logits.subarray(t * V, (t + 1) * V);
        let best = 0;
        for (let j = 1; j < V; j++) if (lg[j] > lg[best]) best = j;
        expect(r.lens.topIds[(L * T + t) * K]).toBe(best);
      }
      disposeWeights(m.weights);
    });

    it('the lens gives the same answer when computed in many chunks', async () => {
      const m = await loadTiny({ arch: 'gpt2', tied: true, seed: 23 });
      const ids = randomIds(11, m.config.vocabSize, 8);
      const one = await forward(m.weights, ids, { lensK: 4 });
      const base = tf.memory().numTensors;
      const many = await forward(m.weights, ids, { lensK: 4, lensChunkElements: 5 * 64 }); // 5 rows per chunk -> 7 chunks
      expect(tf.memory().numTensors).toBe(base);
      expect(Array.from(many.lens.topIds)).toEqual(Array.from(one.lens.topIds));
      expect(relErr(many.lens.topProbs, one.lens.topProbs)).toBeLessThan(1e-6);
      disposeWeights(m.weights);
    });

    it('lensK = 0 skips the lens; lastOnly returns one row of logits', async () => {
      const m = await loadTiny({ arch: 'gpt2', tied: true, seed: 22 });
      const ids = randomIds(7, m.config.vocabSize, 6);
      const full = await forward(m.weights, ids, { lensK: 0 });
      expect(full.lens.topIds.length).toBe(0);
      const last = await forward(m.weights, ids, { lensK: 0, lastOnly: true });
      const V = m.config.vocabSize;
      expect(last.logitsRows).toBe(1);
      expect(relErr(last.logits, full.logits.subarray(6 * V))).toBeLessThan(1e-6);
      // the lens is the same whether its last row reuses the logits or not
      const a = await forward(m.weights, ids, { lensK: 3 });
      const b = await forward(m.weights, ids, { lensK: 3, lastOnly: true });
      expect(Array.from(b.lens.topIds)).toEqual(Array.from(a.lens.topIds));
      expect(relErr(b.lens.topProbs, a.lens.topProbs)).toBeLessThan(1e-6);
      disposeWeights(m.weights);
    });
  });

  describe('memory', () => {
    it("a block's intermediates are freed before the next block runs (peak memory grows slowly with depth)", async () => {
      const peaks: number[] = [];
      for (const L of [2, 10]) {
        const m = await loadTiny({ arch: 'gpt2', tied: true, D: 32, H: 4, P: 64, L, seed: 90 + L });
        const ids = randomIds(64, 64, 1);
        const before = tf.memory().numBytes;
        const prof = await tf.profile(async () => {
          await forward(m.weights, ids, { lensK: 0 });
        });
        peaks.push(prof.peakBytes - before);
        disposeWeights(m.weights);
      }
      // per extra layer: the kept residual [T, D] and keys/values, not its [T, T] scores or [T, F] activations
      const perLayer = (peaks[1] - peaks[0]) / 8;
      expect(perLayer).toBeLessThan(64 * 32 * 4 * 4);
    });
  });

  describe('direct path, matrices, errors', () => {
    it('directPath(t) = ln_f(W_E[t]) W_U', async () => {
      const m = await loadTiny({ arch: 'gpt2', tied: false, seed: 31 });
      const base = tf.memory().numTensors;
      const { nEmbd: D, vocabSize: V } = m.config;
      const t = 17;
      const got = await directPath(m.weights, t);
      expect(tf.memory().numTensors).toBe(base);
      const x = m.get('wte.weight').subarray(t * D, (t + 1) * D);
      const g = m.get('ln_f.weight');
      const b = m.get('ln_f.bias');
      const wu = m.get('lm_head.weight');
      const mean = x.reduce((a, v) => a + v, 0) / D;
      const vr = x.reduce((a, v) => a + (v - mean) ** 2, 0) / D;
      const y = Array.from(x, (v, i) => ((v - mean) / Math.sqrt(vr + m.config.eps)) * g[i] + b[i]);
      const ref = Array.from({ length: V }, (_, j) => y.reduce((a, yi, i) => a + yi * wu[j * D + i], 0));
      expect(relErr(got, ref)).toBeLessThan(TOL);
      await expect(directPath(m.weights, V)).rejects.toThrow(/outside the vocabulary/);
      disposeWeights(m.weights);
    });

    it('rotary families have no W_pos: matrix("wpe") is refused with a reason, posEmb is zeros, RMSNorm ln_f.bias is zeros', async () => {
      for (const spec of [
        { arch: 'gpt_neox', tied: false, seed: 44 },
        { arch: 'llama', tied: true, seed: 45 },
      ] as TinySpec[]) {
        const m = await loadTiny(spec);
        const base = tf.memory().numTensors;
        expect(m.config.positions).toBe('rotary');
        await expect(matrix(m.weights, 'wpe')).rejects.toThrow(/rotary positions/);
        const wu = await matrix(m.weights, 'wu');
        expect(relErr(wu.data, m.get(spec.arch === 'gpt_neox' ? 'embed_out.weight' : 'embed_tokens.weight'))).toBe(0);
        const r = await forward(m.weights, randomIds(5, 64, 3), { lensK: 0 });
        expect(r.posEmb.every((v) => v === 0)).toBe(true);
        if (spec.arch === 'llama') expect((await matrix(m.weights, 'ln_f.bias')).data.every((v) => v === 0)).toBe(true);
        expect(tf.memory().numTensors).toBe(base);
        disposeWeights(m.weights);
      }
    });

    it('matrices come out as stored (wu = lm_head when untied, = wte when tied; OPT wpe without the offset)', async () => {
      for (const spec of [
        { arch: 'gpt2', tied: false, seed: 41 },
        { arch: 'gpt2', tied: true, seed: 42 },
        { arch: 'opt', tied: true, seed: 43 },
      ] as TinySpec[]) {
        const m = await loadTiny(spec);
        const base = tf.memory().numTensors;
        const { nEmbd: D, vocabSize: V, nPositions: P } = m.config;
        const wte = await matrix(m.weights, 'wte');
        const wu = await matrix(m.weights, 'wu');
        const wpe = await matrix(m.weights, 'wpe');
        const g = await matrix(m.weights, 'ln_f.weight');
        expect([wte.rows, wte.cols, wu.rows, wu.cols, wpe.rows, wpe.cols, g.rows, g.cols]).toEqual([V, D, V, D, P, D, 1, D]);
        const arch = spec.arch;
        expect(relErr(wte.data, m.get(arch === 'gpt2' ? 'wte.weight' : 'embed_tokens.weight'))).toBe(0);
        expect(relErr(wu.data, spec.tied ? wte.data : m.get('lm_head.weight'))).toBe(0);
        const pos = m.get(arch === 'gpt2' ? 'wpe.weight' : 'embed_positions.weight');
        expect(relErr(wpe.data, pos.subarray(m.config.positionOffset * D, (m.config.positionOffset + P) * D))).toBe(0);
        expect(tf.memory().numTensors).toBe(base);
        disposeWeights(m.weights);
      }
    });

    it('rejects bad prompts without leaking', async () => {
      const m = await loadTiny({ arch: 'gpt2', tied: true, seed: 51 });
      const base = tf.memory().numTensors;
      await expect(forward(m.weights, [])).rejects.toThrow(/no tokens/);
      await expect(forward(m.weights, randomIds(17, 64, 1))).rejects.toThrow(/at most 16/);
      await expect(forward(m.weights, [1, 64])).rejects.toThrow(/outside the vocabulary/);
      expect(tf.memory().numTensors).toBe(base);
      disposeWeights(m.weights);
    });

    it('a full-length prompt (T = n_positions) works', async () => {
      const m = await loadTiny({ arch: 'opt', tied: true, seed: 52 });
      const ids = randomIds(16, 64, 2);
      const r = await forward(m.weights, ids, { lensK: 2 });
      expect(relErr(r.logits, referenceForward(m.config, m.get, ids).logits)).toBeLessThan(TOL);
      disposeWeights(m.weights);
    });
  });

  describe('loading', () => {
    it('refuses OPT-350m style project_in/out with a clear message and leaks nothing', async () => {
      const ck = makeTinyCheckpoint({ arch: 'opt', tied: true, projectIn: true });
      const config = parseConfig(ck.hfConfig);
      const base = tf.memory().numTensors;
      await expect(loadWeights(fromSafetensors(parseSafetensors(ck.bytes)), config)).rejects.toThrow(/project_in/);
      expect(tf.memory().numTensors).toBe(base);
    });

    it('untied config without lm_head fails cleanly', async () => {
      const ck = makeTinyCheckpoint({ arch: 'gpt2', tied: true });
      const config = { ...parseConfig(ck.hfConfig), tied: false };
      const base = tf.memory().numTensors;
      await expect(loadWeights(fromSafetensors(parseSafetensors(ck.bytes)), config)).rejects.toThrow(/lm_head/);
      expect(tf.memory().numTensors).toBe(base);
    });

    it('a wrong shape names the tensor', async () => {
      const ck = makeTinyCheckpoint({ arch: 'gpt2', tied: true, D: 32 });
      const config = { ...parseConfig(ck.hfConfig), nInner: 64 };
      await expect(loadWeights(fromSafetensors(parseSafetensors(ck.bytes)), config)).rejects.toThrow(
        /h\.0\.mlp\.c_fc\.weight.*expected \[32, 64\]/,
      );
    });

    it('parameter count: tied counts W_E once', async () => {
      const tied = await loadTiny({ arch: 'gpt2', tied: true, V: 64, P: 16, D: 32, L: 2, seed: 1 });
      const untied = await loadTiny({ arch: 'gpt2', tied: false, V: 64, P: 16, D: 32, L: 2, seed: 1 });
      const D = 32;
      const perBlock = 2 * D + D * 3 * D + 3 * D + D * D + D + 2 * D + D * 4 * D + 4 * D + 4 * D * D + D;
      const expected = 64 * D + 16 * D + 2 * perBlock + 2 * D;
      expect(parameterCount(tied.weights)).toBe(expected);
      expect(parameterCount(untied.weights)).toBe(expected + 64 * D);
      disposeWeights(tied.weights);
      disposeWeights(untied.weights);
    });
  });

  describe('generation', () => {
    for (const arch of ['gpt2', 'opt', 'gpt_neox', 'llama', 'gpt_neo'] as const) {
      it(`${arch}: KV cache gives the same tokens as full recompute at T=0, and leaks nothing`, async () => {
        // rotary families: cached keys keep their positions; GPT-Neo: a local layer's window (4) is shorter than the context
        const m = await loadTiny({ arch, tied: arch !== 'gpt2', seed: 61, P: 32 });
        const base = tf.memory().numTensors;
        const prompt = randomIds(5, 64, 9);
        const opts = { temperature: 0, maxNewTokens: 20, seed: 1 };
        const a = await generate(m.weights, prompt, { ...opts, useCache: true }, () => {});
        expect(tf.memory().numTensors).toBe(base);
        const b = await generate(m.weights, prompt, { ...opts, useCache: false }, () => {});
        expect(tf.memory().numTensors).toBe(base);
        expect(a.ids).toEqual(b.ids);
        expect(a.tokens).toBe(20);
        // and both agree with the float64 reference's greedy choice
        const ids = prompt.slice();
        for (let s = 0; s < 20; s++) {
          const ref = referenceForward(m.config, m.get, ids);
          const V = m.config.vocabSize;
          const last = ref.logits.subarray((ids.length - 1) * V);
          let best = 0;
          for (let j = 1; j < V; j++) if (last[j] > last[best]) best = j;
          ids.push(best);
        }
        expect(a.ids).toEqual(ids);
        disposeWeights(m.weights);
      });
    }

    it('sampling is reproducible per seed; cache and recompute agree at T=1; stops at the context length', async () => {
      const m = await loadTiny({ arch: 'gpt2', tied: true, seed: 71, P: 16 });
      const prompt = randomIds(4, 64, 3);
      const steps: number[] = [];
      const a = await generate(m.weights, prompt, { temperature: 1, maxNewTokens: 50, useCache: true, seed: 7 }, (s) => steps.push(s.id));
      const b = await generate(m.weights, prompt, { temperature: 1, maxNewTokens: 50, useCache: false, seed: 7 }, () => {});
      const c = await generate(m.weights, prompt, { temperature: 1, maxNewTokens: 50, useCache: true, seed: 8 }, () => {});
      expect(a.ids).toEqual(b.ids);
      expect(a.ids.length).toBe(16); // context full
      expect(a.tokens).toBe(12);
      expect(steps).toEqual(a.ids.slice(4));
      expect(c.ids).not.toEqual(a.ids);
    });

    it('stops when asked, and an empty prompt starts from BOS', async () => {
      const m = await loadTiny({ arch: 'gpt2', tied: true, seed: 81, P: 32 });
      const base = tf.memory().numTensors;
      let n = 0;
      const r = await generate(m.weights, [3], { temperature: 0, maxNewTokens: 20, useCache: true, seed: 1 }, () => n++, {
        shouldStop: () => n >= 3,
        yieldFn: () => new Promise((res) => setTimeout(res, 0)),
      });
      expect(r.stopped).toBe(true);
      expect(r.tokens).toBe(3);
      expect(tf.memory().numTensors).toBe(base);
      const e = await generate(m.weights, [], { temperature: 0, maxNewTokens: 2, useCache: true, seed: 1 }, () => {});
      expect(e.ids[0]).toBe(63);
      expect(e.ids.length).toBe(3);
      disposeWeights(m.weights);
    });
  });
}
