import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { nearestPosition, needsLogScale, normRange, plotFloor, shownPosition } from '../../../src/figures/residual-norms/compute';
import { ResidualNormsView } from '../../../src/figures/residual-norms/ResidualNormsView';
import { residualNorms as normsOf } from '../../../src/state/forward-readers';
import type { ForwardResult } from '../../../src/runtime/types';
import { parityFixture } from './parity-fixture';

/** The norms the container reads, from a forward result holding only the residuals [L+1, T, D]. */
const residualNorms = (residuals: number[], L: number, T: number, D: number) =>
  normsOf({ residuals: Float32Array.from(residuals), L, T, D } as unknown as ForwardResult);

describe('residual norms from the parity fixture', () => {
  const p = parityFixture('tiny-tied')[0];
  const L = p.residual_last.length - 1;
  const D = p.ln_f_last.length;

  it('the norm of each residual row, layer by layer and position by position', () => {
    // L = 1, T = 2, D = 2: rows (3, 4), (0, 0) entering block 0; (6, 8), (1, 0) after it
    const n = residualNorms([3, 4, 0, 0, 6, 8, 1, 0], 1, 2, 2);
    expect(n.map((r) => Array.from(r))).toEqual([
      [5, 0],
      [10, 1],
    ]);
    // the reference residuals at the last position, as a one-position prompt
    const flat = p.residual_last.flat();
    expect(flat).toHaveLength((L + 1) * D);
    const ref = residualNorms(flat, L, 1, D);
    expect(ref).toHaveLength(L + 1);
    // float32 storage: agreement to about 1e-6 relative
    for (let l = 0; l <= L; l++) expect(ref[l][0] / Math.hypot(...p.residual_last[l])).toBeCloseTo(1, 6);
    // the tiny model's residual stream grows through its blocks
    expect(ref[L][0]).toBeGreaterThan(ref[0][0]);
    // an empty prompt: L + 1 empty rows
    expect(residualNorms([], L, 0, D).map((r) => r.length)).toEqual(new Array(L + 1).fill(0));
  });

  it('the range skips zeros and always has a span; a log axis past a factor of 30', () => {
    expect(normRange([Float64Array.of(0, 2), Float64Array.of(8, 0.5)])).toEqual([0.5, 8]);
    expect(normRange([Float64Array.of(0, 0)])).toEqual([1e-3, 1]);
    expect(normRange([])).toEqual([1e-3, 1]);
    expect(needsLogScale(0.5, 8)).toBe(false);
    expect(needsLogScale(0.1, 3.01)).toBe(true);
    expect(plotFloor(false, 0.5)).toBe(0);
    expect(plotFloor(true, 0.5)).toBeCloseTo(0.45, 12);
  });

  it('the shown position and the line nearest the pointer', () => {
    expect(shownPosition(-1, 5)).toBe(4);
    expect(shownPosition(5, 5)).toBe(4);
    expect(shownPosition(2, 5)).toBe(2);
    const col = Float64Array.of(1, 4, 9);
    expect(nearestPosition(col, 5, (v) => v)).toBe(1);
    expect(nearestPosition(col, 100, (v) => v)).toBe(2);
    // a pixel scale that flips the axis (larger norm higher up) picks by pixels, not by value
    expect(nearestPosition(col, 200 - 8.9, (v) => 200 - v)).toBe(2);
    expect(nearestPosition([], 3, (v) => v)).toBe(0);
  });

  it('renders one line per position, a dot per layer and the shown position’s growth', () => {
    // three positions whose last one is the reference: the others are scaled copies
    const ref = residualNorms(p.residual_last.flat(), L, 1, D).map((r) => r[0]);
    const norms = ref.map((v) => Float64Array.of(0.5 * v, 0.8 * v, v));
    const ids = p.ids.slice(-3);
    const html = renderToStaticMarkup(<ResidualNormsView norms={norms} ids={ids} pos={2} onPos={() => {}} />);
    expect(html).toContain('data-testid="residual-norms"');
    expect(html).toContain('data-pos="2"');
    expect(html).toContain(`data-first="${ref[0]}"`);
    expect(html).toContain(`data-last="${ref[L]}"`);
    expect(html).toContain(`data-token-id="${ids[2]}"`);
    expect(html.match(/<path /g)).toHaveLength(3);
    expect(html.match(/class="rn-line hl"/g)).toHaveLength(1);
    expect(html.match(/<circle /g)).toHaveLength(L + 1);
    expect(html).toContain(`one line for each of 3 positions`);
    expect(html).toContain('max="2"');
    // without a tokenizer a token shows as its id
    expect(html).toContain(`#${ids[2]}`);
    expect(html).not.toContain('NaN');
    // the ratio last / first is printed only for a non-zero start
    expect(html).toContain('(× ');
    const flat = [Float64Array.of(0), Float64Array.of(3)];
    const zero = renderToStaticMarkup(<ResidualNormsView norms={flat} ids={[7]} pos={0} onPos={() => {}} />);
    expect(zero).not.toContain('(× ');
    expect(zero).toContain('data-first="0"');
  });

  it('a wide spread of norms switches the axis to a log scale', () => {
    const norms = [Float64Array.of(0.01, 0.02), Float64Array.of(5, 9)];
    expect(renderToStaticMarkup(<ResidualNormsView norms={norms} ids={[1, 2]} pos={0} onPos={() => {}} />)).toContain('(log scale)');
    const tight = [Float64Array.of(1, 2), Float64Array.of(5, 9)];
    expect(renderToStaticMarkup(<ResidualNormsView norms={tight} ids={[1, 2]} pos={0} onPos={() => {}} />)).not.toContain('(log scale)');
  });
});
