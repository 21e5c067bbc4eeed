import { describe, expect, it } from 'vitest';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  chartState,
  columnExtents,
  keepApart,
  markOrder,
  roundTripScores,
  scoreRange,
  selfRank,
} from '../../../src/figures/round-trip/compute';
import { RoundTripView, type RoundTripViewProps } from '../../../src/figures/round-trip/RoundTripView';
import { cholesky, gram } from '../../../src/geometry/pinv';

// W_E with V = 4 tokens in D = 2: rows (1, 0), (0, 2), (1, 1), (−1, 0)
const V = 4;
const D = 2;
const W = Float32Array.of(1, 0, 0, 2, 1, 1, -1, 0);
const norms2 = Float64Array.of(1, 4, 2, 1);
// WᵀW = [[3, 1], [1, 5]]
const chol = cholesky(gram(W, V, D), D);
/** Static markup without the comments React puts between adjacent text nodes. */
const render = (el: ReactElement) => renderToStaticMarkup(el).replaceAll('<!-- -->', '');

describe('round trip on a hand-built embedding', () => {
  it('the transpose scores are the dot products with w_t, peaking at |w_t|²', () => {
    expect(Array.from(roundTripScores(W, V, D, 0, 'transpose', norms2, null)!)).toEqual([1, 0, 1, -1]);
    const y = roundTripScores(W, V, D, 1, 'transpose', norms2, null)!;
    expect(Array.from(y)).toEqual([0, 4, 2, 0]);
    expect(y[1]).toBe(norms2[1]);
    expect(selfRank(y, 1)).toBe(1);
    // a tie does not push the token down; a larger score does
    expect(selfRank([1, 0, 1, -1], 0)).toBe(1);
    expect(selfRank([1, 0, 1, -1], 1)).toBe(3);
    expect(selfRank([5], 0)).toBe(1);
  });

  it('the normalised transpose gives exactly 1 at the token itself', () => {
    const y = roundTripScores(W, V, D, 2, 'normalized', norms2, null)!;
    expect(Array.from(y)).toEqual([1, 0.5, 1, -1]);
    for (let t = 0; t < V; t++) expect(roundTripScores(W, V, D, t, 'normalized', norms2, null)![t]).toBeCloseTo(1, 6);
  });

  it('the pseudo-inverse scores are leverages that add up to D; no factor, no scores', () => {
    expect(chol).not.toBeNull();
    let trace = 0;
    for (let t = 0; t < V; t++) {
      const y = roundTripScores(W, V, D, t, 'pinv', norms2, chol)!;
      expect(y[t]).toBeGreaterThan(0);
      expect(y[t]).toBeLessThanOrEqual(1 + 1e-6);
      trace += y[t];
    }
    expect(trace).toBeCloseTo(D, 5);
    // h_00 = w_0ᵀ (WᵀW)⁻¹ w_0 = 5/14
    expect(roundTripScores(W, V, D, 0, 'pinv', norms2, chol)![0]).toBeCloseTo(5 / 14, 6);
    expect(roundTripScores(W, V, D, 0, 'pinv', norms2, null)).toBeNull();
  });

  it('the axis range, the pixel columns and the label placement', () => {
    expect(scoreRange([1, 5, -2])).toEqual({ lo: -2, hi: 5 * 1.18 });
    expect(scoreRange([0, 0])).toEqual({ lo: 0, hi: 1 });
    expect(scoreRange([-1, -3])).toEqual({ lo: -3, hi: 0 });
    const e = columnExtents([1, 5, -2, 3, 0], 2);
    expect(Array.from(e.max)).toEqual([5, 3]);
    expect(Array.from(e.min)).toEqual([1, -2]);
    // more columns than tokens: each column still covers one token
    const wide = columnExtents([2, -1], 4);
    expect(Array.from(wide.max)).toEqual([2, 2, -1, -1]);
    expect(Array.from(wide.min)).toEqual([2, 2, -1, -1]);
    expect(keepApart([10, 30, 70, 100, 200], 56)).toEqual([true, false, true, false, true]);
    expect(keepApart([], 56)).toEqual([]);
    expect(markOrder(3, [1, 3, 0])).toEqual([3, 1, 0]);
    expect(markOrder(2, [])).toEqual([2]);
  });

  it('the chart state: waiting, singular, pick or ready', () => {
    expect(chartState('transpose', false, null, false)).toBe('waiting');
    expect(chartState('transpose', true, null, false)).toBe('pick');
    expect(chartState('transpose', true, null, true)).toBe('ready');
    expect(chartState('pinv', true, null, false)).toBe('waiting');
    expect(chartState('pinv', true, { chol: null }, false)).toBe('singular');
    expect(chartState('pinv', true, { chol }, true)).toBe('ready');
  });

  const props = (over: Partial<RoundTripViewProps>): RoundTripViewProps => ({
    mode: 'transpose',
    V,
    D,
    state: 'ready',
    y: null,
    tokenId: null,
    top: [],
    rank: null,
    marks: [],
    picker: <span data-testid="picker" />,
    onMode: () => {},
    ...over,
  });

  it('renders the scores, the peak sentence for each mode and the top list', () => {
    const y = roundTripScores(W, V, D, 1, 'transpose', norms2, null)!;
    const top = [1, 2, 0, 3];
    const html = render(<RoundTripView {...props({ y, tokenId: 1, top, rank: 1, marks: [{ id: 1, text: 't1' }] })} />);
    expect(html).toContain('data-testid="round-trip" data-mode="transpose" data-peak="4" data-rank="1" data-token-id="1"');
    expect(html.indexOf('data-testid="picker"')).toBeLessThan(html.indexOf('rt-modes'));
    expect(html).toContain('data-testid="rt-canvas"');
    expect(html).toContain('data-testid="rt-mode-transpose" name="rt-mode" checked=""');
    expect(html.match(/checked=""/g)).toHaveLength(1);
    expect(html.match(/<li /g)).toHaveLength(4);
    expect(html).toContain('<li data-token-id="1" data-value="4" class="self">');
    expect(html).toContain('its squared length), rank <span class="num">1</span> of 4.');
    expect(html).not.toContain('NaN');
    const pinvY = roundTripScores(W, V, D, 0, 'pinv', norms2, chol)!;
    const pinvHtml = render(<RoundTripView {...props({ mode: 'pinv', y: pinvY, tokenId: 0, top: [0], rank: 1 })} />);
    expect(pinvHtml).toContain('the average over all tokens is');
    expect(pinvHtml).toContain('<span class="num">0.50</span>');
    const norm = render(
      <RoundTripView {...props({ mode: 'normalized', y: Float32Array.of(1, 0.5, 1, -1), tokenId: 2, top: [0, 2], rank: 1 })} />,
    );
    expect(norm).toContain('(exactly 1 by construction)');
  });

  it('renders the waiting, singular and pick states without a chart or a peak', () => {
    const wait = render(<RoundTripView {...props({ mode: 'pinv', state: 'waiting' })} />);
    expect(wait).toContain('Preparing the pseudo-inverse (WᵀW over 4 rows)…');
    expect(render(<RoundTripView {...props({ state: 'waiting' })} />)).toContain('Reading the embedding matrix…');
    expect(render(<RoundTripView {...props({ mode: 'pinv', state: 'singular' })} />)).toContain('WᵀW is not invertible');
    const pick = render(<RoundTripView {...props({ state: 'pick' })} />);
    expect(pick).toContain('Pick a token.');
    for (const h of [wait, pick]) {
      expect(h).not.toContain('rt-canvas');
      expect(h).not.toContain('rt-peak');
      expect(h).toContain('data-peak="" data-rank="" data-token-id=""');
    }
  });
});
