/**
 * Bench phase `inputs`: the longest main-thread task (PerformanceObserver
 * 'longtask', which reports tasks over 50 ms) while the reader does the heavy
 * things issue 16 names, each in turn on a page already loaded by the bench
 * (wasm, viewport at the top):
 *   - pastes 100,000 characters into the emptied prompt;
 *   - types 9 keys after it;
 *   - switches to the other bundled model, and back;
 *   - replaces the prompt with 4,000 characters of CJK text (the URL-length rule's case).
 * Each step waits until the page has settled (model ready and named, no
 * forward running, no download in progress) and 500 ms more, so that work the
 * step set off in later tasks is counted with it.
 */

/** In page: true once the model is ready and named as selected, and no forward or download runs. */
function settledInPage() {
  const count = document.querySelector('[data-testid="token-count"]')?.textContent ?? '';
  if (count.includes('running')) return false;
  if (document.querySelector('.prompt-bar progress')) return false;
  const sel = /** @type {HTMLSelectElement | null} */ (document.querySelector('[data-testid="model-select"]'));
  const label = sel?.selectedOptions[0]?.textContent ?? '';
  const status = document.querySelector('[data-testid="model-status"]');
  return status?.getAttribute('data-status') === 'ready' && (status.textContent ?? '').startsWith(label);
}

export async function measureInputs(page, { chars = 100_000 } = {}) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => {
    window.__inputLong = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__inputLong.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  const settle = async () => {
    await page.waitForFunction(settledInPage, undefined, { timeout: 120_000, polling: 50 });
    await page.waitForTimeout(500);
  };
  /** Long tasks since the last call, in ms (and clears the list). */
  const take = () => page.evaluate(() => window.__inputLong.splice(0));
  const steps = {};
  const step = async (name, fn) => {
    await take();
    const t0 = Date.now();
    await fn();
    await settle();
    const tasks = await take();
    steps[name] = {
      wallMs: Date.now() - t0,
      longTasks: tasks.length,
      maxMs: tasks.length ? Math.round(Math.max(...tasks)) : 0, // 0: no task passed 50 ms
    };
  };
  const model = await page.$eval('[data-testid="model-select"]', (s) => /** @type {HTMLSelectElement} */ (s).value);
  const other = await page.$eval(
    '[data-testid="model-select"]',
    (s, m) => [.../** @type {HTMLSelectElement} */ (s).options].map((o) => o.value).find((v) => v !== m && v.startsWith('tiny-')),
    model,
  );
  const prompt = page.getByTestId('prompt');
  await prompt.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await settle();
  const chunk = 'Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, ';
  await step(`paste ${chars} characters`, () => page.keyboard.insertText(chunk.repeat(Math.ceil(chars / chunk.length)).slice(0, chars)));
  await step('type 9 keys after it', () => page.keyboard.type(' and more', { delay: 30 }));
  if (other) {
    await step(`switch model (${model} -> ${other})`, () => page.selectOption('[data-testid="model-select"]', other));
    await step(`switch back (${other} -> ${model})`, () => page.selectOption('[data-testid="model-select"]', model));
  }
  await prompt.focus();
  await page.keyboard.press('Control+A');
  const cjk = '春眠不覺曉處處聞啼鳥夜來風雨聲花落知多少'.repeat(200);
  await step('4,000 CJK characters typed in one insert', () => page.keyboard.insertText(cjk));
  const worst = Math.max(0, ...Object.values(steps).map((s) => s.maxMs));
  return { steps, worstMs: worst };
}
