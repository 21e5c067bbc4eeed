/**
 * The maths of figure 5a: each top token's logit at the last position as
 * |u_i| · |x| · cos θ_i (x = final LayerNorm output [D], u_i = row i of W_U
 * [V, D]), and the whole-vocabulary extremes (the row pointing most nearly
 * along x, the longest row) from the logits and the row norms in O(V).
 */
import { topK } from '../../geometry/softmax';

export interface DecompositionRow {
  id: number;
  /** |u_i| */
  nu: number;
  /** cos θ_i between u_i and x (0 when either has length 0) */
  cos: number;
  /** u_i · x recomputed from the row */
  dot: number;
  /** the model's logit z_i */
  logit: number;
}

/**
 * The k tokens with the largest logits, each split into length, cosine and
 * dot product. z: logits [V]; wu: W_U rows [V, D]; uNorms: |u_i| [V]; x: [D]; nx = |x|.
 */
export function decompositionRows(
  z: ArrayLike<number>,
  wu: ArrayLike<number>,
  D: number,
  uNorms: ArrayLike<number>,
  x: ArrayLike<number>,
  nx: number,
  k: number,
): DecompositionRow[] {
  return topK(z, k).map((i) => {
    let d = 0;
    for (let c = 0; c < D; c++) d += wu[i * D + c] * x[c];
    const nu = uNorms[i];
    return { id: i, nu, cos: nu > 0 && nx > 0 ? d / (nu * nx) : 0, dot: d, logit: z[i] };
  });
}

export interface VocabExtremes {
  /** The largest cosine z_i / (|u_i| |x|) over the vocabulary, and its token. */
  bestCos: number;
  bestCosId: number;
  /** The largest |u_i|, and its token. */
  longest: number;
  longestId: number;
}

/** The best-aligned and the longest row over the whole vocabulary, from the logits (= u_i · x) and the row norms. */
export function vocabExtremes(z: ArrayLike<number>, uNorms: ArrayLike<number>, nx: number): VocabExtremes {
  let bestCos = -Infinity;
  let bestCosId = 0;
  let longest = 0;
  let longestId = 0;
  for (let i = 0; i < uNorms.length; i++) {
    const nu = uNorms[i];
    if (nu > longest) {
      longest = nu;
      longestId = i;
    }
    const c = nu > 0 ? z[i] / (nu * nx) : -Infinity;
    if (c > bestCos) {
      bestCos = c;
      bestCosId = i;
    }
  }
  return { bestCos, bestCosId, longest, longestId };
}
