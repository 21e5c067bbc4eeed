import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve, gram, leftPinv, leverage, roundTrip } from '../../../src/geometry/pinv';

function rand(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
function randomMatrix(V: number, D: number, seed = 1) {
  const r = rand(seed);
  return Float64Array.from({ length: V * D }, r);
}

describe('pseudo-inverse round trip', () => {
  const V = 40;
  const D = 6;
  const W = randomMatrix(V, D);
  const G = gram(W, V, D);
  const L = cholesky(G, D)!;

  it('gram is WᵀW and symmetric', () => {
    let s = 0;
    for (let r = 0; r < V; r++) s += W[r * D + 1] * W[r * D + 3];
    expect(G[1 * D + 3]).toBeCloseTo(s, 12);
    expect(G[3 * D + 1]).toBeCloseTo(s, 12);
  });

  it('cholesky solve inverts G', () => {
    const b = [1, 2, 3, 4, 5, 6];
    const z = choleskySolve(L, D, b);
    for (let i = 0; i < D; i++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += G[i * D + j] * z[j];
      expect(s).toBeCloseTo(b[i], 9);
    }
  });

  it('left pinv times W is the identity', () => {
    const P = leftPinv(W, V, D)!; // [D, V]
    for (let i = 0; i < D; i++)
      for (let j = 0; j < D; j++) {
        let s = 0;
        for (let r = 0; r < V; r++) s += P[i * V + r] * W[r * D + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
  });

  it('peaks: transpose |w_t|², normalised 1, pinv the leverage h_tt ≤ 1; leverages sum to D', () => {
    const t = 7;
    const wt = W.subarray(t * D, (t + 1) * D);
    const n2 = Float64Array.from({ length: V }, (_, r) => {
      let s = 0;
      for (let c = 0; c < D; c++) s += W[r * D + c] ** 2;
      return s;
    });
    expect(roundTrip(W, V, D, wt, 'transpose')[t]).toBeCloseTo(n2[t], 5);
    expect(roundTrip(W, V, D, wt, 'normalized', { norms2: n2 })[t]).toBeCloseTo(1, 6);
    const y = roundTrip(W, V, D, wt, 'pinv', { chol: L });
    const h = leverage(L, D, wt);
    expect(y[t]).toBeCloseTo(h, 5);
    expect(h).toBeGreaterThan(0);
    expect(h).toBeLessThanOrEqual(1 + 1e-9);
    let sum = 0;
    for (let r = 0; r < V; r++) sum += leverage(L, D, W.subarray(r * D, (r + 1) * D));
    expect(sum).toBeCloseTo(D, 6);
  });

  it('pinv round trip re-embeds to x (W⁺ recovers the coordinates)', () => {
    const t = 3;
    const wt = W.subarray(t * D, (t + 1) * D);
    const y = roundTrip(W, V, D, wt, 'pinv', { chol: L }); // [V]
    for (let c = 0; c < D; c++) {
      let s = 0;
      for (let r = 0; r < V; r++) s += y[r] * W[r * D + c];
      expect(s).toBeCloseTo(wt[c], 4);
    }
  });

  it('square invertible W gives an exact 1 peak with pinv', () => {
    const Wsq = randomMatrix(5, 5, 9);
    const Ls = cholesky(gram(Wsq, 5, 5), 5)!;
    const y = roundTrip(Wsq, 5, 5, Wsq.subarray(10, 15), 'pinv', { chol: Ls });
    expect(y[2]).toBeCloseTo(1, 5);
    expect(Math.abs(y[0])).toBeLessThan(1e-5);
  });

  it('cholesky rejects a non-positive-definite matrix', () => {
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
  });
});
