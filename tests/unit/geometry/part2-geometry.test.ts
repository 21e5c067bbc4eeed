import { describe, expect, it } from 'vitest';
import { rankOf, scores, threeRankings } from '../../../src/geometry/rankings';
import { topK } from '../../../src/geometry/softmax';
import { layerNorm } from '../../../src/geometry/layernorm';
import { histogram } from '../../../src/geometry/histogram';
import { angle2, angleN, inPlaneFraction, planeBasis, project, minus } from '../../../src/geometry/projection';
import { anisotropy, meanRow, mulberry32 } from '../../../src/geometry/centring';
import { rowwiseCosines } from '../../../src/geometry/readout';

describe('rankings', () => {
  // Rows: a long row pointing roughly along x, a short row exactly along x, a row opposite.
  const U = [
    [3, 0.3], // long, nearly aligned
    [0.5, 0], // short, exactly aligned
    [-1, 0],
    [0, 1],
  ];
  const x = [1, 0];
  const dots = U.map((u) => u[0] * x[0] + u[1] * x[1]);
  const norms = U.map((u) => Math.hypot(u[0], u[1]));
  it('dot, cosine and Euclidean disagree as geometry says', () => {
    const r = threeRankings(dots, norms, 1, 4, 0);
    expect(r.dot[0].id).toBe(0); // biggest dot: the long row
    expect(r.cosine[0].id).toBe(1); // exactly aligned
    expect(r.euclidean[0].id).toBe(1); // |x - [0.5,0]| = 0.5 is the nearest point
    expect(r.euclidean[0].value).toBeCloseTo(0.5, 10);
    expect(r.cosine[0].value).toBeCloseTo(1, 10);
    expect(r.targetRank.dot).toBe(0);
    expect(r.targetRank.euclidean).toBeGreaterThan(0);
  });
  it('euclidean scores match direct distances', () => {
    const s = scores('euclidean', dots, norms, 1);
    U.forEach((u, i) => expect(-s[i]).toBeCloseTo(Math.hypot(u[0] - 1, u[1]), 10));
  });
  it('topK and rankOf agree with a full sort', () => {
    const rand = mulberry32(7);
    const v = Array.from({ length: 500 }, () => rand());
    const sorted = [...v.keys()].sort((a, b) => v[b] - v[a]);
    expect(topK(v, 10)).toEqual(sorted.slice(0, 10));
    expect(rankOf(v, sorted[37])).toBe(37);
    expect(topK(v, 0)).toEqual([]);
    expect(topK([1, 2], 5)).toEqual([1, 0]);
  });
});

describe('projection', () => {
  it('builds an orthonormal basis and preserves dot products with a and b', () => {
    const rand = mulberry32(3);
    const a = Array.from({ length: 16 }, () => rand() - 0.5);
    const b = Array.from({ length: 16 }, () => rand() - 0.5);
    const x = Array.from({ length: 16 }, () => rand() - 0.5);
    const B = planeBasis(a, b);
    const d = (p: ArrayLike<number>, q: ArrayLike<number>) => Array.from(p).reduce((s, v, i) => s + v * q[i], 0);
    expect(d(B.e1, B.e1)).toBeCloseTo(1, 12);
    expect(d(B.e2, B.e2)).toBeCloseTo(1, 12);
    expect(d(B.e1, B.e2)).toBeCloseTo(0, 12);
    const p = project(x, B);
    expect(p[0] * B.a2[0] + p[1] * B.a2[1]).toBeCloseTo(d(x, a), 12);
    expect(p[0] * B.b2[0] + p[1] * B.b2[1]).toBeCloseTo(d(x, b), 12);
    expect(angle2(B.a2, B.b2)).toBeCloseTo(angleN(a, b), 12);
    expect(B.degenerate).toBe(false);
    expect(inPlaneFraction(a, B)).toBeCloseTo(1, 12);
  });
  it('handles parallel directions and rejects a zero direction', () => {
    const B = planeBasis([1, 1, 0], [2, 2, 0]);
    expect(B.degenerate).toBe(true);
    expect(Math.hypot(...B.e2)).toBeCloseTo(1, 12);
    expect(B.e1[0] * B.e2[0] + B.e1[1] * B.e2[1] + B.e1[2] * B.e2[2]).toBeCloseTo(0, 12);
    // a zero first direction: no throw, no NaN, and the basis says a has no direction
    const Z = planeBasis([0, 0], [1, 0]);
    expect(Z.noDirection).toBe(true);
    expect([...Z.e1, ...Z.e2, ...Z.a2, ...Z.b2].every(Number.isFinite)).toBe(true);
  });
  it('angles and subtraction', () => {
    expect(angle2([1, 0], [0, 2])).toBeCloseTo(Math.PI / 2, 12);
    expect(angle2([0, 0], [1, 0])).toBe(0);
    expect(Array.from(minus([3, 4], [1, 1]))).toEqual([2, 3]);
  });
});

describe('centring', () => {
  it('mean row and anisotropy: a shared offset makes raw cosines high, centring removes it', () => {
    const rand = mulberry32(11);
    const rows = 300,
      cols = 8;
    const data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = (c === 0 ? 5 : 0) + (rand() - 0.5);
    const m = meanRow(data, rows, cols);
    expect(m[0]).toBeCloseTo(5, 1);
    const a = anisotropy(data, rows, cols, m, 500);
    expect(a.meanCosRaw).toBeGreaterThan(0.9);
    expect(Math.abs(a.meanCosCentred)).toBeLessThan(0.1);
    expect(a.pairs).toBe(500);
    expect(a.meanNorm / a.meanRowNorm).toBeGreaterThan(0.9);
  });
});

describe('readout', () => {
  it('final LayerNorm has zero mean and unit variance before gain and bias', () => {
    const y = layerNorm([1, 2, 3, 4], [1, 1, 1, 1], [0, 0, 0, 0], 0);
    const mean = y.reduce((s, v) => s + v, 0) / 4;
    const v = y.reduce((s, t) => s + t * t, 0) / 4;
    expect(mean).toBeCloseTo(0, 12);
    expect(v).toBeCloseTo(1, 12);
    // Scaling x does not move the output.
    const y2 = layerNorm([10, 20, 30, 40], [2, 2, 2, 2], [1, 1, 1, 1], 0);
    y.forEach((t, i) => expect(y2[i]).toBeCloseTo(2 * t + 1, 10));
  });
  it('row-wise cosines and bins', () => {
    const c = rowwiseCosines([1, 0, 0, 1, 1, 1], [1, 0, 0, -1, 0, 0], 3, 2);
    expect(Array.from(c)).toEqual([1, -1, 0]);
    expect(histogram([-1, -0.5, 0, 0.99, 1, 5, NaN, -7], 4, [-1, 1]).counts).toEqual([2, 1, 1, 3]);
  });
});
