/**
 * What the page prepares in idle time once the model is ready (src/site/warm-up.ts): GPT-2's tokeniser is
 * fetched before the reader reaches chapter 1, and the bundled model's weight matrices are in the cache before
 * a figure that reads them first shows, so that figure sends no request to the worker.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { revealFigure } from './helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;
let page: Page;
const requests: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(120_000);
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  // every request the page posts to a worker, by type
  await page.addInitScript(() => {
    const sent: string[] = ((window as unknown as { __sent: string[] }).__sent = []);
    const W = window.Worker;
    window.Worker = class extends W {
      postMessage(m: unknown, ...rest: unknown[]) {
        sent.push(String((m as { type?: string } | null)?.type));
        return (super.postMessage as (...a: unknown[]) => void)(m, ...rest);
      }
    } as typeof Worker;
  });
  await page.goto(baseUrl);
  await page.waitForSelector('[data-testid="model-status"][data-status="ready"]', { timeout: 150_000 });
});

afterAll(async () => {
  await browser?.close();
});

test('once the model is ready and the page idle, GPT-2’s tokeniser and the weight matrices are fetched ahead of the reader', async () => {
  // at the top of the page, chapter 1's comparison figures are far away (not rendered)
  expect(await page.locator('#fig-token-chips').getAttribute('data-near')).toBe('0');
  await expect.poll(() => requests.some((u) => /r50k_base/.test(u)), { timeout: 30_000 }).toBe(true);
  const sentMatrix = () => page.evaluate(() => (window as unknown as { __sent: string[] }).__sent.filter((t) => t === 'matrix').length);
  await expect.poll(sentMatrix, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
  const before = await sentMatrix();
  // figure 2a reads W_E: shown for the first time, it draws from the cache
  await revealFigure(page, '#fig-embedding-row');
  await expect.poll(() => page.locator('#fig-embedding-row canvas').count()).toBeGreaterThan(0);
  await revealFigure(page, '#fig-6b');
  await page.waitForSelector('[data-testid="hypersphere"]');
  expect(await sentMatrix()).toBe(before);
  expect(errors).toEqual([]);
});

test('a jump to a chapter shows its maths typeset and the figure in view mounted in the same frame', async () => {
  await page.close(); // a fresh page, alone in the browser (chapter 2 not yet near)
  const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    p.setDefaultTimeout(120_000);
    await p.goto(baseUrl);
    await p.waitForSelector('[data-testid="model-status"][data-status="ready"]', { timeout: 150_000 });
    await p.waitForTimeout(3000); // the idle-time preparation (tex-cache) has had its turn
    expect(await p.locator('#ch2 .katex').count()).toBe(0); // chapter 2 has not come near yet
    const frames = await p.evaluate(async () => {
      const ch = document.querySelector('#ch2') as HTMLElement;
      const fig = document.querySelector('#fig-embedding-row') as HTMLElement;
      const bar = document.querySelector('.prompt-bar')?.getBoundingClientRect().height ?? 0;
      window.scrollTo(0, window.scrollY + ch.getBoundingClientRect().top - bar);
      const seen: { katex: boolean; mounted: boolean; top: number }[] = [];
      for (let i = 0; i < 60; i++) {
        await new Promise((r) => requestAnimationFrame(r));
        seen.push({
          katex: !!ch.querySelector('.katex'),
          mounted: !fig.querySelector('.figure-placeholder'),
          top: fig.getBoundingClientRect().top,
        });
        if (seen[seen.length - 1].katex && seen[seen.length - 1].mounted) break;
      }
      return seen;
    });
    const first = frames.findIndex((f) => f.katex);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(frames[first].top).toBeLessThan(900); // the figure is in view at the jump's end
    expect(frames[first].mounted).toBe(true);
  } finally {
    await p.close();
  }
});
