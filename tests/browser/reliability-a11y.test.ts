/**
 * Issue 7 (9), accessibility as reliability:
 *   - axe-core (@axe-core/playwright, WCAG 2.x A/AA rules) finds no serious or
 *     critical violation in the prompt bar or in any chapter, in the light and
 *     the dark colour scheme;
 *   - every figure control is reached with Tab alone, and each kind of control
 *     changes with the keyboard (sliders by arrows, selects by arrows,
 *     checkboxes by Space, radios by arrows, text and number fields by typing,
 *     buttons by Enter).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { renderEveryFigure } from './helpers';
import { foreignRequests, openPage, waitSettled, type Watched } from '../unit/reliability/page-fixture';

const baseUrl = inject('baseUrl');
/** Progress lines (set RELIABILITY_LOG=/path to follow a slow run). */
const log = (s: string) =>
  process.env.RELIABILITY_LOG && appendFileSync(process.env.RELIABILITY_LOG, `${new Date().toISOString().slice(11, 19)} ${s}\n`);
let browser: Browser;
const sessions: Watched[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function ready(page: Page) {
  await waitSettled(page, 120_000);
  await page.waitForSelector('[data-testid="next-token"] li', { timeout: 120_000 });
  await renderEveryFigure(page); // figures render only near the screen: bring each one in once
  await page.waitForTimeout(1500); // slower figures draw (lens, histogram, round trip)
}

interface Found {
  scheme: string;
  where: string;
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

for (const scheme of ['light', 'dark'] as const) {
  describe(`axe, ${scheme} colour scheme`, () => {
    it('no serious or critical violation in the prompt bar or any chapter', async () => {
      const w = await openPage(browser, baseUrl, { context: { colorScheme: scheme, viewport: { width: 1280, height: 900 } } });
      sessions.push(w);
      const { page } = w;
      log(`axe ${scheme}: page open`);
      await ready(page);
      log(`axe ${scheme}: ready`);
      const chapters = await page.$$eval('section.chapter', (s) => s.map((x) => x.id));
      expect(chapters.length).toBeGreaterThanOrEqual(10);
      // One scan of the whole page (axe costs ~15 s per run here), each violation then placed in its chapter.
      const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      log(`axe ${scheme}: scanned, ${r.violations.length} violations`);
      const found: Found[] = [];
      for (const v of r.violations) {
        if (v.impact !== 'serious' && v.impact !== 'critical') continue;
        for (const n of v.nodes.slice(0, 5)) {
          const target = n.target.join(' ');
          const where = await page
            .$eval(
              String(n.target[0]),
              (e) => e.closest('section.chapter')?.id ?? (e.closest('.prompt-bar') ? 'prompt bar' : (e.closest('figure')?.id ?? 'page')),
            )
            .catch(() => '?');
          found.push({ scheme, where, id: v.id, impact: v.impact, help: v.help, nodes: [target] });
        }
      }
      const scanned = chapters.length;
      const passes = r.passes.length;
      console.log(`axe (${scheme}): whole page (${scanned} chapters), ${passes} rules passed, ${found.length} serious/critical violations`);
      if (found.length) console.log(JSON.stringify(found, null, 1));
      expect(found).toEqual([]);
      expect(w.errors).toEqual([]);
      expect(foreignRequests(w.requests, baseUrl)).toEqual([]);
      await w.ctx.close();
    });
  });
}

describe('keyboard only', () => {
  it('every figure control is reached by Tab and operated by keys', async () => {
    const w = await openPage(browser, baseUrl, { context: { viewport: { width: 1280, height: 900 } } });
    sessions.push(w);
    const { page } = w;
    await ready(page);
    log('keyboard: ready');
    // Open every text version (a closed <details> hides its controls from Tab by design), tag every
    // control, then Tab through the whole page and record what gets focus.
    const controls = await page.evaluate(() => {
      for (const d of document.querySelectorAll('main details')) (d as HTMLDetailsElement).open = true;
      const sel =
        'main input, main select, main button, main textarea, main [role="slider"], main [tabindex="0"], .prompt-bar textarea, .prompt-bar select';
      const els = [...document.querySelectorAll<HTMLElement>(sel)].filter(
        (e) => !(e as HTMLButtonElement).disabled && e.getClientRects().length > 0,
      );
      return els.map((e, i) => {
        e.setAttribute('data-kb', String(i));
        const fig = e.closest('figure');
        return {
          i,
          tag: e.tagName.toLowerCase(),
          type: (e as HTMLInputElement).type ?? '',
          role: e.getAttribute('role') ?? '',
          testid: e.getAttribute('data-testid') ?? '',
          roving: e.getAttribute('tabindex') === '-1', // one Tab stop for a composite widget (e.g. the lens grid), arrows inside
          fig: fig?.id || e.closest('section')?.id || 'prompt',
          label: (e.getAttribute('aria-label') ?? (e as HTMLInputElement).labels?.[0]?.textContent ?? e.textContent ?? '')
            .trim()
            .slice(0, 40),
        };
      });
    });
    expect(controls.length).toBeGreaterThan(20);
    const reached = new Set<number>();
    await page.focus('[data-testid="prompt"]');
    const promptKb = controls.find((c) => c.testid === 'prompt');
    if (promptKb) reached.add(promptKb.i);
    let presses = 0;
    let wrapped = 0;
    let last = -2;
    while (presses < 2000 && wrapped < 1) {
      await page.keyboard.press('Tab');
      presses++;
      if (presses % 50 === 0) log(`keyboard: ${presses} Tab presses, ${reached.size} reached`);
      const kb = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        if (!a || a === document.body) return -1;
        const k = a.getAttribute('data-kb');
        return k === null ? -3 : Number(k);
      });
      if (kb >= 0) reached.add(kb);
      if (kb === -1 && last !== -1) wrapped++;
      if (kb >= 0 && kb === Number(controls.find((c) => c.testid === 'prompt')?.i)) wrapped++;
      last = kb;
    }
    // radio groups take one Tab stop: a group counts as reached when any of its radios is
    const radioGroups = new Map<string, number[]>();
    for (const c of controls) if (c.type === 'radio') radioGroups.set(c.fig, [...(radioGroups.get(c.fig) ?? []), c.i]);
    for (const c of controls) if (c.roving) radioGroups.set(`roving ${c.fig}`, [...(radioGroups.get(`roving ${c.fig}`) ?? []), c.i]);
    for (const [g, ids] of radioGroups) {
      // a roving group's Tab stop is its one member without tabindex=-1
      if (g.startsWith('roving ')) {
        const fig = g.slice(7);
        const stop = controls.find(
          (c) => c.fig === fig && !c.roving && c.tag === 'button' && reached.has(c.i) && c.label.match(/position/),
        );
        if (stop) ids.forEach((i) => reached.add(i));
      } else if (ids.some((i) => reached.has(i))) ids.forEach((i) => reached.add(i));
    }
    const unreached = controls
      .filter((c) => !reached.has(c.i))
      .map((c) => `${c.fig}: ${c.tag}[${c.type || c.role}] ${c.testid || c.label}`);
    console.log(`keyboard: ${controls.length} controls, ${reached.size} reached with ${presses} Tab presses`);
    expect(unreached).toEqual([]);

    // Operate each kind of control by keys (at most two of each kind per figure).
    const seen = new Map<string, number>();
    const failures: string[] = [];
    let operated = 0;
    for (const c of controls) {
      const kind = `${c.fig}|${c.tag}|${c.type}|${c.role}|${c.testid.replace(/-\d+$/, '')}`;
      if ((seen.get(kind) ?? 0) >= 2) continue;
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      if (c.testid.startsWith('tu-switch') || c.testid === 'gen-compare' || c.testid === 'model-select' || c.testid === 'backend-select')
        continue; // model switches: covered by the soak
      const sel = `[data-kb="${c.i}"]`;
      const el = await page.$(sel);
      if (!el || !(await el.isEnabled().catch(() => false))) continue;
      const before = await page.evaluate((s) => {
        const e = document.querySelector<HTMLElement>(s)!;
        const v = e as HTMLInputElement;
        return JSON.stringify([
          v.value ?? null,
          v.checked ?? null,
          e.getAttribute('aria-valuenow'),
          e.getAttribute('aria-valuetext'),
          e.getAttribute('aria-pressed'),
          e.closest('figure, .prompt-bar')?.textContent?.length ?? 0,
          e.closest('figure, .prompt-bar')?.innerHTML.length ?? 0,
          e.scrollTop,
          e.scrollLeft,
        ]);
      }, sel);
      // (before focusing: some controls act on focus, e.g. a token chip shows its bytes — that is keyboard operation too)
      await el.evaluate((e) => (e as HTMLElement).focus());
      const keys =
        c.tag === 'select'
          ? ['ArrowDown']
          : c.type === 'range' || c.role === 'slider'
            ? ['ArrowRight', 'ArrowLeft', 'ArrowLeft']
            : c.type === 'checkbox'
              ? ['Space']
              : c.type === 'radio'
                ? ['ArrowDown']
                : c.type === 'number'
                  ? ['ArrowUp']
                  : c.tag === 'textarea' || c.type === 'text'
                    ? ['End', 'x']
                    : c.role === 'region'
                      ? ['ArrowDown', 'ArrowRight'] // a scroll container: the keys scroll it
                      : c.role === 'img' || c.role === 'application'
                        ? ['ArrowRight', 'ArrowUp', 'ArrowLeft'] // a chart with a keyboard cursor
                        : ['Enter'];
      if (
        c.role === 'region' &&
        (await page.evaluate((s) => {
          const e = document.querySelector<HTMLElement>(s)!;
          return e.scrollHeight <= e.clientHeight && e.scrollWidth <= e.clientWidth;
        }, sel))
      ) {
        log(`keyboard: ${c.fig} region ${c.label} fits without scrolling; nothing to operate`);
        continue;
      }
      let changed = false;
      for (const k of keys) {
        await page.keyboard.press(k);
        await page.waitForTimeout(120);
        const after = await page.evaluate((s) => {
          const e = document.querySelector<HTMLElement>(s);
          if (!e) return 'gone';
          const v = e as HTMLInputElement;
          return JSON.stringify([
            v.value ?? null,
            v.checked ?? null,
            e.getAttribute('aria-valuenow'),
            e.getAttribute('aria-valuetext'),
            e.getAttribute('aria-pressed'),
            e.closest('figure, .prompt-bar')?.textContent?.length ?? 0,
            e.closest('figure, .prompt-bar')?.innerHTML.length ?? 0,
            e.scrollTop,
            e.scrollLeft,
          ]);
        }, sel);
        if (after !== before) {
          changed = true;
          break;
        }
      }
      operated++;
      log(`keyboard: operated ${c.fig} ${c.tag}[${c.type || c.role}] ${c.testid} changed=${changed}`);
      if (!changed) failures.push(`${c.fig}: ${c.tag}[${c.type || c.role}] ${c.testid || c.label} did not respond to ${keys.join(', ')}`);
      if (c.testid === 'gen-go') {
        await page.focus('[data-testid="gen-stop"]').catch(() => undefined);
        await page.keyboard.press('Enter');
      }
    }
    console.log(`keyboard: ${operated} controls operated by keys, ${failures.length} did not respond`);
    expect(failures).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.ctx.close();
  }, 420_000);
});
