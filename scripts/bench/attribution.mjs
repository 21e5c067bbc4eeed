/**
 * Benchmark rows of chapter 6's attribution section (issue 18):
 *   - the inspect request against the page's default forward (no lens, the last row
 *     of logits) on the bench page, alternating, per prompt length: ms inside the
 *     worker (and the forward with the logit lens inline, for reference);
 *   - the attention-pattern grid of the essay page (figure 6e) redrawn while the
 *     reader moves between heads with the arrow keys, on a loaded checkpoint:
 *     the grid's own redraw time (its data-draw-ms) and key -> next frame.
 * Both are measured on whatever else the machine is doing; the report says so.
 */
import { bringFigureIntoView } from './app-page.mjs';
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null;
};
const r2 = (x) => (x === null || x === undefined ? null : Math.round(x * 100) / 100);
const summary = (xs) => ({ n: xs.length, p50: r2(median(xs)), p95: r2(q(xs, 0.95)), min: r2(Math.min(...xs)), max: r2(Math.max(...xs)) });

export async function measureInspect(page, { modelUrl, key, Ts, reps, warm }) {
  await page.evaluate((n) => window.__bench.backend(n), 'wasm');
  await page.evaluate(({ u, k }) => window.__bench.load(u, k), { u: modelUrl, k: key });
  const out = { note: 'worker ms, measured under whatever load the machine had', byT: {} };
  for (const T of Ts) {
    const r = await page.evaluate(({ T, n, w }) => window.__bench.inspectVsForward(T, n, w), { T, n: reps, w: warm });
    const f = median(r.forward);
    const i = median(r.inspect);
    out.byT[T] = {
      T: r.T,
      forwardMs: summary(r.forward),
      withLensForwardMs: summary(r.withLens),
      inspectMs: summary(r.inspect),
      ratio: f ? r2(i / f) : null,
      ratioVsWithLens: median(r.withLens) ? r2(i / median(r.withLens)) : null,
      // pairs run back to back: the ratio of each pair, which cancels slow drifts of the machine's load
      pairRatioP50: r2(median(r.inspect.map((x, j) => x / r.forward[j]))),
    };
  }
  return out;
}

/** In the essay page with a model loaded: focus figure 6e's grid, move between heads by key, time each redraw. */
export async function measureGridRedraw(page, { steps }) {
  await bringFigureIntoView(page, '#fig-6e');
  const grid = page.locator('[data-testid=attention-grid-canvas]');
  await grid.waitFor({ timeout: 600_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=attention-grid-canvas]')?.getAttribute('data-marked'), undefined, {
    timeout: 600_000,
  });
  const shape = await page.evaluate(() => ({
    L: window.__td.info.config.nLayer,
    H: window.__td.info.config.nHead,
    T: window.__td.forward?.T ?? null,
  }));
  await grid.focus();
  // one burst of arrow keys inside the page, as a reader holding a key: each step times keydown -> the
  // second animation frame after it (React's update and the canvas redraw are both in it), and reads the
  // grid's own redraw time (data-draw-ms)
  const { draw, frame, update } = await page.evaluate(async (steps) => {
    const el = document.querySelector('[data-testid=attention-grid-canvas]');
    const keys = ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'];
    const draw = [];
    const frame = [];
    const update = [];
    for (let i = 0; i < steps; i++) {
      const before = el.getAttribute('data-selected');
      const t0 = performance.now();
      el.dispatchEvent(new KeyboardEvent('keydown', { key: keys[Math.floor(i / 3) % 4], bubbles: true }));
      // a keydown is a discrete event: React renders, commits and runs the redraw effect before this resolves
      await Promise.resolve();
      const u = performance.now() - t0;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const ms = performance.now() - t0;
      if (el.getAttribute('data-selected') !== before) {
        draw.push(Number(el.getAttribute('data-draw-ms')));
        frame.push(ms);
        update.push(u);
      }
    }
    return { draw, frame, update };
  }, steps);
  return {
    shape,
    moves: draw.length,
    drawMs: summary(draw),
    keyUpdateMs: summary(update),
    keyToSecondFrameMs: summary(frame),
    note: 'measured under load; keyToSecondFrame = keydown to the second animation frame after it (React update + redraw + up to two frame waits)',
  };
}

export function printAttribution(run, p) {
  if (run.inspect) {
    if (run.inspect.error) p(`  inspect: ERROR ${run.inspect.error}`);
    else
      for (const [T, v] of Object.entries(run.inspect.byT))
        p(
          `  inspect vs default forward at ${T} tokens (worker): ${v.inspectMs.p50} vs ${v.forwardMs.p50} ms, ratio ${v.ratio} (pairwise p50 ${v.pairRatioP50}); vs the forward with the lens inline (${v.withLensForwardMs.p50} ms) ${v.ratioVsWithLens}; under load`,
        );
  }
  if (run.gridRedraw) {
    const g = run.gridRedraw;
    if (g.error) p(`  pattern grid: ERROR ${g.error}`);
    else
      p(
        `  pattern grid (${g.shape.L}×${g.shape.H} heads, ${g.shape.T} tokens): canvas redraw p50 ${g.drawMs.p50} ms, p95 ${g.drawMs.p95} ms; key -> React update + redraw p50 ${g.keyUpdateMs.p50} ms, p95 ${g.keyUpdateMs.p95} ms; key -> second frame p50 ${g.keyToSecondFrameMs.p50} ms; ${g.moves} moves, under load`,
      );
  }
}
