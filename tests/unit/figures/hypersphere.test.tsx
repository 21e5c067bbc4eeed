import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { DEG, closer, fromTween, orient, planeLayout, shortTurn, trajectory, tweenTarget } from '../../../src/figures/hypersphere/compute';
import { HypersphereControls, HypersphereView } from '../../../src/figures/hypersphere/HypersphereView';
import { parityFixture } from './parity-fixture';

// D = 3, L = 2 blocks, T = 2 positions; tokens a and b along the first two axes, so the plane is the x-y plane.
// At the last position the residual is (2,0,0), (1,1,0), (0,3,4) entering block 1, after block 1, after block 2;
// position 0 holds 9s that must never be read.
const L = 2;
const T = 2;
const D = 3;
const LAST = [
  [2, 0, 0],
  [1, 1, 0],
  [0, 3, 4],
];
const residuals = Float32Array.from({ length: (L + 1) * T * D }, (_, i) => {
  const l = Math.floor(i / (T * D));
  const t = Math.floor(i / D) % T;
  return t === T - 1 ? LAST[l][i % D] : 9;
});
const base = { residuals, L, T, D, mean: null, raw: true, gain: [1, 1, 1], bias: [0, 0, 0], eps: 1e-5 };
const traj = trajectory({ ...base, ua: [1, 0, 0], ub: [0, 1, 0] });

describe('hypersphere compute', () => {
  it('reads the last position at every layer and measures it against both rays', () => {
    expect(traj.points).toHaveLength(L + 1);
    expect(traj.abAngle).toBeCloseTo(Math.PI / 2, 12);
    const [p0, p1, p2] = traj.points;
    expect(p0.p).toEqual([2, 0]);
    expect(p0.dotA).toBe(2);
    expect(p0.angA).toBe(0);
    expect(p1.angA).toBeCloseTo(Math.PI / 4, 12);
    expect(p1.angB).toBeCloseTo(Math.PI / 4, 12);
    // (0,3,4): length 5, 3/5 of it in the plane, on b's ray in the plane but acos(3/5) from it in 3-D
    expect(p2.norm).toBeCloseTo(5, 12);
    expect(p2.frac).toBeCloseTo(0.6, 12);
    expect(p2.angB).toBeCloseTo(0, 12);
    expect(p2.trueB).toBeCloseTo(Math.acos(0.6), 12);
    expect(p2.dotB).toBe(3);
    expect(closer(p0)).toBe('a');
    expect(closer({ angA: 1, angB: 1 })).toBe('tie');
    expect(closer(p2)).toBe('b');
  });

  it('turns the picture so the two rays sit symmetrically about the vertical, a on the left, lengths kept', () => {
    const b2: [number, number] = [2 * Math.cos(1), 2 * Math.sin(1)];
    const rot = orient({ b2 });
    const ra = rot([1, 0]);
    const rb = rot(b2);
    expect(ra[0]).toBeLessThan(0);
    expect(rb[0]).toBeGreaterThan(0);
    expect(ra[0]).toBeCloseTo(-rb[0] / 2, 12);
    expect(ra[1]).toBeCloseTo(rb[1] / 2, 12);
    expect(Math.hypot(...rot([0.3, -0.7]))).toBeCloseTo(Math.hypot(0.3, -0.7), 12);
  });

  it('lays out points, unit rays and a radius 12% beyond the farthest point; the tween array reads back', () => {
    const lay = planeLayout(traj);
    expect(lay.pts).toHaveLength(L + 1);
    expect(lay.R0).toBeCloseTo(3 * 1.12, 12);
    expect(lay.ua[0]).toBeCloseTo(-Math.SQRT1_2, 12);
    expect(lay.ub[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(lay.ua[1]).toBeCloseTo(lay.ub[1], 12);
    const flat = tweenTarget(lay);
    expect(flat).toHaveLength(5 + 2 * (L + 1));
    const back = fromTween(flat, L + 1);
    expect(back.R).toBe(lay.R0);
    expect(back.ua).toEqual(lay.ua);
    expect(back.pts).toEqual(lay.pts);
  });

  it('a zero token row or a zero residual gives no NaN', () => {
    const flat = trajectory({ ...base, residuals: new Float32Array(residuals.length), ua: [0, 0, 0], ub: [0, 1, 0] });
    expect(flat.noDirection).toBe(true);
    const lay = planeLayout(flat);
    expect(Math.hypot(...lay.ua)).toBe(0);
    expect(lay.R0).toBeCloseTo(1.12e-6, 18);
    expect(tweenTarget(lay).every(Number.isFinite)).toBe(true);
  });

  it('on the reference residual stream: one point per layer, lengths kept, the plane’s share at most 1', () => {
    const ref = parityFixture('tiny-tied')[0].residual_last; // [L+1][D] at the last position
    const Dm = ref[0].length;
    // token directions: the first two coordinate axes (W_U is not in the fixture)
    const ua = Array.from({ length: Dm }, (_, i) => (i === 0 ? 1 : 0));
    const ub = Array.from({ length: Dm }, (_, i) => (i === 1 ? 1 : 0));
    const t = trajectory({ ...base, residuals: Float32Array.from(ref.flat()), L: ref.length - 1, T: 1, D: Dm, ua, ub });
    expect(t.points).toHaveLength(ref.length);
    t.points.forEach((q, l) => {
      expect(q.norm).toBeCloseTo(Math.hypot(...ref[l]), 5);
      expect(q.dotA).toBeCloseTo(ref[l][0], 6);
      expect(q.p[1]).toBeCloseTo(ref[l][1], 6);
      expect(q.frac).toBeGreaterThan(0);
      expect(q.frac).toBeLessThanOrEqual(1);
    });
    expect(planeLayout(t).pts.every((p) => p.every(Number.isFinite))).toBe(true);
  });

  it('turns the short way round', () => {
    expect(shortTurn(0, Math.PI / 2)).toBeCloseTo(Math.PI / 2, 12);
    expect(shortTurn(3, -3)).toBeCloseTo(2 * Math.PI - 6, 12);
    expect(shortTurn(-3, 3)).toBeCloseTo(6 - 2 * Math.PI, 12);
  });
});

describe('hypersphere view', () => {
  it('draws one point per layer, the readout and the table', () => {
    const html = renderToStaticMarkup(
      <HypersphereView traj={traj} labelA="A" labelB="B" centre={false} raw={true} compact={false} testid="hs-t" />,
    );
    expect(html).toContain('data-testid="hs-t"');
    expect(html).toContain('data-closer="b"');
    expect(html).toContain(`data-ab-angle="${traj.abAngle * DEG}"`);
    expect(html).toContain('data-centre="0" data-raw="1"');
    expect(html.match(/<g class="hs-pt/g)).toHaveLength(L + 1);
    expect(html.match(/class="hs-pt hs-last"/g)).toHaveLength(1);
    expect(html).toContain('data-testid="hs-t-readout"');
    expect(html).toContain('The rays are 90.0° apart.');
    expect(html).toContain('v·u');
    expect(html).toContain('data-testid="hs-t-table"');
    expect(html.match(/<th scope="row">/g)).toHaveLength(L + 1);
    expect(html).toContain('block 2 (last)');
    expect(html).toContain('<td class="num">60%</td>');
    expect(html).not.toContain('NaN');
  });

  it('compact: no table; a zero row is named in the readout', () => {
    const flat = trajectory({ ...base, ua: [0, 0, 0], ub: [0, 1, 0] });
    const html = renderToStaticMarkup(
      <HypersphereView traj={flat} labelA="A" labelB="B" centre={true} raw={false} compact={true} testid="hs-c" />,
    );
    expect(html).not.toContain('hs-c-table');
    expect(html).toContain('apart after centring.');
    expect(html).toContain('One of the two token rows is zero here');
    expect(html).toContain('logit(');
    expect(html).not.toContain('NaN');
  });

  it('the controls show the centring box only where it is not pinned', () => {
    const props = {
      a: ' Mary',
      b: ' John',
      onA: () => undefined,
      onB: () => undefined,
      ra: { id: 5, note: null },
      rb: { id: null, note: 'Type a token.' },
      centre: true,
      onCentre: () => undefined,
      raw: false,
      onRaw: () => undefined,
    };
    const free = renderToStaticMarkup(<HypersphereControls {...props} centreToggle={true} />);
    expect(free).toContain('data-testid="hs-centre"');
    expect(free).toContain('value=" Mary"');
    expect(free).toContain('Type a token.');
    const pinned = renderToStaticMarkup(<HypersphereControls {...props} centreToggle={false} />);
    expect(pinned).not.toContain('hs-centre');
    expect(pinned).toContain('data-testid="hs-raw"');
  });
});
