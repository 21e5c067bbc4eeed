import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { normalize } from '../../../src/geometry/layernorm';
import { norm } from '../../../src/geometry/vector';
import {
  barPercent,
  barRange,
  layerLabel,
  maxAbs,
  residualAt,
  scaleReadout,
  scaledNormalized,
} from '../../../src/figures/layernorm-scale/compute';
import { LayerNormScaleView } from '../../../src/figures/layernorm-scale/LayerNormScaleView';
import { parityFixture } from './parity-fixture';

const EPS = 1e-5;
const p = parityFixture('tiny-tied')[0];
// residuals [L+1, T, D] for the prompt's last position only (T = 1), from the reference residual stream
const L = p.residual_last.length - 1;
const D = p.residual_last[0].length;
const residuals = Float32Array.from(p.residual_last.flat());

function readout(l: number, scaleLog: number) {
  const x = residualAt(residuals, 1, D, l, 0);
  const { sx, ns } = scaledNormalized(x, Math.pow(10, scaleLog), EPS);
  return { x, sx, ns, n0: normalize(x, EPS), r: scaleReadout(sx, normalize(x, EPS), ns) };
}

describe('layernorm-scale compute on the reference residual stream', () => {
  it('picks the residual of a layer at a position', () => {
    for (let l = 0; l <= L; l++)
      expect(Array.from(residualAt(residuals, 1, D, l, 0))).toEqual(Array.from(Float32Array.from(p.residual_last[l])));
    // T = 2: position 1 of layer 1 is the second row of that layer's block
    const two = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(residualAt(two, 2, 2, 1, 1))).toEqual([7, 8]);
    expect(Array.from(residualAt(two, 2, 2, 0, 0))).toEqual([1, 2]);
  });

  it('scaling the input leaves the normalised vector (length √D) where it was', () => {
    for (let l = 0; l <= L; l++) {
      const up = readout(l, 2);
      expect(up.r.nsx).toBeCloseTo(100 * norm(up.x), 6);
      expect(up.r.nln).toBeCloseTo(Math.sqrt(D), 3);
      // × 10 and × 100 give the same output (ε is negligible for both)
      let d = 0;
      const ten = readout(l, 1);
      for (let i = 0; i < D; i++) d = Math.max(d, Math.abs(ten.ns[i] - up.ns[i]));
      expect(d).toBeLessThan(1e-3);
    }
    expect(readout(L, 2).r.diff).toBeLessThan(1e-3);
    // a short input (the embedding at × 0.1) has variance near ε, so the output moves, and shrinks
    const short = readout(0, -1);
    const long = readout(0, 2);
    expect(short.r.diff).toBeGreaterThan(long.r.diff);
    expect(short.r.nln).toBeLessThan(long.r.nln);
    // × 1 changes nothing
    expect(readout(L, 0).r.diff).toBe(0);
  });

  it('the colour scale and the bars', () => {
    expect(maxAbs([-3, 1, 2])).toBe(3);
    expect(maxAbs([])).toBe(1);
    expect(maxAbs([0, 0])).toBe(1);
    const { lo, hi } = barRange(1, 4, -1, 2);
    expect(lo).toBeCloseTo(0.1 / 1.5, 12);
    expect(hi).toBeCloseTo(150, 12);
    expect(barPercent(lo, lo, hi)).toBeCloseTo(0, 9);
    expect(barPercent(hi, lo, hi)).toBeCloseTo(100, 9);
    expect(barPercent(1, lo, hi)).toBeGreaterThan(barPercent(0.5, lo, hi));
    // out of range or zero: clamped, never NaN
    expect(barPercent(0, lo, hi)).toBe(0);
    expect(barPercent(1e9, lo, hi)).toBe(100);
    // a zero input counts as length 1
    expect(barRange(0, 4, -1, 2)).toEqual(barRange(1, 4, -1, 2));
    expect(layerLabel(0, 4)).toBe('entering block 1 (token + position)');
    expect(layerLabel(2, 4)).toBe('entering block 3');
    expect(layerLabel(4, 4)).toBe('after block 4 (the last)');
  });
});

describe('layernorm-scale view', () => {
  function html(l: number, scaleLog: number) {
    const { x, sx, ns, n0, r } = readout(l, scaleLog);
    return renderToStaticMarkup(
      <LayerNormScaleView
        L={L}
        l={l}
        D={D}
        tokenId={p.ids[p.ids.length - 1]}
        scaleLog={scaleLog}
        scaleMin={-1}
        scaleMax={2}
        s={Math.pow(10, scaleLog)}
        sx={sx}
        ns={ns}
        xMax={maxAbs(x)}
        nMax={maxAbs(n0)}
        readout={r}
        bar={barRange(norm(x), D, -1, 2)}
        onLayer={() => undefined}
        onScale={() => undefined}
      />,
    );
  }

  it('renders the readouts as data and text, one option per residual stream', () => {
    const h = html(2, 1);
    const r = readout(2, 1).r;
    expect(h).toContain(`data-scale="10" data-xnorm="${r.nsx}" data-lnnorm="${r.nln}" data-diff="${r.diff}" data-layer="2"`);
    expect(h.match(/<option /g)).toHaveLength(L + 1);
    expect(h).toContain('<option value="2" selected="">entering block 3</option>');
    expect(h).toContain('× 10.0');
    expect(h).toContain(`The scaled residual vector, ${D} numbers`);
    expect(h).toContain(`#${p.ids[p.ids.length - 1]}`);
    // a long input: no note about ε
    expect(h).not.toContain('the small ε inside LayerNorm');
    expect(h.match(/class="ln-bar (in|out)" style="width:\d+(\.\d+)?%"/g)).toHaveLength(2);
  });

  it('notes ε when the output moves', () => {
    expect(html(0, -1)).toContain('the small ε inside LayerNorm shows up only when the input gets very short');
  });
});
