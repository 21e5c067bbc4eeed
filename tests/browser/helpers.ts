/** Small helpers shared by the browser tests that drive the essay's figures. */
import type { Locator, Page } from 'playwright-core';

/** A numeric data-* attribute of a figure element (NaN when absent or empty). */
export async function num(loc: Locator, attr: string): Promise<number> {
  const v = await loc.getAttribute(attr);
  if (v === null || v === '') return NaN;
  return Number(v);
}

/** Drags the thumb of a native range input with the mouse, from one fraction of its width to another. */
export async function dragRange(page: Page, loc: Locator, fromFrac: number, toFrac: number) {
  await loc.scrollIntoViewIfNeeded();
  const b = (await loc.boundingBox())!;
  const y = b.y + b.height / 2;
  await page.mouse.move(b.x + 8 + (b.width - 16) * fromFrac, y);
  await page.mouse.down();
  await page.mouse.move(b.x + 8 + (b.width - 16) * ((fromFrac + toFrac) / 2), y, { steps: 3 });
  await page.mouse.move(b.x + 8 + (b.width - 16) * toFrac, y, { steps: 3 });
  await page.mouse.up();
}
