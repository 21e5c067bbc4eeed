/**
 * The model runtime in the built page (Debian Chromium, headless): the same
 * forward pass on wasm, WebGL and WebGPU (SwiftShader here: a smoke test)
 * agrees with the float64 reference and across backends within 1e-3; memory
 * returns to baseline; auto mode skips software GPUs. Also logs forward
 * timings of a d128/L4/V4096 model on wasm (speed is reported, never asserted).
 *
 * Model files are served by Playwright routes (generated here), and the page's
 * own client is driven through window.__td.client (set by the app shell).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { makeTinyCheckpoint, type TinySpec } from '../unit/runtime/checkpoint';
import { float64View, randomIds } from '../unit/runtime/helpers';
import { referenceForward, relErr } from '../unit/runtime/reference';
import { parseConfig } from '../../src/runtime/config';

let browser: Browser;
let page: Page;

const models: Record<string, { spec: TinySpec; hf: Record<string, unknown>; bytes: Uint8Array }> = {};
function addModel(key: string, spec: TinySpec) {
  const ck = makeTinyCheckpoint(spec);
  models[key] = { spec, hf: ck.hfConfig, bytes: ck.bytes };
}
addModel('small', { arch: 'gpt2', tied: false, V: 512, P: 64, D: 64, L: 2, H: 4, seed: 11 });
addModel('opt', { arch: 'opt', tied: true, V: 256, P: 32, D: 32, L: 2, H: 2, seed: 12 });
addModel('bench', { arch: 'gpt2', tied: true, V: 4096, P: 128, D: 128, L: 4, H: 4, seed: 13 });

interface PageForward {
  backend: string;
  logits: number[];
  residuals: number[];
  lensIds: number[];
  ms: number;
  tensorsBefore: number;
  tensorsAfter: number;
}

async function load(key: string): Promise<void> {
  await page.evaluate(async (k) => {
    const td = (window as unknown as { __td: { client: import('../../src/runtime/api').ModelApi } }).__td;
    await td.client.loadModel({ kind: 'url', key: k, label: k, baseUrl: `/__test-models/${k}/` });
  }, key);
}

async function forwardOn(backend: string, ids: number[]): Promise<PageForward> {
  return page.evaluate(
    async ({ backend, ids }) => {
      const td = (window as unknown as { __td: { client: import('../../src/runtime/api').ModelApi } }).__td;
      const b = await td.client.setBackend(backend as 'wasm');
      const tensorsBefore = (await td.client.memory()).numTensors;
      let r = null;
      for (let i = 0; i < 5 && r === null; i++) r = await td.client.forward(ids, { lensK: 5 }); // null = overtaken by the page's own request
      if (!r) throw new Error('forward kept being superseded');
      // weight matrices and the direct path come out by transfer: they must not detach the weights
      const wte = await td.client.matrix('wte');
      const dp = await td.client.directPath(ids[0]);
      let again = null;
      for (let i = 0; i < 5 && again === null; i++) again = await td.client.forward(ids, { lensK: 5 });
      if (!again || again.logits.some((v, i) => v !== r!.logits[i]))
        throw new Error(`${backend}: a second forward differs after matrix/directPath`);
      if (wte.data.length !== wte.rows * wte.cols || dp.length !== r.V) throw new Error('bad matrix/directPath shapes');
      const tensorsAfter = (await td.client.memory()).numTensors;
      return {
        backend: b.name,
        logits: Array.from(r.logits),
        residuals: Array.from(r.residuals),
        lensIds: Array.from(r.lens.topIds),
        ms: r.ms,
        tensorsBefore,
        tensorsAfter,
      };
    },
    { backend, ids },
  );
}

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/__test-models/**', async (route) => {
    const m = /__test-models\/([a-z]+)\/([a-z.]+)$/.exec(new URL(route.request().url()).pathname);
    const model = m && models[m[1]];
    if (!model) return route.fulfill({ status: 404, body: 'not found' });
    if (m[2] === 'config.json') return route.fulfill({ contentType: 'application/json', body: JSON.stringify(model.hf) });
    if (m[2] === 'model.safetensors') return route.fulfill({ contentType: 'application/octet-stream', body: Buffer.from(model.bytes) });
    return route.fulfill({ status: 404, body: 'not found' });
  });
  await page.goto(inject('baseUrl'));
  await page.waitForFunction(() => !!(window as unknown as { __td?: { client?: unknown } }).__td?.client, undefined, { timeout: 60_000 });
  // let the page's own start-up (backend init, bundled model load) settle
  await page.waitForFunction(
    () => {
      const td = (window as unknown as { __td?: { client: { backend(): unknown }; status?: string } }).__td;
      return !!td?.client.backend() && td.status !== 'init' && td.status !== 'loading';
    },
    undefined,
    { timeout: 120_000 },
  );
});

afterAll(async () => {
  await browser?.close();
});

describe('runtime in the built page', () => {
  it('auto mode picks wasm here (software WebGPU/WebGL skipped) and says why', async () => {
    const backend = () =>
      page.evaluate(() => (window as unknown as { __td: { client: { backend(): { name: string; note: string } } } }).__td.client.backend());
    const info = await backend();
    // the page may have been asked for a backend via the URL; by default it is auto
    if (!/as requested/.test(info.note)) {
      expect(info.name).toBe('wasm');
      // the model starts on wasm at once; the note says why the GPUs were skipped once their probes have answered
      await page.waitForFunction(
        () => /software/i.test((window as unknown as { __td: { client: { backend(): { note: string } } } }).__td.client.backend().note),
        undefined,
        { timeout: 20_000 },
      );
      const after = await backend();
      expect(after.name).toBe('wasm');
      expect(after.note).toMatch(/skipped WebGPU on a software adapter .*; skipped WebGL on a software renderer/i);
    }
  });

  it('same logits and residuals on wasm, webgl and webgpu (SwiftShader) as the float64 reference', async () => {
    const m = models.small;
    await load('small');
    const config = parseConfig(m.hf);
    const ids = randomIds(24, config.vocabSize, 3);
    const ref = referenceForward(config, float64View(m.bytes), ids);
    const refResid = new Float64Array(ref.residuals.reduce((n, r) => n + r.length, 0));
    ref.residuals.forEach((r, l) => refResid.set(r, l * r.length));
    const got: Record<string, PageForward> = {};
    for (const backend of ['wasm', 'webgl', 'webgpu']) {
      const r = await forwardOn(backend, ids);
      expect(r.backend, `${backend} did not start`).toBe(backend);
      expect(r.tensorsAfter, `${backend} leaked tensors`).toBe(r.tensorsBefore);
      const e = relErr(r.logits, ref.logits);
      console.log(
        `[runtime] ${backend}: logits rel err ${e.toExponential(2)}, residuals ${relErr(r.residuals, refResid).toExponential(2)}, ${r.ms.toFixed(1)} ms`,
      );
      expect(e).toBeLessThan(1e-3);
      expect(relErr(r.residuals, refResid)).toBeLessThan(1e-3);
      got[backend] = r;
    }
    expect(relErr(got.webgl.logits, got.wasm.logits)).toBeLessThan(1e-3);
    expect(relErr(got.webgpu.logits, got.wasm.logits)).toBeLessThan(1e-3);
    await page.evaluate(() =>
      (window as unknown as { __td: { client: { setBackend(n: string): Promise<unknown> } } }).__td.client.setBackend('wasm'),
    );
  });

  it('OPT layout, generation with and without the KV cache, direct path (wasm)', async () => {
    const m = models.opt;
    await load('opt');
    const config = parseConfig(m.hf);
    const ids = randomIds(10, config.vocabSize, 4);
    const r = await forwardOn('wasm', ids);
    expect(relErr(r.logits, referenceForward(config, float64View(m.bytes), ids).logits)).toBeLessThan(1e-4);
    const gen = await page.evaluate(async (ids) => {
      const c = (window as unknown as { __td: { client: import('../../src/runtime/api').ModelApi } }).__td.client;
      const before = (await c.memory()).numTensors;
      const a: number[] = [];
      const b: number[] = [];
      const sa = await c.generate(ids, { temperature: 0, maxNewTokens: 12, useCache: true, seed: 1 }, (s) => a.push(s.id));
      const sb = await c.generate(ids, { temperature: 0, maxNewTokens: 12, useCache: false, seed: 1 }, (s) => b.push(s.id));
      const dp = await c.directPath(7);
      const after = (await c.memory()).numTensors;
      return { a, b, sa, sb, dpLen: dp.length, before, after };
    }, ids);
    expect(gen.a).toEqual(gen.b);
    expect(gen.a.length).toBe(12);
    expect(gen.dpLen).toBe(config.vocabSize);
    expect(gen.after).toBe(gen.before);
  });

  it('benchmark: forward ms of a d128/L4/V4096 model on wasm (reported, not asserted)', async () => {
    await load('bench');
    const res = await page.evaluate(async () => {
      const c = (window as unknown as { __td: { client: import('../../src/runtime/api').ModelApi } }).__td.client;
      await c.setBackend('wasm');
      const out: Record<string, number[]> = {};
      for (const T of [8, 32, 128]) {
        const ids = Array.from({ length: T }, (_, i) => (i * 37 + 11) % 4096);
        for (const [label, opts] of [
          [`T=${T} lens5`, { lensK: 5 }],
          [`T=${T} nolens`, { lensK: 0 }],
        ] as const) {
          const times: number[] = [];
          for (let i = 0; i < 6; i++) {
            const t0 = performance.now();
            const r = await c.forward(ids, opts);
            const wall = performance.now() - t0;
            if (r && i > 0) times.push(Math.round(r.ms * 10) / 10, Math.round(wall * 10) / 10);
          }
          out[label] = times;
        }
      }
      const gen: Record<string, number> = {};
      for (const useCache of [true, false]) {
        const s = await c.generate([1, 2, 3, 4, 5, 6, 7, 8], { temperature: 0, maxNewTokens: 64, useCache, seed: 1 }, () => undefined);
        gen[useCache ? 'kv cache tok/s' : 'recompute tok/s'] = Math.round(s.tokensPerSecond * 10) / 10;
      }
      const gflops = await c.matmulGflops(512);
      return { out, gen, gflops };
    });
    for (const [k, v] of Object.entries(res.out)) {
      const worker = v.filter((_, i) => i % 2 === 0).sort((a, b) => a - b);
      const wall = v.filter((_, i) => i % 2 === 1).sort((a, b) => a - b);
      console.log(
        `[bench] wasm d128/L4/V4096 ${k}: worker median ${worker[Math.floor(worker.length / 2)]} ms, round trip median ${wall[Math.floor(wall.length / 2)]} ms`,
      );
    }
    console.log(`[bench] generation (8-token prompt, 64 new):`, JSON.stringify(res.gen), `matMul 512: ${res.gflops.toFixed(1)} GFLOP/s`);
    expect(Object.keys(res.out).length).toBe(6);
  });
});
