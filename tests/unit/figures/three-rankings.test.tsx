import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { distanceColumn, distanceRankAt, distanceRankCurve, median, rankingsAt } from '../../../src/figures/three-rankings/compute';
import { threeRankings } from '../../../src/geometry/rankings';
import { RankColumn } from '../../../src/figures/three-rankings/ThreeRankings';
import { parityFixture } from './parity-fixture';

describe('three rankings from the parity fixture', () => {
  const p = parityFixture('tiny-tied')[0];
  const V = p.logits_last.length;
  // Row norms are not in the fixture: a deterministic spread of lengths stands in for |u_i|.
  const norms = Float64Array.from({ length: V }, (_, i) => 0.5 + ((i * 7919) % 1000) / 1000);

  it('the dot-product column is the model’s logits in order, the prediction first', () => {
    const r = rankingsAt(p.ln_f_last, p.logits_last, norms, 8);
    const order = [...p.logits_last.keys()].sort((a, b) => p.logits_last[b] - p.logits_last[a]);
    expect(r.dot.map((x) => x.id)).toEqual(order.slice(0, 8));
    expect(r.pred).toBe(order[0]);
    expect(r.targetRank.dot).toBe(0);
    expect(r.xNorm).toBeCloseTo(Math.hypot(...p.ln_f_last), 6);
    // cosines are logits / (|u| |x|), listed in decreasing order
    for (let i = 1; i < r.cosine.length; i++) expect(r.cosine[i].value).toBeLessThanOrEqual(r.cosine[i - 1].value);
    expect(r.cosine[0].value).toBeCloseTo(p.logits_last[r.cosine[0].id] / (norms[r.cosine[0].id] * r.xNorm), 9);
  });

  it('the distance column depends on the length of x; at a huge length it follows the dot product', () => {
    const r = rankingsAt(p.ln_f_last, p.logits_last, norms, 8);
    const med = median(norms);
    const far = distanceColumn(r, norms, 1e6 * med, 8);
    expect(far.list[0].id).toBe(r.pred);
    const curve = distanceRankCurve(r, norms, med, -1, 2.5);
    expect(curve).toHaveLength(37);
    expect(curve[curve.length - 1][1]).toBeLessThanOrEqual(curve[0][1]);
  });

  it('the rank curve counts the same ranks as the distance column, at every length it samples', () => {
    for (const q of parityFixture('tiny-tied')) {
      const r = rankingsAt(q.ln_f_last, q.logits_last, norms, 8);
      const med = median(norms);
      for (const [v, rank] of distanceRankCurve(r, norms, med, -1, 2.5)) {
        const len = Math.pow(10, v) * med;
        expect(rank).toBe(distanceColumn(r, norms, len, 8).rank + 1);
        expect(distanceRankAt(r, norms, len)).toBe(rank - 1);
      }
    }
  });

  it('the distance column at a length is threeRankings’ euclidean column for the scaled vector', () => {
    const r = rankingsAt(p.ln_f_last, p.logits_last, norms, 8);
    for (const len of [0, 0.3, 1, r.xNorm, 7.5, 1e4]) {
      const scaledDots = Float32Array.from(p.logits_last, (d) => d * (len / r.xNorm));
      const full = threeRankings(scaledDots, norms, len, 8, r.pred);
      const col = distanceColumn(r, norms, len, 8);
      expect(col.list).toEqual(full.euclidean);
      expect(col.rank).toBe(full.targetRank.euclidean);
    }
  });

  it('a column renders one row per token, the prediction starred', () => {
    const r = rankingsAt(p.ln_f_last, p.logits_last, norms, 5);
    const html = renderToStaticMarkup(
      <RankColumn
        kind="dot"
        title="Largest dot product"
        sub="x · uᵢ"
        list={r.dot}
        pred={r.pred}
        predRank={0}
        norms={Float32Array.from(norms)}
      />,
    );
    expect(html.match(/<li /g)).toHaveLength(5);
    expect(html).toContain(`data-token-id="${r.pred}"`);
    expect(html).toContain('★');
    expect(html).not.toContain('rank-dot-missing');
  });
});
