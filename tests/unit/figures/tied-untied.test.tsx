import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { BINS, directSummary, summariseCosines } from '../../../src/figures/tied-untied/compute';
import { DirectList, Histogram } from '../../../src/figures/tied-untied/TiedUntied';
import { parityFixture } from './parity-fixture';

describe('tied / untied views from the parity fixture', () => {
  const tied = parityFixture('tiny-tied')[0];
  const untied = parityFixture('tiny-untied')[0];

  it('a tied model’s cosines are all 1: one full bin at the right, mean and median 1', () => {
    const s = summariseCosines(new Float32Array(tied.logits_last.length).fill(1), 'tiny-tied', 'Tiny GPT (tied)', true);
    expect(s.counts).toHaveLength(BINS);
    expect(s.counts[BINS - 1]).toBe(tied.logits_last.length);
    expect(s.mean).toBeCloseTo(1, 9);
    expect(s.above09).toBe(1);
    const html = renderToStaticMarkup(<Histogram s={s} width={400} />);
    expect(html).toContain('data-testid="tu-hist-tiny-tied"');
    expect(html.match(/<rect /g)).toHaveLength(BINS);
    expect(html).toContain('class="tu-bar tied"');
  });

  it('the direct-path list from reference logits: top tokens in order, the token’s own rank', () => {
    // the untied model's first-position logits stand in for a direct path of the first prompt token
    const id = untied.ids[0];
    const d = directSummary(untied.logits_first, id, { key: 'tiny-untied', label: 'Tiny GPT (untied)' }, (i) => `t${i}`);
    expect(d.top).toHaveLength(8);
    for (let i = 1; i < d.top.length; i++) expect(d.top[i].p).toBeLessThanOrEqual(d.top[i - 1].p);
    const above = untied.logits_first.filter((z) => z > untied.logits_first[id]).length;
    expect(d.selfRank).toBe(above);
    const html = renderToStaticMarkup(<DirectList d={d} />);
    expect(html).toContain('data-testid="tu-direct-tiny-untied"');
    expect(html.match(/<li /g)).toHaveLength(8);
    expect(html).toContain(`ranks #${d.selfRank + 1}`);
  });
});
