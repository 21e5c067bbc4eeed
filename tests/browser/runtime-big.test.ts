/**
 * Opt-in (TD_BIG=1): a GPT-2-small-shaped random checkpoint (V 50257, D 768,
 * 12 layers, 12 heads, 1024 positions, F16, ~250 MB) loaded into the built page
 * over HTTP from a second local server (as a reader's checkpoint URL would be),
 * run on wasm: load, forward with the logit lens (chunked over the big
 * vocabulary), direct path, KV-cache generation; logits checked against the
 * float64 reference. Timings are logged, never asserted.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { makeTinyCheckpoint } from '../unit/runtime/checkpoint';
import { float64View, randomIds } from '../unit/runtime/helpers';
import { referenceForward, relErr } from '../unit/runtime/reference';
import { parseConfig } from '../../src/runtime/config';
import type { ModelApi } from '../../src/runtime/api';

const BIG = !!process.env.TD_BIG;

describe.skipIf(!BIG)('GPT-2-small-shaped checkpoint in the page (wasm)', () => {
  let browser: Browser;
  let page: Page;
  let server: Server;
  let base = '';
  const ck = BIG ? makeTinyCheckpoint({ arch: 'gpt2', tied: true, V: 50257, P: 1024, D: 768, L: 12, H: 12, dtype: 'F16', seed: 99 }) : null;

  beforeAll(async () => {
    const files: Record<string, Buffer> = {
      '/big/config.json': Buffer.from(JSON.stringify(ck!.hfConfig)),
      '/big/model.safetensors': Buffer.from(ck!.bytes.buffer, ck!.bytes.byteOffset, ck!.bytes.byteLength),
    };
    server = createServer((req, res) => {
      const body = files[req.url ?? ''];
      res.setHeader('Access-Control-Allow-Origin', '*');
      if (!body) {
        res.statusCode = 404;
        return res.end();
      }
      res.setHeader('Content-Length', String(body.byteLength));
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/big/`;
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(inject('baseUrl'));
    await page.waitForFunction(() => !!(window as unknown as { __td?: { client?: unknown } }).__td?.client, undefined, { timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('loads, runs and matches the reference', async () => {
    const config = parseConfig(ck!.hfConfig);
    const ids = randomIds(8, config.vocabSize, 1);
    const res = await page.evaluate(
      async ({ base, ids }) => {
        const c = (window as unknown as { __td: { client: ModelApi } }).__td.client;
        await c.setBackend('wasm');
        const t0 = performance.now();
        let lastProgress = '';
        const info = await c.loadModel(
          { kind: 'url', key: 'big', label: 'big', baseUrl: base },
          (p) => (lastProgress = `${p.phase} ${p.loaded}/${p.total}`),
        );
        const loadMs = performance.now() - t0;
        const mem0 = await c.memory();
        const times: Record<string, number> = {};
        let r = null;
        for (const T of [8, 64, 256]) {
          const x = Array.from({ length: T }, (_, i) => (i * 7919 + 13) % 50257);
          for (let rep = 0; rep < 2; rep++) {
            const f = await c.forward(T === 8 ? ids : x, { lensK: 5 });
            if (f) times[`forward T=${T} lens5`] = Math.round(f.ms);
            if (T === 8 && f) r = f;
          }
          const n = await c.forward(T === 8 ? ids : x, { lensK: 0 });
          if (n) times[`forward T=${T} nolens`] = Math.round(n.ms);
        }
        const t1 = performance.now();
        const dp = await c.directPath(ids[0]);
        times.directPath = Math.round(performance.now() - t1);
        const gen: number[] = [];
        const g = await c.generate(ids, { temperature: 0, maxNewTokens: 8, useCache: true, seed: 1 }, (s) => gen.push(s.id));
        times['generate tok/s (kv cache)'] = Math.round(g.tokensPerSecond * 10) / 10;
        const mem1 = await c.memory();
        return {
          loadMs: Math.round(loadMs),
          lastProgress,
          info,
          mem0,
          mem1,
          times,
          logitsLast: Array.from(r!.logits.subarray(7 * 50257)),
          lensLen: r!.lens.topIds.length,
          dpLen: dp.length,
          gen,
        };
      },
      { base, ids },
    );
    console.log(
      `[big] load ${res.loadMs} ms (${(ck!.bytes.byteLength / 1e6).toFixed(0)} MB F16), ${res.info.parameterCount} parameters, ${(res.mem0.numBytes / 1e6).toFixed(0)} MB of tensors; ${JSON.stringify(res.times)}`,
    );
    expect(res.lastProgress).toMatch(/^ready/);
    expect(res.mem1.numTensors).toBe(res.mem0.numTensors);
    expect(res.lensLen).toBe(13 * 8 * 5);
    expect(res.dpLen).toBe(50257);
    expect(res.gen.length).toBe(8);
    const ref = referenceForward(config, float64View(ck!.bytes), ids);
    const e = relErr(res.logitsLast, ref.logits.subarray(7 * 50257));
    console.log(`[big] logits (last position) rel err vs float64: ${e.toExponential(2)}`);
    expect(e).toBeLessThan(1e-4);
  }, 600_000);
});
