import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { mean, sampleEvery, sharedBins, thin, yExtent } from '../../../src/figures/training-lab/compute';
import { Legend, LineChart, PlanePath, RowNormHistogram, type Series } from '../../../src/figures/training-lab/views';
import type { ProbeReadout } from '../../../src/trainer/trainer';

/** One model's read-out at a step: x at the probe at (x0, x1) in the plane, its cosine with the target row. */
function readout(step: number, x: [number, number], cosA: number, rowNorms: number[] = [1, 2, 3]): ProbeReadout {
  const norm = Math.hypot(x[0], x[1]);
  return {
    step,
    norm: [norm],
    cos: [cosA],
    pTarget: [0.5],
    correct: [true],
    agreement: 0.5,
    agreementN: 10,
    rowNorms,
    plane: { x, bAngle: Math.PI / 2, norm, frac: 1, cosA, cosB: 0 },
  };
}

const line = (n: number, f: (i: number) => number): [number, number][] => Array.from({ length: n }, (_, i) => [i + 1, f(i)]);
const pathD = (html: string, series: number) => html.match(new RegExp(`d="([^"]*)"[^>]*data-series="${series}"`))?.[1] ?? '';

describe('training lab drawing maths', () => {
  it('thinning keeps short series as they are, and at most ~n points of long ones, first and last kept', () => {
    const short = line(500, (i) => i);
    expect(thin(short)).toBe(short);
    const long = line(1001, (i) => i);
    const t = thin(long);
    expect(t.length).toBeLessThanOrEqual(501);
    expect(t.length).toBeGreaterThan(250);
    expect(t[0]).toBe(long[0]);
    expect(t[t.length - 1]).toBe(long[1000]);
    for (let i = 1; i < t.length; i++) expect(t[i][0]).toBeGreaterThan(t[i - 1][0]);
    expect(thin([])).toEqual([]);
  });

  it('the y range: from 0 to 5% above the data, a given domain only widened; non-finite values ignored', () => {
    expect(yExtent([1, 2, 3])[0]).toBe(0);
    expect(yExtent([1, 2, 3])[1]).toBeCloseTo(3.15, 12);
    expect(yExtent([-1, 2, NaN, Infinity])).toEqual([-1, 2 * 1.05]);
    expect(yExtent([0.2, 0.4], [-0.2, 1])).toEqual([-0.2, 1]);
    expect(yExtent([0.2, 1.3], [0, 1])).toEqual([0, 1.3]);
    expect(yExtent([])).toEqual([0, 1e-6 * 1.05]);
  });

  it('shared bins: one range for both lists, the largest in the last bin, every value counted', () => {
    const b = sharedBins(
      [
        [1, 2, 3],
        [3, 4, 5],
      ],
      4,
    );
    expect(b.lo).toBe(1);
    expect(b.hi).toBe(5);
    expect(b.counts).toEqual([
      [1, 1, 1, 0],
      [0, 0, 1, 2],
    ]);
    // all equal: a range of width 1 from the value, everything in the first bin
    expect(sharedBins([[2, 2], [2]], 3)).toEqual({
      lo: 2,
      hi: 3,
      counts: [
        [2, 0, 0],
        [1, 0, 0],
      ],
    });
    expect(sharedBins([[], []], 2)).toEqual({
      lo: 0,
      hi: 1,
      counts: [
        [0, 0],
        [0, 0],
      ],
    });
  });

  it('the plane path samples at most ~150 steps, first and last kept; the mean of nothing is 0', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const s = sampleEvery(xs, 150);
    expect(s.length).toBeLessThanOrEqual(151);
    expect(s[0]).toBe(0);
    expect(s[s.length - 1]).toBe(999);
    expect(s[1]).toBe(7);
    expect(sampleEvery([5])).toEqual([5]);
    expect(sampleEvery([])).toEqual([]);
    expect(sampleEvery(xs.slice(0, 100))).toHaveLength(100);
    expect(mean([])).toBe(0);
    expect(mean([1, 2, 6])).toBe(3);
  });
});

describe('training lab views', () => {
  it('a line chart: one path per model, reference lines labelled, the last step in its data', () => {
    const series: [Series, Series] = [
      { label: 'A', points: line(3, (i) => 3 - i) },
      { label: 'B', points: line(3, (i) => 4 - i) },
    ];
    const html = renderToStaticMarkup(
      <LineChart
        width={400}
        series={series}
        yLabel="loss (nats)"
        hlines={[{ y: 2.5, label: 'unigram entropy 2.50' }]}
        testid="tl-loss"
        ariaLabel="Training loss"
      />,
    );
    expect(html).toContain('data-testid="tl-loss" data-points="3" data-last-step="3"');
    expect(html.match(/class="tl-line"/g)).toHaveLength(2);
    expect(pathD(html, 0)).toMatch(/^M[^L]+L[^L]+L[^L]+$/);
    expect(html).toContain('>unigram entropy 2.50</text>');
    expect(html).toContain('>loss (nats)</text>');
    expect(html).not.toContain('NaN');
  });

  it('a long series is drawn thinned; no points at all draws empty paths, step 0', () => {
    const long: [Series, Series] = [
      { label: 'A', points: line(2000, (i) => 1 / (i + 1)) },
      { label: 'B', points: line(2000, (i) => 2 / (i + 1)) },
    ];
    const html = renderToStaticMarkup(<LineChart width={400} series={long} yLabel="|x|" testid="tl-norm" ariaLabel="" />);
    expect(html).toContain('data-points="2000" data-last-step="2000"');
    const segments = (pathD(html, 1).match(/L/g) ?? []).length + 1;
    expect(segments).toBeLessThanOrEqual(501);
    expect(segments).toBeGreaterThan(250);
    const empty = renderToStaticMarkup(
      <LineChart
        width={400}
        series={[
          { label: 'A', points: [] },
          { label: 'B', points: [] },
        ]}
        yLabel="|x|"
        testid="tl-norm"
        ariaLabel=""
      />,
    );
    expect(empty).toContain('data-points="0" data-last-step="0"');
    expect(empty).not.toContain('NaN');
  });

  it('the legend names both models, A solid and B dashed', () => {
    const html = renderToStaticMarkup(<Legend labels={['with LayerNorm', 'without LayerNorm']} />);
    expect(html).toContain('<strong>A</strong> with LayerNorm');
    expect(html).toContain('<strong>B</strong> without LayerNorm');
    expect(html).toContain('stroke-dasharray="5 3"');
  });

  it('the row-norm histogram: one bar per non-empty bin and model, both ranges in its label', () => {
    const html = renderToStaticMarkup(
      <RowNormHistogram
        width={400}
        norms={[
          [1, 2, 3],
          [3, 4, 5],
        ]}
        labels={['A model', 'B model']}
        step={40}
      />,
    );
    expect(html).toContain('data-testid="tl-rownorms" data-step="40"');
    // 24 bins over [1, 5]: A has 3 distinct bins, B 3
    expect(html.match(/<rect /g)).toHaveLength(6);
    expect(html).toContain(
      'Histogram of the 3 unembedding row lengths at step 40: A A model from 1.00 to 3.00, B B model from 3.00 to 5.00.',
    );
  });

  it('the plane path: a dot per recorded step, the last marked, its angle to the target in the caption', () => {
    const rs = [readout(10, [1, 1], Math.SQRT1_2), readout(20, [2, 1], 2 / Math.sqrt(5)), readout(30, [3, 0], 1)];
    const html = renderToStaticMarkup(
      <PlanePath size={300} readouts={rs} label="A model" target=" Mary" rival=" John" testid="tl-plane-a" k={0} />,
    );
    expect(html).toContain('data-testid="tl-plane-a" data-points="3" data-cos-a="1" data-norm="3"');
    expect(html.match(/class="tl-last"/g)).toHaveLength(1);
    expect(html).toContain('At step 30 its length is 3.00 and its cosine with “ Mary” is 1.00.');
    expect(html).toContain('∠ to <span class="tok"> Mary</span> 0°, 100% of x in this plane');
    expect(html).not.toContain('NaN');
    const none = renderToStaticMarkup(
      <PlanePath size={300} readouts={[]} label="B model" target="a" rival="b" testid="tl-plane-b" k={1} />,
    );
    expect(none).toContain('B model: no steps recorded yet.');
    expect(none).toContain('data-points="0"');
    expect(none).not.toContain('NaN');
  });
});
