import { describe, expect, it } from 'vitest';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  bigRowAt,
  cellAt,
  fillAtlas,
  gridLayout,
  hasNameMovers,
  headName,
  lastRowTopKeys,
  NAME_MOVERS,
  nextHead,
  nextQuery,
  topKeys,
} from '../../../src/figures/attention-patterns/compute';
import { AttentionGridView } from '../../../src/figures/attention-patterns/AttentionGridView';

/** Static markup without the comments React puts between adjacent text nodes. */
const render = (el: ReactElement) => renderToStaticMarkup(el).replaceAll('<!-- -->', '');

// One block of two heads over T = 3 positions, every query row returned: attn [L, H, rows, T], causal rows summing to 1
const L = 1;
const H = 2;
const T = 3;
// prettier-ignore
const attn = Float32Array.of(
  1, 0, 0,  0.25, 0.75, 0,   0.125, 0.5, 0.375, // head 0.0
  1, 0, 0,  0.875, 0.125, 0, 0.5, 0.125, 0.375, // head 0.1
);
const P = { attn, L, H, T, row0: 0, rows: T };

describe('attention patterns on a hand-built pass', () => {
  it('where a head looks from a query, best first, never past the query', () => {
    expect(topKeys(P, { l: 0, h: 0 }, 2, 3)).toEqual([
      [1, 0.5],
      [2, 0.375],
      [0, 0.125],
    ]);
    expect(topKeys(P, { l: 0, h: 1 }, 2, 1)).toEqual([[0, 0.5]]);
    // from position 1 only keys 0 and 1 exist
    expect(topKeys(P, { l: 0, h: 0 }, 1, 3)).toEqual([
      [1, 0.75],
      [0, 0.25],
    ]);
    expect(topKeys(P, { l: 0, h: 0 }, 0, 3)).toEqual([[0, 1]]);
    // only the last query row came back (a long prompt): other queries have nothing to show
    const one = { attn: Float32Array.of(0.5, 0.25, 0.25, 0.125, 0.125, 0.75), H, T, row0: 2, rows: 1 };
    expect(topKeys(one, { l: 0, h: 0 }, 1, 3)).toEqual([]);
    expect(topKeys(one, { l: 0, h: 1 }, 2, 1)).toEqual([[2, 0.75]]);
    // the probabilities of a causal row add up to 1
    for (let h = 0; h < H; h++)
      for (let q = 0; q < T; q++) expect(topKeys(P, { l: 0, h }, q, T).reduce((s, [, p]) => s + p, 0)).toBeCloseTo(1, 6);
  });

  it('every head’s top key from the last row', () => {
    expect(lastRowTopKeys(P)).toEqual([
      [1, 0.5],
      [0, 0.5],
    ]);
    expect(lastRowTopKeys({ ...P, L: 0 })).toEqual([]);
  });

  it('paints one pixel per probability, the future masked', () => {
    const d = new Uint8ClampedArray(L * T * H * T * 4);
    const lut = new Uint8ClampedArray(256 * 3);
    for (let i = 0; i < 256; i++) lut.set([i, 255 - i, 0], i * 3);
    fillAtlas(d, P, lut, { r: 9, g: 9, b: 9 });
    const px = (x: number, y: number) => Array.from(d.subarray((y * H * T + x) * 4, (y * H * T + x) * 4 + 4));
    // head 0.0, query 2, key 1: p = 0.5 → entry round(127.5) = 128
    expect(px(1, 2)).toEqual([128, 127, 0, 255]);
    // head 0.1 (columns 3..5), query 1, key 2: after the query, masked
    expect(px(5, 1)).toEqual([9, 9, 9, 255]);
    // head 0.1, query 0, key 0: p = 1
    expect(px(3, 0)).toEqual([255, 0, 0, 255]);
    for (let i = 3; i < d.length; i += 4) expect(d[i]).toBe(255);
  });

  it('the grid and enlarged-head geometry, and what lies under the pointer', () => {
    const g = gridLayout(640, L, H, T, T);
    expect(g).toEqual({ narrow: false, cell: 64, cellH: 64, gw: 154, gh: 88, lab: 90, bigCell: 28, bw: 174, bh: 174 });
    expect(gridLayout(400, L, H, T, T)).toMatchObject({ narrow: true, cell: 64, lab: 80, bigCell: 28 });
    // one query row: the cells become strips
    expect(gridLayout(640, L, H, T, 1).cellH).toBe(21);
    // 48 blocks of 25 heads (GPT-2 XL's shape) over a long prompt on the narrowest page: the smallest cells
    expect(gridLayout(200, 48, 25, 200, 200)).toMatchObject({ narrow: true, cell: 6, lab: 48, bigCell: 2 });
    expect(cellAt(g, 22 + 66 + 1, 22 + 5, L, H)).toEqual({ l: 0, h: 1 });
    expect(cellAt(g, 10, 30, L, H)).toBeNull();
    expect(cellAt(g, 30, 22 + 66 + 1, L, H)).toBeNull();
    expect(bigRowAt(g, 90 + 28 * 2 + 1, T)).toBe(2);
    expect(bigRowAt(g, 89, T)).toBeNull();
    expect(bigRowAt(g, 90 + 28 * 3, T)).toBeNull();
  });

  it('keyboard moves stay inside the grid and the returned rows', () => {
    const s = { l: 3, h: 5 };
    expect(nextHead('ArrowUp', s, 12, 12)).toEqual({ l: 2, h: 5 });
    expect(nextHead('ArrowDown', { l: 11, h: 5 }, 12, 12)).toEqual({ l: 11, h: 5 });
    expect(nextHead('ArrowLeft', { l: 3, h: 0 }, 12, 12)).toEqual({ l: 3, h: 0 });
    expect(nextHead('ArrowRight', s, 12, 12)).toEqual({ l: 3, h: 6 });
    expect(nextHead('Home', s, 12, 12)).toEqual({ l: 3, h: 0 });
    expect(nextHead('End', s, 12, 12)).toEqual({ l: 3, h: 11 });
    expect(nextHead('PageUp', s, 12, 12)).toEqual({ l: 0, h: 5 });
    expect(nextHead('PageDown', s, 12, 12)).toEqual({ l: 11, h: 5 });
    expect(nextHead('x', s, 12, 12)).toBeNull();
    expect(nextQuery('ArrowUp', 0, 0, 3)).toBe(0);
    expect(nextQuery('ArrowDown', 1, 0, 3)).toBe(2);
    expect(nextQuery('ArrowDown', 2, 0, 3)).toBe(2);
    expect(nextQuery('Home', 2, 0, 3)).toBe(0);
    expect(nextQuery('End', 0, 0, 3)).toBe(2);
    expect(nextQuery('ArrowUp', 9, 9, 1)).toBe(9);
    expect(nextQuery('Enter', 1, 0, 3)).toBeNull();
    expect(NAME_MOVERS.map(headName)).toEqual(['9.6', '9.9', '10.0']);
    expect(hasNameMovers(12, 12)).toBe(true);
    expect(hasNameMovers(4, 4)).toBe(false);
    expect(hasNameMovers(11, 9)).toBe(false);
  });

  it('renders the grid, the enlarged head and the text version from plain props', () => {
    const html = render(
      <AttentionGridView
        {...P}
        tokens={['A', 'B', 'C']}
        selected={{ l: 0, h: 1 }}
        marked={{ l: 0, h: 1 }}
        query={2}
        onSelect={() => {}}
        onQuery={() => {}}
      />,
    );
    expect(html).toContain('<div class="ap" data-testid="attention-grid">');
    expect(html).toContain('data-testid="attention-grid-canvas" data-selected="0.1" data-marked="0.1" data-draw-ms="0.000" data-draws="0"');
    expect(html).toContain(
      'Attention patterns of all 2 heads: 1 blocks (rows, from 0) by 2 heads (columns, from 0). Selected: head 0.1; outlined',
    );
    expect(html).toContain('<strong data-testid="attention-grid-big-name">0.1</strong> (block 0, head 1) · the largest contribution');
    expect(html).toContain('data-testid="attention-grid-looks" data-query="2" data-top-key="0"');
    expect(html).toContain(
      'From <span class="tok">C</span> (position 2) head 0.1 looks at <span><span class="tok">A</span> <span class="num">50%</span></span><span>, <span class="tok">C</span> <span class="num">38%</span></span><span> and <span class="tok">B</span> <span class="num">13%</span></span>.',
    );
    // the text version: one row per block, one cell per head, the marked head's cell marked
    expect(html.match(/<th scope="col">head \d+<\/th>/g)).toHaveLength(H);
    expect(html.match(/<button type="button" class="ap-cellbtn">/g)).toHaveLength(L * H);
    expect(html).toContain('<td class="mark"><button type="button" class="ap-cellbtn"><span class="tok">A</span> 50%</button></td>');
    expect(html).toContain('<td><button type="button" class="ap-cellbtn"><span class="tok">B</span> 50%</button></td>');
    expect(html).not.toContain('NaN');
    // an older pass, nothing marked, no token text: positions stand in
    const stale = render(
      <AttentionGridView
        {...P}
        tokens={[]}
        selected={{ l: 0, h: 0 }}
        marked={null}
        query={1}
        onSelect={() => {}}
        onQuery={() => {}}
        stale
      />,
    );
    expect(stale).toContain('class="ap stale"');
    expect(stale).toContain('data-marked=""');
    expect(stale).not.toContain('the largest contribution');
    expect(stale).not.toContain('class="mark"');
    expect(stale).toContain(
      'From <span class="tok">#1</span> (position 1) head 0.0 looks at <span><span class="tok">#1</span> <span class="num">75%</span></span>',
    );
  });
});
