/** Small helpers shared by the browser tests that drive the essay's figures. */
import type { Locator, Page } from 'playwright-core';

/** A numeric data-* attribute of a figure element (NaN when absent or empty). */
export async function num(loc: Locator, attr: string): Promise<number> {
  await reveal(loc);
  const v = await loc.getAttribute(attr);
  if (v === null || v === '') return NaN;
  return Number(v);
}

/** Drags the thumb of a native range input with the mouse, from one fraction of its width to another. */
export async function dragRange(page: Page, loc: Locator, fromFrac: number, toFrac: number) {
  // centred, so that the sticky prompt bar never covers the track
  await loc.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  const b = (await loc.boundingBox())!;
  const y = b.y + b.height / 2;
  await page.mouse.move(b.x + 8 + (b.width - 16) * fromFrac, y);
  await page.mouse.down();
  await page.mouse.move(b.x + 8 + (b.width - 16) * ((fromFrac + toFrac) / 2), y, { steps: 3 });
  await page.mouse.move(b.x + 8 + (b.width - 16) * toFrac, y, { steps: 3 });
  await page.mouse.up();
}

/**
 * Brings the figure holding `loc` near the screen and waits until it renders
 * live. Figures render only near the viewport (src/kit/Figure.tsx): one that
 * has not rendered yet has no elements to find, so the page is scrolled down
 * (and round again from the top) until `loc` exists; then it is scrolled into
 * view (unless part of it is on screen already) and its figure frame reports
 * `data-near="1"`.
 */
export async function reveal(loc: Locator, timeout = 90_000): Promise<void> {
  const page = loc.page();
  const t0 = Date.now();
  while ((await loc.count()) === 0) {
    if (Date.now() - t0 > timeout) throw new Error(`reveal: ${loc} did not appear within ${timeout} ms`);
    const atEnd = await page.evaluate(() => {
      const before = window.scrollY;
      window.scrollBy(0, Math.round(window.innerHeight * 0.8));
      if (window.scrollY !== before) return false;
      window.scrollTo(0, 0);
      return true;
    });
    await page.waitForTimeout(atEnd ? 300 : 80);
  }
  const el = loc.first();
  // Scroll only when no part of it is on screen: reading a figure must not move the page under the reader's mouse.
  const onScreen = await el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.width + r.height > 0;
  });
  if (!onScreen) await el.scrollIntoViewIfNeeded();
  await el.evaluate(
    (node) =>
      new Promise<void>((resolve) => {
        const check = () => {
          const f = node.closest('figure.figure');
          if (!f || f.getAttribute('data-near') === '1') resolve();
          else requestAnimationFrame(check);
        };
        check();
      }),
  );
}

/** Scrolls a figure frame (or the first figure inside `selector`) into view and waits until it renders live. */
export async function revealFigure(page: Page, selector: string): Promise<void> {
  const fig = page.locator(selector).locator('xpath=descendant-or-self::figure[contains(@class,"figure")]').first();
  await fig.scrollIntoViewIfNeeded();
  await page.waitForFunction((f) => f?.getAttribute('data-near') === '1', await fig.elementHandle(), { polling: 'raf' });
}

/** An attribute of an element inside a figure, read once the figure is on screen and live. */
export async function attr(loc: Locator, name: string): Promise<string | null> {
  await reveal(loc);
  return loc.getAttribute(name);
}

/**
 * Scrolls through the whole page once, so that every figure has rendered
 * (a figure stays mounted once it has), then back to the top. For tests that
 * check every figure at once (axe, keyboard, soak).
 */
export async function renderEveryFigure(page: Page, timeout = 120_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const left = await page.evaluate(() => document.querySelectorAll('figure.figure .figure-placeholder').length);
    if (left === 0) break;
    if (Date.now() - t0 > timeout) throw new Error(`renderEveryFigure: ${left} figures still not rendered`);
    await page.evaluate(() => {
      const ph = document.querySelector('figure.figure .figure-placeholder');
      ph?.closest('figure')?.scrollIntoView({ block: 'center' });
    });
    await page.waitForTimeout(150);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(150);
}
