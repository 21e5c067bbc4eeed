/** Helpers for the site tests (service worker, offline). */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Waits until the service worker has installed (precached everything) and activated. */
export async function swActivated(page: Page, timeoutMs = 120_000) {
  const state = await page.evaluate(async (ms) => {
    const end = Date.now() + ms;
    const reg = await Promise.race([navigator.serviceWorker.ready, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
    while (reg && reg.active?.state !== 'activated' && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    return reg?.active?.state ?? 'none';
  }, timeoutMs);
  expect(state).toBe('activated');
}
