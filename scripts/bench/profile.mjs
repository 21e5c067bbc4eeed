#!/usr/bin/env node
/**
 * Where the time goes (for docs/benchmarks.md's analysis, not part of `npm run bench`):
 * builds the app unminified (names kept) into node_modules/.cache, serves it like the
 * bench does, and records a CPU profile of the page's main thread while it
 * does one thing repeatedly; prints the functions with the most self and
 * total time.
 *
 *   node scripts/bench/profile.mjs --what edit|temp|norm|length|scroll [--n 20] [--at '#ch6'] [--model-dir DIR] [--skip-build]
 *
 * --at: edits are profiled with that element at the top of the viewport (as the bench's 'ch6' row); with
 * --what scroll, the prompt is changed at the top and the first scroll to that chapter is profiled (the bench's
 * scroll-to-chapter row)
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, loadConfigFromFile, runnerImport } from 'vite';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { editsInPage, scrollToChapterInPage, scrollToInPage, sliderInPage } from './app-page.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUTDIR = join(ROOT, 'node_modules/.cache/token-directions/bench-profile-dist');
const argv = process.argv.slice(2);
const opt = (n, d) => (argv.indexOf(n) >= 0 ? argv[argv.indexOf(n) + 1] : d);
const what = opt('--what', 'edit');
const n = Number(opt('--n', '20'));
const modelDir = opt('--model-dir', null);
const at = opt('--at', null);
/** --what → [the slider's test id, its figure] */
const SLIDERS = { temp: ['t-slider', '#fig-temperature'], norm: ['nt-alpha', '#fig-norm-temperature'], length: ['rank-len', '#fig-6a'] };

process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
process.env.NODE_ENV = 'production'; // React's production build, as shipped
if (!argv.includes('--skip-build') || !existsSync(join(OUTDIR, 'index.html')))
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: OUTDIR, emptyOutDir: true, minify: false },
  });
const cfg = await loadConfigFromFile(
  { command: 'serve', mode: 'production', isPreview: true },
  join(ROOT, 'vite.config.ts'),
  ROOT,
  'silent',
);
const { module: chromiumMod } = await runnerImport(join(ROOT, 'tests/browser/chromium.ts'));
const mounts = modelDir ? { '/models/tiny-tied/': resolve(modelDir) } : {};
const server = await startServer({ root: OUTDIR, csp: cfg.config.preview.headers['Content-Security-Policy'], mounts, compress: false });
const browser = await chromium.launch({ executablePath: chromiumMod.findChromium(), headless: true, args: chromiumMod.CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.waitForFunction(() => window.__td?.status === 'ready' && !!document.querySelector('[data-testid=next-token] li'), undefined, {
    timeout: 120_000,
  });
  if (what !== 'edit' && what !== 'scroll') {
    // a slider exists only once its figure has come near the screen; scroll there before profiling
    await page.evaluate((sel) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }), SLIDERS[what][1]);
    await page.waitForSelector(`[data-testid="${SLIDERS[what][0]}"]`, { timeout: 60_000 });
  }
  if (what === 'edit' && at) await page.evaluate(scrollToInPage, { selector: at });
  if (what === 'scroll') {
    // as in the bench: chapters 6 and 8 visited (their figures stay mounted), then a new prompt at the top, so
    // the chapter's figures are stale when it comes into view
    for (const sel of ['#ch6', '#ch8', null]) {
      await page.evaluate(scrollToInPage, { selector: sel });
      if (sel) await page.evaluate(editsInPage, { texts: [`The dog ran to the ${sel.slice(1)}`], timeoutMs: 30_000 });
    }
    await page.evaluate(editsInPage, { texts: ['The cat sat on the mat and looked at the'], timeoutMs: 30_000 });
  }
  if (what !== 'scroll') await page.waitForTimeout(1000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  if (what === 'scroll') {
    const r = await page.evaluate(scrollToChapterInPage, { selector: at ?? '#ch2', timeoutMs: 30_000 });
    console.log('scroll ms', r.ms);
  } else if (what === 'edit') {
    const base = 'Once upon a time, there was a little girl named Lily. She went to the park with her mother and';
    const ends = [' saw a', ' found a big', ' played with a red', ' met a friendly', ' ate an'];
    const r = await page.evaluate(editsInPage, {
      texts: Array.from({ length: n }, (_, i) => base + ends[i % ends.length]),
      timeoutMs: 30_000,
    });
    console.log('edit ms', r.map((x) => Math.round(x.ms)).join(' '));
  } else {
    const r = await page.evaluate(sliderInPage, { testid: SLIDERS[what][0], steps: n });
    console.log('frame ms', r.frames.map((x) => Math.round(x)).join(' '));
  }
  const wall = Date.now() - t0;
  const { profile } = await cdp.send('Profiler.stop');
  // self and total (inclusive) time per function
  const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
  const parent = new Map();
  for (const nd of profile.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i++)
    dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const key = (nd) => `${nd.callFrame.functionName || '(anon)'} ${nd.callFrame.url.replace(/^.*\//, '')}:${nd.callFrame.lineNumber + 1}`;
  const self = new Map();
  const total = new Map();
  for (const [id, ms] of dt) {
    const nd = byId.get(id);
    self.set(key(nd), (self.get(key(nd)) ?? 0) + ms);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + ms);
    }
  }
  const top = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
  console.log(`\n${what} × ${n}: ${wall} ms wall`);
  console.log('\nself time (ms):');
  for (const [k, v] of top(self, 25)) console.log(`  ${v.toFixed(0).padStart(7)}  ${k}`);
  console.log('\ntotal time (ms):');
  for (const [k, v] of top(total, 45)) console.log(`  ${v.toFixed(0).padStart(7)}  ${k}`);
} finally {
  await browser.close();
  await server.close();
}
