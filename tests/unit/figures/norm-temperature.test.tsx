import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { softmax, topK } from '../../../src/geometry/softmax';
import { scaled } from '../../../src/geometry/temperature';
import { alphaLog, compareScaleAndTemperature, roundLog, tempForLog } from '../../../src/figures/norm-temperature/compute';
import { NormTemperatureView } from '../../../src/figures/norm-temperature/NormTemperatureView';
import { parityFixture } from './parity-fixture';

describe('norm-temperature maths from the parity fixture', () => {
  const p = parityFixture('tiny-tied')[0];
  const z = p.logits_last;
  const V = z.length;

  const ids = topK(z, 6);

  it('softmax(α z) at T = 1 is softmax(z) at T = 1/α, for α above and below 1; the numbers are the whole distributions’', () => {
    for (const alpha of [0.05, 0.5, 1, 2, 30]) {
      const c = compareScaleAndTemperature(z, alpha, ids);
      const a = softmax(scaled(z, alpha), 1);
      const b = softmax(z, 1 / alpha);
      expect(Array.from(c.pScaled)).toEqual(ids.map((i) => a[i]));
      expect(Array.from(c.pTemp)).toEqual(ids.map((i) => b[i]));
      let d = 0;
      for (let i = 0; i < V; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
      expect(c.maxDiff).toBe(d);
      expect(c.maxDiff).toBeLessThan(1e-12);
      expect(c.pMax).toBe(Math.max(...a));
      expect(c.pMax).toBe(c.pScaled[0]);
    }
    // with no finite logit the whole-distribution path answers (and says the two still agree)
    const c = compareScaleAndTemperature([-Infinity, -Infinity], 2, [0, 1]);
    expect(Array.from(c.pScaled)).toEqual([0.5, 0.5]);
    expect(c.maxDiff).toBe(0);
  });

  it('a longer x is a sharper distribution: the top probability grows with α, from 1/V towards 1', () => {
    const ps = [0.01, 0.1, 0.5, 1, 2].map((a) => compareScaleAndTemperature(z, a, ids).pMax);
    for (let i = 1; i < ps.length; i++) expect(ps[i]).toBeGreaterThan(ps[i - 1]);
    expect(ps[0]).toBeGreaterThan(1 / V);
    expect(ps[0]).toBeLessThan(2 / V);
    // far along, the top token takes (in float64) all of the mass
    expect(compareScaleAndTemperature(z, 1000, ids).pMax).toBe(1);
  });

  it('no logits: empty distributions, no difference', () => {
    const c = compareScaleAndTemperature([], 2, []);
    expect(c).toEqual({ ids: [], pScaled: new Float64Array(0), pTemp: new Float64Array(0), maxDiff: 0, pMax: 0 });
  });

  it('linked, the slider follows the temperature (T = 1/α), clamped to its range; T = 0 is its top', () => {
    expect(alphaLog(true, 0.5, 0, -1.5, 1.5)).toBeCloseTo(Math.log10(2), 12);
    expect(alphaLog(true, 1, 0.7, -1.5, 1.5)).toBeCloseTo(0, 12);
    expect(alphaLog(true, 0, 0, -1.5, 1.5)).toBe(1.5);
    expect(alphaLog(true, 1000, 0, -1.5, 1.5)).toBe(-1.5);
    expect(alphaLog(true, 1e-6, 0, -1.5, 1.5)).toBe(1.5);
    expect(alphaLog(false, 0.5, 0.7, -1.5, 1.5)).toBe(0.7);
    expect(roundLog(0.30103)).toBe(0.3);
    expect(tempForLog(0)).toBe(1);
    expect(tempForLog(0.3)).toBe(0.5012);
    expect(tempForLog(-1)).toBe(10);
  });
});

describe('norm-temperature view', () => {
  const p = parityFixture('tiny-tied')[0];
  const xLen = Math.hypot(...p.ln_f_last);

  it('renders both distributions with the same top token and a difference of 0', () => {
    const cmp = compareScaleAndTemperature(p.logits_last, 2, topK(p.logits_last, 6));
    const html = renderToStaticMarkup(
      <NormTemperatureView
        logA={Math.log10(2)}
        alpha={2}
        linked
        scaledLength={2 * xLen}
        cmp={cmp}
        V={p.logits_last.length}
        onLogA={() => {}}
        onLink={() => {}}
      />,
    );
    expect(html).toContain(`data-testid="norm-temp" data-alpha="2" data-maxdiff="${cmp.maxDiff}" data-pmax="${cmp.pMax}"`);
    const top = (id: string) => html.match(new RegExp(`data-testid="${id}" data-pmax="[^"]+" data-top-id="(\\d+)"`))?.[1];
    expect(top('nt-scaled')).toBeDefined();
    expect(top('nt-scaled')).toBe(top('nt-temp'));
    // 6 bars and the rest, in each list
    expect(html.match(/<li /g)).toHaveLength(14);
    expect(html.match(/class="t-rest"/g)).toHaveLength(2);
    expect(html).toContain('α = 2.00');
    expect(html).toContain('= 0.50');
    expect(html).toContain('data-testid="nt-diff">0</strong>');
    expect(html).toContain('data-testid="nt-link" checked=""');
  });

  it('a real difference is shown in the figure’s number format; unlinked the box is clear', () => {
    const base = compareScaleAndTemperature(p.logits_last, 1, topK(p.logits_last, 6));
    const at = (maxDiff: number) =>
      renderToStaticMarkup(
        <NormTemperatureView
          logA={0}
          alpha={1}
          linked={false}
          scaledLength={xLen}
          cmp={{ ...base, maxDiff }}
          V={p.logits_last.length}
          onLogA={() => {}}
          onLink={() => {}}
        />,
      );
    expect(at(0.1234)).toContain('data-testid="nt-diff">0.1</strong>');
    expect(at(2e-9)).toContain('data-testid="nt-diff">2.0e−9</strong>');
    expect(at(1e-13)).toContain('data-testid="nt-diff">0</strong>');
    expect(at(0.1234)).not.toContain('checked=""');
  });
});
