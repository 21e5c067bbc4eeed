import { describe, expect, it } from 'vitest';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  attribute,
  barSlots,
  blockSpans,
  describeContribution,
  headIndex,
  largestContributions,
  nextCursor,
  relativeDifference,
  runningTotals,
  valueExtent,
  type Contribution,
} from '../../../src/figures/logit-attribution/compute';
import { AttributionChartView } from '../../../src/figures/logit-attribution/AttributionChartView';
import type { InspectResult } from '../../../src/runtime/types';

/** Static markup without the comments React puts between adjacent text nodes. */
const render = (el: ReactElement) => renderToStaticMarkup(el).replaceAll('<!-- -->', '');

/**
 * One block of two heads in D = 2: embedding (1, 0), heads (0, 1) and (2, 0), MLP (1, 1), b_O (0, −1),
 * so the residual is (4, 1); the final LayerNorm's 1/σ is 0.5.
 */
function inspectResult(norm: 'layernorm' | 'rmsnorm' = 'layernorm'): InspectResult {
  return {
    seq: 1,
    modelKey: 'hand',
    ids: Int32Array.of(5, 6, 7),
    T: 3,
    L: 1,
    H: 2,
    D: 2,
    pos: 2,
    attn: new Float32Array(1 * 2 * 3 * 3),
    attnRow0: 0,
    attnRows: 3,
    heads: Float32Array.of(0, 1, 2, 0),
    attnBias: Float32Array.of(0, -1),
    mlps: Float32Array.of(1, 1),
    embed: Float32Array.of(1, 0),
    resid: Float32Array.of(4, 1),
    lnMean: norm === 'rmsnorm' ? 0 : 2.5,
    lnScale: 0.5,
    norm,
    ms: 0,
  };
}
// W_U rows u_0 = (1, 0), u_1 = (0, 1): a = 0 against b = 1, Δu = (1, −1)
const WU = Float32Array.of(1, 0, 0, 1);

describe('logit attribution on a hand-built pass', () => {
  it('splits the logit difference exactly, in model order, with the top head', () => {
    const r = inspectResult();
    const att = attribute(r, WU, 0, 1, [1, 1], [0.1, 0.2]);
    expect(att.items.map((c) => c.label)).toEqual(['E', '0.0', '0.1', 'MLP 0', 'b_O', 'ln_f b']);
    // w̄ = 0.5 · (g ⊙ Δu − mean) = (0.5, −0.5): E 0.5, head 0.0 −0.5, head 0.1 1, MLP 0, b_O 0.5; ln_f b = 0.1 − 0.2
    const want = [0.5, -0.5, 1, 0, 0.5, -0.1];
    att.items.forEach((c, i) => expect(c.value).toBeCloseTo(want[i], 12));
    expect(att.sum).toBeCloseTo(1.4, 12);
    // ln_f(resid) · Δu = (0.5 · 1.5 + 0.1) − (0.5 · (−1.5) + 0.2) = 1.4: the bars add up to what the pass gives
    expect(att.direct).toBeCloseTo(1.4, 12);
    expect(att.topHead?.label).toBe('0.1');
    expect([att.topHead?.layer, att.topHead?.head]).toEqual([0, 1]);
    // swapping the two tokens flips every sign
    const back = attribute(r, WU, 1, 0, [1, 1], [0.1, 0.2]);
    back.items.forEach((c, i) => expect(c.value).toBeCloseTo(-want[i], 12));
    // the same token against itself: nothing to split
    expect(attribute(r, WU, 0, 0, [1, 1], [0.1, 0.2]).sum).toBe(0);
  });

  it('stays exact with an uneven gain, centred for LayerNorm and not for RMSNorm', () => {
    for (const norm of ['layernorm', 'rmsnorm'] as const) {
      const att = attribute(inspectResult(norm), WU, 0, 1, [2, 1], [0.3, -0.4]);
      expect(att.sum, norm).toBeCloseTo(att.direct, 12);
      expect(Number.isFinite(att.sum)).toBe(true);
    }
    // g ⊙ Δu = (2, −1): centred (1.5, −1.5) · 0.5 for LayerNorm, (2, −1) · 0.5 for RMSNorm; the embedding (1, 0) reads its first entry
    expect(attribute(inspectResult('layernorm'), WU, 0, 1, [2, 1], [0, 0]).items[0].value).toBeCloseTo(0.75, 12);
    expect(attribute(inspectResult('rmsnorm'), WU, 0, 1, [2, 1], [0, 0]).items[0].value).toBeCloseTo(1, 12);
  });

  it('the chart layout: slots with gaps between groups, running totals, range, labels and keys', () => {
    const items = attribute(inspectResult(), WU, 0, 1, [1, 1], [0.1, 0.2]).items;
    // E | 0.0 0.1 MLP 0 | b_O ln_f b
    expect(barSlots(items)).toEqual({ xs: [0, 2.5, 3.5, 4.5, 7, 8], slots: 9 });
    const run = runningTotals(items);
    expect(run.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0.5, 0, 1, 1, 1.5, 1.4]);
    expect(valueExtent(items, run, null)).toEqual([-0.5, 1.5]);
    expect(valueExtent(items, run, -3)).toEqual([-3, 1.5]);
    expect(valueExtent([], [], null)).toEqual([0, 0]);
    // by magnitude; equal magnitudes keep the model order
    expect(largestContributions(items, 4).map((c) => c.label)).toEqual(['0.1', 'E', '0.0', 'b_O']);
    expect(largestContributions(items, 99)).toHaveLength(items.length);
    expect(relativeDifference(1.4, null)).toBeNull();
    expect(relativeDifference(1.4, 1.4)).toBe(0);
    expect(relativeDifference(1.1, 1)).toBeCloseTo(0.1, 12);
    expect(Number.isFinite(relativeDifference(1, 0)!)).toBe(true);
    expect(headIndex(items, 0, 1)).toBe(2);
    expect(headIndex(items, 3, 0)).toBe(-1);
    expect(describeContribution(items[2])).toBe('head 0.1 (block 0, head 1)');
    expect(describeContribution(items[3])).toBe('the MLP of block 0');
    expect(blockSpans(items, 600)).toEqual([{ layer: 0, first: 1, last: 3 }]);
    expect(nextCursor('ArrowRight', 5, 6)).toBe(5);
    expect(nextCursor('ArrowRight', 1, 6)).toBe(2);
    expect(nextCursor('ArrowLeft', 0, 6)).toBe(0);
    expect(nextCursor('Home', 3, 6)).toBe(0);
    expect(nextCursor('End', 3, 6)).toBe(5);
    expect(nextCursor('a', 3, 6)).toBeNull();
  });

  it('labels every block up to 8, then every second (every third when narrow)', () => {
    const many: Contribution[] = Array.from({ length: 12 }, (_, l) => ({ kind: 'mlp', layer: l, head: -1, label: `MLP ${l}`, value: 1 }));
    expect(blockSpans(many, 600).map((b) => b.layer)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(blockSpans(many, 400).map((b) => b.layer)).toEqual([0, 3, 6, 9]);
    expect(blockSpans(many.slice(0, 8), 400)).toHaveLength(8);
    expect(blockSpans([], 600)).toEqual([]);
  });

  it('renders one bar per component, the sum against the model’s own difference and the largest bars', () => {
    const att = attribute(inspectResult(), WU, 0, 1, [1, 1], [0.1, 0.2]);
    const html = render(
      <AttributionChartView
        items={att.items}
        sum={att.sum}
        truth={att.direct}
        labelA="·Mary"
        labelB="·John"
        selected={{ l: 0, h: 1 }}
        top={att.topHead}
        onSelectHead={() => {}}
      />,
    );
    expect(html).toContain('data-testid="logit-attribution"');
    expect(html.match(/<rect /g)).toHaveLength(att.items.length);
    expect(html).toContain(`data-sum="${att.sum}"`);
    expect(html).toContain(`data-truth="${att.direct}"`);
    expect(html).toContain('data-top="0.1"');
    expect(html).toContain('data-cursor="0.1"');
    expect(html).toContain(`data-values="${att.items.map((c) => c.value.toPrecision(5)).join(',')}"`);
    // the selected head's bar is marked, and the cursor starts on it
    expect(html).toContain('class="la-bar sel cur" data-label="0.1"');
    expect(html).toContain('Contributions of 6 components to logit(·Mary) − logit(·John)');
    expect(html).toMatch(/data-testid="logit-attribution-sum">Sum of all 6 contributions: <strong>1\.40*<\/strong>/);
    expect(html).toContain('(relative difference ');
    expect(html.match(/data-testid="logit-attribution-rank"/g)).toHaveLength(6);
    expect(html).toContain('<tr><th scope="row">the final LayerNorm’s bias</th><td class="num">−0.10</td>');
    expect(html).not.toContain('NaN');
    // while the model's own difference is not in: no line for it and an ellipsis in the sentence
    const waiting = render(
      <AttributionChartView
        items={att.items}
        sum={att.sum}
        truth={null}
        labelA="a"
        labelB="b"
        selected={null}
        top={null}
        onSelectHead={() => {}}
        stale
      />,
    );
    expect(waiting).toContain('class="la stale"');
    expect(waiting).not.toContain('la-truth');
    expect(waiting).not.toContain('relative difference');
    expect(waiting).toContain('data-cursor="E"');
  });
});
