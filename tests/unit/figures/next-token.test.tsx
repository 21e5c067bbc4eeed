import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { nextTokenIds, nextTokenRows } from '../../../src/figures/next-token/compute';
import { softmax } from '../../../src/geometry/softmax';
import { NextTokenView } from '../../../src/figures/next-token/NextTokenView';
import { parityFixture } from './parity-fixture';

describe('next-token view from the parity fixture', () => {
  const p = parityFixture('tiny-tied')[0];

  it('lists the k most likely tokens in order, with probabilities that sum to at most 1', () => {
    const ids = nextTokenIds(p.logits_last, 8);
    const rows = nextTokenRows(p.logits_last, 1, ids);
    expect(rows).toHaveLength(8);
    // exactly the numbers of the whole distribution, at every temperature
    for (const T of [0, 0.3, 1, 7, Infinity]) {
      const full = softmax(p.logits_last, T);
      expect(nextTokenRows(p.logits_last, T, ids).map((r) => r.p)).toEqual(ids.map((i) => full[i]));
    }
    for (let i = 1; i < rows.length; i++) expect(rows[i].p).toBeLessThanOrEqual(rows[i - 1].p);
    expect(rows.reduce((s, r) => s + r.p, 0)).toBeLessThanOrEqual(1 + 1e-9);
    // the argmax of the reference logits is first
    let best = 0;
    for (let i = 1; i < p.logits_last.length; i++) if (p.logits_last[i] > p.logits_last[best]) best = i;
    expect(rows[0].id).toBe(best);
    // T = 0 puts all mass on it
    expect(nextTokenRows(p.logits_last, 0, nextTokenIds(p.logits_last, 3))[0]).toEqual({ id: best, p: 1 });
  });

  it('renders one list item per row, bars scaled to the first', () => {
    const rows = nextTokenRows(p.logits_last, 1, nextTokenIds(p.logits_last, 5));
    const html = renderToStaticMarkup(<NextTokenView rows={rows} />);
    expect(html.match(/<li /g)).toHaveLength(5);
    expect(html).toContain(`data-token-id="${rows[0].id}"`);
    expect(html).toContain('transform:scaleX(1)');
    // without a tokenizer (no model loaded) a token shows as its id
    expect(html).toContain(`#${rows[0].id}`);
  });
});
