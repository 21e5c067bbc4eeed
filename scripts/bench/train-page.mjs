/**
 * Bench phase `train`: chapter 11's training lab in the essay page (wasm).
 *   - training throughput (tokens/s, both models together) and steps/s;
 *   - time-to-learned: training seconds until model A's 20-step mean loss is
 *     1 nat below the toy corpus's unigram entropy (and the same for B), and
 *     both models' losses after `seconds` of training;
 *   - while it trains: the temperature slider's frame times and the main
 *     thread's long tasks (> 50 ms, PerformanceObserver 'longtask');
 *   - tensors in the trainer worker and the model worker across Start /
 *     Pause / Reset cycles (`resets` of them).
 * The page is one already loaded by the bench (model ready).
 */
import { bringFigureIntoView, sliderInPage } from './app-page.mjs';

const round = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const q = (xs, p) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))] : null;
};
const sum = (xs) => ({ n: xs.length, p50: round(q(xs, 0.5)), p95: round(q(xs, 0.95)), max: round(Math.max(...xs)) });

export async function measureTraining(page, { seconds = 30, sliderSteps = 200, resets = 20 } = {}) {
  // A DOM click: the bench times training, not Playwright's wait for the button to stop moving while
  // figures near it draw for the first time (and a disabled Reset, at step 0, is simply not pressed).
  const press = (id) => page.getByTestId(id).evaluate((e) => e.click());
  // the slider dragged below must exist: a far figure is not mounted after a model switch (an earlier phase switches)
  await bringFigureIntoView(page, '#fig-temperature');
  await page.waitForSelector('[data-testid="t-slider"]');
  await page.locator('#ch11').scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-testid="training-lab"][data-status="ready"]', { timeout: 120_000 });
  await page.waitForSelector('[data-testid="tl-readout"][data-step="0"]');
  const tensors = () =>
    page.evaluate(async () => ({
      trainer: (await window.__trainlab.memory())?.numTensors ?? null,
      model: (await window.__td?.client?.memory?.())?.numTensors ?? null,
    }));
  const before = await tensors();
  const info = await page.evaluate(() => {
    const t = document.querySelector('[data-testid="tl-setup"]')?.textContent ?? '';
    return { setup: t.replace(/\s+/g, ' ').trim() };
  });
  // long tasks on the main thread from here on
  await page.evaluate(() => {
    window.__tlLong = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__tlLong.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  await press('tl-start');
  // the temperature slider, dragged while the lab trains (the lab keeps training off screen); its figure was drawn
  // before the lab started (see above), so coming back to it only catches up
  await bringFigureIntoView(page, '#fig-temperature');
  const slider = await page.evaluate(sliderInPage, { testid: 't-slider', steps: sliderSteps });
  // (the lab's figures do not redraw off screen, so read the recorded run, not the readout)
  await page.waitForFunction((s) => (window.__trainlab.data().t.at(-1) ?? 0) >= s, seconds, {
    timeout: (seconds * 6 + 120) * 1000,
    polling: 250,
  });
  const longTasks = await page.evaluate(() => window.__tlLong.slice());
  await page.locator('#ch11').scrollIntoViewIfNeeded();
  await press('tl-start'); // Pause
  await page.waitForSelector('[data-testid="tl-readout"][data-running="0"]');
  const d = await page.evaluate(() => {
    const x = window.__trainlab.data();
    return { step: x.step.slice(), lossA: x.lossA.slice(), lossB: x.lossB.slice(), t: x.t.slice() };
  });
  const readout = await page
    .getByTestId('tl-readout')
    .evaluate((e) => ({ tokensPerSec: e.textContent, seconds: Number(e.getAttribute('data-seconds')) }));
  const unigram = Number((await page.getByTestId('tl-loss').textContent()).match(/unigram entropy ([\d.]+)/)?.[1]);
  const smooth = (xs) => xs.map((_, i) => (i < 19 ? NaN : xs.slice(i - 19, i + 1).reduce((a, b) => a + b, 0) / 20));
  const learned = (loss) => {
    const s = smooth(loss);
    const i = s.findIndex((v) => v < unigram - 1);
    return i < 0 ? null : { step: d.step[i], seconds: round(d.t[i], 1) };
  };
  const n = d.step.length;
  const last20 = (xs) => round(xs.slice(-20).reduce((a, b) => a + b, 0) / Math.min(20, xs.length), 3);
  const trainSeconds = d.t[n - 1];
  const tokensPerStep = 16 * 24; // batch × context (LAB_OPTIM, LAB_SIZES)
  // Start / Pause / Reset cycles
  for (let i = 0; i < resets; i++) {
    if (i % 4 === 0) {
      await press('tl-start');
      await page.waitForTimeout(300);
      await press('tl-start');
    }
    await press('tl-reset');
    await page.waitForSelector('[data-testid="tl-readout"][data-step="0"][data-running="0"]');
  }
  await page.waitForTimeout(500);
  const after = await tensors();
  return {
    setup: info.setup,
    steps: n,
    trainSeconds: round(trainSeconds, 1),
    stepsPerSec: round(n / trainSeconds),
    tokensPerSec: round((2 * n * tokensPerStep) / trainSeconds, 0),
    unigramEntropy: unigram,
    learnedThreshold: round(unigram - 1, 3),
    learnedA: learned(d.lossA),
    learnedB: learned(d.lossB),
    lossAfter: { a: last20(d.lossA), b: last20(d.lossB) },
    sliderWhileTraining: slider.error
      ? { error: slider.error }
      : { steps: slider.frames.length, frameMs: sum(slider.frames), rafIntervalMs: sum(slider.intervals) },
    longTasks: {
      count: longTasks.length,
      maxMs: longTasks.length ? round(Math.max(...longTasks), 1) : 0,
      over50: longTasks.filter((x) => x > 50).length,
    },
    tensors: { before, after, resets, leakedTrainer: after.trainer - before.trainer, leakedModel: after.model - before.model },
    readout,
  };
}
