import { describe, expect, it } from 'vitest';
import { toyAngles, toyProbs, toyTokens } from '../../../src/figures/size-confidence/toy';
import { trajectory } from '../../../src/figures/hypersphere/compute';
import { mulberry32, meanRow } from '../../../src/geometry/centring';

describe('size-is-confidence toy', () => {
  it('is uniform at zero length and sharpens monotonically with length', () => {
    const toks = toyTokens(1.8);
    const p0 = toyProbs(toks, 0, 80);
    p0.forEach((p) => expect(p).toBeCloseTo(1 / toks.length, 12));
    let prev = Math.max(...p0);
    for (let l = 0.1; l <= 4; l += 0.1) {
      const top = Math.max(...toyProbs(toks, l, 80));
      expect(top).toBeGreaterThan(prev);
      prev = top;
    }
  });
  it('a long row wins where x points closer to a neighbour', () => {
    const toks = toyTokens(1.8);
    const ang = toyAngles(toks, 80);
    const p = toyProbs(toks, 1.5, 80);
    expect(ang.indexOf(Math.min(...ang))).toBe(0); // " red" is closest in angle
    expect(p.indexOf(Math.max(...p))).toBe(1); // " gold" wins
    const q = toyProbs(toyTokens(1), 1.5, 80);
    expect(q.indexOf(Math.max(...q))).toBe(0); // equal lengths: the closest direction wins
  });
});

describe('hypersphere trajectory', () => {
  const rand = mulberry32(5);
  const L = 3,
    T = 4,
    D = 16,
    V = 30;
  const residuals = Float32Array.from({ length: (L + 1) * T * D }, () => rand() - 0.5);
  const W = Float32Array.from({ length: V * D }, (_, i) => rand() - 0.5 + (i % D === 0 ? 2 : 0));
  const gain = Float32Array.from({ length: D }, () => 1 + 0.3 * (rand() - 0.5));
  const bias = Float32Array.from({ length: D }, () => 0.1 * (rand() - 0.5));
  const ua = W.subarray(3 * D, 4 * D);
  const ub = W.subarray(7 * D, 8 * D);
  const args = { residuals, L, T, D, ua, ub, raw: false, gain, bias, eps: 1e-5 };
  it('keeps the two dot products exact in the plane, one point per layer', () => {
    const t = trajectory({ ...args, mean: null });
    expect(t.points).toHaveLength(L + 1);
    for (const q of t.points) {
      expect(q.p[0] * t.a2[0] + q.p[1] * t.a2[1]).toBeCloseTo(q.dotA, 10);
      expect(q.p[0] * t.b2[0] + q.p[1] * t.b2[1]).toBeCloseTo(q.dotB, 10);
      // the in-plane cosine is the true cosine times |v|/|p| ≥ 1 in size
      expect(Math.abs(Math.cos(q.angA))).toBeGreaterThanOrEqual(Math.abs(Math.cos(q.trueA)) - 1e-12);
    }
  });
  it('centring changes the angles but not the difference of the two logits', () => {
    const raw = trajectory({ ...args, mean: null });
    const cen = trajectory({ ...args, mean: meanRow(W, V, D) });
    for (let l = 0; l <= L; l++) {
      expect(cen.points[l].dotA - cen.points[l].dotB).toBeCloseTo(raw.points[l].dotA - raw.points[l].dotB, 10);
    }
    expect(cen.abAngle).not.toBeCloseTo(raw.abAngle, 3);
  });
});
