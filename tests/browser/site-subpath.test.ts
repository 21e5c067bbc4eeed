/**
 * Issue 19: the static build works under any base path. Builds the app with
 * `--base=/token-directions/` into dist-sub/, serves it from that path (as
 * GitHub Pages serves a project site), and checks the model loads with no
 * 404, the service worker takes that scope, and the page then works offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { build, preview, type PreviewServer } from 'vite';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import { foreignRequests, waitSettled } from '../unit/reliability/page-fixture';
import { swActivated } from './site-helpers';

const ROOT = resolve(__dirname, '../..');
const OUT = resolve(ROOT, 'dist-sub');
const BASE = '/token-directions/';
let server: PreviewServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  const prev = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: ROOT, base: BASE, logLevel: 'warn', mode: 'production', build: { outDir: OUT, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = prev;
  }
  server = await preview({
    root: ROOT,
    base: BASE,
    build: { outDir: OUT },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'warn',
  });
  const addr = server.httpServer.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 4173}${BASE}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.httpServer.close(() => r()) : r()));
});

describe('a build under a sub-path', () => {
  it('every asset and model file is requested under the base path', () => {
    const html = readFileSync(resolve(OUT, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(3);
    expect(refs.filter((r) => !r.startsWith(BASE))).toEqual([]);
    const sw = readFileSync(resolve(OUT, 'sw.js'), 'utf8');
    expect(sw).toContain('models/tiny-tied/model.safetensors');
  });

  it(`served from ${BASE}: the model loads with no 404, then runs offline`, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const bad: string[] = [];
    const errors: string[] = [];
    ctx.on('request', (r) => requests.push(r.url()));
    ctx.on('response', (r) => r.status() >= 400 && bad.push(`${r.status()} ${r.url()}`));
    ctx.on('requestfailed', (r) => bad.push(`failed ${r.url()} ${r.failure()?.errorText}`));
    try {
      const page = await ctx.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(url, { timeout: 120_000 });
      await waitSettled(page, 150_000);
      await page.waitForSelector('[data-testid="next-token"] li', { timeout: 60_000 });
      await swActivated(page);
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope);
      expect(scope).toBe(url);
      expect(requests.some((r) => r.endsWith(`${BASE}models/tiny-tied/model.safetensors`))).toBe(true);
      await ctx.setOffline(true);
      await page.reload();
      await waitSettled(page, 120_000);
      await page.waitForSelector('[data-testid="next-token"] li', { timeout: 60_000 });
      expect(bad).toEqual([]);
      expect(errors).toEqual([]);
      expect(foreignRequests(requests, url)).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
