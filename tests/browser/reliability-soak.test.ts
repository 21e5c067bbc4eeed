/**
 * Issue 7 (7), long sessions: a soak of ≥ 500 mixed interactions — prompt
 * edits, slider drags (keyboard and mouse), checkbox and figure-button
 * clicks, model switches, backend switches, generation start/stop — in
 * rounds, without waiting for the model between interactions (requests
 * overlap and supersede each other). Afterwards:
 *   - tf.memory().numTensors in the model worker is back at its baseline
 *     (measured after the page first settled; same model, same backend);
 *   - the page's JS heap (after a forced GC, via CDP) is within 10% of its
 *     value after the first round;
 *   - no uncaught error, no error notice, and the figures agree with a fresh
 *     forward pass of the final prompt.
 * Seeded, so every run does the same interactions.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { foreignRequests, freshTopK, openPage, readNextToken, waitSettled } from '../unit/reliability/page-fixture';
import { PARAMS } from '../../src/state/params';

const baseUrl = inject('baseUrl');
const ROUNDS = 5;
const PER_ROUND = 104;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PROMPTS = [
  'When Mary and John went to the store, John gave a drink to',
  'The cat sat on the mat',
  'In the beginning was the word, and the word was',
  'She opened the door and saw',
  'One, two, three, four,',
];

function memory(page: Page): Promise<{ numTensors: number; numBytes: number }> {
  return page.evaluate(() => (window as unknown as { __td: { client: { memory(): Promise<{ numTensors: number; numBytes: number }> } } }).__td.client.memory());
}

async function heap(cdp: CDPSession): Promise<number> {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const h = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return h.usedSize;
}

/** Idle: model loaded, no forward pass, no generation running. */
async function settle(page: Page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid="gen-status"]')?.getAttribute('data-running'), undefined, { timeout: 60_000 });
  await waitSettled(page, 90_000);
  await page.waitForSelector('[data-testid="next-token"] li', { timeout: 90_000 });
  await page.waitForTimeout(500); // figures that compute after the forward pass (lens, rankings, round trip) finish
  await waitSettled(page, 90_000);
}

it(`${ROUNDS * PER_ROUND} mixed interactions: tensors back at baseline, heap within 10% of round 1`, async () => {
  const w = await openPage(browser, baseUrl);
  const { page } = w;
  const cdp = await page.context().newCDPSession(page);
  await settle(page);
  const tensors0 = (await memory(page)).numTensors;
  const backend0 = await page.$eval('[data-testid="backend"] strong', (e) => e.textContent);
  const model0 = await page.inputValue('[data-testid="model-select"]');

  let seed = 20261128;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rand() * a.length)];
  const counts: Record<string, number> = {};
  const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);

  /** Synthetic click through the DOM (no actionability waits: the sticky prompt bar may cover a button). */
  const click = (sel: string) => page.$eval(sel, (b) => (b as HTMLElement).click()).catch(() => undefined);

  const actions: [string, number, () => Promise<void>][] = [
    ['prompt: type a character', 14, async () => {
      await page.focus('[data-testid="prompt"]');
      await page.keyboard.press('End');
      await page.keyboard.type(pick(['a', 'e', ' ', 'the', ',', 'Mary', '🙂']));
    }],
    ['prompt: backspace', 8, async () => {
      await page.focus('[data-testid="prompt"]');
      await page.keyboard.press('End');
      await page.keyboard.press('Backspace');
    }],
    ['prompt: replace', 6, async () => {
      await page.fill('[data-testid="prompt"]', pick(PROMPTS));
    }],
    ['prompt: empty', 1, async () => {
      await page.fill('[data-testid="prompt"]', '');
    }],
    ['slider: keyboard', 30, async () => {
      const sliders = await page.$$('input[type="range"], [role="slider"]');
      const s = pick(sliders);
      await s.evaluate((e) => (e as HTMLElement).focus());
      await page.keyboard.press(pick(['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']));
    }],
    ['slider: mouse drag', 8, async () => {
      const sliders = await page.$$('input[type="range"]');
      const s = pick(sliders);
      await s.scrollIntoViewIfNeeded();
      const b = await s.boundingBox();
      if (!b) return;
      const y = b.y + b.height / 2;
      await page.mouse.move(b.x + b.width * rand(), y);
      await page.mouse.down();
      await page.mouse.move(b.x + b.width * rand(), y, { steps: 4 });
      await page.mouse.up();
    }],
    ['checkbox / option', 7, async () => {
      const boxes = await page.$$('figure input[type="checkbox"], figure input[type="radio"]');
      await pick(boxes).evaluate((e) => (e as HTMLElement).click());
    }],
    ['figure button', 8, async () => {
      const buttons = await page.$$('figure button:not([disabled]):not([data-testid^="gen-"]):not([data-testid^="tu-switch"])');
      if (buttons.length) await pick(buttons).evaluate((e) => (e as HTMLElement).click());
    }],
    ['temperature preset', 3, async () => {
      await click(`[data-testid="t-slider"] ~ button:nth-of-type(${pick([1, 2])})`);
    }],
    ['model switch', 3, async () => {
      const cur = await page.inputValue('[data-testid="model-select"]');
      await page.selectOption('[data-testid="model-select"]', cur === 'tiny-tied' ? 'tiny-untied' : 'tiny-tied');
    }],
    ['backend switch', 3, async () => {
      await page.selectOption('[data-testid="backend-select"]', pick(['cpu', 'wasm', 'auto']));
    }],
    ['generation start/stop', 3, async () => {
      await click('[data-testid="gen-go"]');
      await page.waitForTimeout(30 + rand() * 200);
      await click('[data-testid="gen-stop"]');
    }],
  ];
  const total = actions.reduce((a, [, wgt]) => a + wgt, 0);
  const chooseAction = () => {
    let r = rand() * total;
    for (const a of actions) if ((r -= a[1]) < 0) return a;
    return actions[0];
  };

  const t0 = Date.now();
  const perRound: { tensors: number; heap: number; s: number }[] = [];
  let n = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < PER_ROUND; i++) {
      const [name, , run] = chooseAction();
      await run();
      count(name);
      n++;
      if (rand() < 0.3) await page.waitForTimeout(rand() * 60); // sometimes let a request start before the next
    }
    // back to the starting model and backend, then idle
    await page.selectOption('[data-testid="model-select"]', model0);
    await page.selectOption('[data-testid="backend-select"]', 'auto');
    await page.waitForFunction((b) => document.querySelector('[data-testid="backend"] strong')?.textContent === b, backend0, { timeout: 60_000 });
    await page.fill('[data-testid="prompt"]', pick(PROMPTS));
    await settle(page);
    perRound.push({ tensors: (await memory(page)).numTensors, heap: await heap(cdp), s: Math.round((Date.now() - t0) / 1000) });
  }
  const mem = perRound.map((r) => `round ${perRound.indexOf(r) + 1}: ${r.tensors} tensors, heap ${(r.heap / 1e6).toFixed(1)} MB at ${r.s} s`);
  console.log(`soak: ${n} interactions in ${Math.round((Date.now() - t0) / 1000)} s; baseline ${tensors0} tensors\n  ${mem.join('\n  ')}\n  ${JSON.stringify(counts)}`);

  expect(n).toBeGreaterThanOrEqual(500);
  // tensors: back at the baseline after every round (0 leaked)
  expect(perRound.map((r) => r.tensors - tensors0)).toEqual(perRound.map(() => 0));
  // heap: within 10% of where it was after the first round
  const h1 = perRound[0].heap;
  const hEnd = perRound[perRound.length - 1].heap;
  expect(hEnd / h1).toBeLessThan(1.1);
  // the page still works and agrees with a fresh forward pass
  const prompt = await page.inputValue('[data-testid="prompt"]');
  const shown = await readNextToken(page);
  const fresh = await freshTopK(page, prompt, shown.length, await page.evaluate(() => {
    const t = new URLSearchParams(location.search).get('temp');
    return t === null ? 1 : Number(t);
  }));
  expect(shown.map((r) => r.id)).toEqual(fresh.map((r) => r.id));
  expect(await page.$$eval('[data-testid="error"]', (e) => e.map((x) => x.textContent))).toEqual([]);
  expect(w.errors).toEqual([]);
  expect(w.dialogs).toEqual([]);
  expect(foreignRequests(w.requests, baseUrl)).toEqual([]);
  void PARAMS;
  await w.ctx.close();
}, 420_000);
