/**
 * The maths of figure 6a, from the last position's final hidden state x, its
 * logits (x · u_i) and the row norms |u_i|: the three rankings, the distance
 * column at a chosen length of x, and the prediction's distance rank as that
 * length sweeps a range. O(V) each; no matrix product (the logits already are
 * the dot products).
 */
import { rankOf, scores, threeRankings, type ThreeRankings } from '../../geometry/rankings';
import { topK } from '../../geometry/softmax';

export function median(v: ArrayLike<number>): number {
  const s = Float64Array.from(v).sort();
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

export interface RankingsBase extends ThreeRankings {
  /** The model's prediction (largest logit). */
  pred: number;
  xNorm: number;
  dots: ArrayLike<number>;
}

/** The three top-k lists for x, with the prediction's rank in each. */
export function rankingsAt(x: ArrayLike<number>, dots: ArrayLike<number>, norms: ArrayLike<number>, k: number): RankingsBase {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  const xNorm = Math.sqrt(s);
  const pred = topK(dots, 1)[0];
  return { pred, xNorm, dots, ...threeRankings(dots, norms, xNorm, k, pred) };
}

function scaledDots(base: RankingsBase, len: number): Float32Array {
  const s = base.xNorm > 0 ? len / base.xNorm : 0;
  const out = new Float32Array(base.dots.length);
  for (let i = 0; i < out.length; i++) out[i] = base.dots[i] * s;
  return out;
}

/** The distance column for x scaled to length `len` (x′ = len · x / |x|), and the prediction's rank in it. */
export function distanceColumn(base: RankingsBase, norms: ArrayLike<number>, len: number, k: number) {
  const r = threeRankings(scaledDots(base, len), norms, len, k, base.pred);
  return { list: r.euclidean, rank: r.targetRank.euclidean };
}

/** [log10(len / median), 1-based distance rank of the prediction] for 37 lengths across [lo, hi] (log10 multiples of `med`). */
export function distanceRankCurve(base: RankingsBase, norms: ArrayLike<number>, med: number, lo: number, hi: number): [number, number][] {
  const pts: [number, number][] = [];
  const n = 36;
  for (let j = 0; j <= n; j++) {
    const v = lo + ((hi - lo) * j) / n;
    const len = Math.pow(10, v) * med;
    pts.push([v, rankOf(scores('euclidean', scaledDots(base, len), norms, len), base.pred) + 1]);
  }
  return pts;
}
