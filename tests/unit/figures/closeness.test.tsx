import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { arcPath, formulas, keyStep, measures, signedAngle, snapTip, stretchAlong, t2, tp } from '../../../src/figures/closeness/compute';
import { ClosenessView } from '../../../src/figures/closeness/ClosenessView';

const none = () => undefined;

describe('closeness compute', () => {
  it('measures a 3-4-5 triangle, parallel vectors and a zero vector', () => {
    expect(measures([3, 0], [0, 4])).toEqual({ dist: 5, dot: 0, cos: 0, na: 3, nb: 4 });
    const par = measures([1, 1], [2, 2]);
    expect(par.cos).toBeCloseTo(1, 12);
    expect(par.dot).toBe(4);
    expect(par.dist).toBeCloseTo(Math.SQRT2, 12);
    // a zero vector has no direction: cosine 0, not NaN
    const z = measures([0, 0], [1, 2]);
    expect(z.cos).toBe(0);
    expect(z.na).toBe(0);
    expect(Object.values(z).every(Number.isFinite)).toBe(true);
  });

  it('moves a tip by arrow keys on a 0.01 grid, clamped to the plane', () => {
    expect(keyStep([0, 0], 'ArrowRight', false, 4)).toEqual([0.1, 0]);
    expect(keyStep([0, 0], 'ArrowUp', true, 4)).toEqual([0, 0.5]);
    expect(keyStep([1, 1], 'ArrowDown', false, 4)).toEqual([1, 0.9]);
    expect(keyStep([1, 1], 'ArrowLeft', true, 4)).toEqual([0.5, 1]);
    expect(keyStep([3.8, 0], 'ArrowRight', true, 4)).toEqual([4, 0]);
    expect(keyStep([1, 1], 'a', false, 4)).toBeNull();
    expect(snapTip(5, -5, 4)).toEqual([4, -4]);
    expect(snapTip(1.234, -2.346, 4)).toEqual([1.23, -2.35]);
  });

  it('stretches b along its own direction, inside the plane', () => {
    expect(stretchAlong([3, 4], 1, 4)).toEqual([0.6, 0.8]);
    // length 10 would leave the plane: cut where the larger coordinate reaches the edge
    expect(stretchAlong([3, 4], 10, 4)).toEqual([3, 4]);
    // a zero b has no direction: it grows along +x
    expect(stretchAlong([0, 0], 2, 4)).toEqual([2, 0]);
    expect(stretchAlong([0, -1], 0.2, 4)).toEqual([0, -0.2]);
    const s = stretchAlong([-1, 2], 2, 4);
    expect(measures(s, [-1, 2]).cos).toBeCloseTo(1, 6);
    expect(Math.hypot(...s)).toBeCloseTo(2, 2);
  });

  it('draws the short arc from a to b, whichever way round', () => {
    expect(signedAngle([1, 0], [0, 1])).toBeCloseTo(Math.PI / 2, 12);
    expect(signedAngle([0, 1], [1, 0])).toBeCloseTo(-Math.PI / 2, 12);
    // across the negative x axis the difference of atan2s is almost −2π; wrapped, the arc is short
    expect(signedAngle([-1, 0.001], [-1, -0.001])).toBeCloseTo(0.002, 6);
    const ccw = arcPath([1, 0], [0, 1], 100, 100, 10);
    expect(ccw.startsWith('M110,100 A10,10 0 0 0 ')).toBe(true);
    expect(ccw.endsWith(',90')).toBe(true);
    expect(arcPath([0, 1], [1, 0], 100, 100, 10).startsWith('M100,90 A10,10 0 0 1 110,100')).toBe(true);
  });

  it('writes numbers as TeX with two decimals, never −0.00', () => {
    expect(t2(-0.001)).toBe('0.00');
    expect(t2(-1.234)).toBe('-1.23');
    expect(tp(-1)).toBe('(-1.00)');
    expect(tp(2)).toBe('2.00');
    const f = formulas([3, 0], [0, -4], measures([3, 0], [0, -4]));
    expect(f.euclid).toContain('\\sqrt{(3.00-0.00)^2+(0.00-(-4.00))^2}=\\mathbf{5.00}');
    expect(f.dot).toContain('=\\mathbf{0.00}');
    expect(f.cos).toContain('\\frac{0.00}{3.00\\cdot4.00}=\\mathbf{0.00}');
  });
});

describe('closeness view', () => {
  it('renders the measures as data, the two handles, the arc and the formulas', () => {
    const a: [number, number] = [3, 0];
    const b: [number, number] = [0, 4];
    const html = renderToStaticMarkup(<ClosenessView a={a} b={b} m={measures(a, b)} lim={4} onA={none} onB={none} onLenB={none} />);
    expect(html).toContain('data-euclid="5" data-dot="0" data-cos="0" data-na="3" data-nb="4"');
    expect(html).toContain('data-testid="cl-handle-a"');
    expect(html).toContain('aria-valuetext="b = (0.00, 4.00), length 4.00"');
    expect(html).toContain('class="cl-arc"');
    expect(html).toContain('\\mathbf{5.00}');
    expect(html).toContain('value="4"');
    expect(html).toContain('<output for="cl-len-b">4.00</output>');
    // 8 grid lines each way
    expect(html.match(/class="cl-grid"/g)).toHaveLength(8);
  });

  it('a zero b: no arc, the slider at its minimum', () => {
    const a: [number, number] = [1, 1];
    const b: [number, number] = [0, 0];
    const html = renderToStaticMarkup(<ClosenessView a={a} b={b} m={measures(a, b)} lim={4} onA={none} onB={none} onLenB={none} />);
    expect(html).not.toContain('cl-arc"');
    expect(html).toContain('value="0.2"');
    expect(html).toContain('data-nb="0"');
    expect(html).not.toContain('NaN');
  });
});
