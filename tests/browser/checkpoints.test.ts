/**
 * Loading real checkpoints (issue 5): from disk (file picker, folder picker),
 * from a folder URL on a local server, the failure modes (no CORS, slow +
 * Cancel, dropped connection, too large, .bin only, missing files), the Cache
 * Storage (reload served from cache with no request to the server; Clear),
 * the offer for a model named by the URL, and every chapter rendering with
 * the loaded checkpoint. One GPT-2-small-shaped random checkpoint (50,257 ×
 * 768, 12 layers, F16 ≈ 250 MB) checks that the page stays responsive.
 *
 * Checkpoints are random, written by scripts/make-checkpoint.mjs into
 * os.tmpdir(); local servers listen on 127.0.0.1 (the CSP allows it) and stop
 * themselves.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { startCheckpointServer, type CheckpointServer } from './servers/checkpoint-server';
import { makeCheckpoint } from '../../scripts/make-checkpoint.mjs';

const baseUrl = inject('baseUrl');
const CACHE = 'td-checkpoints-v1';

let browser: Browser;
let server: CheckpointServer;
let work: string;
/** Folder of the small random checkpoint (GPT-2 tokenizer, d 64, 2 layers, F16). */
let tiny: string;
/** Same architecture, vocab.json + merges.txt instead of tokenizer.json. */
let vm: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'td-ckpt-'));
  tiny = join(work, 'tiny-gpt2');
  await makeCheckpoint({ out: tiny, shape: 'tiny', dtype: 'f16', seed: 7 });
  // The same checkpoint with OPT-style tokenizer files.
  vm = join(work, 'vm');
  mkdirSync(vm);
  copyFileSync(join(tiny, 'config.json'), join(vm, 'config.json'));
  copyFileSync(join(tiny, 'model.safetensors'), join(vm, 'model.safetensors'));
  const tok = JSON.parse(readFileSync(join(tiny, 'tokenizer.json'), 'utf8'));
  writeFileSync(join(vm, 'vocab.json'), JSON.stringify(tok.model.vocab));
  writeFileSync(join(vm, 'merges.txt'), '#version: 0.2\n' + (tok.model.merges as string[]).join('\n') + '\n');
  // A folder with only PyTorch weights.
  mkdirSync(join(work, 'bin-only'));
  copyFileSync(join(tiny, 'config.json'), join(work, 'bin-only', 'config.json'));
  writeFileSync(join(work, 'bin-only', 'pytorch_model.bin'), Buffer.from('PK\u0003\u0004 not really a pickle'));
  const huge = {
    model_type: 'gpt2',
    vocab_size: 50257,
    n_positions: 1024,
    n_embd: 1600,
    n_layer: 48,
    n_head: 25, // GPT-2 XL: 1.56B parameters
  };
  server = await startCheckpointServer({
    routes: {
      cors: { dir: tiny, mode: 'ok' },
      again: { dir: tiny, mode: 'ok' },
      vm: { dir: vm, mode: 'ok' },
      nocors: { dir: tiny, mode: 'nocors' },
      slow: { dir: tiny, mode: 'slow' },
      drop: { dir: tiny, mode: 'drop' },
      huge: { dir: tiny, mode: 'ok', files: { 'config.json': JSON.stringify(huge) } },
    },
    bytesPerSecond: 600_000,
    dropFraction: 0.4,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  errors: string[];
}

async function open(ctx: BrowserContext, query = ''): Promise<Watched> {
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(baseUrl + query);
  await page.locator('[data-testid=loader]').waitFor();
  return { page, errors };
}

/** Waits until the page runs `key` and has a forward pass of the prompt from it. */
async function waitForModel(page: Page, key: string, timeout = 120_000) {
  try {
    await page.waitForFunction(
      (k) => {
        const td = (window as unknown as { __td?: { info?: { key: string }; status?: string; forward?: { modelKey: string } } }).__td;
        return td?.info?.key === k && td.status === 'ready' && td.forward?.modelKey === k;
      },
      key,
      { timeout, polling: 200 },
    );
  } catch (e) {
    // Say what the page showed instead.
    const shown = await page.evaluate(() => ({
      loader: (document.querySelector('[data-testid=loader]') as HTMLElement | null)?.innerText,
      bar: (document.querySelector('.prompt-bar') as HTMLElement | null)?.innerText,
      url: location.href,
    }));
    throw new Error(`${(e as Error).message}\nwaiting for ${key}; page showed ${JSON.stringify(shown, null, 1)}`);
  }
}

/** Opens the loader panel (a <details>) if it is closed. */
async function openLoader(page: Page) {
  if ((await page.locator('[data-testid=loader] details[open]').count()) === 0) await page.locator('[data-testid=loader-toggle]').click();
}

/** Every URL stored in the checkpoint cache, plus any left in another cache (the staging one must end up empty). */
/**
 * These tests are about the loader's own Cache Storage entry; the site's service worker (tested in site.test.ts)
 * would add its precache beside it and serve reloads itself, so it is kept out here.
 */
const NO_SW = { serviceWorkers: 'block' as const };

async function cacheUrls(page: Page): Promise<string[]> {
  return page.evaluate(async (name) => {
    const out: string[] = [];
    for (const n of await caches.keys())
      for (const r of await (await caches.open(n)).keys()) out.push(n === name ? r.url : `${n}:${r.url}`);
    return out;
  }, CACHE);
}

async function loadUrl(page: Page, url: string) {
  await openLoader(page);
  await page.locator('[data-testid=url-input]').fill(url);
  await page.locator('[data-testid=url-load]').click();
}

const modelParam = (page: Page) => new URL(page.url()).searchParams.get('model');

describe('checkpoint loading', () => {
  test('from disk with the file picker: the essay switches to it and every chapter renders', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page, errors } = await open(ctx);
    errors.length = 0; // only errors from here on count (the bundled model may be absent in a dev checkout)
    await openLoader(page);
    await page
      .locator('[data-testid=file-input]')
      .setInputFiles(['config.json', 'model.safetensors', 'tokenizer.json'].map((f) => join(tiny, f)));
    await waitForModel(page, 'local-gpt2-2l-64d');
    await expect.poll(() => modelParam(page)).toBe('local-gpt2-2l-64d');
    // Listed in the model select, and selected.
    expect(await page.locator('[data-testid=model-select]').inputValue()).toBe('local-gpt2-2l-64d');
    expect(await page.locator('[data-testid=model-status]').textContent()).toMatch(/3,324,736 parameters/);
    // Every chapter is there and none shows an error.
    const chapters = page.locator('section.chapter');
    expect(await chapters.count()).toBeGreaterThanOrEqual(11);
    await page.waitForTimeout(1500); // let figures that fetch matrices settle
    for (let i = 0; i < (await chapters.count()); i++) {
      const text = (await chapters.nth(i).innerText()).toLowerCase();
      expect(text, `chapter ${i}`).not.toMatch(/could not be loaded|failed|error:/);
    }
    expect(await page.locator('#fig-next .empty-state').count()).toBe(0);
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(errors).toEqual([]);
    // Nothing from disk goes into the cache.
    expect(await cacheUrls(page)).toEqual([]);
    await ctx.close();
  });

  test('from disk with the folder picker and by drag and drop', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page } = await open(ctx);
    await openLoader(page);
    await page.locator('[data-testid=folder-input]').setInputFiles(tiny);
    await waitForModel(page, 'local-tiny-gpt2');
    // Drag and drop onto the drop zone (files made in the page from the test server's copy).
    await page.evaluate(async (base) => {
      const dt = new DataTransfer();
      for (const f of ['config.json', 'model.safetensors', 'tokenizer.json'])
        dt.items.add(new File([await (await fetch(base + f)).blob()], f));
      document
        .querySelector('[data-testid=drop-zone]')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, `${server.url}cors/`);
    await waitForModel(page, 'local-gpt2-2l-64d');
    expect(await page.locator('[data-testid=model-select] option').allTextContents()).toEqual(
      expect.arrayContaining(['tiny-gpt2 (from disk)', 'gpt2-2l-64d (from disk)']),
    );
    await ctx.close();
  });

  test('from disk: missing files and PyTorch .bin give clear messages', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page } = await open(ctx);
    await openLoader(page);
    const input = page.locator('[data-testid=file-input]');
    await input.setInputFiles([join(tiny, 'config.json')]);
    await expect
      .poll(() => page.locator('[data-testid=loader-error]').textContent())
      .toMatch(/Missing model\.safetensors, tokenizer\.json/);
    await input.setInputFiles([join(work, 'bin-only', 'config.json'), join(work, 'bin-only', 'pytorch_model.bin')]);
    await expect.poll(() => page.locator('[data-testid=loader-error]').textContent()).toMatch(/PyTorch.*README/s);
    await ctx.close();
  });

  test('from a URL: downloads, caches, reload serves from the cache with no request, Clear empties it', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page } = await open(ctx);
    await loadUrl(page, `${server.url}cors/`);
    await waitForModel(page, 'url-cors');
    await expect.poll(() => modelParam(page)).toBe('url-cors');
    const stored = await cacheUrls(page);
    expect(stored.sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json'].map((f) => `${server.url}cors/${f}`));
    await expect.poll(() => page.locator('[data-testid=cache-entry]').count()).toBe(3);

    const before = server.count('/cors/');
    await page.reload();
    await waitForModel(page, 'url-cors');
    expect(server.count('/cors/')).toBe(before); // not one request: everything came from the cache

    await openLoader(page);
    await page.locator('[data-testid=cache-remove]').first().click();
    await expect.poll(() => cacheUrls(page).then((u) => u.length)).toBe(2);
    await page.locator('[data-testid=cache-clear]').click();
    await expect.poll(() => cacheUrls(page).then((u) => u.length)).toBe(0);
    await expect.poll(() => page.locator('[data-testid=cache-entry]').count()).toBe(0);
    await ctx.close();
  });

  test('from a URL with vocab.json + merges.txt instead of tokenizer.json', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page } = await open(ctx);
    await loadUrl(page, `${server.url}vm/`);
    await waitForModel(page, 'url-vm');
    expect((await cacheUrls(page)).map((u) => u.slice(u.lastIndexOf('/') + 1)).sort()).toEqual([
      'config.json',
      'merges.txt',
      'model.safetensors',
      'vocab.json',
    ]);
    await ctx.close();
  });

  test('a server without CORS headers: a clear CORS message, nothing cached', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page } = await open(ctx);
    await loadUrl(page, `${server.url}nocors/`);
    await expect.poll(() => page.locator('[data-testid=loader-error]').textContent(), { timeout: 30_000 }).toMatch(/CORS/);
    expect(await cacheUrls(page)).toEqual([]);
    // HTTP errors and unreachable servers, too.
    await loadUrl(page, `${server.url}nothing-here/`);
    await expect
      .poll(() => page.locator('[data-testid=loader-error]').textContent(), { timeout: 30_000 })
      .toMatch(/config\.json: HTTP 404.*not found/);
    await loadUrl(page, 'http://127.0.0.1:9/ckpt/'); // the discard port: nothing listens
    await expect
      .poll(() => page.locator('[data-testid=loader-error]').textContent(), { timeout: 30_000 })
      .toMatch(/Could not reach 127\.0\.0\.1:9/);
    expect(await cacheUrls(page)).toEqual([]);
    await ctx.close();
  });

  test('too large for memory: refused from config.json alone, weights never requested', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page } = await open(ctx);
    await loadUrl(page, `${server.url}huge/`);
    await expect.poll(() => page.locator('[data-testid=loader-error]').textContent(), { timeout: 30_000 }).toMatch(/1558M parameters.*GB/s);
    expect(server.count('/huge/model.safetensors')).toBe(0);
    expect(server.count('/huge/tokenizer.json')).toBe(0);
    await ctx.close();
  });

  test('a slow server: the progress bar advances, Cancel stops it, nothing is cached, the previous model still works', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page } = await open(ctx);
    await loadUrl(page, `${server.url}again/`);
    await waitForModel(page, 'url-again');
    await page.locator('[data-testid=url-input]').fill(`${server.url}slow/`);
    await page.locator('[data-testid=url-load]').click();
    const bar = page.locator('[data-testid=dl-progress]');
    const loaded = async () => {
      const file = await page.locator('[data-testid=dl-progress]').getAttribute('aria-label');
      return file?.includes('model.safetensors') ? Number(await bar.getAttribute('data-loaded')) : 0;
    };
    await expect.poll(loaded, { timeout: 30_000 }).toBeGreaterThan(0);
    const a = await loaded();
    await expect.poll(loaded, { timeout: 30_000 }).toBeGreaterThan(a);
    expect(Number(await bar.getAttribute('data-total'))).toBe(readFileSync(join(tiny, 'model.safetensors')).byteLength);
    await page.locator('[data-testid=dl-cancel]').click();
    await expect.poll(() => page.locator('[data-testid=loader-message]').textContent()).toMatch(/Cancelled/);
    expect(await bar.count()).toBe(0);
    expect((await cacheUrls(page)).filter((u) => u.includes('/slow/'))).toEqual([]);
    // The previous model still answers a new prompt.
    expect(await page.locator('[data-testid=model-select]').inputValue()).toBe('url-again');
    await page.locator('[data-testid=prompt]').fill('The cat sat on the mat');
    await page.waitForFunction(() => {
      const td = (window as unknown as { __td?: { forward?: { modelKey: string; T: number } } }).__td;
      return td?.forward?.modelKey === 'url-again' && (td.forward.T === 6 || td.forward.T === 7);
    });
    await ctx.close();
  });

  test('a server that drops the connection mid-download: a clear message, nothing cached', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page } = await open(ctx);
    await loadUrl(page, `${server.url}drop/`);
    await expect
      .poll(() => page.locator('[data-testid=loader-error]').textContent(), { timeout: 30_000 })
      .toMatch(/interrupted|stopped after/);
    expect((await cacheUrls(page)).filter((u) => u.includes('/drop/'))).toEqual([]);
    expect(await page.locator('[data-testid=dl-progress]').count()).toBe(0);
    await ctx.close();
  });

  test('a link naming a preset that is not loaded shows an offer; a cached preset loads from the cache', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page } = await open(ctx, '?model=gpt2');
    const offer = page.locator('[data-testid=model-offer]');
    await expect.poll(() => offer.textContent()).toMatch(/This link shows GPT-2 small \(550 MB download\): load it\?/);
    expect(await page.locator('[data-testid=offer-load]').textContent()).toMatch(/Load GPT-2 small \(550 MB\)/);
    // Put the tiny checkpoint where the distilgpt2 preset lives, as a previous visit would have.
    const files = Object.fromEntries(
      ['config.json', 'model.safetensors', 'tokenizer.json'].map((f) => [f, readFileSync(join(tiny, f)).toString('base64')]),
    );
    await page.evaluate(
      async ({ files, name }) => {
        const c = await caches.open(name);
        for (const [f, b64] of Object.entries(files)) {
          const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
          await c.put(
            `https://huggingface.co/distilgpt2/resolve/main/${f}`,
            new Response(bytes, { headers: { 'x-td-bytes': String(bytes.length) } }),
          );
        }
      },
      { files, name: CACHE },
    );
    // huggingface.co cannot be reached from the test browser, so this can only succeed from the cache.
    await page.goto(`${baseUrl}?model=distilgpt2`);
    await waitForModel(page, 'distilgpt2');
    expect(await page.locator('[data-testid=model-offer]').count()).toBe(0);
    await ctx.close();
  });
});

// SLOW: about 3 minutes on the 2 shared cores here (≈ 1 min to write the 250 MB checkpoint, 60–85 s to load it),
// over the 3-minute target when the machine is busy; TD_SKIP_BIG=1 skips it.
describe.skipIf(!!process.env.TD_SKIP_BIG)('a GPT-2-small-shaped checkpoint (50,257 × 768, 12 layers, F16) [slow]', () => {
  let big: string;
  let bigServer: CheckpointServer;
  beforeAll(async () => {
    big = join(work, 'gpt2-small-random');
    await makeCheckpoint({ out: big, shape: 'gpt2-small', dtype: 'f16', seed: 3 });
    bigServer = await startCheckpointServer({ routes: { big: { dir: big, mode: 'ok' } } });
  }, 240_000);
  afterAll(async () => {
    await bigServer?.close();
    rmSync(big, { recursive: true, force: true });
  });

  test('loads from a local server; the page stays responsive and the figures render', async () => {
    const ctx = await browser.newContext(NO_SW);
    const { page, errors } = await open(ctx);
    errors.length = 0;
    // Long tasks on the main thread while loading (what a reader would feel as jank).
    await page.evaluate(() => {
      const w = window as unknown as { __long: { start: number; ms: number }[] };
      w.__long = [];
      new PerformanceObserver((l) =>
        l.getEntries().forEach((e) => w.__long.push({ start: Math.round(e.startTime), ms: Math.round(e.duration) })),
      ).observe({
        type: 'longtask',
        buffered: false,
      });
    });
    const cdp = process.env.TD_PROFILE ? await ctx.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
    }
    await loadUrl(page, `${bigServer.url}big/`);
    // While it downloads, parses and uploads: typing must show up in the box within a few seconds.
    const lags: number[] = [];
    const t0 = Date.now();
    let n = 0;
    for (;;) {
      const done = await page.evaluate(() => {
        const td = (window as unknown as { __td?: { info?: { key: string }; status?: string } }).__td;
        return td?.info?.key === 'url-big' && td.status === 'ready';
      });
      if (done || Date.now() - t0 > 150_000) break;
      const s = Date.now();
      const text = `Typing while loading ${++n}`;
      await page.locator('[data-testid=prompt]').fill(text);
      await page.waitForFunction((t) => (document.querySelector('[data-testid=prompt]') as HTMLTextAreaElement).value === t, text);
      lags.push(Date.now() - s);
      await page.waitForTimeout(1000);
    }
    if (cdp) {
      // TD_PROFILE=1: where the main thread spent its time while loading (self time by function).
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map<string, number>();
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      (profile.samples ?? []).forEach((id, i) => {
        const n = byId.get(id)!;
        const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
        self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas?.[i] ?? 0));
      });
      console.log(
        [...self]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 25)
          .map(([k, v]) => `${(v / 1000).toFixed(0)} ms ${k}`)
          .join('\n'),
      );
    }
    const long = await page.evaluate(() => (window as unknown as { __long: { start: number; ms: number }[] }).__long);
    const worst = [...long].sort((a, b) => b.ms - a.ms).slice(0, 5);
    console.log(
      `[gpt2-small random] load ${((Date.now() - t0) / 1000).toFixed(1)} s; typing → box lag (Playwright round trip) ms: ${lags.join(' ')}; ` +
        `main-thread long tasks: ${long.length}, worst ${worst.map((w) => `${w.ms} ms @${w.start}`).join(', ')}`,
    );
    expect(lags.length).toBeGreaterThan(0);
    // "Within a few seconds". Sized for a 2-core machine shared with other jobs (load average ~25 when measured):
    // there a Playwright round trip to an idle page alone takes up to ~1 s, and the worst sample (8.5 s) fell on the
    // moment the model became ready (the model provider builds the 50k-token tokenizer on the main thread, ~3 s).
    expect(Math.max(...lags)).toBeLessThan(15_000);
    await waitForModel(page, 'url-big', 120_000);
    expect(await page.locator('[data-testid=model-status]').textContent()).toMatch(/124,439,808 parameters/);
    expect(await page.locator('#fig-next .empty-state').count()).toBe(0);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 300_000);
});
