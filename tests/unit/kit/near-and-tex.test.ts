import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { verticalMargins, withinMargin } from '../../../src/kit/near';
import { RECENT_TEX_CACHE_SIZE, isTypeset, typeset, typesetLater, typesetWhenIdle } from '../../../src/kit/tex-cache';

describe('withinMargin (the measurement a figure takes when its chapter comes into view)', () => {
  it('reads the vertical margins of a rootMargin in px and in % of the viewport', () => {
    expect(verticalMargins('48px 0px 48px 0px', 900)).toEqual([48, 48]);
    expect(verticalMargins('100% 0px 100% 0px', 900)).toEqual([900, 900]);
    expect(verticalMargins('10px 0px 30px', 900)).toEqual([10, 30]);
    expect(verticalMargins('25%', 800)).toEqual([200, 200]);
  });
  it('counts a box as IntersectionObserver does: overlapping the viewport grown by the margins', () => {
    const m = '48px 0px 48px 0px';
    expect(withinMargin({ top: 100, bottom: 300 }, m, 900)).toBe(true);
    expect(withinMargin({ top: 940, bottom: 1200 }, m, 900)).toBe(true); // within 48 px below
    expect(withinMargin({ top: 960, bottom: 1200 }, m, 900)).toBe(false);
    expect(withinMargin({ top: -400, bottom: -40 }, m, 900)).toBe(true); // within 48 px above
    expect(withinMargin({ top: -400, bottom: -60 }, m, 900)).toBe(false);
    expect(withinMargin({ top: 1700, bottom: 1900 }, '100% 0px 100% 0px', 900)).toBe(true);
  });
});

describe('tex-cache (maths typeset ahead in idle time)', () => {
  it('typesets what was asked for only once the idle work has started, and gives KaTeX’s own output', async () => {
    const a = '\\lVert x \\rVert_{\\text{cache test}}';
    const b = 'W_U^{\\top} h_{\\text{cache test}}';
    typesetLater(a, false);
    typesetLater(b, true);
    await new Promise((r) => setTimeout(r, 120));
    expect(isTypeset(a, false)).toBe(false); // nothing runs before the page says so
    typesetWhenIdle();
    await expect.poll(() => isTypeset(a, false) && isTypeset(b, true), { timeout: 2000 }).toBe(true);
    expect(isTypeset(a, true)).toBe(false); // display mode is part of the key
    expect(typeset(b, true)).toBe(
      katex.renderToString(b, { displayMode: true, throwOnError: false, output: 'htmlAndMathml', strict: false }),
    );
  });
  it('typesets on demand what was never asked for, and later requests of it are no-ops', () => {
    const c = 'e_{\\text{on demand}}';
    expect(isTypeset(c, false)).toBe(false);
    const html = typeset(c, false);
    expect(html).toContain('katex');
    typesetLater(c, false);
    expect(typeset(c, false)).toBe(html);
  });
  it('keeps what was prepared ahead; of what was typeset on demand, only the most recently used (live numbers must not pile up)', async () => {
    const fixed = '\\hat{h}_{\\text{prepared}}';
    typesetLater(fixed, true);
    typesetWhenIdle();
    await expect.poll(() => isTypeset(fixed, true), { timeout: 2000 }).toBe(true);
    const used = 'e_{\\text{in use}}';
    const n = 4 * RECENT_TEX_CACHE_SIZE;
    for (let i = 0; i < n; i++) {
      typeset(`T = ${(i / 1000).toFixed(3)}`, false); // what a slider's formula produces, one per step
      if (i % 8 === 0) typeset(used, false);
    }
    expect(isTypeset(fixed, true)).toBe(true);
    expect(isTypeset(used, false)).toBe(true);
    expect(isTypeset('T = 0.000', false)).toBe(false);
    expect(isTypeset(`T = ${((n - 1) / 1000).toFixed(3)}`, false)).toBe(true);
  });
});
