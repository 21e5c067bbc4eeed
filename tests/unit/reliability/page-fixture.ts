/**
 * Shared by the reliability browser tests (tests/browser/reliability-*.test.ts):
 * a small fixture model pair and a page opener that records everything that
 * could go wrong (page errors, dialogs, requests to other origins).
 *
 * Fixture models: random GPT-2-architecture checkpoints (d 32, 2 layers,
 * context 64) with a byte-level tokenizer (257 tokens) plus two hostile *added* tokens whose
 * text is markup (`<img src=x onerror=…>`, `<script>…</script>`). They are
 * served in place of /models/tiny-tied/ and /models/tiny-untied/ by
 * Playwright routes when the bundled models are not in dist/ (or always, with
 * `fixture: 'always'`, for the markup-token test). The small context makes
 * the "prompt longer than the context" rule easy to reach.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page, Request, Worker } from 'playwright-core';
import { expect } from 'vitest';
import { PARAMS } from '../../../src/state/params';
import { bytesTokenizerJson, makeCheckpoint } from '../../../scripts/make-checkpoint.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Vocabulary entries that are markup: the page must show them as text. */
export const HOSTILE_TOKENS = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>'];
export const FIXTURE_CTX = 64;
/** ids of the hostile tokens start here (after 256 bytes and <|endoftext|>) */
export const FIXTURE_VOCAB0 = 257;

export interface Fixture {
  dir: string;
  /** files per bundled model key */
  files: Record<string, Record<string, Buffer>>;
  close(): void;
}

let cached: Promise<Fixture> | null = null;

/** Builds (once per test file) the two fixture checkpoints. */
export function fixtureModels(): Promise<Fixture> {
  cached ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-rel-'));
    // A byte-level tokenizer (256 bytes + <|endoftext|>) keeps the vocabulary small, so every figure is cheap on
    // this shared machine; the two markup strings are added tokens.
    const tok = JSON.parse(bytesTokenizerJson()) as { added_tokens: Record<string, unknown>[] };
    HOSTILE_TOKENS.forEach((content, i) =>
      tok.added_tokens.push({
        id: FIXTURE_VOCAB0 + i,
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: false,
      }),
    );
    const tokPath = join(dir, 'tokenizer.json');
    writeFileSync(tokPath, JSON.stringify(tok));
    const files: Fixture['files'] = {};
    for (const [key, untied, seed] of [
      ['tiny-tied', false, 3],
      ['tiny-untied', true, 4],
    ] as const) {
      const out = join(dir, key);
      mkdirSync(out);
      await makeCheckpoint({
        out,
        vocab: FIXTURE_VOCAB0 + HOSTILE_TOKENS.length,
        d: 32,
        layers: 2,
        heads: 2,
        ctx: FIXTURE_CTX,
        dtype: 'f16',
        seed,
        tokenizer: tokPath,
        untied,
      });
      const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      cfg.bos_token_id = cfg.eos_token_id = FIXTURE_VOCAB0 - 1; // <|endoftext|>
      writeFileSync(join(out, 'config.json'), JSON.stringify(cfg));
      files[key] = {};
      for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) files[key][f] = readFileSync(join(out, f));
    }
    return { dir, files, close: () => rmSync(dir, { recursive: true, force: true }) };
  })();
  return cached;
}

/** True when the build shipped real bundled models (dist/models/tiny-tied/…). */
export function bundledModelsBuilt(): boolean {
  return (
    existsSync(join(ROOT, 'dist/models/tiny-tied/model.safetensors')) && existsSync(join(ROOT, 'dist/models/tiny-untied/model.safetensors'))
  );
}

export interface Watched {
  ctx: BrowserContext;
  page: Page;
  /** uncaught exceptions in the page */
  errors: string[];
  /** alert/confirm/prompt dialogs (none may ever open) */
  dialogs: string[];
  /** every request the page (and its workers) made */
  requests: string[];
  /** console errors (informational) */
  console: string[];
  usesFixture: boolean;
}

export interface OpenOptions {
  query?: string;
  /** 'auto': fixture only when dist/ has no bundled models; 'always'; 'never' */
  fixture?: 'auto' | 'always' | 'never';
  context?: BrowserContextOptions;
  /** runs before any page script (e.g. to remove navigator.gpu) */
  initScript?: string;
  /** extra routes installed before navigation */
  routes?: (ctx: BrowserContext) => Promise<void>;
  /** wait for the model to be ready (default true) */
  waitReady?: boolean;
}

export async function openPage(browser: Browser, baseUrl: string, o: OpenOptions = {}): Promise<Watched> {
  const ctx = await browser.newContext(o.context);
  const w: Watched = { ctx, page: null as unknown as Page, errors: [], dialogs: [], requests: [], console: [], usesFixture: false };
  ctx.on('request', (r: Request) => w.requests.push(r.url()));
  const mode = o.fixture ?? 'auto';
  if (mode === 'always' || (mode === 'auto' && !bundledModelsBuilt())) {
    const fx = await fixtureModels();
    w.usesFixture = true;
    await ctx.route(/\/models\/(tiny-tied|tiny-untied)\/[a-zA-Z.]+$/, async (route) => {
      const m = /\/models\/([a-z-]+)\/([a-zA-Z.]+)$/.exec(new URL(route.request().url()).pathname)!;
      const body = fx.files[m[1]]?.[m[2]];
      if (!body) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({
        status: 200,
        body,
        headers: { 'Content-Type': m[2].endsWith('.json') ? 'application/json' : 'application/octet-stream' },
      });
    });
  }
  if (o.routes) await o.routes(ctx);
  if (o.initScript) await ctx.addInitScript(o.initScript);
  const page = await ctx.newPage();
  w.page = page;
  page.on('pageerror', (e) => w.errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && w.console.push(m.text()));
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  // generous: a loaded 2-core machine can take long to parse the bundle; what matters is the state reached, not speed
  await page.goto(new URL(o.query ?? '', baseUrl).href, { timeout: 120_000 });
  if (o.waitReady !== false) await waitReady(page);
  return w;
}

/** Waits until a model is loaded and the next-token figure shows a result. */
export async function waitReady(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForSelector('[data-testid="model-status"][data-status="ready"]', { timeout });
}

/**
 * Waits until the page is idle: no model loading (no progress bar), the model
 * indicator names the model the select asks for, and no forward pass in flight.
 */
export async function waitSettled(page: Page, timeout = 60_000): Promise<void> {
  await page
    .waitForFunction(
      () => {
        const count = document.querySelector('[data-testid="token-count"]')?.textContent ?? '';
        if (count.includes('running')) return false;
        if (document.querySelector('.prompt-bar progress')) return false;
        const sel = document.querySelector<HTMLSelectElement>('[data-testid="model-select"]');
        const label = sel?.selectedOptions[0]?.textContent ?? '';
        const status = document.querySelector('[data-testid="model-status"]');
        return status?.getAttribute('data-status') === 'ready' && (status.textContent ?? '').startsWith(label);
      },
      undefined,
      { timeout, polling: 50 },
    )
    .catch(async (e: unknown) => {
      // say which condition never held
      const seen = await page
        .evaluate(() => ({
          count: document.querySelector('[data-testid="token-count"]')?.textContent,
          progress: !!document.querySelector('.prompt-bar progress'),
          select: document.querySelector<HTMLSelectElement>('[data-testid="model-select"]')?.selectedOptions[0]?.textContent,
          status: document.querySelector('[data-testid="model-status"]')?.textContent,
          statusAttr: document.querySelector('[data-testid="model-status"]')?.getAttribute('data-status'),
          notices: [...document.querySelectorAll('[data-testid="notice"], [data-testid="error"]')].map((n) => n.textContent),
        }))
        .catch(() => null);
      throw new Error(`${String(e)}\npage state: ${JSON.stringify(seen)}`);
    });
}

export interface NextTokenRow {
  id: number;
  p: number;
}

/** The next-token figure's rows (ids and probabilities). */
export async function readNextToken(page: Page): Promise<NextTokenRow[]> {
  // figures follow the prompt only while near the screen: bring the top figure into view first
  await page.evaluate(() => document.getElementById('fig-next')?.scrollIntoView({ block: 'center' }));
  await page.waitForFunction(() => document.getElementById('fig-next')?.getAttribute('data-near') === '1', undefined, { polling: 'raf' });
  return page.$$eval('[data-testid="next-token"] li', (lis) =>
    lis.map((li) => ({ id: Number(li.getAttribute('data-token-id')), p: Number(li.getAttribute('data-p')) })),
  );
}

/** Top-k of a fresh forward pass of `prompt` through window.__td (same rule as the page: sanitise, BOS, last n_positions). */
export function freshTopK(page: Page, prompt: string, k: number, temperature: number): Promise<NextTokenRow[]> {
  return page.evaluate(
    async ({ prompt, k, temperature }) => {
      type Td = {
        client: import('../../../src/runtime/api').ModelApi;
        tokenizer: import('../../../src/tokenizer').Tokenizer;
        info: import('../../../src/runtime/types').ModelInfo;
      };
      const td = (window as unknown as { __td: Td }).__td;
      let ids = td.tokenizer.encode(prompt); // (prompts here are well-formed: sanitizePrompt would not change them)
      if (td.tokenizer.bosPrepend !== null && td.tokenizer.bosPrepend !== undefined) ids = [td.tokenizer.bosPrepend, ...ids];
      ids = ids.slice(Math.max(0, ids.length - td.info.config.nPositions));
      let r = null;
      for (let i = 0; i < 10 && r === null; i++) r = await td.client.forward(ids, { lensK: 5 });
      if (!r) throw new Error('fresh forward kept being superseded');
      const V = r.V;
      const last = r.logits.subarray((r.logitsRows - 1) * V, r.logitsRows * V);
      let m = -Infinity;
      for (let i = 0; i < V; i++) m = Math.max(m, last[i] / temperature);
      const p = new Float64Array(V);
      let z = 0;
      for (let i = 0; i < V; i++) z += p[i] = Math.exp(last[i] / temperature - m);
      const order = Array.from({ length: V }, (_, i) => i)
        .sort((a, b) => p[b] - p[a])
        .slice(0, k);
      return order.map((id) => ({ id, p: p[id] / z }));
    },
    { prompt, k, temperature },
  );
}

/** Origins other than the page's own among the recorded requests (data:/blob: are local). */
export function foreignRequests(requests: string[], baseUrl: string): string[] {
  const own = new URL(baseUrl).origin;
  return requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    try {
      return new URL(u).origin !== own;
    } catch {
      return true;
    }
  });
}

// ---- fault tests ------------------------------------------------------------

export async function modelWorker(page: Page): Promise<Worker> {
  for (let i = 0; i < 100; i++) {
    const w = page.workers().find((x) => x.url().includes('worker'));
    if (w) return w;
    await page.waitForTimeout(100);
  }
  throw new Error('model worker not found');
}

export function backendShown(page: Page): Promise<string> {
  return page.$eval('[data-testid="backend"] strong', (e) => e.textContent ?? '');
}

export function notices(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="notice"], [data-testid="error"]', (ps) => ps.map((p) => p.textContent ?? ''));
}

/** The figures show a result for the current prompt, and it equals a fresh forward pass. */
export async function expectFiguresRecovered(page: Page, timeout = 90_000) {
  await waitSettled(page, timeout);
  // the next-token figure is the first on the page; far off screen across a model switch it is not drawn
  await page.evaluate(() => document.querySelector('#fig-next')?.scrollIntoView({ block: 'center' }));
  await page.waitForSelector('[data-testid="next-token"] li', { timeout });
  const prompt = await page.inputValue('[data-testid="prompt"]');
  const shown = await readNextToken(page);
  const fresh = await freshTopK(page, prompt, shown.length, PARAMS.temp.default);
  expect(shown.map((r) => r.id)).toEqual(fresh.map((r) => r.id));
}
