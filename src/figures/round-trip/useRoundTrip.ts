/**
 * Per-model precomputation for the round trip, each done once per matrix and
 * in chunks so the page keeps responding: squared row norms (cheap, V·D) and
 * the Cholesky factor of WᵀW (V·D², only when the pseudo-inverse is asked for).
 */
import type { Matrix } from '../../runtime/types';
import { cholesky, gramAccumulate, symmetrize } from '../../geometry/pinv';
import { chunked } from '../../state/chunked';

export async function squaredRowNorms(m: Matrix): Promise<Float64Array> {
  const { rows: V, cols: D, data } = m;
  const out = new Float64Array(V);
  await chunked(V, (a, b) => {
    for (let r = a; r < b; r++) {
      let s = 0;
      for (let c = 0; c < D; c++) s += data[r * D + c] ** 2;
      out[r] = s;
    }
  });
  return out;
}

export interface PinvPrep {
  chol: Float64Array | null;
  ms: number;
}

export async function preparePinv(m: Matrix): Promise<PinvPrep> {
  const t0 = performance.now();
  const { rows: V, cols: D, data } = m;
  const g = new Float64Array(D * D);
  await chunked(V, (a, b) => gramAccumulate(data, V, D, g, a, b), 10);
  symmetrize(g, D);
  return { chol: cholesky(g, D), ms: performance.now() - t0 };
}
