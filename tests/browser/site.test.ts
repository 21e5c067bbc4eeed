/**
 * Issue 19: readers take the figures with them.
 *   - each export (PNG, SVG, CSV, JSON) gives a non-empty file of the right type
 *     whose data matches what the figure shows;
 *   - a copied link opens, in a fresh context, the same state scrolled to the figure;
 *   - embed mode (?embed=…) renders exactly one figure with a credit line, and
 *     only embed URLs may be framed by another origin;
 *   - after one visit the page loads and the model runs with the network off;
 *   - axe: no serious/critical violation in the Share menu or the embed page;
 *   - no request leaves the origin.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Download, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { reveal } from './helpers';
import { swActivated } from './site-helpers';
import { foreignRequests, openPage, readNextToken, waitSettled, type Watched } from '../unit/reliability/page-fixture';

const baseUrl = inject('baseUrl');
let browser: Browser;
const sessions: Watched[] = [];

beforeAll(async () => {
  mkdirSync('test-results', { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const s of sessions) await s.ctx.close().catch(() => undefined);
  await browser?.close();
  const foreign = sessions.flatMap((s) => foreignRequests(s.requests, baseUrl));
  expect(foreign).toEqual([]);
});

async function open(query = '', extra: Parameters<typeof openPage>[2] = {}): Promise<Watched> {
  const w = await openPage(browser, baseUrl, {
    query,
    ...extra,
    context: {
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
      permissions: ['clipboard-read', 'clipboard-write'],
      ...extra.context,
    },
  });
  sessions.push(w);
  w.page.setDefaultTimeout(120_000);
  return w;
}

/** Opens a figure's Share menu. */
async function openTools(page: Page, fig: string) {
  const tools = page.getByTestId(`tools-${fig}`);
  await tools.scrollIntoViewIfNeeded();
  if (!(await tools.evaluate((d) => (d as HTMLDetailsElement).open))) await tools.locator('summary').click();
  return tools;
}

/** Clicks an export button and returns the downloaded file. */
async function download(page: Page, fig: string, testid: string): Promise<{ name: string; bytes: Buffer }> {
  const tools = await openTools(page, fig);
  const [d] = (await Promise.all([page.waitForEvent('download'), tools.getByTestId(testid).click()])) as [Download, unknown];
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: readFileSync(path!) };
}

/** CSV → header lines ('#'), column headings, rows (a small parser: quoted fields with "" escapes). */
function parseCsv(text: string) {
  const lines = text.split(/\r\n/).filter((l) => l.length);
  const header = lines.filter((l) => l.startsWith('#'));
  const body = lines.filter((l) => !l.startsWith('#'));
  const split = (l: string) => {
    const out: string[] = [];
    let cur = '';
    let q = false;
    for (let i = 0; i < l.length; i++) {
      const c = l[i];
      if (q) {
        if (c === '"' && l[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') q = false;
        else cur += c;
      } else if (c === '"') q = true;
      else if (c === ',') {
        out.push(cur);
        cur = '';
      } else cur += c;
    }
    out.push(cur);
    return out;
  };
  const [cols, ...rows] = body.map(split);
  return { header, cols, rows };
}

/** Decodes a PNG in the page: its size and how many pixels differ from the first (background) pixel. */
async function pngStats(page: Page, bytes: Buffer) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 60) ink++;
    return { width: c.width, height: c.height, ink };
  }, bytes.toString('base64'));
}

describe('export', () => {
  let w: Watched;
  beforeAll(async () => {
    w = await open();
    await waitSettled(w.page, 120_000);
    await w.page.waitForSelector('[data-testid="next-token"] li');
  });
  // (each test closes its pages: on this shared machine, several live essays at once starve the next one)
  afterAll(async () => {
    await w?.ctx.close();
  });

  it('next-token figure: CSV and JSON list the tokens and probabilities on screen; PNG is 2x and not blank', async () => {
    const { page } = w;
    const shown = await readNextToken(page);
    const shownPct = await page.$$eval('[data-testid="next-token"] li .num', (e) => e.map((x) => x.textContent));
    expect(shown.length).toBe(8);
    const csv = await download(page, 'fig-next', 'export-csv');
    expect(csv.name).toBe('token-directions_fig-next_tiny-tied_when-mary-and-john-went-to-the.csv');
    const t = parseCsv(csv.bytes.toString('utf8'));
    expect(t.cols).toEqual(['rank', 'token text', 'token_id', 'probability [fraction of 1]']);
    expect(t.header.join('\n')).toContain('# model: tiny-tied');
    expect(t.header.join('\n')).toContain('# prompt: "When Mary and John went to the store, John gave a drink to"');
    expect(t.header.join('\n')).toContain('# parameter temperature: 1');
    expect(t.rows.map((r) => Number(r[2]))).toEqual(shown.map((s) => s.id));
    expect(t.rows.map((r) => Number(r[3]))).toEqual(shown.map((s) => s.p));
    // the same numbers the reader sees, to the precision shown
    expect(t.rows.map((r) => `${(Number(r[3]) * 100).toFixed(1)}%`)).toEqual(shownPct);
    const tokText = await page.evaluate(
      (ids) => ids.map((i) => (window as unknown as { __td: { tokenizer: { tokenText(i: number): string } } }).__td.tokenizer.tokenText(i)),
      shown.map((s) => s.id),
    );
    expect(t.rows.map((r) => r[1])).toEqual(tokText);

    const json = await download(page, 'fig-next', 'export-json');
    expect(json.name).toMatch(/\.json$/);
    const j = JSON.parse(json.bytes.toString('utf8'));
    expect(j.model).toBe('tiny-tied');
    expect(j.rows.map((r: { token_id: number; probability: number }) => [r.token_id, r.probability])).toEqual(
      shown.map((s) => [s.id, s.p]),
    );

    const png = await download(page, 'fig-next', 'export-png');
    expect(png.name).toMatch(/\.png$/);
    expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    writeFileSync('test-results/site-export-fig-next.png', png.bytes);
    const body = await page.locator('#fig-next .figure-body').boundingBox();
    const s = await pngStats(page, png.bytes);
    expect(Math.abs(s.width - 2 * (body!.width + 32))).toBeLessThanOrEqual(4); // 2x, with a 16 px margin
    expect(s.ink).toBeGreaterThan(2000); // bars and text drawn, not an empty frame
    await expect.poll(() => page.getByTestId('export-status').first().textContent()).toContain('Saved');
    // the next-token figure is HTML: no SVG button
    expect(await page.locator('#fig-next [data-testid="export-svg"]').count()).toBe(0);
    await page
      .screenshot({ path: 'test-results/site-share-menu.png', clip: { x: 0, y: Math.max(0, body!.y - 300), width: 1280, height: 700 } })
      .catch(() => undefined);
  });

  it('temperature figure: SVG is a self-contained vector chart, CSV matches the bars', async () => {
    const { page } = w;
    await reveal(page.locator('[data-testid="t-bars"] li[data-token-id]').first()); // figures render only near the screen
    const bars = await page.$$eval('[data-testid="t-bars"] li[data-token-id]', (lis) =>
      lis.map((li) => [Number(li.getAttribute('data-token-id')), Number(li.getAttribute('data-p'))]),
    );
    const csv = parseCsv((await download(page, 'fig-temperature', 'export-csv')).bytes.toString('utf8'));
    expect(csv.rows.map((r) => [Number(r[2]), Number(r[3])])).toEqual(bars);
    const svg = await download(page, 'fig-temperature', 'export-svg');
    expect(svg.name).toMatch(/^token-directions_fig-temperature_.*\.svg$/);
    const text = svg.bytes.toString('utf8');
    const parsed = await page.evaluate((src) => {
      const doc = new DOMParser().parseFromString(src, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        ok: root.localName === 'svg' && !doc.querySelector('parsererror'),
        paths: doc.querySelectorAll('path').length,
        label: [...doc.querySelectorAll('text')].some((t) => t.textContent?.includes('temperature T')),
        classes: doc.querySelectorAll('[class]').length,
        styled: doc.querySelectorAll('[style*="stroke"]').length,
      };
    }, text);
    expect(parsed.ok).toBe(true);
    expect(parsed.paths).toBeGreaterThan(2);
    expect(parsed.label).toBe(true);
    expect(parsed.classes).toBe(0); // styles inlined: it looks the same outside the page
    expect(parsed.styled).toBeGreaterThan(5);
    const json = JSON.parse((await download(page, 'fig-temperature', 'export-json')).bytes.toString('utf8'));
    expect(json.data.best_token_probability_vs_temperature.length).toBeGreaterThan(50);
  });

  it('norm histogram, residual norms, hypersphere: CSV rows match the figure', async () => {
    const { page } = w;
    const V = await page.evaluate(
      () => (window as unknown as { __td: { info: { config: { vocabSize: number; nLayer: number } } } }).__td.info.config,
    );
    const hist = parseCsv((await download(page, 'fig-norm-histogram', 'export-csv')).bytes.toString('utf8'));
    expect(hist.cols).toEqual(['bin_from [L2 norm]', 'bin_to [L2 norm]', 'rows [count of tokens]']);
    expect(hist.rows.length).toBe(60);
    expect(hist.rows.reduce((s, r) => s + Number(r[2]), 0)).toBe(V.vocabSize);
    const stats = page.getByTestId('nh-stats');
    expect(Number(hist.rows[0][0])).toBeCloseTo(Number(await stats.getAttribute('data-min')), 5);
    expect(Number(hist.rows[59][1])).toBeCloseTo(Number(await stats.getAttribute('data-max')), 5);

    const rn = parseCsv((await download(page, 'fig-residual-norms', 'export-csv')).bytes.toString('utf8'));
    const T = await page.evaluate(() => (window as unknown as { __td: { forward: { T: number; L: number } } }).__td.forward);
    expect(rn.rows.length).toBe((T.L + 1) * T.T);
    expect(rn.rows.every((r) => Number(r[3]) > 0)).toBe(true);

    const hs = parseCsv((await download(page, 'fig-6b', 'export-csv')).bytes.toString('utf8'));
    expect(hs.rows.length).toBe(T.L + 1);
    expect(hs.header.join('\n')).toContain('# parameter token_a:  Mary');
    const png = await download(page, 'fig-6b', 'export-png');
    writeFileSync('test-results/site-export-fig-6b.png', png.bytes);
    expect((await pngStats(page, png.bytes)).ink).toBeGreaterThan(2000);
    const svg = await download(page, 'fig-6b', 'export-svg');
    writeFileSync('test-results/site-export-fig-6b.svg', svg.bytes);
    expect(svg.bytes.length).toBeGreaterThan(2000);
    expect(w.errors).toEqual([]);
  });

  it('the Share menu has no serious or critical axe violation', async () => {
    const { page } = w;
    await openTools(page, 'fig-next');
    await page.locator('#fig-next [data-testid="copy-link"]').click();
    const r = await new AxeBuilder({ page })
      .include('#fig-next')
      .include('#fig-temperature')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    const bad = r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad).toEqual([]);
  });
});

describe('links', () => {
  it('a copied link restores the state in a fresh context and scrolls to the figure', async () => {
    const w = await open();
    const { page } = w;
    await waitSettled(page, 120_000);
    const slider = page.getByTestId('t-slider');
    await reveal(slider); // figures render only near the screen
    await slider.focus();
    for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
    const temp = Number(await page.getByTestId('temperature').getAttribute('data-temp'));
    expect(temp).toBeGreaterThan(1);
    await page.getByTestId('prompt').fill('The cat sat on the');
    await waitSettled(page, 60_000);
    await page.waitForTimeout(300);
    const bars = await page.$$eval('[data-testid="t-bars"] li[data-token-id]', (lis) =>
      lis.map((li) => [li.getAttribute('data-token-id'), li.getAttribute('data-p')]),
    );
    const tools = await openTools(page, 'fig-temperature');
    await tools.getByTestId('copy-link').click();
    await expect.poll(() => tools.getByTestId('export-status').textContent()).toContain('Link copied');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(await tools.getByTestId('figure-link').inputValue());
    expect(link).toMatch(/#fig-temperature$/);
    expect(link).toContain(`temp=${temp}`);
    expect(decodeURIComponent(link.replace(/\+/g, ' '))).toContain('prompt=The cat sat on the');

    // a fresh context: no shared storage, no service worker
    const w2 = await open(link.slice(new URL(link).origin.length + 1));
    const p2 = w2.page;
    await waitSettled(p2, 120_000);
    await p2.waitForSelector('[data-testid="t-bars"] li[data-token-id]');
    expect(Number(await p2.getByTestId('temperature').getAttribute('data-temp'))).toBe(temp);
    expect(await p2.getByTestId('prompt').inputValue()).toBe('The cat sat on the');
    const bars2 = await p2.$$eval('[data-testid="t-bars"] li[data-token-id]', (lis) =>
      lis.map((li) => [li.getAttribute('data-token-id'), li.getAttribute('data-p')]),
    );
    expect(bars2).toEqual(bars);
    // scrolled to the figure, below the sticky prompt bar, and kept there while the figures above drew
    await p2.waitForTimeout(1500);
    const pos = await p2.evaluate(() => {
      const fig = document.getElementById('fig-temperature')!.getBoundingClientRect();
      const bar = document.querySelector('.prompt-bar')!.getBoundingClientRect();
      // what is painted at the figure's centre is the figure (not a chapter below it that the page
      // scrolled to because the figure's own chapter stood at an estimated height)
      const hit = document.elementFromPoint(fig.left + fig.width / 2, fig.top + Math.min(fig.height / 2, 100));
      return { top: fig.top, barBottom: bar.bottom, scrollY: window.scrollY, hitsFigure: !!hit?.closest('#fig-temperature') };
    });
    expect(pos.hitsFigure).toBe(true);
    expect(pos.scrollY).toBeGreaterThan(500);
    expect(pos.top).toBeGreaterThanOrEqual(pos.barBottom - 2);
    expect(pos.top).toBeLessThan(pos.barBottom + 60);
    await p2.screenshot({ path: 'test-results/site-link-opened.png' }).catch(() => undefined);
    expect([...w.errors, ...w2.errors]).toEqual([]);
    await w.ctx.close();
    await w2.ctx.close();
  });
});

describe('links into long chapters', () => {
  it('a link to a figure deep inside a chapter that was never on screen lands on that figure', async () => {
    // fig-6e sits several thousand pixels into chapter 6, past the height the page assumes for a chapter it has not laid out
    const w = await open('?backend=wasm#fig-6e');
    const { page } = w;
    await waitSettled(page, 120_000);
    await page.waitForFunction(() => document.querySelector('#fig-6e')?.getAttribute('data-near') === '1');
    await page.waitForTimeout(1500);
    const pos = await page.evaluate(() => {
      const fig = document.getElementById('fig-6e')!.getBoundingClientRect();
      const bar = document.querySelector('.prompt-bar')!.getBoundingClientRect();
      const hit = document.elementFromPoint(fig.left + fig.width / 2, Math.min(fig.top + 40, window.innerHeight - 1));
      return { top: fig.top, barBottom: bar.bottom, hitsFigure: !!hit?.closest('#fig-6e') };
    });
    expect(pos.hitsFigure).toBe(true);
    expect(pos.top).toBeGreaterThanOrEqual(pos.barBottom - 2);
    expect(pos.top).toBeLessThan(pos.barBottom + 60);
    expect(w.errors).toEqual([]);
    await w.ctx.close();
  });
});

describe('a jump far down the page', () => {
  it('keeps the text at the top of the viewport in place while the chapters above it lay out and their figures mount', async () => {
    const w = await open('?backend=wasm');
    const { page } = w;
    await waitSettled(page, 120_000);
    // from the top straight to chapter 6, as a dragged scroll bar or the End key would: chapters 2-5 have never been laid
    // out (they stand at an estimated height) and their figures are placeholders until they come near the screen
    const drift = await page.evaluate(async () => {
      const h = document.querySelector('#ch6')!;
      // the sticky bar's height: at the top of the page the bar sits below the masthead, once scrolled it is stuck at 0
      const barH = document.querySelector('.prompt-bar')!.getBoundingClientRect().height;
      const bar = () => barH;
      window.scrollTo(0, window.scrollY + h.getBoundingClientRect().top - bar());
      // Read where chapter 6 is in every rendering update that changed a size, after the page's own resize observer
      // (observers run in the order they were made, all before paint): what the reader saw in each such frame. (A
      // read from a task between frames would force a layout nobody sees, before the page has had its turn.)
      const tops: number[] = [];
      const ro = new ResizeObserver(() => tops.push(h.getBoundingClientRect().top - bar()));
      for (const el of document.querySelectorAll('main > *')) ro.observe(el);
      await new Promise((r) => setTimeout(r, 2500));
      ro.disconnect();
      const heights = [...document.querySelectorAll('.chapter')].map((c) => Math.round(c.getBoundingClientRect().height));
      return { worst: Math.max(...tops.map(Math.abs)), frames: tops.length, heights };
    });
    // the chapters above did change height (the jump was a real test of the anchoring) ...
    expect(drift.heights.slice(2, 6).some((x) => x !== 2400)).toBe(true);
    // ... and no painted frame showed chapter 6's heading away from where the reader jumped to
    expect(drift.frames).toBeGreaterThan(1);
    expect(drift.worst).toBeLessThanOrEqual(2);
    expect(w.errors).toEqual([]);
    await w.ctx.close();
  });
});

describe('embed mode', () => {
  it('?embed=fig-6b renders exactly that figure, sized to its frame, with a credit linking back', async () => {
    const w = await open('?embed=fig-6b&hs_a=%20Mary', { context: { viewport: { width: 700, height: 800 } }, waitReady: false });
    const { page } = w;
    await page.waitForSelector('#fig-6b svg', { timeout: 120_000 });
    expect(await page.locator('figure').count()).toBe(1);
    expect(await page.locator('figure:visible').count()).toBe(1);
    expect(await page.locator('figure').getAttribute('id')).toBe('fig-6b');
    expect(await page.locator('.masthead').isVisible()).toBe(false);
    expect(await page.locator('.prompt-bar').isVisible()).toBe(false);
    expect(await page.locator('section.chapter h2:visible, main p:not(.embed-credit):visible').count()).toBeLessThanOrEqual(
      await page.locator('#fig-6b p:visible').count(),
    );
    const fig = (await page.locator('#fig-6b').boundingBox())!;
    expect(fig.x).toBeLessThanOrEqual(1);
    expect(fig.width).toBeGreaterThan(690);
    const credit = page.getByTestId('embed-credit');
    expect(await credit.isVisible()).toBe(true);
    const href = (await credit.locator('a').getAttribute('href'))!;
    expect(href).toMatch(/#fig-6b$/);
    expect(href).not.toContain('embed=');
    expect(await page.locator('[data-testid^="tools-"]').count()).toBe(0);
    // embeds never register the service worker
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    await page.screenshot({ path: 'test-results/site-embed.png', fullPage: true }).catch(() => undefined);
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.ctx.close();
  });

  it('another origin may frame an embed URL but not the whole essay', async () => {
    // A host page on another port of 127.0.0.1 (another origin, same loopback address space).
    const body = `<!doctype html><title>host</title><iframe id="e" src="${baseUrl}?embed=fig-next" width="800" height="400" title="embed"></iframe><iframe id="w" src="${baseUrl}" width="800" height="400" title="whole"></iframe>`;
    const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const ctx = await browser.newContext({ viewport: { width: 900, height: 900 } });
    try {
      const page = await ctx.newPage();
      await page.goto(host);
      const embed = page.frameLocator('#e');
      await embed.locator('[data-testid="next-token"] li').first().waitFor({ timeout: 120_000 });
      expect(await embed.locator('figure').count()).toBe(1);
      await page.waitForTimeout(1000);
      expect(await embed.getByTestId('embed-credit').isVisible()).toBe(true);
      expect(page.frames().find((f) => f.url().includes('embed=fig-next'))).toBeTruthy(); // the URL keeps its embed marker
      const whole = await (await page.locator('#w').elementHandle())!.contentFrame();
      const rendered = whole
        ? await whole
            .locator('#root *')
            .count()
            .catch(() => 0)
        : 0;
      expect(rendered).toBe(0); // blocked by frame-ancestors 'none'
      await page.screenshot({ path: 'test-results/site-framed.png' }).catch(() => undefined);
    } finally {
      await ctx.close();
      server.close();
    }
  });
});

describe('offline', () => {
  it('after one visit the page loads and the model runs with the network off', async () => {
    const w = await open();
    const { page, ctx } = w;
    await waitSettled(page, 120_000);
    // the service worker has installed (precached the shell, wasm, fonts and bundled models) and is active
    await swActivated(page);
    const cached = await page.evaluate(async () => {
      const out: string[] = [];
      for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
      return out;
    });
    expect(cached.some((p) => p.endsWith('/models/tiny-tied/model.safetensors'))).toBe(true);
    expect(cached.some((p) => p.endsWith('.wasm'))).toBe(true);
    expect(cached.some((p) => p.endsWith('.woff2'))).toBe(true);
    await ctx.setOffline(true);
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.reload();
    await waitSettled(page, 120_000);
    await page.waitForSelector('[data-testid="next-token"] li');
    const before = await readNextToken(page);
    await page.getByTestId('prompt').fill('Once upon a time there was a');
    await waitSettled(page, 60_000);
    await expect.poll(async () => JSON.stringify(await readNextToken(page)), { timeout: 60_000 }).not.toBe(JSON.stringify(before));
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(failed).toEqual([]);
    await page.screenshot({ path: 'test-results/site-offline.png' }).catch(() => undefined);
    expect(w.errors).toEqual([]);
    await ctx.close();
  });
});

describe('updates', () => {
  it('a new build shows a quiet "new version — reload" notice, and Reload switches to it', async () => {
    const w = await open();
    const { page } = w;
    await waitSettled(page, 120_000);
    await swActivated(page);
    // a return visit: the page is now served by the service worker
    await page.reload();
    await waitSettled(page, 120_000);
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    expect(await page.getByTestId('update-notice').count()).toBe(0);
    // "Deploy" a new build: the served service worker script changes (vite preview reads dist/ on each request).
    const original = readFileSync('dist/sw.js', 'utf8');
    writeFileSync('dist/sw.js', `${original}\n// next build\n`);
    const notice = page.getByTestId('update-notice');
    try {
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      await notice.waitFor({ timeout: 120_000 });
      await checkNoticeAndReload(page, notice);
    } finally {
      writeFileSync('dist/sw.js', original);
    }
    expect(w.errors).toEqual([]);
    await w.ctx.close();
  });
});

async function checkNoticeAndReload(page: Page, notice: ReturnType<Page['getByTestId']>) {
  expect(await notice.textContent()).toContain('A new version of this page is ready');
  await page.screenshot({ path: 'test-results/site-update-notice.png' }).catch(() => undefined);
  // the page is not reloaded behind the reader's back
  const marker = await page.evaluate(() => ((window as unknown as { __mark: number }).__mark = 42));
  await page.waitForTimeout(1000);
  expect(await page.evaluate(() => (window as unknown as { __mark?: number }).__mark)).toBe(marker);
  await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), notice.getByRole('button', { name: 'Reload' }).click()]);
  expect(await page.evaluate(() => (window as unknown as { __mark?: number }).__mark)).toBeUndefined();
  await waitSettled(page, 120_000);
  await page.waitForTimeout(1500);
  expect(await page.getByTestId('update-notice').count()).toBe(0);
}
