import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { histogram, indicesInRange } from '../../../src/geometry/histogram';
import { BINS, binSelected, histogramRows, normStats, roundedRange, tailRange } from '../../../src/figures/norm-histogram/compute';
import { NormHistogramView, type NormHistogramViewProps } from '../../../src/figures/norm-histogram/NormHistogramView';

// 256 row norms 1, 1 + 1/128, …, 1 + 255/128: exact in float32, so every range below has a known answer.
const V = 256;
const norms = Float32Array.from({ length: V }, (_, i) => 1 + i / 128);

const noop = () => {};
function props(over: Partial<NormHistogramViewProps> = {}): NormHistogramViewProps {
  const h = histogram(norms, BINS);
  return {
    tied: true,
    matName: 'wte',
    vocabSize: V,
    lo: 0,
    hi: 0,
    norms,
    h,
    stats: normStats(norms),
    sel: [],
    onMatrix: noop,
    onTail: noop,
    onLo: noop,
    onHi: noop,
    onClear: noop,
    onRange: noop,
    ...over,
  };
}

describe('norm histogram maths', () => {
  it('the tails are the shortest and longest 1% (at least one row); none without rows', () => {
    // 1% of 256 rounds to 3 rows
    expect(tailRange(norms, 'short')).toEqual([1, 1 + 2 / 128]);
    expect(tailRange(norms, 'long')).toEqual([1 + 253 / 128, 1 + 255 / 128]);
    expect(tailRange(Float32Array.of(0.5), 'long')).toEqual([0.5, 0.5]);
    expect(tailRange(new Float32Array(0), 'short')).toBeNull();
    // order does not matter
    expect(tailRange(Float32Array.of(3, 1, 2), 'short')).toEqual([1, 1]);
  });

  it('a range is put in order and rounded to 4 decimals', () => {
    expect(roundedRange(2.123456, 1.00004)).toEqual([1, 2.1235]);
    expect(roundedRange(0, 0)).toEqual([0, 0]);
  });

  it('bins cover every row; a range selects the bins it overlaps, an empty range none', () => {
    const h = histogram(norms, BINS);
    expect(h.counts).toHaveLength(BINS);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(V);
    const rows = histogramRows(h);
    expect(rows[0].bin_from).toBe(1);
    expect(rows[BINS - 1].bin_to).toBeCloseTo(1 + 255 / 128, 9);
    expect(rows.map((r) => r.rows)).toEqual(h.counts);
    // bin width 255/128/60: [1.5, 2] overlaps bins 15..30
    const sel = h.counts.map((_, i) => binSelected(h, i, 1.5, 2));
    expect(sel.filter(Boolean)).toHaveLength(16);
    expect(sel.indexOf(true)).toBe(15);
    expect(sel.lastIndexOf(true)).toBe(30);
    expect(h.counts.some((_, i) => binSelected(h, i, 2, 2))).toBe(false);
    expect(h.counts.some((_, i) => binSelected(h, i, 2, 1.5))).toBe(false);
  });

  it('the summary: median halfway between the middle rows, 1st/99th percentiles inside; zeros without rows', () => {
    const s = normStats(norms);
    expect(s.median).toBe(1 + 127.5 / 128);
    expect(s.min).toBe(1);
    expect(s.max).toBe(1 + 255 / 128);
    expect(s.q01).toBeGreaterThan(s.min);
    expect(s.q99).toBeLessThan(s.max);
    expect(normStats(new Float32Array(0))).toEqual({ median: 0, q01: 0, q99: 0, min: 0, max: 0 });
  });
});

describe('norm histogram view', () => {
  it('a selected range: its bars highlighted, its tokens listed shortest first', () => {
    const sel = indicesInRange(norms, 1.5, 2);
    expect(sel).toHaveLength(65);
    const html = renderToStaticMarkup(<NormHistogramView {...props({ lo: 1.5, hi: 2, sel })} />);
    expect(html).toContain('data-testid="norm-histogram" data-count="65" data-lo="1.5" data-hi="2"');
    expect(html.match(/<rect /g)).toHaveLength(BINS);
    expect(html.match(/class="nh-bar sel"/g)).toHaveLength(16);
    expect(html.match(/<li /g)).toHaveLength(65);
    expect(html.indexOf('data-token-id="64"')).toBeLessThan(html.indexOf('data-token-id="128"'));
    expect(html).toContain('data-median="1.99609375" data-min="1" data-max="2.9921875"');
    expect(html).toContain('>clear</button>');
    expect(html).not.toContain('the first 80');
    // tied: no matrix choice
    expect(html).not.toContain('nh-mat');
  });

  it('a long selection lists the first 80; no selection asks for a drag; an untied model offers both matrices', () => {
    const sel = indicesInRange(norms, 1, 2.5);
    const html = renderToStaticMarkup(<NormHistogramView {...props({ lo: 1, hi: 2.5, sel, tied: false, matName: 'wu' })} />);
    expect(html.match(/<li /g)).toHaveLength(80);
    expect(html).toContain(`${sel.length}</strong> tokens with a norm between 1.00 and 2.50 (the first 80, shortest first):`);
    expect(html).toContain('data-testid="nh-mat"');
    expect(html).toContain('<option value="wu" selected="">');
    const none = renderToStaticMarkup(<NormHistogramView {...props()} />);
    expect(none).toContain('Drag across the histogram');
    expect(none).not.toContain('nh-bar sel');
    expect(none).not.toContain('>clear</button>');
  });

  it('while the norms are measured: the controls and a status line, no chart', () => {
    const html = renderToStaticMarkup(<NormHistogramView {...props({ norms: null, h: null, stats: null })} />);
    expect(html).toContain('Measuring 256 rows…');
    expect(html).not.toContain('<svg');
    expect(html).toContain('data-testid="nh-short"');
  });
});
