import { describe, expect, it } from 'vitest';
import { interpolateRdBu } from 'd3';
import { divergingColor, writeDivergingRgb } from '../../../src/kit/HeatStrip';

const rgb = (css: string) => (/rgb\((\d+), (\d+), (\d+)\)/.exec(css) ?? []).slice(1).map(Number);

describe('writeDivergingRgb (image buffers)', () => {
  it('is within one unit per channel of the exact diverging colour, opaque, and clamps beyond ±maxAbs', () => {
    const out = new Uint8ClampedArray(4);
    let worst = 0;
    for (let i = 0; i <= 4000; i++) {
      const v = -3 + (6 * i) / 4000;
      writeDivergingRgb(out, 0, v, 2);
      const want = rgb(divergingColor(v, 2));
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(out[c] - want[c]));
      expect(out[3]).toBe(255);
    }
    expect(worst).toBeLessThanOrEqual(1);
    writeDivergingRgb(out, 0, -10, 1);
    expect([...out.slice(0, 3)]).toEqual(rgb(interpolateRdBu(0)));
    writeDivergingRgb(out, 0, 10, 1);
    expect([...out.slice(0, 3)]).toEqual(rgb(interpolateRdBu(1)));
  });

  it('draws 0, NaN and a zero scale at the neutral middle, at the given offset', () => {
    const out = new Uint8ClampedArray(12);
    writeDivergingRgb(out, 4, NaN, 1);
    writeDivergingRgb(out, 8, 5, 0);
    const mid = rgb(interpolateRdBu(0.5));
    expect([...out.slice(4, 7)]).toEqual(mid);
    expect([...out.slice(8, 11)]).toEqual(mid);
    expect([...out.slice(0, 4)]).toEqual([0, 0, 0, 0]);
  });
});
