/**
 * Three ways to rank the vocabulary against one vector x (chapter 6a).
 *
 * The logits already hold every dot product x · u_i, so the other two
 * rankings follow from them and the row norms |u_i| in O(V):
 *   cosine_i    = (x · u_i) / (|x| |u_i|)
 *   euclidean_i = sqrt(|x|² + |u_i|² − 2 x · u_i)
 * Pure maths: imports nothing but itself.
 */
import { topK } from './softmax';

export type RankKind = 'euclidean' | 'dot' | 'cosine';

export interface Ranked {
  id: number;
  /** Distance for 'euclidean' (smaller is closer), similarity otherwise. */
  value: number;
}

export interface ThreeRankings {
  euclidean: Ranked[];
  dot: Ranked[];
  cosine: Ranked[];
  /** Rank (0 = first) of `target` in each full ordering, or -1 when no target was given. */
  targetRank: Record<RankKind, number>;
}

/** Per-token scores for one kind; larger is better for every kind (euclidean is negated distance). */
export function scores(kind: RankKind, dots: ArrayLike<number>, rowNorms: ArrayLike<number>, xNorm: number): Float64Array {
  const n = dots.length;
  const out = new Float64Array(n);
  const x2 = xNorm * xNorm;
  for (let i = 0; i < n; i++) {
    const d = dots[i];
    if (kind === 'dot') out[i] = d;
    else if (kind === 'cosine') {
      const den = xNorm * rowNorms[i];
      out[i] = den > 0 ? d / den : 0;
    } else {
      const u = rowNorms[i];
      out[i] = -Math.sqrt(Math.max(0, x2 + u * u - 2 * d));
    }
  }
  return out;
}

/** How many tokens score strictly better than `id` (0 = ranked first). */
export function rankOf(s: ArrayLike<number>, id: number): number {
  const v = s[id];
  let r = 0;
  for (let i = 0; i < s.length; i++) if (s[i] > v || (s[i] === v && i < id)) r++;
  return r;
}

/**
 * The top k of each ranking for vector x whose dot products with every row
 * u_i are `dots` [V]; `rowNorms` [V] = |u_i|; `xNorm` = |x|.
 */
export function threeRankings(dots: ArrayLike<number>, rowNorms: ArrayLike<number>, xNorm: number, k: number, target = -1): ThreeRankings {
  const out = { targetRank: {} } as ThreeRankings;
  for (const kind of ['euclidean', 'dot', 'cosine'] as const) {
    const s = scores(kind, dots, rowNorms, xNorm);
    out[kind] = topK(s, k).map((id) => ({ id, value: kind === 'euclidean' ? -s[id] : s[id] }));
    out.targetRank[kind] = target >= 0 && target < s.length ? rankOf(s, target) : -1;
  }
  return out;
}
