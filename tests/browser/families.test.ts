/**
 * A random checkpoint of each new family (GPT-NeoX, Llama, GPT-Neo; written by
 * scripts/make-checkpoint.mjs in HF layout with GPT-2's tokenizer) loaded from
 * disk through the loader: the essay switches to it and every chapter renders
 * without an error (chapter 3 says the rotary models have no W_pos).
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import { renderEveryFigure, reveal } from './helpers';
import { makeCheckpoint } from '../../scripts/make-checkpoint.mjs';

const baseUrl = inject('baseUrl');
let browser: Browser;
let work: string;

const FAMILIES = [
  { family: 'gpt_neox', key: 'local-gpt_neox-2l-64d', rotary: true },
  { family: 'llama', key: 'local-llama-2l-64d', rotary: true },
  { family: 'gpt_neo', key: 'local-gpt_neo-2l-64d', rotary: false },
] as const;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'td-families-'));
  for (const f of FAMILIES)
    await makeCheckpoint({ out: join(work, f.family), family: f.family, shape: 'tiny', heads: 2, dtype: 'bf16', seed: 5 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('every chapter renders for each family', () => {
  for (const f of FAMILIES) {
    test(
      f.family,
      async () => {
        const ctx = await browser.newContext();
        const page = await ctx.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
        await page.goto(baseUrl);
        await page.locator('[data-testid=loader]').waitFor();
        errors.length = 0; // only errors after the page is up count (the bundled model may be absent in a dev checkout)
        if ((await page.locator('[data-testid=loader] details[open]').count()) === 0)
          await page.locator('[data-testid=loader-toggle]').click();
        await page
          .locator('[data-testid=file-input]')
          .setInputFiles(['config.json', 'model.safetensors', 'tokenizer.json'].map((n) => join(work, f.family, n)));
        await page.waitForFunction(
          (k) => {
            const td = (window as unknown as { __td?: { info?: { key: string }; status?: string; forward?: { modelKey: string } } }).__td;
            return td?.info?.key === k && td.status === 'ready' && td.forward?.modelKey === k;
          },
          f.key,
          { timeout: 120_000, polling: 200 },
        );
        const chapters = page.locator('section.chapter');
        expect(await chapters.count()).toBeGreaterThanOrEqual(11);
        await renderEveryFigure(page); // figures render only near the screen: draw every one once
        await page.waitForTimeout(2000); // let figures that fetch matrices settle
        for (let i = 0; i < (await chapters.count()); i++) {
          const text = (await chapters.nth(i).innerText()).toLowerCase();
          expect(text, `chapter ${i}`).not.toMatch(/could not be loaded|failed|error:/);
        }
        expect(await page.locator('[data-testid=error]').count()).toBe(0);
        const pos = page.locator('[data-testid=positions]');
        await reveal(pos);
        if (f.rotary) expect(await page.locator('[data-testid=positions][data-positions=rotary]').count()).toBe(1);
        await pos.screenshot({ path: join(tmpdir(), `td-family-${f.family}-positions.png`) });
        expect(errors).toEqual([]);
        await ctx.close();
      },
      180_000,
    );
  }
});
