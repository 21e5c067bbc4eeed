#!/usr/bin/env node
/**
 * Regenerates the site's images from the real page (never drawn by hand):
 *   public/social-card.png   1200×630 screenshot of the top of the essay, model loaded
 *   docs/screenshot.png      the README's screenshot (1280×860)
 *   public/icon-192.png, public/icon-512.png, public/apple-touch-icon.png   from public/favicon.svg
 *
 * Usage: node scripts/site-images.mjs [--skip-build]
 * Builds the app (vite build), serves dist/ with `vite preview`, and drives
 * Debian's Chromium through playwright-core (tests/browser/chromium.ts finds it).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => {
  try {
    readFileSync(p, { flag: 'r' });
    return true;
  } catch {
    return false;
  }
});
const ARGS = ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1', '--no-sandbox', '--disable-dev-shm-usage'];

process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
if (!process.argv.includes('--skip-build')) {
  process.env.NODE_ENV = 'production';
  await build({ root: ROOT, logLevel: 'warn', mode: 'production' });
}
const server = await preview({ root: ROOT, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const port = server.httpServer.address().port;
const url = `http://127.0.0.1:${port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? CHROMIUM, headless: true, args: ARGS });
try {
  // Icons: the favicon rendered at each size.
  const svg = readFileSync(join(ROOT, 'public/favicon.svg'), 'utf8');
  for (const [name, size] of [
    ['icon-192.png', 192],
    ['icon-512.png', 512],
    ['apple-touch-icon.png', 180],
  ]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    await page.screenshot({ path: join(ROOT, 'public', name), omitBackground: true });
    await page.close();
    console.log(`public/${name}`);
  }
  // Screenshots of the live page, after the model has run the default prompt.
  const shots = [
    { path: 'public/social-card.png', width: 1200, height: 630, scheme: 'light' },
    { path: 'docs/screenshot.png', width: 1280, height: 860, scheme: 'light' },
  ];
  for (const s of shots) {
    const ctx = await browser.newContext({
      viewport: { width: s.width, height: s.height },
      colorScheme: s.scheme,
      serviceWorkers: 'block',
    });
    const page = await ctx.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-testid="model-status"][data-status="ready"]', { timeout: 180_000 });
    await page.waitForSelector('[data-testid="next-token"] li', { timeout: 120_000 });
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ROOT, s.path) });
    await ctx.close();
    console.log(s.path);
  }
} finally {
  await browser.close();
  await new Promise((r) => server.httpServer.close(r));
}
