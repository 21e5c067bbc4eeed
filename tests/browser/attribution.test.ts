/**
 * Chapter 6's attribution section (figures 6d and 6e) on the bundled model,
 * driven as a reader would on the wasm backend: the bars add up to the
 * model's own logit difference; the prompt and the token pair change the
 * chart; the head with the largest bar is named in the prose, outlined in the
 * grid and selected by default; the chart, grid and enlarged pattern work
 * from the keyboard; the worker's tensor count stays flat.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { num, reveal } from './helpers';

const baseUrl = process.env.P2_BASE_URL ?? inject('baseUrl');

let browser: Browser;
let page: Page;
const errors: string[] = [];

const chart = () => page.getByTestId('logit-attribution');
const grid = () => page.getByTestId('attention-grid-canvas');

/** The attribution chart shows the current prompt (not a stale pass) and the model's own difference for it. */
async function settled() {
  await page.waitForFunction(
    () => {
      const c = document.querySelector('[data-testid="logit-attribution"]');
      const td = (window as unknown as { __td?: { forward?: unknown } }).__td;
      const running = document.querySelector('[data-testid="token-count"]')?.textContent?.includes('running');
      return !!td?.forward && !!c && c.getAttribute('data-truth') !== '' && !c.closest('.la.stale') && !running;
    },
    null,
    { timeout: 90_000 },
  );
  await page.waitForTimeout(150);
}

async function setPrompt(text: string) {
  const box = page.getByTestId('prompt');
  await box.fill(text.slice(0, -3));
  await box.type(text.slice(-3), { delay: 20 });
  await page.waitForTimeout(300);
  await settled();
}

/** logit(a) − logit(b) at the last position straight from the page's forward result. */
async function modelDiff(a: string, b: string): Promise<number> {
  return page.evaluate(
    ([a, b]) => {
      const td = (
        window as unknown as {
          __td: { tokenizer: { encode(s: string): number[] }; forward: { logits: Float32Array; logitsRows: number; V: number } };
        }
      ).__td;
      const ia = td.tokenizer.encode(a);
      const ib = td.tokenizer.encode(b);
      if (ia.length !== 1 || ib.length !== 1) throw new Error('not single tokens');
      const f = td.forward;
      const row = (f.logitsRows - 1) * f.V;
      return f.logits[row + ia[0]] - f.logits[row + ib[0]];
    },
    [a, b],
  );
}

/** Waits until the chart shows the pair (a, b): its own difference is the model's for that pair (not an intermediate pair). */
async function pairShown(a: string, b: string) {
  const want = await modelDiff(a, b);
  await expect
    .poll(async () => {
      const t = Number(await chart().getAttribute('data-truth'));
      return Math.abs(t - want) <= 1e-4 * Math.abs(want);
    })
    .toBe(true);
  await settled();
}

const values = async () => (await chart().getAttribute('data-values')) ?? '';
const workerTensors = () =>
  page.evaluate(() =>
    (window as unknown as { __td: { client: { memory(): Promise<{ numTensors: number }> } } }).__td.client
      .memory()
      .then((m) => m.numTensors),
  );

beforeAll(async () => {
  browser = await launchChromium();
  // a context of our own: axe needs one
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}?backend=wasm`);
  await page.waitForSelector('[data-testid="model-status"][data-status="ready"]', { timeout: 150_000 });
  await reveal(chart()); // figures render only near the screen
  await settled();
});

afterAll(async () => {
  await browser?.close();
});

describe('chapter 6: who writes the direction', () => {
  test('the contributions add up to the model’s own logit difference (1e-4 relative)', async () => {
    const sum = await num(chart(), 'data-sum');
    const truth = await num(chart(), 'data-truth');
    const own = await modelDiff(' Mary', ' John');
    expect(truth).toBeCloseTo(own, 5);
    expect(Math.abs(sum - own) / Math.abs(own)).toBeLessThan(1e-4);
    // every component is there: embedding, L × (H heads + MLP), the attention biases, the final LayerNorm bias
    const { L, H } = await page.evaluate(() => {
      const c = (window as unknown as { __td: { info: { config: { nLayer: number; nHead: number } } } }).__td.info.config;
      return { L: c.nLayer, H: c.nHead };
    });
    expect((await values()).split(',').length).toBe(1 + L * (H + 1) + 2);
    await expect.poll(() => page.getByTestId('logit-attribution-sum').textContent()).toMatch(/relative difference/);
  });

  test('the head with the largest bar is named in the prose, outlined and selected in the grid', async () => {
    const top = (await chart().getAttribute('data-top'))!;
    expect(top).toMatch(/^\d+\.\d+$/);
    const vals = (await values()).split(',').map(Number);
    const { L, H } = await page.evaluate(() => {
      const c = (window as unknown as { __td: { info: { config: { nLayer: number; nHead: number } } } }).__td.info.config;
      return { L: c.nLayer, H: c.nHead };
    });
    const heads = Array.from({ length: L * H }, (_, i) => vals[1 + Math.floor(i / H) * (H + 1) + (i % H)]);
    expect(Math.abs(await num(chart(), 'data-top-value'))).toBeCloseTo(Math.max(...heads.map(Math.abs)), 3);
    expect(await page.getByTestId('attribution-top-head').textContent()).toBe(top);
    await reveal(grid()); // figure 6e renders only near the screen
    expect(await grid().getAttribute('data-marked')).toBe(top);
    expect(await grid().getAttribute('data-selected')).toBe(top);
    expect(await page.getByTestId('attention-grid-big-name').textContent()).toBe(top);
    // the prose's "where it looks" agrees with the enlarged pattern's reading of the last row
    const looks = page.getByTestId('attention-grid-looks');
    const T = await page.evaluate(() => (window as unknown as { __td: { forward: { T: number } } }).__td.forward.T);
    expect(await num(looks, 'data-query')).toBe(T - 1);
  });

  test('the token pair changes the chart; swapping it flips the sign; 6b follows', async () => {
    const before = await values();
    const sum0 = await num(chart(), 'data-sum');
    await page.getByTestId('la-a').fill(' John');
    await page.getByTestId('la-b').fill(' Mary');
    await expect.poll(() => values()).not.toBe(before);
    await pairShown(' John', ' Mary');
    const sum1 = await num(chart(), 'data-sum');
    expect(sum1).toBeCloseTo(-sum0, 4);
    expect(Math.abs(sum1 - (await modelDiff(' John', ' Mary'))) / Math.abs(sum1)).toBeLessThan(1e-4);
    // 6b is off screen here, and an off-screen figure catches up when the reader scrolls to it
    await reveal(page.getByTestId('hs-a'));
    await expect.poll(() => page.getByTestId('hs-a').inputValue()).toBe(' John');
    await reveal(chart());
    // another pair: not just a sign flip
    await page.getByTestId('la-b').fill(' the');
    await expect.poll(async () => Math.abs((await num(chart(), 'data-sum')) + sum0) > 1e-3).toBe(true);
    await pairShown(' John', ' the');
    expect(
      Math.abs((await num(chart(), 'data-sum')) - (await modelDiff(' John', ' the'))) / Math.abs(await modelDiff(' John', ' the')),
    ).toBeLessThan(1e-4);
    await page.getByTestId('la-a').fill(' Mary');
    await page.getByTestId('la-b').fill(' John');
    await expect.poll(() => values()).toBe(before);
  });

  test('a new prompt changes the chart and the patterns, and the sum still matches; no tensors leak', async () => {
    const before = await values();
    const base = await workerTensors();
    await setPrompt('When John and Mary went to the park, Mary handed a ball to');
    expect(await values()).not.toBe(before);
    const own = await modelDiff(' Mary', ' John');
    expect(Math.abs((await num(chart(), 'data-sum')) - own) / Math.abs(own)).toBeLessThan(1e-4);
    const top = await chart().getAttribute('data-top');
    await reveal(grid());
    expect(await grid().getAttribute('data-marked')).toBe(top);
    expect(await page.getByTestId('attribution-top-head').textContent()).toBe(top);
    await setPrompt('When Mary and John went to the store, John gave a drink to');
    expect(await values()).toBe(before);
    expect(await workerTensors()).toBe(base);
  });

  test('selecting a head in the chart selects it in the grid; the grid and the enlarged pattern work by keyboard', async () => {
    const ranks = page.getByTestId('logit-attribution-rank');
    const labels = await ranks.allTextContents();
    const i = labels.findIndex((t, j) => j > 0 && /^\d+\.\d+ /.test(t));
    expect(i).toBeGreaterThan(0);
    const head = labels[i].split(' ')[0];
    await ranks.nth(i).click();
    await reveal(grid());
    await expect.poll(() => grid().getAttribute('data-selected')).toBe(head);
    expect(await page.getByTestId('attention-grid-big-name').textContent()).toBe(head);
    // chart by keyboard: ← moves the cursor to the bar before; a head bar selects that head
    await chart().focus();
    await page.keyboard.press('Home');
    expect(await chart().getAttribute('data-cursor')).toBe('E');
    await page.keyboard.press('ArrowRight');
    expect(await chart().getAttribute('data-cursor')).toBe('0.0');
    await expect.poll(() => grid().getAttribute('data-selected')).toBe('0.0');
    // grid by keyboard
    await grid().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => grid().getAttribute('data-selected')).toBe('1.1');
    // clicking a cell of the grid
    const box = (await grid().boundingBox())!;
    await page.mouse.click(box.x + box.width - 8, box.y + box.height - 8);
    await expect.poll(() => grid().getAttribute('data-selected')).toMatch(/^\d+\.\d+$/);
    const L = await page.evaluate(
      () => (window as unknown as { __td: { info: { config: { nLayer: number; nHead: number } } } }).__td.info.config,
    );
    expect(await grid().getAttribute('data-selected')).toBe(`${L.nLayer - 1}.${L.nHead - 1}`);
    // the enlarged pattern: ↑ reads an earlier query row
    const looks = page.getByTestId('attention-grid-looks');
    const q0 = await num(looks, 'data-query');
    await page.getByTestId('attention-grid-big').focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => num(looks, 'data-query')).toBe(q0 - 1);
    await page.keyboard.press('End');
    await expect.poll(() => num(looks, 'data-query')).toBe(q0);
    // a head picked in the chart is read from the last position again
    await page.keyboard.press('Home');
    await expect.poll(() => num(looks, 'data-query')).toBe(0);
    await ranks.nth(i).click();
    await expect.poll(() => num(looks, 'data-query')).toBe(q0);
    // the selection reaches the URL once the reader pauses, and a shared link opens on it
    const [l, h] = head.split('.');
    await expect.poll(() => page.url()).toContain(`ap_l=${l}&ap_h=${h}`);
    const other = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await other.goto(`${baseUrl}?backend=wasm&ap_l=1&ap_h=2`);
    await reveal(other.getByTestId('attention-grid-canvas'));
    await expect.poll(() => other.getByTestId('attention-grid-canvas').getAttribute('data-selected'), { timeout: 120_000 }).toBe('1.2');
    await other.context().close();
    expect(errors).toEqual([]);
  });

  test('on the untied model the sum still matches, and the grid and the prose follow the new model', async () => {
    const before = await values();
    await page.getByTestId('model-select').selectOption('tiny-untied');
    await page.waitForFunction(
      () =>
        (window as unknown as { __td?: { info?: { key: string }; forward?: { modelKey: string } } }).__td?.forward?.modelKey ===
        'tiny-untied',
      null,
      {
        timeout: 120_000,
      },
    );
    await reveal(chart()); // figures render only near the screen
    await expect.poll(() => values(), { timeout: 60_000 }).not.toBe(before);
    await settled();
    const own = await modelDiff(' Mary', ' John');
    expect(Math.abs((await num(chart(), 'data-sum')) - own) / Math.abs(own)).toBeLessThan(1e-4);
    const top = await chart().getAttribute('data-top');
    await reveal(grid());
    expect(await grid().getAttribute('data-marked')).toBe(top);
    expect(await page.getByTestId('attribution-top-head').textContent()).toBe(top);
    await page.getByTestId('model-select').selectOption('tiny-tied');
    await page.waitForFunction(
      () => (window as unknown as { __td?: { forward?: { modelKey: string } } }).__td?.forward?.modelKey === 'tiny-tied',
      null,
      { timeout: 120_000 },
    );
    await expect.poll(() => values(), { timeout: 60_000 }).toBe(before);
  });

  test('axe finds no serious or critical violation in the section, light and dark, with the details open', async () => {
    for (const d of await page.locator('#ch6-attribution details').all()) await d.evaluate((e) => ((e as HTMLDetailsElement).open = true));
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(300);
      const r = await new AxeBuilder({ page })
        .include('#ch6-attribution')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
        .analyze();
      const bad = r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${scheme}: ${v.id} ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(' | ')}`,
        );
      expect(bad).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
