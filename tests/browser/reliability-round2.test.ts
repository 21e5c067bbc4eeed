/**
 * Issue 16 in the built page (reliability, second round):
 * (1) degenerate-but-well-formed checkpoints through the file picker:
 *     non-finite values refused naming the tensor; zero rows, constant
 *     matrices, zero LayerNorm gains load, and every figure either draws or
 *     shows its error boundary while the rest of the essay lives; the reader
 *     gets back to a bundled model;
 * (2) a bare Hugging Face repo id in the checkpoint field;
 * (3) a model switch during a long generation on the cpu backend;
 * (4) the URL-length rule with a long non-ASCII prompt, reloaded through
 *     the address the page wrote;
 * (5) `?temp=`, a prompt cut from a link, loader messages in plain words,
 *     the same files twice.
 * Every session records long main-thread tasks (PerformanceObserver
 * 'longtask'); the numbers are printed, including the 100,000-character paste.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { reveal } from './helpers';
import { makeCheckpoint } from '../../scripts/make-checkpoint.mjs';
import { tinyTokenizerJson, validFolder } from '../../scripts/make-malformed.mjs';
import { expectFiguresRecovered, openPage, waitSettled, type Watched } from '../unit/reliability/page-fixture';
import { MAX_URL_BYTES, PARAMS } from '../../src/state/params';

const baseUrl = inject('baseUrl');
let browser: Browser;
let dir: string;
const sessions: Watched[] = [];
/** longest main-thread task per test (ms), printed at the end */
const longest: Record<string, { max: number; count: number }> = {};

const LONGTASKS = `
  window.__longtasks = [];
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__longtasks = null; }
`;

async function open(o: Parameters<typeof openPage>[2] = {}): Promise<Watched> {
  const w = await openPage(browser, baseUrl, { initScript: LONGTASKS, ...o });
  sessions.push(w);
  return w;
}

/** Long tasks seen since the last call (and resets the list). */
async function takeLongTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const g = window as unknown as { __longtasks: number[] | null };
    const out = g.__longtasks ? g.__longtasks.slice() : [];
    if (g.__longtasks) g.__longtasks.length = 0;
    return out;
  });
}

function noteLongTasks(name: string, tasks: number[]) {
  const cur = longest[name] ?? { max: 0, count: 0 };
  longest[name] = { max: Math.max(cur.max, ...tasks, 0), count: cur.count + tasks.length };
}

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'td-rel2-'));
});
// one page at a time: open pages (each with its model worker) slow the shared machine down for the next test
afterEach(async () => {
  for (const w of sessions.splice(0)) await w.ctx.close().catch(() => undefined);
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    'longest main-thread task per test (PerformanceObserver longtask, shared loaded machine):\n' +
      Object.entries(longest)
        .map(([k, v]) => `  ${k}: ${Math.round(v.max)} ms (${v.count} tasks over 50 ms)`)
        .join('\n'),
  );
});

// ---------------------------------------------------------------- checkpoints

interface Folder {
  config: Buffer;
  weights: Buffer;
  tokenizer: Buffer;
}

/** A random GPT-2-architecture checkpoint (byte-level tokenizer, F32 so values can be edited in place). */
async function checkpoint(
  name: string,
  o: { d?: number; layers?: number; heads?: number; ctx?: number; seed?: number; untied?: boolean } = {},
): Promise<Folder> {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  await makeCheckpoint({
    out,
    vocab: 257,
    d: o.d ?? 32,
    layers: o.layers ?? 2,
    heads: o.heads ?? 2,
    ctx: o.ctx ?? 64,
    dtype: 'f32',
    seed: o.seed ?? 7,
    tokenizer: 'bytes',
    untied: o.untied ?? true,
  });
  const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  cfg.bos_token_id = cfg.eos_token_id = 256;
  return {
    config: Buffer.from(JSON.stringify(cfg)),
    weights: readFileSync(join(out, 'model.safetensors')),
    tokenizer: readFileSync(join(out, 'tokenizer.json')),
  };
}

/** Edits tensors of a safetensors file (F32) in place: `edit(name, data, shape)` for every tensor whose name matches. */
function editTensors(bytes: Buffer, match: RegExp, edit: (data: Float32Array, shape: number[], name: string) => void): Buffer {
  const out = Buffer.from(bytes);
  const hlen = Number(out.readBigUInt64LE(0));
  const header = JSON.parse(out.subarray(8, 8 + hlen).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  let n = 0;
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__' || !match.test(name)) continue;
    if (t.dtype !== 'F32') throw new Error(`${name} is ${t.dtype}`);
    const begin = 8 + hlen + t.data_offsets[0];
    const data = new Float32Array(out.buffer.slice(out.byteOffset + begin, out.byteOffset + 8 + hlen + t.data_offsets[1]));
    edit(data, t.shape, name);
    Buffer.from(data.buffer).copy(out, begin);
    n++;
  }
  if (n === 0) throw new Error(`no tensor matches ${match}`);
  return out;
}

const zeroRows = (rows: (r: number) => boolean) => (d: Float32Array, shape: number[]) => {
  const cols = shape[1];
  for (let r = 0; r < shape[0]; r++) if (rows(r)) d.fill(0, r * cols, (r + 1) * cols);
};

/** Gives a folder to the page's file picker (weights under `weightsName`). */
async function pick(page: Page, f: Folder, weightsName: string) {
  await page.setInputFiles('[data-testid="file-input"]', [
    { name: 'config.json', mimeType: 'application/json', buffer: f.config },
    { name: weightsName, mimeType: 'application/octet-stream', buffer: f.weights },
    { name: 'tokenizer.json', mimeType: 'application/json', buffer: f.tokenizer },
  ]);
}

/** Marks the messages on screen as old, so the next one can be told apart. */
const markOld = (page: Page) =>
  page.evaluate(() =>
    document
      .querySelectorAll('[data-testid="loader-error"], [data-testid="loader-message"]')
      .forEach((e) => e.setAttribute('data-old', '1')),
  );

async function nextLoaderMessage(
  page: Page,
  kind: 'error' | 'message' | 'any' = 'any',
  timeout = 60_000,
): Promise<{ kind: string; text: string }> {
  const sel =
    kind === 'error'
      ? '[data-testid="loader-error"]:not([data-old])'
      : kind === 'message'
        ? '[data-testid="loader-message"]:not([data-old])'
        : '[data-testid="loader-error"]:not([data-old]), [data-testid="loader-message"]:not([data-old])';
  const e = await page.waitForSelector(sel, { timeout });
  return { kind: (await e.getAttribute('data-testid')) ?? '', text: (await e.textContent()) ?? '' };
}

/** Every figure on the page: its id, whether its boundary caught an error (and the text), and whether it shows NaN. */
async function figureReport(page: Page) {
  // scroll through the whole essay so every figure has rendered and run its effects
  const n = await page.$$eval('figure.figure', (fs) => fs.length);
  for (let i = 0; i < n; i++) {
    await page.$$eval('figure.figure', (fs, i) => fs[i].scrollIntoView({ block: 'center' }), i);
    await page.waitForTimeout(60);
  }
  await page.waitForTimeout(800);
  return page.$$eval('figure.figure', (fs) =>
    fs.map((f, i) => {
      const err = f.querySelector('[data-testid="figure-error"]');
      const body = f.querySelector('.figure-body')?.textContent ?? '';
      return {
        id: f.id || `#${i}`,
        error: err ? (err.textContent ?? '') : null,
        nan: /\bNaN\b|\bundefined\b/.test(body),
        empty: body.trim().length === 0 && !f.querySelector('svg, canvas'),
      };
    }),
  );
}

describe('(1) degenerate checkpoints through the file picker', () => {
  it('non-finite values are refused with a message naming the tensor; the previous model keeps working', async () => {
    const w = await open();
    const { page } = w;
    await page.click('[data-testid="loader-toggle"]');
    const good = await checkpoint('nf');
    const model0 = await page.textContent('[data-testid="model-status"]');
    const cases: [string, Folder, RegExp][] = [
      [
        'nan-wte',
        { ...good, weights: editTensors(good.weights, /^wte\.weight$/, (d) => ((d[40] = NaN), (d[41] = NaN))) },
        /'wte\.weight' \(the token embeddings W_E\).*2 values.*NaN, at row 1, column 8/,
      ],
      [
        'inf-wu',
        { ...good, weights: editTensors(good.weights, /^lm_head\.weight$/, (d) => (d[5] = Infinity)) },
        /'lm_head\.weight' \(the unembedding W_U\).*\+Infinity/,
      ],
      [
        'nan-ln',
        { ...good, weights: editTensors(good.weights, /^h\.1\.ln_1\.weight$/, (d) => d.fill(NaN)) },
        /'h\.1\.ln_1\.weight' \(a LayerNorm\) holds 32 values/,
      ],
      [
        'inf-wpe',
        { ...good, weights: editTensors(good.weights, /^wpe\.weight$/, (d) => (d[0] = -Infinity)) },
        /'wpe\.weight' \(the position embeddings\).*−Infinity/,
      ],
    ];
    const before = await page.$$eval('[data-testid="model-select"] option', (o) => o.length);
    for (const [name, f, want] of cases) {
      await markOld(page);
      await pick(page, f, `${name}.safetensors`);
      // the loader accepts the files (their format is fine), the worker refuses the numbers
      const m = await page.waitForSelector('[data-testid="loader-error"]:not([data-old])', { timeout: 60_000 });
      const text = (await m.textContent()) ?? '';
      console.log(`${name}: ${text}`);
      expect(text).toMatch(want);
      expect(text).toContain('model.safetensors');
      expect(text).toMatch(/The page still shows/);
    }
    await waitSettled(page);
    expect(await page.textContent('[data-testid="model-status"]')).toBe(model0);
    expect(await page.$$eval('[data-testid="model-select"] option', (o) => o.length)).toBe(before); // refused entries left the list
    await page.fill('[data-testid="prompt"]', 'Still working after bad numbers');
    await expectFiguresRecovered(page);
    expect(w.errors).toEqual([]);
    noteLongTasks('(1) non-finite refused', await takeLongTasks(page));
  }, 300_000);

  it('zero rows, constant matrices and zero LayerNorm gains load; every figure draws or shows its boundary; the page lives; back to a bundled model', async () => {
    const w = await open();
    const { page } = w;
    await page.click('[data-testid="loader-toggle"]');
    const base = await checkpoint('deg');
    const text = new TextEncoder();
    // the byte ids of the default prompt: zero rows there hit every prompt-driven figure
    const promptBytes = new Set(Array.from(text.encode(PARAMS.prompt.default)));
    const cases: [string, Folder][] = [
      [
        'zero-rows',
        {
          ...base,
          weights: editTensors(
            base.weights,
            /^(wte|lm_head)\.weight$/,
            zeroRows((r) => promptBytes.has(r) || r % 3 === 0),
          ),
        },
      ],
      ['all-zero-embeddings', { ...base, weights: editTensors(base.weights, /^(wte|lm_head|wpe)\.weight$/, (d) => d.fill(0)) }],
      ['constant-matrices', { ...base, weights: editTensors(base.weights, /^(wte|lm_head|wpe)\.weight$/, (d) => d.fill(0.02)) }],
      ['zero-layernorm', { ...base, weights: editTensors(base.weights, /ln_(1|2|f)\.(weight|bias)$/, (d) => d.fill(0)) }],
      ['everything-zero', { ...base, weights: editTensors(base.weights, /./, (d) => d.fill(0)) }],
    ];
    const figures0 = await page.$$eval('figure.figure', (f) => f.length);
    const report: string[] = [];
    let boundaries = 0;
    for (const [name, f] of cases) {
      await markOld(page);
      await pick(page, f, `${name}.safetensors`);
      const m = await nextLoaderMessage(page, 'any');
      expect(m.kind, `${name}: ${m.text}`).toBe('loader-message');
      await page.waitForFunction(
        (n) => (document.querySelector('[data-testid="model-status"]')?.textContent ?? '').startsWith(`${n} (from disk)`),
        name,
        { timeout: 60_000 },
      );
      await waitSettled(page);
      const figs = await figureReport(page);
      // the page lives: the essay, the prompt bar and every figure slot are still there
      expect(await page.$('[data-testid="page-error"]')).toBeNull();
      expect(figs.length).toBe(figures0);
      expect(await page.isVisible('[data-testid="prompt"]')).toBe(true);
      const failed = figs.filter((x) => x.error);
      boundaries += failed.length;
      report.push(
        `${name}: ${figs.length} figures, ${failed.length} caught by their boundary${failed.length ? ` (${failed.map((x) => `${x.id}: ${x.error!.slice(0, 120)}`).join('; ')})` : ''}` +
          `; showing NaN/undefined: ${
            figs
              .filter((x) => x.nan)
              .map((x) => x.id)
              .join(', ') || 'none'
          }`,
      );
      // typing still works with this model
      await page.fill('[data-testid="prompt"]', `Typing still works with ${name}`);
      await waitSettled(page);
      noteLongTasks('(1) degenerate models', await takeLongTasks(page));
    }
    console.log(report.join('\n'));
    expect(w.errors).toEqual([]); // nothing escaped a boundary
    // back to a bundled model: from a figure's boundary when one failed, else from the model select
    const viaBoundary = await page.$('[data-testid="boundary-bundled"]');
    if (viaBoundary) await viaBoundary.click();
    else await page.selectOption('[data-testid="model-select"]', 'tiny-tied');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="model-status"]')?.textContent ?? '').startsWith('Tiny GPT (tied)'),
      undefined,
      { timeout: 60_000 },
    );
    await page.fill('[data-testid="prompt"]', 'Back on the bundled model');
    await expectFiguresRecovered(page);
    const after = await figureReport(page);
    expect(after.filter((x) => x.error)).toEqual([]);
    console.log(`boundaries shown over the degenerate models: ${boundaries}; after switching back: 0`);
  }, 600_000);

  it('figures that throw on a malformed result show their boundary; the rest of the essay keeps working and they recover', async () => {
    // The forward results are made malformed (no logit lens, no residuals) in the page's own client, so the
    // figures that read them throw while rendering; the prompt bar and the other figures must not notice.
    const w = await open();
    const { page } = w;
    await page.evaluate(() => {
      type Api = { forward: (...a: unknown[]) => Promise<Record<string, unknown> | null> };
      const td = (window as unknown as { __td: { client: Api }; __orig: Api['forward'] }).__td;
      const orig = td.client.forward.bind(td.client);
      (window as unknown as { __orig: Api['forward'] }).__orig = orig;
      td.client.forward = async (...a: unknown[]) => {
        const r = await orig(...a);
        if (!r) return r;
        const bad = { ...r };
        for (const k of ['lens', 'residuals', 'lnFinal', 'tokEmb', 'posEmb']) {
          Object.defineProperty(bad, k, {
            get() {
              throw new Error(`the forward result has no readable ${k}`);
            },
          });
        }
        return bad;
      };
    });
    await page.fill('[data-testid="prompt"]', 'A figure fails here');
    await page.waitForSelector('[data-testid="figure-error"], [data-testid="page-error"]', { timeout: 60_000 });
    const pageError = await page.$eval('[data-testid="page-error"]', (e) => e.textContent).catch(() => null);
    if (pageError) console.log(`page boundary: ${pageError}; console: ${w.console.slice(-3).join(' | ').slice(0, 1500)}`);
    await page.waitForTimeout(1000);
    const failed = await page.$$eval('[data-testid="figure-error"]', (e) =>
      e.map((x) => `${x.getAttribute('data-figure')}: ${x.textContent}`),
    );
    console.log(`malformed forward results: ${failed.length} figures showed their boundary\n  ${failed.join('\n  ')}`);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]).toMatch(/This (figure|chapter) could not be drawn with .*: .+\. The rest of the page still works\./);
    expect(await page.$('[data-testid="page-error"]')).toBeNull();
    // the rest lives: the prompt bar answers, the next-token figure still lists tokens
    expect(await page.isVisible('[data-testid="prompt"]')).toBe(true);
    expect(await page.$$eval('[data-testid="next-token"] li', (l) => l.length)).toBeGreaterThan(0);
    await page.evaluate(() => {
      const g = window as unknown as { __td: { client: { forward: unknown } }; __orig: unknown };
      g.__td.client.forward = g.__orig;
    });
    // a new prompt retries every failed figure
    await page.fill('[data-testid="prompt"]', 'The figures come back');
    await expectFiguresRecovered(page);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="figure-error"]').length === 0, undefined, {
      timeout: 30_000,
    });
    expect(w.errors).toEqual([]);
  }, 300_000);
});

describe('(2) the checkpoint field', () => {
  it('takes a bare Hugging Face repo id; the page validates and words its own errors; a stale error is cleared', async () => {
    const f = await checkpoint('hf', { seed: 11 });
    const routes = async (ctx: BrowserContext) => {
      await ctx.route(/^https:\/\/huggingface\.co\/gpt2\/resolve\/main\/.*/, (route) => {
        const file = new URL(route.request().url()).pathname.split('/').pop()!;
        const body =
          file === 'config.json' ? f.config : file === 'model.safetensors' ? f.weights : file === 'tokenizer.json' ? f.tokenizer : null;
        return body
          ? route.fulfill({
              status: 200,
              body,
              headers: { 'Content-Type': 'application/octet-stream', 'Access-Control-Allow-Origin': '*' },
            })
          : route.fulfill({ status: 404, body: '' });
      });
    };
    const w = await open({ routes });
    const { page } = w;
    await page.click('[data-testid="loader-toggle"]');
    const input = page.locator('[data-testid="url-input"]');
    // the page's own check, in its words
    await input.fill('not a web address!');
    expect(await input.evaluate((e: HTMLInputElement) => e.checkValidity())).toBe(true); // the browser does not block it
    await markOld(page);
    await page.click('[data-testid="url-load"]');
    const err = await nextLoaderMessage(page, 'error');
    expect(err.text).toMatch(/“not a web address!” is not a web address/);
    // typing again clears the stale error
    await input.fill('g');
    expect(await page.$('[data-testid="loader-error"]')).toBeNull();
    await input.fill('gpt2');
    expect(await input.evaluate((e: HTMLInputElement) => e.checkValidity())).toBe(true);
    await markOld(page);
    await page.click('[data-testid="url-load"]');
    const ok = await nextLoaderMessage(page, 'message');
    expect(ok.text).toMatch(/Downloaded gpt2|Every chapter now shows gpt2/);
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="model-status"]')?.textContent ?? '').startsWith('gpt2:'),
      undefined,
      { timeout: 60_000 },
    );
    expect(w.requests.some((u) => u === 'https://huggingface.co/gpt2/resolve/main/config.json')).toBe(true);
    await expectFiguresRecovered(page);
    expect(w.errors).toEqual([]);
    noteLongTasks('(2) repo id', await takeLongTasks(page));
  }, 300_000);
});

describe('(3) a model switch during generation', () => {
  it('on the cpu backend: the switch stops a long generation at once; indicator, progress and figures name the same model; what is cleared is said', async () => {
    // a slower "tied" model (d 128, 4 layers, context 512) so the generation lasts long enough on the cpu backend
    const big = await checkpoint('slow', { d: 128, layers: 4, heads: 4, ctx: 512, seed: 5, untied: false });
    const routes = async (ctx: BrowserContext) => {
      await ctx.route(/\/models\/tiny-tied\/[a-zA-Z.]+$/, (route) => {
        const file = new URL(route.request().url()).pathname.split('/').pop()!;
        const body =
          file === 'config.json'
            ? big.config
            : file === 'model.safetensors'
              ? big.weights
              : file === 'tokenizer.json'
                ? big.tokenizer
                : null;
        return body ? route.fulfill({ status: 200, body }) : route.fulfill({ status: 404, body: '' });
      });
    };
    const w = await open({ routes, query: '?backend=cpu&gen_n=200' });
    const { page } = w;
    await waitSettled(page);
    expect(await page.textContent('[data-testid="backend"] strong')).toBe('cpu');
    // record, on every animation frame, what each part of the page names
    await page.evaluate(() => {
      const frames: { t: number; select: string; status: string; gen: string; count: number; running: string }[] = [];
      (window as unknown as { __frames: typeof frames }).__frames = frames;
      const sel = () => document.querySelector<HTMLSelectElement>('[data-testid="model-select"]')!;
      const tick = () => {
        const labels = Object.fromEntries(Array.from(sel().options).map((o) => [o.value, o.textContent ?? '']));
        const g = document.querySelector('[data-testid="gen-text"]');
        frames.push({
          t: performance.now(),
          select: labels[sel().value],
          status: document.querySelector('[data-testid="model-status"]')?.textContent ?? '',
          gen: labels[g?.getAttribute('data-model') ?? ''] ?? '',
          count: Number(g?.getAttribute('data-count') ?? 0),
          running: document.querySelector('[data-testid="gen-status"]')?.getAttribute('data-running') ?? '',
        });
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await reveal(page.locator('[data-testid="gen-go"]')); // figures render only near the screen
    await page.click('[data-testid="gen-go"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="gen-text"]')?.getAttribute('data-count')) >= 3,
      undefined,
      { timeout: 60_000 },
    );
    const atSwitch = await page.$eval('[data-testid="gen-text"]', (e) => Number(e.getAttribute('data-count')));
    const t0 = Date.now();
    // the switch, as the select's change event, stamped with the page's clock
    const tSwitch = await page.evaluate(() => {
      const s = document.querySelector<HTMLSelectElement>('[data-testid="model-select"]')!;
      const t = performance.now();
      const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!;
      set.call(s, 'tiny-untied');
      s.dispatchEvent(new Event('change', { bubbles: true }));
      return t;
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="gen-status"]')?.getAttribute('data-running') === '', undefined, {
      timeout: 60_000,
    });
    const stopMs = Date.now() - t0;
    const atStop = await page.$eval('[data-testid="gen-text"]', (e) => Number(e.getAttribute('data-count')));
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="model-status"]')?.textContent ?? '').startsWith('Tiny GPT (untied)'),
      undefined,
      { timeout: 60_000 },
    );
    const switchMs = Date.now() - t0;
    await waitSettled(page);
    const note = await page.textContent('[data-testid="gen-note"]');
    console.log(
      `switch during generation (cpu): ${atSwitch} tokens at the switch, ${atStop} when it stopped (asked 200); stopped after ${stopMs} ms, new model shown after ${switchMs} ms; note: ${note}`,
    );
    expect(atStop).toBeLessThan(200);
    expect(note).toMatch(/The text generated by Tiny GPT \(tied\) was cleared, because every figure now shows Tiny GPT \(untied\)/);
    expect(await page.$eval('[data-testid="gen-text"]', (e) => Number(e.getAttribute('data-count')))).toBe(0);
    // the generation figure never showed text of a model other than the one the indicator names
    const frames = await page.evaluate(
      () =>
        (window as unknown as { __frames: { t: number; select: string; status: string; gen: string; count: number; running: string }[] })
          .__frames,
    );
    const after = frames.filter((f) => f.t >= tSwitch);
    const stopFrame = after.find((f) => f.running === '');
    const lastRunning = [...after].reverse().find((f) => f.running !== '' && (!stopFrame || f.t < stopFrame.t));
    console.log(
      `  frames after the switch: generation shown stopped ${stopFrame ? Math.round(stopFrame.t - tSwitch) : '?'} ms after it, ` +
        `with ${lastRunning?.count ?? atSwitch} tokens (${(lastRunning?.count ?? atSwitch) - atSwitch} after the switch); new model named ${Math.round((after.find((f) => f.status.startsWith('Tiny GPT (untied)'))?.t ?? NaN) - tSwitch)} ms after it`,
    );
    const mixed = frames.filter((f) => f.count > 0 && !f.status.startsWith(f.gen));
    expect(frames.length).toBeGreaterThan(10);
    expect(mixed).toEqual([]);
    // a finished generation is kept when nothing changes, and a switch that clears it says so (tested above);
    // here: generate to the end with the new model, then switch back and forth to the same model is not a change
    await reveal(page.locator('[data-testid="gen-go"]'));
    await page.click('[data-testid="gen-go"]');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="gen-status"]')?.getAttribute('data-running') === '' &&
        Number(document.querySelector('[data-testid="gen-text"]')?.getAttribute('data-count')) > 0,
      undefined,
      { timeout: 120_000 },
    );
    const done = await page.$eval('[data-testid="gen-text"]', (e) => Number(e.getAttribute('data-count')));
    await page.fill('[data-testid="gen-seed"]', '1'); // an unrelated control does not wipe it
    await page.waitForTimeout(300);
    expect(await page.$eval('[data-testid="gen-text"]', (e) => Number(e.getAttribute('data-count')))).toBe(done);
    expect(w.errors).toEqual([]);
    noteLongTasks('(3) switch during generation', await takeLongTasks(page));
  }, 300_000);
});

describe('(4) the URL-length rule', () => {
  const cjk = (n: number) => Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20000))).join('');

  it(`a 4,000-character CJK prompt is left out of the address (kept under ${MAX_URL_BYTES} bytes) with a note; a shorter one round-trips through the address the page wrote`, async () => {
    const w = await open();
    const { page } = w;
    const long = cjk(4000);
    await page.fill('[data-testid="prompt"]', long);
    await page.waitForSelector('[data-testid="notice"]:has-text("too long for the page’s address")', { timeout: 30_000 });
    const href = await page.evaluate(() => location.href);
    const bytes = Buffer.byteLength(href, 'utf8');
    console.log(
      `4,000 CJK characters: address ${bytes} bytes (with the prompt it would be ${Buffer.byteLength(baseUrl + '?prompt=' + encodeURIComponent(long))})`,
    );
    expect(bytes).toBeLessThanOrEqual(MAX_URL_BYTES);
    expect(new URL(href).searchParams.get('prompt')).toBeNull();
    // reload through it: the page opens, with the default prompt, and works
    await page.goto(href);
    await waitSettled(page);
    expect(await page.inputValue('[data-testid="prompt"]')).toBe(PARAMS.prompt.default);
    // 700 CJK characters (6.3 KB encoded) fit: they round-trip
    const medium = cjk(700);
    await page.fill('[data-testid="prompt"]', medium);
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('prompt') === m, medium, { timeout: 30_000 });
    const href2 = await page.evaluate(() => location.href);
    expect(Buffer.byteLength(href2, 'utf8')).toBeLessThanOrEqual(MAX_URL_BYTES);
    await page.goto(href2);
    await waitSettled(page);
    expect(await page.inputValue('[data-testid="prompt"]')).toBe(medium);
    expect(await page.$('[data-testid="notice"]:has-text("too long for the page’s address")')).toBeNull();
    expect(w.errors).toEqual([]);
    noteLongTasks('(4) URL rule', await takeLongTasks(page));
  }, 300_000);
});

describe('(5) the small things', () => {
  it('`?temp=` is absent, not 0; a prompt cut from a link says so', async () => {
    const long = 'a'.repeat(5000);
    const w = await open({ query: `?temp=&gen_n=&prompt=${long}` });
    const { page } = w;
    await reveal(page.locator('[data-testid="gen-temp"]')); // figures render only near the screen
    expect(await page.inputValue('[data-testid="gen-temp"]')).toBe('1');
    expect(await page.inputValue('[data-testid="gen-n"]')).toBe(String(PARAMS.gen_n.default));
    expect((await page.inputValue('[data-testid="prompt"]')).length).toBe(PARAMS.prompt.maxLength);
    const notes = await page.$$eval('[data-testid="notice"]', (p) => p.map((x) => x.textContent ?? ''));
    expect(notes.some((n) => n.includes('The prompt in the link was 5,000 characters long'))).toBe(true);
    // editing the prompt retires the note
    await page.fill('[data-testid="prompt"]', 'short');
    await page.waitForFunction(
      () => ![...document.querySelectorAll('[data-testid="notice"]')].some((n) => n.textContent?.includes('in the link was')),
      undefined,
      { timeout: 10_000 },
    );
    expect(w.errors).toEqual([]);
  }, 120_000);

  it('loader messages are plain words naming the file; the same files twice add no second entry', async () => {
    const w = await open();
    const { page } = w;
    await page.click('[data-testid="loader-toggle"]');
    const v = validFolder();
    const tj = tinyTokenizerJson() as { model: Record<string, unknown> } & Record<string, unknown>;
    // (written as text: JSON.stringify itself overflows the stack on 20,000 levels)
    const deep = '{"type":"Sequence","pretokenizers":['.repeat(20_000) + '{"type":"ByteLevel"}' + ']}'.repeat(20_000);
    const cases: [string, Record<string, string | Uint8Array>, RegExp][] = [
      [
        'added_tokens an object',
        { ...v, 'tokenizer.json': JSON.stringify({ ...tj, added_tokens: {} }) },
        /tokenizer\.json: “added_tokens” should be a list of tokens, but it is an object/,
      ],
      [
        'an added token without id',
        { ...v, 'tokenizer.json': JSON.stringify({ ...tj, added_tokens: [null] }) },
        /tokenizer\.json: added token 1 should have a numeric “id”/,
      ],
      [
        'merges of numbers',
        { ...v, 'tokenizer.json': JSON.stringify({ ...tj, model: { ...tj.model, merges: [1, 2] } }) },
        /tokenizer\.json: merge 1 should be two pieces of text/,
      ],
      [
        'a pre-tokenizer nested 20,000 deep',
        { ...v, 'tokenizer.json': JSON.stringify({ ...tj, pre_tokenizer: 0 }).replace('"pre_tokenizer":0', `"pre_tokenizer":${deep}`) },
        /tokenizer\.json: “pre_tokenizer” is nested more than 32 levels deep/,
      ],
      [
        'two unnamed weight files',
        {
          'config.json': v['config.json'],
          'a.safetensors': v['model.safetensors'],
          'b.safetensors': v['model.safetensors'],
          'tokenizer.json': v['tokenizer.json'],
        },
        /2 weight files were given \(a\.safetensors, b\.safetensors\) and none is named model\.safetensors/,
      ],
    ];
    for (const [name, files, want] of cases) {
      await markOld(page);
      await page.setInputFiles(
        '[data-testid="file-input"]',
        Object.entries(files).map(([n, b]) => ({
          name: n,
          mimeType: 'application/octet-stream',
          buffer: Buffer.from(typeof b === 'string' ? b : b),
        })),
      );
      const m = await nextLoaderMessage(page, 'error');
      console.log(`${name}: ${m.text}`);
      expect(m.text).toMatch(want);
      expect(m.text).not.toMatch(/iterable|Symbol\(|call stack|is not a function|Cannot read|undefined/);
      await page.waitForSelector('[data-testid="file-input"]:not([disabled])');
    }
    // the same files (from disk, so name, size and date are the same) twice: one entry
    const f = await checkpoint('twice', { seed: 21 });
    const d = join(dir, 'twice-files');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'config.json'), f.config);
    writeFileSync(join(d, 'model.safetensors'), f.weights);
    writeFileSync(join(d, 'tokenizer.json'), f.tokenizer);
    const paths = ['config.json', 'model.safetensors', 'tokenizer.json'].map((x) => join(d, x));
    const count = () => page.$$eval('[data-testid="model-select"] option', (o) => o.length);
    const n0 = await count();
    await markOld(page);
    await page.setInputFiles('[data-testid="file-input"]', paths);
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="model-status"]')?.textContent ?? '').includes('(from disk)'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await count()).toBe(n0 + 1);
    await page.selectOption('[data-testid="model-select"]', 'tiny-tied');
    await waitSettled(page);
    await markOld(page);
    await page.setInputFiles('[data-testid="file-input"]', paths);
    const again = await nextLoaderMessage(page, 'message');
    expect(again.text).toMatch(/These files are already loaded/);
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="model-status"]')?.textContent ?? '').includes('(from disk)'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await count()).toBe(n0 + 1);
    expect(w.errors).toEqual([]);
    noteLongTasks('(5) loader messages', await takeLongTasks(page));
  }, 300_000);
});

describe('long main-thread tasks', () => {
  it('the 100,000-character paste, typing and a model switch: longest task measured and reported', async () => {
    const w = await open();
    const { page } = w;
    await takeLongTasks(page); // the page's start-up is not an input
    await page.focus('[data-testid="prompt"]');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await waitSettled(page);
    await takeLongTasks(page);
    const chunk = 'Call me Ishmael. Some years ago — never mind how long precisely — having little or no money in my purse, ';
    await page.keyboard.insertText(chunk.repeat(Math.ceil(100_000 / chunk.length)).slice(0, 100_000));
    await waitSettled(page);
    await page.waitForTimeout(1500);
    const paste = await takeLongTasks(page);
    noteLongTasks('100,000-character paste', paste);
    await page.keyboard.type(' and more', { delay: 30 });
    await waitSettled(page);
    await page.waitForTimeout(500);
    noteLongTasks('typing 9 keys after it', await takeLongTasks(page));
    await page.selectOption('[data-testid="model-select"]', 'tiny-untied');
    await waitSettled(page);
    await page.waitForTimeout(500);
    noteLongTasks('model switch', await takeLongTasks(page));
    console.log(`paste long tasks: ${paste.map((x) => Math.round(x)).join(', ') || 'none'}`);
    expect(w.errors).toEqual([]);
  }, 300_000);
});
