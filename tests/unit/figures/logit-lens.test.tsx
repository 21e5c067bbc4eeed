import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  contrastWithBlack,
  contrastWithWhite,
  lensAnswer,
  lensIndex,
  luminance,
  moveCell,
  rowName,
  selectedCell,
} from '../../../src/figures/logit-lens/compute';
import { cellColours, LogitLensView } from '../../../src/figures/logit-lens/LogitLensView';
import { softmax, topK } from '../../../src/geometry/softmax';
import type { LogitLens } from '../../../src/runtime/types';
import { parityFixture } from './parity-fixture';

const K = 3;

/** A lens of L = 2 blocks over T = 3 positions; row L holds the reference read-outs at the first and the last position. */
function mockLens() {
  const p = parityFixture('tiny-tied')[0];
  const L = 2;
  const T = 3;
  const topIds = new Int32Array((L + 1) * T * K);
  const topProbs = new Float32Array((L + 1) * T * K);
  const put = (l: number, t: number, ids: number[], ps: number[]) =>
    ids.forEach((id, j) => {
      topIds[lensIndex(l, t, j, T, K)] = id;
      topProbs[lensIndex(l, t, j, T, K)] = ps[j];
    });
  const last = softmax(p.logits_last, 1);
  const first = softmax(p.logits_first, 1);
  const lastTop = topK(last, K);
  const firstTop = topK(first, K);
  const answer = lastTop[0];
  const other = (answer + 1) % p.logits_last.length;
  put(
    L,
    2,
    lastTop,
    lastTop.map((i) => last[i]),
  );
  put(
    L,
    0,
    firstTop,
    firstTop.map((i) => first[i]),
  );
  put(L, 1, [other, answer, 7], [0.5, 0.3, 0.1]);
  // block 1 already has the answer on top at the last position; the embedding row does not
  put(1, 2, [answer, other, 7], [0.4, 0.3, 0.2]);
  put(0, 2, [other, answer, 7], [0.6, 0.2, 0.1]);
  for (const [l, t] of [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ])
    put(l, t, [other, 7, 8], [0.9, 0.05, 0.01]);
  const lens: LogitLens = { k: K, topIds, topProbs };
  return { p, L, T, lens, answer, lastTop, last };
}

describe('logit lens from the parity fixture', () => {
  it('indexes cells, finds the final answer and the first layer that has it', () => {
    const { L, T, lens, answer } = mockLens();
    expect(lensIndex(1, 2, 1, T, K)).toBe((1 * T + 2) * K + 1);
    expect(lensAnswer(lens.topIds, L, T, K)).toEqual({ finalAnswer: answer, firstRight: 1 });
    // a single layer and position: the embedding row is the answer
    expect(lensAnswer([5, 6], 0, 1, 2)).toEqual({ finalAnswer: 5, firstRight: 0 });
    expect(lensAnswer([], 2, 0, K)).toEqual({ finalAnswer: -1, firstRight: -1 });
  });

  it('names rows, resolves the selected cell and moves within the grid', () => {
    expect([0, 1, 2].map((l) => rowName(l, 2))).toEqual(['embedding', 'block 1', 'block 2 (last)']);
    expect(selectedCell(-1, -1, 2, 3)).toEqual([2, 2]);
    expect(selectedCell(3, 3, 2, 3)).toEqual([2, 2]);
    expect(selectedCell(1, 0, 2, 3)).toEqual([1, 0]);
    expect(moveCell('ArrowUp', 0, 1, 2, 3)).toEqual([0, 1]);
    expect(moveCell('ArrowDown', 2, 1, 2, 3)).toEqual([2, 1]);
    expect(moveCell('ArrowDown', 1, 1, 2, 3)).toEqual([2, 1]);
    expect(moveCell('ArrowLeft', 1, 0, 2, 3)).toEqual([1, 0]);
    expect(moveCell('ArrowRight', 1, 2, 2, 3)).toEqual([1, 2]);
    expect(moveCell('Home', 1, 2, 2, 3)).toEqual([1, 0]);
    expect(moveCell('End', 1, 0, 2, 3)).toEqual([1, 2]);
    expect(moveCell('Enter', 1, 0, 2, 3)).toBeNull();
  });

  it('every cell colour gives its text at least 4.5:1 contrast (WCAG AA)', () => {
    expect(luminance({ r: 0, g: 0, b: 0 })).toBe(0);
    expect(luminance({ r: 255, g: 255, b: 255 })).toBeCloseTo(1, 12);
    expect(contrastWithBlack(1)).toBeCloseTo(21, 12);
    expect(contrastWithWhite(0)).toBeCloseTo(21, 12);
    for (let i = 0; i <= 40; i++) {
      const { background, color } = cellColours(i / 40);
      const n = parseInt(background.slice(1), 16);
      const lum = luminance({ r: n >> 16, g: (n >> 8) & 255, b: n & 255 });
      const ratio = color === '#000' ? contrastWithBlack(lum) : contrastWithWhite(lum);
      expect(ratio, `p = ${i / 40}`).toBeGreaterThanOrEqual(4.5);
    }
    // the dark end of viridis takes white text, the bright end black
    expect(cellColours(0).color).toBe('#fff');
    expect(cellColours(1).color).toBe('#000');
  });

  it('renders one button per cell, the answer outlined in the last column', () => {
    const { p, L, T, lens, answer, lastTop, last } = mockLens();
    const ids = p.ids.slice(-T);
    const cellText = Array.from({ length: (L + 1) * T }, (_, i) => `t${lens.topIds[i * K]}`);
    const html = renderToStaticMarkup(
      <LogitLensView
        ids={ids}
        L={L}
        T={T}
        lens={lens}
        cellText={cellText}
        selL={1}
        selT={0}
        busy={false}
        modelKey="m"
        onSelect={() => {}}
      />,
    );
    expect(html.match(/class="ll-cell[ "]/g)).toHaveLength((L + 1) * T);
    expect(html).toContain(`data-final="${answer}"`);
    expect(html).toContain('data-first-right="1"');
    // the last cell holds the reference prediction
    expect(html).toMatch(new RegExp(`data-testid="lens-last-top" data-layer="${L}" data-pos="${T - 1}" data-token-id="${answer}"`));
    // outlined: block 1 and the last block at the last position; the first of them marked
    expect(html.match(/ll-right/g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('class="ll-cell ll-right ll-first"');
    expect(html).toContain('class="ll-rowname ll-right-row"');
    // the selected cell is the one tab stop, and the detail lists its top k
    expect(html.match(/tabindex="0"/g)).toHaveLength(1);
    expect(html.match(/aria-pressed="true"/g)).toHaveLength(1);
    expect(html).toContain('class="ll-cell ll-sel"');
    expect(html).toContain('data-testid="lens-detail" data-layer="1" data-pos="0"');
    // the last cell's probability is the reference softmax (stored as float32)
    expect(lens.topProbs[lensIndex(L, T - 1, 0, T, K)]).toBeCloseTo(last[lastTop[0]], 6);
    expect(html).toContain(`top token t${answer}, ${(lens.topProbs[lensIndex(L, T - 1, 0, T, K)] * 100).toFixed(1)}%`);
    expect(html).toContain('data-testid="lens-first-right">block 1</strong>');
    expect(html).toContain('data-busy="0"');
    expect(html).not.toContain('NaN');
    const busy = renderToStaticMarkup(
      <LogitLensView ids={ids} L={L} T={T} lens={lens} cellText={cellText} selL={2} selT={2} busy modelKey="m" onSelect={() => {}} />,
    );
    expect(busy).toContain('class="ll ll-busy" aria-busy="true" data-busy="1"');
  });
});
