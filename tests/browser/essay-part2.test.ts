/**
 * The essay's chapters 6–10 driven as a reader would: type in the prompt box,
 * type tokens, drag sliders and the draggable vector by keyboard and by
 * mouse, switch models, generate and stop; numbers are read from the
 * figures' data-* attributes.
 *
 * Assertions that only a trained model can meet (" Mary" first for the
 * default prompt) are in their own tests; the rest hold for any model.
 * Runs on the wasm backend (deterministic and fast here); speed is never
 * asserted, only that the key/value cache beats no cache on the same run.
 * P2_BASE_URL overrides the address (e.g. a preview of a build with other
 * model files).
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { attr, dragRange, num, reveal, revealFigure } from './helpers';

const baseUrl = process.env.P2_BASE_URL ?? inject('baseUrl');
const DEFAULT_PROMPT = 'When Mary and John went to the store, John gave a drink to';

let browser: Browser;
let page: Page;
const errors: string[] = [];

/** The forward pass of the current prompt is in, and the part-2 figures show it. */
async function settled() {
  await reveal(page.getByTestId('three-rankings'));
  await page.waitForFunction(
    () => {
      const td = (window as unknown as { __td?: { forward?: unknown } }).__td;
      const rk = document.querySelector('[data-testid="three-rankings"]');
      const running = document.querySelector('[data-testid="token-count"]')?.textContent?.includes('running');
      return !!td?.forward && !!rk && !running;
    },
    null,
    { timeout: 90_000 },
  );
  await page.waitForTimeout(200);
}

async function setPrompt(text: string) {
  const box = page.getByTestId('prompt');
  // Paste most of it, type the end key by key (each keystroke is a new prompt for every figure).
  await box.fill(text.slice(0, Math.max(0, text.length - 6)));
  await box.type(text.slice(Math.max(0, text.length - 6)), { delay: 20 });
  await page.waitForTimeout(300);
}

/** Single-token id of `text` in the active tokenizer. */
async function tokenId(text: string): Promise<number> {
  return page.evaluate((t) => {
    const tok = (window as unknown as { __td: { tokenizer: { encode(s: string): number[] } } }).__td.tokenizer;
    const ids = tok.encode(t);
    return ids.length === 1 ? ids[0] : -1;
  }, text);
}

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}?backend=wasm`);
  await page.waitForSelector('[data-testid="model-status"][data-status="ready"]', { timeout: 150_000 });
  await settled();
});

afterAll(async () => {
  await browser?.close();
});

describe('chapter 6: points or directions', () => {
  test('6a: the dot-product ranking is the model’s prediction; the three rankings disagree', async () => {
    const fig = page.getByTestId('three-rankings');
    const pred = await num(fig, 'data-pred');
    const dotFirst = page.getByTestId('rank-dot').locator('li').first();
    expect(await num(dotFirst, 'data-token-id')).toBe(pred);
    expect(await attr(dotFirst, 'class')).toContain('rk-pred');
    expect(await num(page.getByTestId('rank-dot'), 'data-pred-rank')).toBe(0);
    // Euclidean distances listed in increasing order, cosines in decreasing order.
    const eu = await page
      .getByTestId('rank-euclidean')
      .locator('li')
      .evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('data-value'))));
    const co = await page
      .getByTestId('rank-cosine')
      .locator('li')
      .evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('data-value'))));
    for (let i = 1; i < eu.length; i++) expect(eu[i]).toBeGreaterThanOrEqual(eu[i - 1]);
    for (let i = 1; i < co.length; i++) expect(co[i]).toBeLessThanOrEqual(co[i - 1]);
    // The length of x′ only moves the distance column.
    const rk = page.getByTestId('three-rankings');
    const dotIds = async () =>
      page
        .getByTestId('rank-dot')
        .locator('li')
        .evaluateAll((ls) => ls.map((l) => l.getAttribute('data-token-id')));
    const dots0 = await dotIds();
    const used0 = await num(rk, 'data-x-used');
    const len = page.getByTestId('rank-len');
    await len.focus();
    await page.keyboard.press('Home');
    const usedLo = await num(rk, 'data-x-used');
    expect(usedLo).toBeCloseTo((await num(rk, 'data-median')) * 0.1, 4);
    const rankLo = await num(page.getByTestId('rank-curve'), 'data-rank-now');
    await page.keyboard.press('End');
    expect(await num(rk, 'data-x-used')).toBeCloseTo(usedLo * Math.pow(10, 3.5), 1);
    expect(await dotIds()).toEqual(dots0);
    await dragRange(page, len, 1, 0.3);
    expect(await num(rk, 'data-x-used')).toBeLessThan(usedLo * Math.pow(10, 3.5));
    await page.getByTestId('rank-len-real').click();
    expect((await num(rk, 'data-x-used')) / (await num(rk, 'data-x-real'))).toBeCloseTo(1, 2);
    // At the real length the distance ranking is |x|² + |u|² − 2 x·u: the prediction ranks no worse than with a tiny x′.
    expect(await num(page.getByTestId('rank-curve'), 'data-rank-now')).toBeLessThanOrEqual(rankLo);
    await page.getByTestId('rank-len-row').click();
    expect(await num(rk, 'data-x-used')).toBeCloseTo(used0, 4);
    // The list-length slider by keyboard.
    const k = page.getByTestId('rank-k');
    await k.focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('rank-dot').locator('li').count()).toBe(20);
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('rank-dot').locator('li').count()).toBe(3);
    await dragRange(page, k, 0.0, 0.3);
    const n = await page.getByTestId('rank-dot').locator('li').count();
    expect(n).toBeGreaterThan(3);
    expect(n).toBeLessThan(20);
  });

  test('6b: centring changes the angles but not the logit difference', async () => {
    const hs = page.getByTestId('hypersphere');
    const diff0 = (await num(hs, 'data-dot-a')) - (await num(hs, 'data-dot-b'));
    const ab0 = await num(hs, 'data-ab-angle');
    await page.getByTestId('hs-centre').check();
    await expect.poll(() => attr(hs, 'data-centre')).toBe('1');
    const ab1 = await num(hs, 'data-ab-angle');
    expect(ab1).not.toBeCloseTo(ab0, 1);
    // x·(u_a − μ) − x·(u_b − μ) = x·u_a − x·u_b: the comparison is exact either way.
    const diff1 = (await num(hs, 'data-dot-a')) - (await num(hs, 'data-dot-b'));
    expect(diff1).toBeCloseTo(diff0, 2);
    // Projection only removes length, so an in-plane angle is never closer to 90° than the true angle.
    for (const t of ['a', 'b']) {
      const inPlane = Math.abs((await num(hs, `data-angle-${t}`)) - 90);
      const trueAngle = Math.abs((await num(hs, `data-true-angle-${t}`)) - 90);
      expect(inPlane).toBeGreaterThanOrEqual(trueAngle - 1e-6);
    }
    await page.getByTestId('hs-centre').uncheck();
    await expect.poll(() => attr(hs, 'data-centre')).toBe('0');
  });

  test('6b: typing other tokens changes the plane', async () => {
    const hs = page.getByTestId('hypersphere');
    const ab0 = await num(hs, 'data-ab-angle');
    const b = page.getByTestId('hs-b');
    await reveal(b);
    await b.fill(' the');
    await expect.poll(async () => num(hs, 'data-ab-angle')).not.toBeCloseTo(ab0, 3);
    await b.fill(' John');
    await expect.poll(async () => num(hs, 'data-ab-angle')).toBeCloseTo(ab0, 3);
  });

  test('6c: the logit lens grid has a row per layer and a column per position; a click shows that cell’s top 5', async () => {
    const grid = page.getByTestId('logit-lens');
    const L = await page.evaluate(() => (window as unknown as { __td: { info: { config: { nLayer: number } } } }).__td.info.config.nLayer);
    const T = await page.evaluate(() => (window as unknown as { __td: { forward: { T: number } } }).__td.forward.T);
    expect(await grid.locator('button.ll-cell').count()).toBe((L + 1) * T);
    // The bottom-right cell is the model's prediction.
    const pred = await num(page.getByTestId('three-rankings'), 'data-pred');
    expect(await num(page.getByTestId('lens-last-top'), 'data-token-id')).toBe(pred);
    const cell = grid.locator('button[data-layer="1"][data-pos="2"]');
    await cell.click();
    await page.mouse.move(0, 0);
    const detail = page.getByTestId('lens-detail');
    await expect.poll(() => attr(detail, 'data-pos')).toBe('2');
    expect(await attr(detail, 'data-layer')).toBe('1');
    expect(await detail.locator('li').count()).toBe(5);
    expect(await num(detail.locator('li').first(), 'data-token-id')).toBe(await num(cell, 'data-token-id'));
    // Keyboard: arrows move the selection within the grid.
    await cell.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => attr(detail, 'data-pos')).toBe('3');
    expect(await attr(detail, 'data-layer')).toBe('2');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-pos'))).toBe('3');
  });

  test('changing the prompt changes all three figures of chapter 6', async () => {
    const before = {
      pred: await attr(page.getByTestId('three-rankings'), 'data-pred'),
      x: await attr(page.getByTestId('hypersphere'), 'data-last-x'),
      lens: await reveal(page.getByTestId('logit-lens')).then(() =>
        page.getByTestId('logit-lens').evaluate((e) => e.querySelectorAll('button.ll-cell').length),
      ),
    };
    await setPrompt('The cat went up the stairs and then the dog');
    await settled();
    await expect.poll(() => attr(page.getByTestId('hypersphere'), 'data-last-x')).not.toBe(before.x);
    await reveal(page.getByTestId('logit-lens'));
    const lens = await page.getByTestId('logit-lens').evaluate((e) => e.querySelectorAll('button.ll-cell').length);
    expect(lens).not.toBe(before.lens);
    const dotFirst = page.getByTestId('rank-dot').locator('li').first();
    expect(await num(dotFirst, 'data-token-id')).toBe(await num(page.getByTestId('three-rankings'), 'data-pred'));
    void before.pred;
    await setPrompt(DEFAULT_PROMPT);
    await settled();
  });

  test('an empty prompt shows an explanation in every model-driven figure', async () => {
    await page.getByTestId('prompt').fill('');
    for (const id of ['fig-6a', 'fig-6b', 'fig-6c']) {
      await revealFigure(page, `#${id}`);
      await expect.poll(() => page.locator(`#${id} .empty-state`).count()).toBe(1);
    }
    await setPrompt(DEFAULT_PROMPT);
    await settled();
  });
});

describe('chapter 6 with the trained tied model (default prompt)', () => {
  test('" Mary" is first by dot product, closer in angle than " John", and ends the lens', async () => {
    const mary = await tokenId(' Mary');
    expect(mary).toBeGreaterThanOrEqual(0);
    const dotFirst = page.getByTestId('rank-dot').locator('li').first();
    expect(await num(dotFirst, 'data-token-id')).toBe(mary);
    const hs = page.getByTestId('hypersphere');
    expect(await num(hs, 'data-angle-a')).toBeLessThan(await num(hs, 'data-angle-b'));
    expect(await num(page.getByTestId('lens-last-top'), 'data-token-id')).toBe(mary);
    // Swap the names: the answer should follow.
    await setPrompt('When Mary and John went to the store, Mary gave a drink to');
    await settled();
    const john = await tokenId(' John');
    expect(await num(page.getByTestId('rank-dot').locator('li').first(), 'data-token-id')).toBe(john);
    expect(await num(hs, 'data-angle-b')).toBeLessThan(await num(hs, 'data-angle-a'));
    expect(await num(page.getByTestId('lens-last-top'), 'data-token-id')).toBe(john);
    await setPrompt(DEFAULT_PROMPT);
    await settled();
  });
});

describe('chapter 7: size is confidence', () => {
  test('the length slider by keyboard: uniform at zero, top probability rises monotonically', async () => {
    const probs = page.getByTestId('sz-probs');
    const len = page.getByTestId('sz-len');
    await reveal(len);
    await len.focus();
    await page.keyboard.press('Home');
    await expect.poll(async () => num(probs, 'data-top-p')).toBeCloseTo(0.2, 6);
    let prev = await num(probs, 'data-top-p');
    let rises = 0;
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('ArrowRight');
      const p = await num(probs, 'data-top-p');
      expect(p).toBeGreaterThanOrEqual(prev - 1e-12);
      if (p > prev) rises++;
      prev = p;
    }
    expect(rises).toBeGreaterThan(30);
    await page.keyboard.press('End');
    expect(await num(probs, 'data-top-p')).toBeGreaterThan(prev);
  });

  test('the length slider by mouse and the vector handle by mouse and keyboard', async () => {
    const probs = page.getByTestId('sz-probs');
    await reveal(page.getByTestId('sz-len'));
    await dragRange(page, page.getByTestId('sz-len'), 0.5, 0.1);
    const pLow = await num(probs, 'data-top-p');
    await dragRange(page, page.getByTestId('sz-len'), 0.1, 0.9);
    const pHigh = await num(probs, 'data-top-p');
    expect(pHigh).toBeGreaterThan(pLow);
    // Keyboard on the handle: up lengthens x.
    const handle = page.getByTestId('sz-handle');
    await page.getByTestId('sz-len').focus();
    await page.keyboard.press('Home');
    await handle.focus();
    const p0 = await num(probs, 'data-top-p');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowUp');
    expect(Number(await handle.getAttribute('aria-valuenow'))).toBeCloseTo(0.8, 6);
    expect(await num(probs, 'data-top-p')).toBeGreaterThan(p0);
    // Mouse: drag the tip outward along its own direction; the length and the top probability grow.
    await handle.scrollIntoViewIfNeeded();
    const b = (await handle.boundingBox())!;
    const plane = (await page.getByTestId('sz-plane').boundingBox())!;
    const cx = plane.x + plane.width / 2;
    const cy = plane.y + plane.height / 2;
    const hx = b.x + b.width / 2;
    const hy = b.y + b.height / 2;
    const pBefore = await num(probs, 'data-top-p');
    const lenBefore = Number(await handle.getAttribute('aria-valuenow'));
    await page.mouse.move(hx, hy);
    await page.mouse.down();
    await page.mouse.move(cx + (hx - cx) * 1.8, cy + (hy - cy) * 1.8, { steps: 4 });
    await page.mouse.move(cx + (hx - cx) * 2.5, cy + (hy - cy) * 2.5, { steps: 4 });
    await page.mouse.up();
    expect(Number(await handle.getAttribute('aria-valuenow'))).toBeGreaterThan(lenBefore + 0.3);
    expect(await num(probs, 'data-top-p')).toBeGreaterThan(pBefore);
  });

  test('a long row wins where x points closer to a neighbour', async () => {
    const gold = page.getByTestId('sz-gold');
    await reveal(gold);
    await gold.focus();
    await page.keyboard.press('End');
    const ang = page.getByTestId('sz-ang');
    await ang.fill('80');
    await page.getByTestId('sz-len').fill('1.5');
    const probs = page.getByTestId('sz-probs');
    // Token 0 is " red" (nearest in angle at 80°), token 1 the long " gold".
    expect(await attr(probs, 'data-closest')).toBe('0');
    expect(await attr(probs, 'data-top')).toBe('1');
    await page.keyboard.press('Home'); // gold row shortest: red wins again
    await expect.poll(() => attr(probs, 'data-top')).toBe('0');
  });
});

describe('chapter 8: tied and untied', () => {
  test('switching to the untied model changes the histogram and the direct path', async () => {
    await revealFigure(page, '#fig-8');
    await expect.poll(() => page.locator('[data-testid^="tu-hist-"]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid^="tu-direct-"]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const active = page.getByTestId('tu-active');
    expect(await attr(active, 'data-model')).toBe('tiny-tied');
    expect(await num(page.getByTestId('tu-hist-tiny-tied'), 'data-mean')).toBeCloseTo(1, 4);
    const tiedTop = await attr(page.getByTestId('tu-direct-tiny-tied'), 'data-top');
    await page.getByTestId('tu-switch-tiny-untied').click();
    await expect.poll(() => attr(active, 'data-model'), { timeout: 120_000 }).toBe('tiny-untied');
    await expect.poll(() => page.getByTestId('tu-hist-tiny-untied').count(), { timeout: 60_000 }).toBe(1);
    expect(await num(page.getByTestId('tu-hist-tiny-untied'), 'data-mean')).toBeLessThan(0.99);
    // Both histograms are now on screen, side by side.
    expect(await page.getByTestId('tu-hist-tiny-tied').count()).toBe(1);
    await expect.poll(() => page.getByTestId('tu-direct-tiny-untied').count(), { timeout: 60_000 }).toBe(1);
    expect(await attr(page.getByTestId('tu-direct-tiny-tied'), 'data-top')).toBe(tiedTop);
    // Typing a token recomputes the direct path for the active model.
    const before = await attr(page.getByTestId('tu-direct-tiny-untied'), 'data-token');
    await page.getByTestId('tu-tok').fill(' of');
    await expect.poll(() => attr(page.getByTestId('tu-direct-tiny-untied'), 'data-token')).not.toBe(before);
    await page.getByTestId('tu-tok').fill(' the');
    // The rest of the essay followed the switch.
    await settled();
    await page.getByTestId('tu-switch-tiny-tied').click();
    await expect.poll(() => attr(active, 'data-model'), { timeout: 120_000 }).toBe('tiny-tied');
    await settled();
  });

  test('the direct path: in the tied model " the" comes back as itself (trained models)', async () => {
    const the = await tokenId(' the');
    await reveal(page.getByTestId('tu-tok'));
    await page.getByTestId('tu-tok').fill(' the');
    await expect.poll(() => attr(page.getByTestId('tu-direct-tiny-tied'), 'data-token')).toBe(String(the));
    expect(await num(page.getByTestId('tu-direct-tiny-tied'), 'data-self-rank')).toBe(0);
  });
});

describe('chapter 9: generation', () => {
  test('generates text, stops on request, and the cache is faster', async () => {
    const out = page.getByTestId('gen-text');
    const status = page.getByTestId('gen-status');
    await reveal(page.getByTestId('gen-n'));
    // A short run.
    await page.getByTestId('gen-n').focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight'); // 8 tokens
    await page.getByTestId('gen-go').click();
    await expect.poll(async () => num(page.getByTestId('gen-tps-cache'), 'data-tokens'), { timeout: 90_000 }).toBe(8);
    expect(await num(out, 'data-count')).toBe(8);
    const text = (await out.locator('.gen-new').textContent()) ?? '';
    expect(text.length).toBeGreaterThan(0);

    // Stop: a long run, stopped after a few tokens.
    await page.getByTestId('gen-n').focus();
    await page.keyboard.press('End');
    await page.getByTestId('gen-go').click();
    await expect.poll(async () => num(out, 'data-count'), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    await page.getByTestId('gen-stop').click();
    await expect.poll(() => attr(status, 'data-running'), { timeout: 30_000 }).toBe('');
    expect(await attr(page.getByTestId('gen-tps-cache'), 'data-stopped')).toBe('1');
    const stoppedAt = await num(out, 'data-count');
    expect(stoppedAt).toBeLessThan(100);
    await page.waitForTimeout(500);
    expect(await num(out, 'data-count')).toBe(stoppedAt);

    // Compare: the same number of tokens with and without the cache.
    await page.getByTestId('gen-n').focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 39; i++) await page.keyboard.press('ArrowRight'); // 40 tokens
    await page.getByTestId('gen-compare').click();
    await expect.poll(async () => num(page.getByTestId('gen-tps-nocache'), 'data-tokens'), { timeout: 170_000 }).toBe(40);
    const withCache = await num(page.getByTestId('gen-tps-cache'), 'data-tps');
    const without = await num(page.getByTestId('gen-tps-nocache'), 'data-tps');
    expect(withCache).toBeGreaterThan(without);
  });
});

describe('chapter 10', () => {
  test('the centring pair shows the same logit difference with wider angles after centring; credits link the source', async () => {
    const raw = page.getByTestId('hs-raw-pair');
    const cen = page.getByTestId('hs-centred-pair');
    const dRaw = (await num(raw, 'data-dot-a')) - (await num(raw, 'data-dot-b'));
    const dCen = (await num(cen, 'data-dot-a')) - (await num(cen, 'data-dot-b'));
    expect(dCen).toBeCloseTo(dRaw, 2);
    const an = page.getByTestId('anisotropy');
    expect(Math.abs(await num(an, 'data-centred'))).toBeLessThan(Math.abs(await num(an, 'data-raw')));
    const href = await page.locator('#ch10 a[href*="lesswrong.com"]').getAttribute('href');
    expect(href).toContain('pHPmMGEMYefk9jLeh');
  });

  test('a figure brought back into view shows what changed meanwhile at once, with no glide from its old drawing', async () => {
    // another pair of tokens, picked in chapter 6 while chapter 10's pair is off screen
    const b = page.getByTestId('hs-b');
    await reveal(b);
    await b.fill(' the');
    await page.waitForTimeout(300);
    const changesAfterShowing = async () => {
      await revealFigure(page, '#fig-10');
      await reveal(page.getByTestId('hs-raw-pair'));
      await page.waitForTimeout(250);
      // a glide changes the drawing for 750 ms; a figure that is current changes nothing more
      return page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let n = 0;
            const mo = new MutationObserver((ms) => (n += ms.length));
            mo.observe(document.getElementById('fig-10')!, { subtree: true, childList: true, attributes: true, characterData: true });
            setTimeout(() => {
              mo.disconnect();
              resolve(n);
            }, 1200);
          }),
      );
    };
    expect(await changesAfterShowing()).toBe(0);
    await reveal(b);
    await b.fill(' John');
    await page.waitForTimeout(300);
    expect(await changesAfterShowing()).toBe(0);
  });

  test('no page errors', () => {
    expect(errors).toEqual([]);
  });
});
