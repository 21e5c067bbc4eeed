/**
 * The essay's chapters 0–5 driven as a reader would: type in the prompt box,
 * drag each slider by keyboard and by mouse, and check the figures' numbers
 * (read from data-* attributes) change as the maths says they must.
 *
 * Runs against the built page with the bundled model. P1_BASE_URL overrides
 * the address (e.g. a preview of a build with other model files).
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { dragRange, num, reveal, revealFigure } from './helpers';

const baseUrl = process.env.P1_BASE_URL ?? inject('baseUrl');

let browser: Browser;
let page: Page;
const errors: string[] = [];

/** Sets the prompt: most of it pasted, the last few characters typed key by key. */
async function setPrompt(text: string) {
  const box = page.getByTestId('prompt');
  const cut = Math.max(0, text.length - 4);
  await box.fill(text.slice(0, cut));
  await box.press('End');
  await page.keyboard.type(text.slice(cut), { delay: 20 });
}

/** Waits until the model has run the current prompt (no pass running, and a model-driven figure shows it). */
async function modelSettled() {
  await revealFigure(page, '#fig-logit-decomposition');
  // figures keep the previous prompt's result while a pass runs: wait for the prompt bar to say it is done
  await page.waitForFunction(() => !document.querySelector('[data-testid="token-count"]')?.textContent?.includes('running'), null, {
    timeout: 60_000,
  });
  await expect.poll(async () => page.getByTestId('logit-dec').count(), { timeout: 60_000 }).toBe(1);
}

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(120_000);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(baseUrl);
  await page.waitForSelector('[data-testid="model-status"][data-status="ready"]', { timeout: 150_000 });
  await reveal(page.getByTestId('logit-dec'));
});

afterAll(async () => {
  await browser?.close();
});

describe('chapter 0: three ways to say close', () => {
  test('stretching b by keyboard and by mouse changes distance and dot product, not cosine', async () => {
    const fig = page.getByTestId('closeness');
    const slider = page.getByTestId('cl-len-b');
    const cos0 = await num(fig, 'data-cos');
    const dot0 = await num(fig, 'data-dot');
    const eu0 = await num(fig, 'data-euclid');
    const nb0 = await num(fig, 'data-nb');
    await slider.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    const nb1 = await num(fig, 'data-nb');
    expect(nb1).toBeGreaterThan(nb0 + 0.3);
    expect(await num(fig, 'data-cos')).toBeCloseTo(cos0, 2);
    expect(await num(fig, 'data-dot')).toBeGreaterThan(dot0);
    expect(await num(fig, 'data-euclid')).not.toBeCloseTo(eu0, 3);
    // the dot product scales exactly with |b|
    expect((await num(fig, 'data-dot')) / dot0).toBeCloseTo(nb1 / nb0, 2);

    await dragRange(page, slider, 0.4, 0.9);
    const nb2 = await num(fig, 'data-nb');
    expect(nb2).toBeGreaterThan(nb1 + 0.5);
    expect(await num(fig, 'data-cos')).toBeCloseTo(cos0, 2);
    await page.keyboard.press('Home');
    expect(await num(fig, 'data-nb')).toBeLessThan(0.3);
    expect(await num(fig, 'data-cos')).toBeCloseTo(cos0, 1);
  });

  test('moving a tip by keyboard and by mouse changes the angle', async () => {
    const fig = page.getByTestId('closeness');
    const h = page.getByTestId('cl-handle-a');
    const cos0 = await num(fig, 'data-cos');
    await h.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowUp');
    expect(await num(fig, 'data-cos')).not.toBeCloseTo(cos0, 2);
    expect(await h.getAttribute('aria-valuetext')).toMatch(/^a = \(/);

    const hb = page.getByTestId('cl-handle-b');
    await hb.scrollIntoViewIfNeeded();
    const b = (await hb.boundingBox())!;
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    const na0 = await num(fig, 'data-na');
    const cos1 = await num(fig, 'data-cos');
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 30, cy + 40, { steps: 4 });
    await page.mouse.move(cx + 60, cy + 80, { steps: 4 });
    await page.mouse.up();
    expect(await num(fig, 'data-cos')).not.toBeCloseTo(cos1, 2);
    expect(await num(fig, 'data-na')).toBeCloseTo(na0, 6); // a untouched
  });
});

describe('chapter 1: tokeniser', () => {
  test('typing a prompt updates the chips, GPT-2 side by side, bytes on hover', async () => {
    await setPrompt('The cat went up the stairs.');
    const chips = page.getByTestId('token-chips');
    await reveal(chips); // a figure far from the screen catches up with the prompt only when it comes near
    await expect.poll(async () => Number(await chips.getAttribute('data-gpt2-count')), { timeout: 30_000 }).toBe(7);
    const ours = await num(chips, 'data-count');
    expect(ours).toBeGreaterThan(0);
    expect(await chips.locator('button.tc-chip').count()).toBe(ours);
    // GPT-2's ids for this sentence (measured with gpt-tokenizer)
    const ids = await page
      .getByTestId('gpt2-chips')
      .locator('li')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-token-id'))));
    expect(ids).toEqual([464, 3797, 1816, 510, 262, 16046, 13]);
    await chips.locator('button.tc-chip').nth(1).hover();
    await expect.poll(async () => page.getByTestId('token-bytes').textContent()).toMatch(/bytes?: [0-9a-f]{2}/);
    const text = await page.getByTestId('token-bytes').textContent();
    expect(text).toMatch(/\b20\b/); // " cat…" starts with the space byte 0x20
  });

  test('the case grid shows single tokens and splits; the reader’s own word', async () => {
    const grid = page.getByTestId('case-grid');
    await expect.poll(async () => grid.locator('tr[data-variant=" next"]').first().getAttribute('data-gpt2-count')).toBe('1');
    expect(await grid.locator('tr[data-variant="NEXT"]').first().getAttribute('data-gpt2-count')).toBe('2');
    const w = page.getByTestId('cg-word');
    await w.fill('');
    await w.type('Pickle');
    await expect.poll(async () => grid.locator('tr[data-variant=" Pickle"]').count()).toBe(1);
    expect(await grid.locator('tr[data-variant=" Pickle"]').getAttribute('data-gpt2-count')).toBe('2');
    expect(Number(await grid.locator('tr[data-variant=" pickle"]').getAttribute('data-ours-count'))).toBeGreaterThan(0);
  });
});

describe('chapter 2: embedding matrix', () => {
  test('picking a token lights up its row; the round trip peaks are |w|², 1 and the leverage', async () => {
    await setPrompt('When Mary and John went to the store, John gave a drink to');
    await modelSettled();
    const row = page.getByTestId('embedding-row');
    const input = page.getByTestId('er-tok');
    await reveal(input); // modelSettled scrolled to chapter 5; chapter 2's figures may never have rendered
    await input.fill(' John');
    await expect.poll(async () => num(row, 'data-norm'), { timeout: 30_000 }).toBeGreaterThan(0);
    const id1 = await num(row, 'data-token-id');
    await input.fill(' Mary');
    await expect.poll(async () => num(row, 'data-token-id')).not.toBe(id1);
    const nrm = await num(row, 'data-norm');

    const rt = page.getByTestId('round-trip');
    await page.getByTestId('rt-mode-transpose').check();
    await expect.poll(async () => num(rt, 'data-peak'), { timeout: 60_000 }).toBeCloseTo(nrm * nrm, 3);
    await page.getByTestId('rt-mode-normalized').check();
    await expect.poll(async () => num(rt, 'data-peak')).toBeCloseTo(1, 5);
    expect(await num(rt, 'data-rank')).toBeGreaterThanOrEqual(1);
    await page.getByTestId('rt-mode-pinv').check();
    await expect.poll(async () => (await rt.getAttribute('data-mode')) ?? '').toBe('pinv');
    await expect.poll(async () => num(rt, 'data-peak'), { timeout: 60_000 }).not.toBeNaN(); // WᵀW is computed on first use
    const lev = await num(rt, 'data-peak');
    expect(lev).toBeGreaterThan(0);
    expect(lev).toBeLessThanOrEqual(1 + 1e-4);
    expect(await rt.getByTestId('rt-top').locator('li').count()).toBe(8);
    // choosing a token from the prompt works too
    const sel = page.getByTestId('rt-from-prompt');
    await sel.selectOption({ index: 2 });
    const want = Number(await sel.locator('option').nth(2).getAttribute('value'));
    await expect.poll(async () => num(rt, 'data-token-id')).toBe(want);
  });

  test('the norm histogram: tail buttons and a mouse brush list tokens', async () => {
    const h = page.getByTestId('norm-histogram');
    await reveal(h);
    await page.getByTestId('nh-long').click();
    await expect.poll(async () => num(h, 'data-count'), { timeout: 30_000 }).toBeGreaterThan(0);
    const V = await page.evaluate(
      () => (window as unknown as { __td: { info: { config: { vocabSize: number } } } }).__td.info.config.vocabSize,
    );
    expect(await num(h, 'data-count')).toBeLessThan(V * 0.05);
    expect(await h.getByTestId('nh-list').locator('li').count()).toBeGreaterThan(0);
    const before = { lo: await num(h, 'data-lo') };
    // brush part of the chart with the mouse
    const svg = h.locator('svg').first();
    await svg.scrollIntoViewIfNeeded();
    const b = (await svg.boundingBox())!;
    await page.mouse.move(b.x + b.width * 0.1, b.y + b.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width * 0.3, b.y + b.height * 0.5, { steps: 5 });
    await page.mouse.move(b.x + b.width * 0.5, b.y + b.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => num(h, 'data-lo')).not.toBe(before.lo);
    const lo = await num(h, 'data-lo');
    const hi = await num(h, 'data-hi');
    expect(hi).toBeGreaterThan(lo);
    const n = await num(h, 'data-count');
    expect(n).toBeGreaterThan(0);
    expect(await h.getByTestId('nh-list').locator('li').count()).toBe(Math.min(n, 80));
    // the brushed range lies inside the histogram's span
    const st = h.getByTestId('nh-stats');
    expect(lo).toBeGreaterThanOrEqual((await num(st, 'data-min')) - 1e-3);
    expect(hi).toBeLessThanOrEqual((await num(st, 'data-max')) + 1e-3);
  });
  test('with the untied model the histogram can show W_U', async () => {
    const h = page.getByTestId('norm-histogram');
    await reveal(h);
    await page.getByTestId('model-select').selectOption('tiny-untied');
    await expect.poll(async () => page.getByTestId('nh-mat').count(), { timeout: 150_000 }).toBe(1);
    await expect.poll(async () => num(h.getByTestId('nh-stats'), 'data-median'), { timeout: 60_000 }).toBeGreaterThan(0);
    const medE = await num(h.getByTestId('nh-stats'), 'data-median');
    await page.getByTestId('nh-mat').selectOption('wu');
    await expect.poll(async () => num(h.getByTestId('nh-stats'), 'data-median'), { timeout: 60_000 }).not.toBe(medE);
    await page.getByTestId('nh-short').click();
    await expect.poll(async () => num(h, 'data-count')).toBeGreaterThan(0);
    await page.getByTestId('model-select').selectOption('tiny-tied');
    await expect.poll(async () => page.getByTestId('nh-mat').count(), { timeout: 150_000 }).toBe(0);
    await revealFigure(page, '#fig-logit-decomposition');
    await expect.poll(async () => page.getByTestId('logit-dec').count(), { timeout: 60_000 }).toBe(1);
  });
});

describe('chapter 3: positions', () => {
  test('norms and cosines of the positional vectors are shown', async () => {
    const p = page.getByTestId('positions');
    await expect.poll(async () => num(p, 'data-cos-adjacent'), { timeout: 30_000 }).not.toBeNaN();
    const c = await num(p, 'data-cos-adjacent');
    expect(c).toBeGreaterThanOrEqual(-1);
    expect(c).toBeLessThanOrEqual(1);
    expect(await p.getByTestId('pos-gaps').locator('tr[data-gap]').count()).toBeGreaterThan(3);
  });
});

describe('chapter 4: blocks', () => {
  test('scaling a residual vector (keyboard and mouse) leaves the LayerNorm output unchanged', async () => {
    const f = page.getByTestId('ln-scale');
    const s = page.getByTestId('ln-scale-input');
    await reveal(s); // figures render only near the screen
    await s.focus();
    await page.keyboard.press('Home'); // × 0.1
    expect(await num(f, 'data-scale')).toBeCloseTo(0.1, 6);
    const x0 = await num(f, 'data-xnorm');
    const ln0 = await num(f, 'data-lnnorm');
    await page.keyboard.press('End'); // × 100
    expect(await num(f, 'data-scale')).toBeCloseTo(100, 3);
    const x1 = await num(f, 'data-xnorm');
    expect(x1 / x0).toBeCloseTo(1000, 0);
    // unchanged up to LayerNorm's ε (visible only for very short vectors, e.g. in an untrained model)
    expect(Math.abs((await num(f, 'data-lnnorm')) / ln0 - 1)).toBeLessThan(0.01);
    expect(await num(f, 'data-diff')).toBeLessThan(0.02);
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
    expect(await num(f, 'data-xnorm')).toBeLessThan(x1);
    const D = await page.evaluate(() => (window as unknown as { __td: { info: { config: { nEmbd: number } } } }).__td.info.config.nEmbd);
    await dragRange(page, s, 0.6, 0.3);
    expect(await num(f, 'data-scale')).toBeLessThan(1);
    // √D up to LayerNorm's ε, which only matters for very short vectors
    expect(Math.abs((await num(f, 'data-lnnorm')) / Math.sqrt(D) - 1)).toBeLessThan(0.02);
    await dragRange(page, s, 0.5, 0.95);
    expect(await num(f, 'data-scale')).toBeGreaterThan(1);
    expect(Math.abs((await num(f, 'data-lnnorm')) / Math.sqrt(D) - 1)).toBeLessThan(0.01);
    // another layer
    await page.getByTestId('ln-layer').selectOption({ index: 0 });
    expect(await num(f, 'data-layer')).toBe(0);
  });

  test('residual norms: the position slider and hovering pick a line', async () => {
    const f = page.getByTestId('residual-norms');
    const last = await num(f, 'data-pos');
    const s = page.getByTestId('rn-pos');
    await reveal(s);
    await s.focus();
    await page.keyboard.press('Home');
    expect(await num(f, 'data-pos')).toBe(0);
    await page.keyboard.press('ArrowRight');
    expect(await num(f, 'data-pos')).toBe(1);
    await dragRange(page, s, 0.1, 1);
    expect(await num(f, 'data-pos')).toBe(last);
    expect(await num(f, 'data-last')).toBeGreaterThan(0);
  });

  test('typing a new prompt redraws the residual norms', async () => {
    const f = page.getByTestId('residual-norms');
    const tok0 = await num(f, 'data-token-id');
    await setPrompt('The cat went up the stairs');
    await expect.poll(async () => num(f, 'data-token-id'), { timeout: 60_000 }).not.toBe(tok0);
    await setPrompt('When Mary and John went to the store, John gave a drink to');
    await modelSettled();
  });
});

describe('chapter 5: unembedding and softmax', () => {
  test('each logit equals |u| |x| cos; the trained model expects “ Mary”', async () => {
    const rows = page.getByTestId('logit-dec').locator('tbody tr');
    await expect.poll(async () => rows.count(), { timeout: 60_000 }).toBe(8);
    // the default prompt ends “…John gave a drink to”: a trained model names the other person
    const mary = await page.evaluate(() =>
      (window as unknown as { __td: { tokenizer: { encode(s: string): number[] } } }).__td.tokenizer.encode(' Mary'),
    );
    expect(mary.length).toBe(1);
    expect(await num(page.getByTestId('logit-dec'), 'data-top-id')).toBe(mary[0]);
    for (let i = 0; i < 8; i++) {
      const r = rows.nth(i);
      const prod = await num(r, 'data-product');
      const logit = await num(r, 'data-logit');
      expect(Math.abs(prod - logit)).toBeLessThan(1e-3 * Math.max(1, Math.abs(logit)));
    }
  });

  test('best-token probability rises as T falls (keyboard and mouse), T = 0 gives 1', async () => {
    const f = page.getByTestId('temperature');
    const s = page.getByTestId('t-slider');
    await reveal(f);
    await f.getByRole('button', { name: 'T = 1' }).click();
    const p1 = await num(f, 'data-pmax');
    await s.focus();
    for (let i = 0; i < 60; i++) await page.keyboard.press('ArrowLeft');
    const t2 = await num(f, 'data-temp');
    expect(t2).toBeLessThan(1);
    const p2 = await num(f, 'data-pmax');
    expect(p2).toBeGreaterThan(p1);
    await page.keyboard.press('Home');
    expect(await num(f, 'data-temp')).toBe(0);
    expect(await num(f, 'data-pmax')).toBeCloseTo(1, 6);
    await dragRange(page, s, 0.5, 0.98);
    const t3 = await num(f, 'data-temp');
    expect(t3).toBeGreaterThan(10);
    const p3 = await num(f, 'data-pmax');
    expect(p3).toBeLessThan(p1);
    expect(p3).toBeGreaterThanOrEqual(1 / (await num(f, 'data-v')) - 1e-12);
  });

  test('scaling x by α equals temperature 1/α, linked to the temperature slider', async () => {
    const f = page.getByTestId('norm-temp');
    const t = page.getByTestId('temperature');
    const s = page.getByTestId('nt-alpha');
    await reveal(t);
    await reveal(f);
    /** α once the figure has caught up with the slider (log10 α), on a busy machine a few frames after the last key. */
    const settledAlpha = async () => {
      await expect
        .poll(async () => Math.log10(await num(f, 'data-alpha')) - Number(await s.inputValue()), { timeout: 20_000 })
        .toBeCloseTo(0, 3);
      return num(f, 'data-alpha');
    };
    await t.getByRole('button', { name: 'T = 1' }).click();
    await expect.poll(async () => num(f, 'data-alpha')).toBeCloseTo(1, 6);
    await s.focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    const a = await settledAlpha();
    expect(a).toBeGreaterThan(1.5);
    expect(await num(f, 'data-maxdiff')).toBeLessThan(1e-9);
    // the temperature figure follows through the shared store in a React transition: on a busy machine, seconds
    await expect.poll(async () => num(t, 'data-temp'), { timeout: 20_000 }).toBeCloseTo(1 / a, 2);
    await dragRange(page, s, 0.5, 0.1);
    const a2 = await settledAlpha();
    expect(a2).toBeLessThan(1);
    await expect.poll(async () => num(t, 'data-temp'), { timeout: 20_000 }).toBeCloseTo(1 / a2, 1);
    expect(await num(f, 'data-maxdiff')).toBeLessThan(1e-9);
    // unlinked: α moves alone
    await page.getByTestId('nt-link').uncheck();
    await page.waitForTimeout(200);
    const tBefore = await num(t, 'data-temp');
    await s.focus();
    await page.keyboard.press('End');
    await page.waitForTimeout(300);
    expect(await num(t, 'data-temp')).toBe(tBefore);
    expect(await num(f, 'data-alpha')).toBeGreaterThan(10);
  });

  test('a figure near the screen but out of view waits while a slider moves, then catches up', async () => {
    const f = page.getByTestId('norm-temp');
    const t = page.getByTestId('temperature');
    await reveal(f);
    await page.getByTestId('nt-link').check();
    // a figure the reader is using (focus inside) counts as in view, so leave it
    await page.getByTestId('nt-link').blur();
    await reveal(t);
    // the norm–temperature figure (5c) 150 px below the fold: within a viewport of the screen, but out of view
    await page.evaluate(() => {
      const top = document.querySelector('#fig-norm-temperature')!.getBoundingClientRect().top;
      window.scrollBy(0, top - window.innerHeight - 150);
    });
    const frame = page.locator('#fig-norm-temperature');
    await expect.poll(() => frame.getAttribute('data-in-view')).toBe('0');
    expect(await frame.getAttribute('data-near')).toBe('1');
    // read without `num`, which would scroll the figure into view
    const alpha = async () => Number(await f.getAttribute('data-alpha'));
    const alphaBefore = await alpha();
    // eight slider steps in one task (no quiet period can pass between them), the figure read after each
    const seen = await page.evaluate(() => {
      const el = document.querySelector<HTMLInputElement>('[data-testid="t-slider"]')!;
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const out: { alpha: number; slider: string }[] = [];
      for (let i = 0; i < 8; i++) {
        set.call(el, String(Number(el.min) + ((Number(el.max) - Number(el.min)) * (20 + 5 * i)) / 100));
        el.dispatchEvent(new Event('input', { bubbles: true }));
        out.push({ alpha: Number(document.querySelector('[data-testid="norm-temp"]')!.getAttribute('data-alpha')), slider: el.value });
      }
      return out;
    });
    expect(new Set(seen.map((s) => s.slider)).size).toBe(seen.length);
    for (const s of seen) expect(s.alpha).toBe(alphaBefore);
    // once the slider rests it catches up, to what it shows when scrolled into view
    await expect.poll(alpha, { timeout: 20_000 }).not.toBe(alphaBefore);
    expect(await frame.getAttribute('data-in-view')).toBe('0');
    const settled = await alpha();
    await frame.scrollIntoViewIfNeeded();
    await expect.poll(() => frame.getAttribute('data-in-view')).toBe('1');
    await page.waitForTimeout(300);
    expect(await alpha()).toBe(settled);
    // as the chapter's earlier test left it
    await page.getByTestId('nt-link').uncheck();
  });
});

describe('shared state', () => {
  test('sliders and the prompt are kept in the URL; an empty prompt gives empty states', async () => {
    await page.waitForTimeout(300);
    const url = new URL(page.url());
    expect(url.searchParams.get('ut_link')).toBe('0');
    expect(url.searchParams.has('temp')).toBe(true);
    await page.getByTestId('prompt').fill('');
    await revealFigure(page, '#fig-logit-decomposition');
    await expect.poll(async () => page.getByTestId('logit-dec').count()).toBe(0);
    await revealFigure(page, '#ch4');
    expect(await page.locator('#ch4 .empty-state').count()).toBeGreaterThan(0);
    await revealFigure(page, '#ch0');
    expect(await page.locator('#ch0 [data-testid="closeness"]').count()).toBe(1); // model-free figures stay
    expect(errors).toEqual([]);
  });
});
