/**
 * Chapter 11's training lab in the built page, on the wasm backend: train a
 * fixed number of steps with a fixed seed, check the loss fell below stated
 * values and every figure shows the recorded steps, then Reset and check the
 * same curve comes back; the trainer worker's tensor count stays flat over 20
 * resets; the switches live in the URL. Speed is measured in the bench, never here.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { num, reveal } from './helpers';

const baseUrl = inject('baseUrl');
const STEPS = 80;

let browser: Browser;
let page: Page;
const errors: string[] = [];

interface RunData {
  run: number;
  step: number[];
  lossA: number[];
  lossB: number[];
  records: number;
}
const runData = () => page.evaluate(() => (window as unknown as { __trainlab: { data(): RunData } }).__trainlab.data());
const workerTensors = () =>
  page.evaluate(
    async () =>
      (
        (await (window as unknown as { __trainlab: { memory(): Promise<{ numTensors: number }> } }).__trainlab.memory()) as {
          numTensors: number;
        }
      ).numTensors,
  );

async function trainSteps(n: number): Promise<RunData> {
  await press('tl-start');
  await page.waitForFunction(
    (k) => (window as unknown as { __trainlab: { data(): { step: number[] } } }).__trainlab.data().step.length >= k,
    n,
    { timeout: 150_000, polling: 200 },
  );
  await press('tl-start'); // Pause
  await page.waitForSelector('[data-testid="tl-readout"][data-running="0"]');
  await page.waitForTimeout(600); // the last redraw
  return runData();
}

async function waitReady() {
  await page.waitForSelector('[data-testid="training-lab"][data-status="ready"]', { timeout: 120_000 });
  await page.waitForSelector('[data-testid="tl-readout"][data-step="0"]');
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Presses a lab button as a DOM click: the chapter's figures render as the run goes and move the page under a
 * pointer, so a positioned click can land on the sticky prompt bar instead (reliability-a11y operates every
 * control from the keyboard).
 */
const press = (id: string) => page.getByTestId(id).evaluate((e) => (e as HTMLButtonElement).click());

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}?backend=wasm&tl_seed=1`);
  await reveal(page.getByTestId('tl-start')); // figures render only near the screen
  await waitReady();
});

afterAll(async () => {
  await browser?.close();
});

describe('chapter 11: the training lab', () => {
  let first: RunData;

  test(`${STEPS} steps with seed 1: the loss falls below the stated values and every figure shows the recorded steps`, async () => {
    expect(await page.getByTestId('tl-setup').textContent()).toContain('d_model 32');
    first = await trainSteps(STEPS);
    expect(first.step.slice(0, STEPS)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    const unigram = 4.2533; // the toy corpus's unigram entropy in nats, also stated in the chart
    expect(await page.getByTestId('tl-loss').textContent()).toContain('unigram entropy 4.25');
    // A (LayerNorm) well below the unigram entropy after 80 steps; B (no LayerNorm) learns more slowly but has left the start.
    const a = mean(first.lossA.slice(STEPS - 20, STEPS));
    const b = mean(first.lossB.slice(STEPS - 20, STEPS));
    expect(first.lossA[0]).toBeGreaterThan(5);
    expect(a).toBeLessThan(3.6);
    expect(a).toBeLessThan(unigram - 0.5);
    expect(b).toBeLessThan(4.6);

    const steps = first.step.length;
    expect(await num(page.getByTestId('tl-loss'), 'data-points')).toBe(steps);
    expect(await num(page.getByTestId('tl-loss'), 'data-last-step')).toBe(steps);
    const records = first.records;
    expect(records).toBe(Math.floor(steps / 5) + 1); // step 0 and every fifth step
    for (const id of ['tl-norm', 'tl-cos', 'tl-agree', 'tl-plane-a', 'tl-plane-b'])
      expect(await num(page.getByTestId(id), 'data-points'), id).toBe(records);
    expect(await num(page.getByTestId('tl-rownorms'), 'data-step')).toBe(Math.floor(steps / 5) * 5);
    expect(await page.getByTestId('tl-plane-a').locator('circle').count()).toBeGreaterThanOrEqual(records);
    // The prose reports this run's numbers.
    const report = page.getByTestId('tl-report');
    expect(await report.getAttribute('data-ready')).toBe('1');
    expect(await num(report, 'data-step')).toBe(steps);
    expect(await report.textContent()).toContain(`after ${steps} steps`);
  });

  test('Reset replays the same curve (same seed, same backend)', async () => {
    await press('tl-reset');
    await waitReady();
    const again = await trainSteps(STEPS);
    expect(again.run).toBeGreaterThan(first.run);
    expect(again.lossA.slice(0, STEPS)).toEqual(first.lossA.slice(0, STEPS));
    expect(again.lossB.slice(0, STEPS)).toEqual(first.lossB.slice(0, STEPS));
  });

  test('while the reader drags a slider elsewhere the trainer takes no step, and it goes on afterwards', async () => {
    await press('tl-reset');
    await waitReady();
    await press('tl-start');
    const steps = async () => (await runData()).step.length;
    await expect.poll(steps, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    // a range input outside the lab, dragged: an input event every 50 ms for 2 s
    const counts = await page.evaluate(async () => {
      const lab = (window as unknown as { __trainlab: { data(): { step: number[] } } }).__trainlab;
      const r = document.createElement('input');
      r.type = 'range';
      document.body.appendChild(r);
      const seen: number[] = [];
      for (let i = 0; i < 40; i++) {
        r.value = String(i % 100);
        r.dispatchEvent(new Event('input', { bubbles: true }));
        if (i === 10 || i === 39) seen.push(lab.data().step.length);
        await new Promise((res) => setTimeout(res, 50));
      }
      r.remove();
      return { during: seen, cores: navigator.hardwareConcurrency };
    });
    if (counts.cores <= 4) expect(counts.during[1]).toBe(counts.during[0]); // held for the last 1.5 s of the drag
    await expect.poll(steps, { timeout: 30_000 }).toBeGreaterThan(counts.during[1] + 2); // and training resumes
    await press('tl-start'); // Pause
    await page.waitForSelector('[data-testid="tl-readout"][data-running="0"]');
  });

  test('the trainer worker leaks no tensor over 20 resets, with training in between', async () => {
    await press('tl-reset');
    await waitReady();
    const base = await workerTensors();
    for (let i = 0; i < 20; i++) {
      if (i % 4 === 0) {
        await press('tl-start');
        await page.waitForTimeout(300);
      }
      await press('tl-reset');
      await waitReady();
    }
    expect(await workerTensors()).toBe(base);
  });

  test('the switch and the seed are URL state; a new switch rebuilds the pair', async () => {
    await page.getByTestId('tl-diff-tied').check();
    await page.waitForFunction(() => location.search.includes('tl_diff=tied'));
    await waitReady();
    expect(await page.locator('.tl-legend').first().textContent()).toContain('untied');
    await page.getByTestId('tl-seed').fill('42');
    await page.waitForFunction(() => location.search.includes('tl_seed=42'));
    await page.getByTestId('tl-seed').fill('abc');
    expect(await page.getByTestId('tl-seed').getAttribute('aria-invalid')).toBe('true');
    expect(errors).toEqual([]);
  });
});
