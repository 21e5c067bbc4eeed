/**
 * Issue 7 (5), GPU faults mid-session: the WebGL context lost
 * (WEBGL_lose_context) and the WebGPU device lost (`device.destroy()`).
 * The page must fall back to the next backend with a visible notice, and
 * the figures must recover (the next-token figure equals a fresh forward pass).
 *
 * Both GPUs are SwiftShader here (software), forced with ?backend=…; each
 * test runs in its own browser. The WebGPU device is destroyed as soon as the
 * model is on it, with the first forward pass (minutes of shader compilation
 * on SwiftShader) in flight: recovery must not wait for it. The same recovery
 * with a stand-in backend: tests/unit/runtime/gpu-loss.test.ts. The device and the GL context are
 * reached through tfjs' global engine in the model worker
 * (`self._tfengine.backend`) via Playwright's worker handle: no debug message
 * in the worker protocol is needed.
 */
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { backendShown, expectFiguresRecovered, foreignRequests, modelWorker, notices, openPage } from '../unit/reliability/page-fixture';

const baseUrl = inject('baseUrl');

async function typeSomething(page: Page, text: string) {
  await page.fill('[data-testid="prompt"]', text);
}

describe('GPU faults', () => {
  it('WebGL context lost mid-session: the page falls back with a notice and the figures recover', async () => {
    const browser = await launchChromium();
    try {
      const w = await openPage(browser, baseUrl, { query: '?backend=webgl', waitReady: false });
      const { page } = w;
      await page.waitForFunction(() => document.querySelector('[data-testid="backend"] strong')?.textContent === 'webgl', undefined, {
        timeout: 180_000,
      });
      await expectFiguresRecovered(page, 180_000);
      const worker = await modelWorker(page);
      const lost = await worker.evaluate(() => {
        const be = (self as unknown as { _tfengine: { backendName: string; backend: { gpgpu?: { gl: WebGLRenderingContext } } } })
          ._tfengine;
        const gl = be.backend.gpgpu?.gl;
        if (!gl) return `no gl on ${be.backendName}`;
        gl.getExtension('WEBGL_lose_context')!.loseContext();
        return gl.isContextLost() ? 'lost' : 'not lost';
      });
      expect(lost).toBe('lost');
      await typeSomething(page, 'After the context was lost, the model still');
      await expectFiguresRecovered(page);
      expect(await backendShown(page)).not.toBe('webgl');
      // TD_SHOTS=dir: keep a picture of the page after the fallback (for a person to look at)
      if (process.env.TD_SHOTS) await page.screenshot({ path: `${process.env.TD_SHOTS}/webgl-lost.png` });
      const n = await notices(page);
      expect(
        n.some((t) => /webgl/i.test(t)),
        `notices: ${n.join(' | ')}`,
      ).toBe(true);
      expect(w.errors).toEqual([]);
      expect(foreignRequests(w.requests, baseUrl)).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 400_000);

  it('WebGPU device lost mid-session (device.destroy()): the page falls back with a notice and the figures recover', async () => {
    const browser = await launchChromium();
    try {
      const w = await openPage(browser, baseUrl, { query: '?backend=webgpu', waitReady: false });
      const { page } = w;
      // WebGPU on SwiftShader needs ~150 s for its first forward pass here (shader compilation), so the device is lost
      // as soon as the model is on it: mid-session, with the first forward pass in flight.
      await page.waitForFunction(() => document.querySelector('[data-testid="backend"] strong')?.textContent === 'webgpu', undefined, {
        timeout: 120_000,
      });
      await page.waitForSelector('[data-testid="model-status"][data-status="ready"]', { timeout: 120_000 });
      const worker = await modelWorker(page);
      const destroyed = await worker.evaluate(() => {
        const be = (self as unknown as { _tfengine: { backendName: string; backend: { device?: { destroy(): void } } } })._tfengine;
        if (!be.backend.device) return `no device on ${be.backendName}`;
        be.backend.device.destroy();
        return 'destroyed';
      });
      expect(destroyed).toBe('destroyed');
      await typeSomething(page, 'After the device was lost, the model still');
      await expectFiguresRecovered(page, 120_000);
      expect(await backendShown(page)).not.toBe('webgpu');
      const n = await notices(page);
      expect(
        n.some((t) => /webgpu/i.test(t)),
        `notices: ${n.join(' | ')}`,
      ).toBe(true);
      expect(w.errors).toEqual([]);
      expect(foreignRequests(w.requests, baseUrl)).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 400_000);
});
