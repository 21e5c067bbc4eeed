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
