import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  HEAT_MAX,
  cellAt,
  f2,
  fillCosineRows,
  gapsShown,
  maxOf,
  meanByGap,
  positionCosines,
  safeRowNorms,
} from '../../../src/figures/positions/compute';
import { PositionsView, RotaryNote } from '../../../src/figures/positions/PositionsView';

// A toy W_pos [P, 2]: position t points at angle t·θ with length 1 + t, so cos(p_i, p_j) = cos((i − j)·θ) whatever the lengths.
const THETA = 0.1;
function circle(P: number): Float32Array {
  const d = new Float32Array(P * 2);
  for (let t = 0; t < P; t++) {
    d[2 * t] = (1 + t) * Math.cos(t * THETA);
    d[2 * t + 1] = (1 + t) * Math.sin(t * THETA);
  }
  return d;
}
const ref = { current: null };

describe('positions compute', () => {
  it('cosines depend only on the gap; their mean by gap is cos(k·θ)', () => {
    const pc = positionCosines(circle(40), 40, 2);
    expect(pc.n).toBe(40);
    expect(pc.cos).toHaveLength(40 * 40);
    for (const [i, j] of [
      [0, 0],
      [5, 3],
      [3, 5],
      [39, 0],
    ])
      expect(pc.cos[i * 40 + j]).toBeCloseTo(Math.cos((i - j) * THETA), 5);
    expect(pc.byGap[0]).toBe(0);
    for (let k = 1; k < 40; k++) expect(pc.byGap[k]).toBeCloseTo(Math.cos(k * THETA), 5);
  });

  it('filled in slices, the matrix is the same as in one pass', () => {
    const d = circle(10);
    const norms = safeRowNorms(d, 10, 2);
    const cos = new Float32Array(100);
    fillCosineRows(d, 2, norms, cos, 10, 0, 3);
    fillCosineRows(d, 2, norms, cos, 10, 3, 7);
    fillCosineRows(d, 2, norms, cos, 10, 7, 10);
    expect(Array.from(cos)).toEqual(Array.from(positionCosines(d, 10, 2).cos));
    expect(Array.from(meanByGap(cos, 10))).toEqual(Array.from(positionCosines(d, 10, 2).byGap));
  });

  it('a zero row gives cosines of 0, not NaN; at most HEAT_MAX positions; one position has no gaps', () => {
    const d = Float32Array.from([1, 0, 0, 0, 0, 1]);
    expect(Array.from(safeRowNorms(d, 3, 2))).toEqual([1, 1, 1]);
    const pc = positionCosines(d, 3, 2);
    expect(Array.from(pc.cos)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(positionCosines(circle(HEAT_MAX + 10), HEAT_MAX + 10, 2).n).toBe(HEAT_MAX);
    const one = positionCosines(Float32Array.from([3, 4]), 1, 2);
    expect(Array.from(one.cos)).toEqual([1]);
    expect(Array.from(one.byGap)).toEqual([0]);
    expect(positionCosines(new Float32Array(0), 0, 2).n).toBe(0);
  });

  it('gaps, cells under the pointer, formatting', () => {
    expect(gapsShown(1)).toEqual([]);
    expect(gapsShown(33)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(gapsShown(1024)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(cellAt(0, 0, 4)).toEqual({ i: 0, j: 0 });
    expect(cellAt(0.99, 0.5, 4)).toEqual({ i: 2, j: 3 });
    expect(cellAt(1, 0, 4)).toBeNull();
    expect(cellAt(-0.01, 0, 4)).toBeNull();
    expect(maxOf([])).toBe(0);
    expect(maxOf(Float32Array.from([1, 3, 2]))).toBe(3);
    expect(f2(-0.001)).toBe('0.00');
    expect(f2(-0.5)).toBe('−0.50');
    expect(f2(0.257)).toBe('0.26');
  });
});

describe('positions view', () => {
  it('draws the norm line, the heatmap and the table of gaps', () => {
    const P = 1024;
    const pc = positionCosines(circle(P), P, 2);
    const norms = Float32Array.from({ length: P }, (_, t) => 1 + t);
    const html = renderToStaticMarkup(<PositionsView rows={P} norms={norms} pc={pc} width={500} wrapRef={ref} />);
    expect(html).toContain(`data-cos-adjacent="${pc.byGap[1]}" data-cos-far="${pc.byGap[32]}" data-rows="1024"`);
    expect(html).toContain('Length of each positional vector (1,024 positions)');
    expect(html).toContain('Cosine between positions (the first 256 of 1,024)');
    expect(html).toContain(`neighbours average ${f2(Math.cos(THETA))}`);
    expect(html.match(/<tr data-gap=/g)).toHaveLength(7);
    expect(html).toContain(`<tr data-gap="2" data-value="${pc.byGap[2]}"><td>2</td><td class="num">${f2(pc.byGap[2])}</td></tr>`);
    expect(html).toContain('<svg width="500" height="170"');
    expect(html).toContain('style="width:320px;height:320px"');
    expect(html).toMatch(/<path d="M[^"]+" class="pos-line">/);
    expect(html).not.toContain('NaN');
  });

  it('says what it waits for, and what a rotary model has instead', () => {
    const reading = renderToStaticMarkup(<PositionsView rows={null} norms={null} pc={null} width={640} wrapRef={ref} />);
    expect(reading).toContain('Reading the positional vectors…');
    expect(reading).toContain('data-cos-adjacent="" data-cos-far="" data-rows=""');
    const comparing = renderToStaticMarkup(
      <PositionsView rows={8} norms={Float32Array.from({ length: 8 }, () => 1)} pc={null} width={640} wrapRef={ref} />,
    );
    expect(comparing).toContain('Comparing positions…');
    expect(comparing).not.toContain('pos-heatmap');
    // few positions: no "far" value, no "first n of" note
    const few = renderToStaticMarkup(
      <PositionsView
        rows={8}
        norms={Float32Array.from({ length: 8 }, () => 1)}
        pc={positionCosines(circle(8), 8, 2)}
        width={640}
        wrapRef={ref}
      />,
    );
    expect(few).toContain('data-cos-far=""');
    expect(few).not.toContain('(the first');
    expect(few.match(/<tr data-gap=/g)).toHaveLength(3);
    const rotary = renderToStaticMarkup(<RotaryNote label="Pythia" />);
    expect(rotary).toContain('data-positions="rotary"');
    expect(rotary).toContain('Pythia has no table of positional vectors.');
  });
});
