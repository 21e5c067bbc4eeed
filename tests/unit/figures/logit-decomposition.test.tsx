import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { decompositionRows, vocabExtremes } from '../../../src/figures/logit-decomposition/compute';
import { LogitDecompositionView } from '../../../src/figures/logit-decomposition/LogitDecompositionView';
import { parityFixture } from './parity-fixture';

describe('logit decomposition from the parity fixture', () => {
  const p = parityFixture('tiny-tied')[0];
  const x = p.ln_f_last;
  const z = p.logits_last;
  const D = x.length;
  const V = z.length;
  const nx = Math.hypot(...x);
  // W_U is not in the fixture: rows u_i = (z_i / |x|²) x + r_i with r_i ⟂ x, so that u_i · x is the reference logit z_i
  const wu = new Float64Array(V * D);
  const uNorms = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    const j = i % D;
    const a = 0.05 * (1 + (i % 7));
    let s = 0;
    for (let c = 0; c < D; c++) {
      const r = a * ((c === j ? 1 : 0) - (x[j] * x[c]) / (nx * nx));
      const u = (z[i] / (nx * nx)) * x[c] + r;
      wu[i * D + c] = u;
      s += u * u;
    }
    uNorms[i] = Math.sqrt(s);
  }
  const order = [...z.keys()].sort((a, b) => z[b] - z[a]);

  it('the top rows are the largest logits, each |u| · |x| · cos θ', () => {
    const rows = decompositionRows(z, wu, D, uNorms, x, nx, 8);
    expect(rows.map((r) => r.id)).toEqual(order.slice(0, 8));
    for (const r of rows) {
      expect(r.logit).toBe(z[r.id]);
      expect(r.dot).toBeCloseTo(z[r.id], 9);
      expect(r.nu * nx * r.cos).toBeCloseTo(r.logit, 9);
      expect(Math.abs(r.cos)).toBeLessThanOrEqual(1 + 1e-12);
    }
    // more rows asked for than there are tokens: every token once
    expect(decompositionRows([2, 1], [1, 0, 0, 1], 2, [1, 1], [2, 1], Math.hypot(2, 1), 5).map((r) => r.id)).toEqual([0, 1]);
    // a zero-length x or row has cosine 0, not NaN
    expect(decompositionRows([0], [1, 0], 2, [1], [0, 0], 0, 1)[0].cos).toBe(0);
    expect(decompositionRows([0], [0, 0], 2, [0], [1, 0], 1, 1)[0].cos).toBe(0);
  });

  it('the vocabulary’s best-aligned and longest rows', () => {
    const e = vocabExtremes(z, uNorms, nx);
    let best = 0;
    let longest = 0;
    for (let i = 1; i < V; i++) {
      if (z[i] / uNorms[i] > z[best] / uNorms[best]) best = i;
      if (uNorms[i] > uNorms[longest]) longest = i;
    }
    expect(e.bestCosId).toBe(best);
    expect(e.bestCos).toBeCloseTo(z[best] / (uNorms[best] * nx), 12);
    expect(e.longestId).toBe(longest);
    expect(e.longest).toBe(uNorms[longest]);
    // hand-built: row 1 points along x (cos 1) but row 0 is longer; a zero row is never the best aligned
    const small = vocabExtremes([1, 1, 0], [2, 1, 0], 1);
    expect(small).toEqual({ bestCos: 1, bestCosId: 1, longest: 2, longestId: 0 });
    expect(vocabExtremes([], [], 1)).toEqual({ bestCos: -Infinity, bestCosId: 0, longest: 0, longestId: 0 });
  });

  it('renders one table row per token with its factors, and the extremes', () => {
    const rows = decompositionRows(z, wu, D, uNorms, x, nx, 8);
    const e = vocabExtremes(z, uNorms, nx);
    const last = p.ids[p.ids.length - 1];
    const html = renderToStaticMarkup(<LogitDecompositionView lastId={last} nx={nx} rows={rows} extremes={e} />);
    expect(html).toContain('data-testid="logit-dec"');
    expect(html).toContain(`data-xnorm="${nx}"`);
    expect(html).toContain(`data-top-id="${order[0]}"`);
    expect(html.match(/<tr data-token-id=/g)).toHaveLength(8);
    expect(html).toContain(`data-logit="${z[order[0]]}"`);
    expect(html).toContain(`data-bestcos-id="${e.bestCosId}"`);
    expect(html).toContain(`data-longest-id="${e.longestId}"`);
    expect(html).toContain(`#${last}`);
    // the longest listed row and the largest listed |logit| each fill their column
    expect((html.match(/width:100%/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(html).not.toContain('NaN');
    // no rows (an empty vocabulary): the table is empty and the top id blank
    const empty = renderToStaticMarkup(<LogitDecompositionView lastId={0} nx={1} rows={[]} extremes={vocabExtremes([], [], 1)} />);
    expect(empty).toContain('data-top-id=""');
    expect(empty).not.toContain('<tr data-token-id=');
  });
});
