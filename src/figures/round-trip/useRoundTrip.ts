/** Per-model precomputation for the round trip: squared row norms and the Cholesky factor of WᵀW (chunked). */
import type { Matrix } from '../../runtime/types';
import { cholesky, gramAccumulate, symmetrize } from '../../geometry/pinv';
import { chunked } from '../p1-common/hooks';

export interface RoundTripPrep {
  norms2: Float64Array;
  chol: Float64Array | null;
  ms: number;
}

export async function prepareRoundTrip(m: Matrix): Promise<RoundTripPrep> {
  const t0 = performance.now();
  const { rows: V, cols: D, data } = m;
  const norms2 = new Float64Array(V);
  for (let r = 0; r < V; r++) {
    let s = 0;
    for (let c = 0; c < D; c++) s += data[r * D + c] ** 2;
    norms2[r] = s;
  }
  const g = new Float64Array(D * D);
  await chunked(V, (a, b) => gramAccumulate(data, V, D, g, a, b), 10);
  symmetrize(g, D);
  const chol = cholesky(g, D);
  return { norms2, chol, ms: performance.now() - t0 };
}
