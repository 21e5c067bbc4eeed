import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { T_MAX, T_MIN } from '../../../src/geometry/temperature';
import { bestTokenCurve, CURVE_N, markerT, probTicks, temperatureData, temperatureTop } from '../../../src/figures/temperature/compute';
import { softmax } from '../../../src/geometry/softmax';
import { TemperatureView } from '../../../src/figures/temperature/TemperatureView';
import { pct } from '../../../src/kit/format';
import { parityFixture } from './parity-fixture';

describe('temperature maths from the parity fixture', () => {
  const p = parityFixture('tiny-tied')[1];
  const z = p.logits_last;
  const V = z.length;
  let best = 0;
  for (let i = 1; i < V; i++) if (z[i] > z[best]) best = i;

  const top = temperatureTop(z, 10);

  it('the bars are the whole distribution read at its top tokens, at every T; at T = 0 all mass is on the argmax', () => {
    for (const T of [0, 0.05, 0.5, 1, 3, 40, Infinity]) {
      const full = softmax(z, T);
      const d = temperatureData(z, T, top);
      expect(Array.from(d.p)).toEqual(top.ids.map((i) => full[i]));
      expect(d.pNow).toBe(Math.max(...full));
      // most likely first
      for (let j = 1; j < d.p.length; j++) expect(d.p[j]).toBeLessThanOrEqual(d.p[j - 1]);
    }
    const d = temperatureData(z, 1, top);
    expect(d.ids[0]).toBe(best);
    expect(d.p.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    expect(d.pZero).toBe(1);
    const cold = temperatureData(z, 0, top);
    expect(cold.p[0]).toBe(1);
    expect(cold.pNow).toBe(1);
    expect(cold.p.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('the best token’s probability falls as T rises, from near 1 towards 1/V', () => {
    const c = bestTokenCurve(z);
    expect(c).toHaveLength(CURVE_N);
    expect(c[0][0]).toBeCloseTo(T_MIN, 12);
    expect(c[CURVE_N - 1][0]).toBeCloseTo(T_MAX, 9);
    for (let i = 1; i < c.length; i++) {
      expect(c[i][0]).toBeGreaterThan(c[i - 1][0]);
      expect(c[i][1]).toBeLessThanOrEqual(c[i - 1][1] + 1e-15);
    }
    expect(c[0][1]).toBeLessThanOrEqual(1);
    expect(c[CURVE_N - 1][1]).toBeGreaterThan(1 / V);
    expect(c[CURVE_N - 1][1]).toBeLessThan(2 / V);
    expect(c.every(([t, q]) => Number.isFinite(t) && Number.isFinite(q))).toBe(true);
  });

  it('the marker is clamped to the axis, T = 0 has its own column; ticks stop at 1/V', () => {
    expect(markerT(0)).toBeNull();
    expect(markerT(1)).toBe(1);
    expect(markerT(1e-4)).toBe(T_MIN);
    expect(markerT(1e4)).toBe(T_MAX);
    expect(probTicks(4096)).toEqual([1, 0.1, 0.01, 0.001, 1 / 4096]);
    expect(probTicks(10)).toEqual([1, 0.1, 0.1]);
  });

  it('ties at T = 0 share the mass; the runners-up follow in logit order', () => {
    const z4 = [2, 5, 5, 1];
    const d = temperatureData(z4, 0, temperatureTop(z4, 4));
    expect(d.ids).toEqual([1, 2, 0, 3]);
    expect(Array.from(d.p)).toEqual([0.5, 0.5, 0, 0]);
    expect(d.pZero).toBe(0.5);
  });
});

describe('temperature view', () => {
  const p = parityFixture('tiny-tied')[1];
  const z = p.logits_last;
  const curve = bestTokenCurve(z);

  it('renders the bars, the curve and the marker at T = 1', () => {
    const d = temperatureData(z, 1, temperatureTop(z, 10));
    const html = renderToStaticMarkup(<TemperatureView T={1} setT={() => {}} {...d} curve={curve} V={z.length} />);
    expect(html).toContain(`data-testid="temperature" data-temp="1" data-pmax="${d.pNow}" data-v="4096"`);
    // ten bars and the rest
    expect(html.match(/<li /g)).toHaveLength(11);
    expect(html).toContain('data-testid="t-bars"');
    expect(html).toMatch(/class="t-curve" d="M[^"]+"|d="M[^"]+" class="t-curve"/);
    expect(html).toContain('data-testid="t-marker"');
    expect(html).toContain(`now ${pct(d.pNow)} at T = 1.00`);
    expect(html).toContain('Next token at T = 1.00');
  });

  it('at T = 0 the marker sits in the T = 0 column, on top of the dot there', () => {
    const d = temperatureData(z, 0, temperatureTop(z, 10));
    const html = renderToStaticMarkup(<TemperatureView T={0} setT={() => {}} {...d} curve={curve} V={z.length} />);
    expect(html).toContain('<line class="t-now-line" x1="66" x2="66"');
    expect(html).toContain('Next token at T = 0<');
    expect(html).toContain('now 100.0% at T = 0');
  });
});
