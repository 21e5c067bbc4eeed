/**
 * The maths of figure 6a, from the last position's final hidden state x, its
 * logits (x · u_i) and the row norms |u_i|: the three rankings, the distance
 * column at a chosen length of x, and the prediction's distance rank as that
 * length sweeps a range. O(V) each; no matrix product (the logits already are
 * the dot products).
 */
import { rankOf, threeRankings, type ThreeRankings } from '../../geometry/rankings';
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

/** A V-sized scratch row per base, reused by every length step of the slider (one base per prompt and model). */
const scratch = new WeakMap<RankingsBase, Float64Array>();

/**
 * The distance column for x scaled to length `len` (x′ = len · x / |x|), and the prediction's rank in it: only the
 * euclidean ranking moves with the length (dot and cosine rank by direction), so a length step scores that one,
 * into a reused row. The same numbers as threeRankings on the scaled dot products (scaled in float32).
 */
export function distanceColumn(base: RankingsBase, norms: ArrayLike<number>, len: number, k: number) {
  const n = base.dots.length;
  let sc = scratch.get(base);
  if (!sc || sc.length !== n) scratch.set(base, (sc = new Float64Array(n)));
  const score = distanceScore(base, norms, len);
  for (let i = 0; i < n; i++) sc[i] = score(i);
  const list = topK(sc, k).map((id) => ({ id, value: -sc[id] }));
  return { list, rank: base.pred >= 0 && base.pred < n ? rankOf(sc, base.pred) : -1 };
}

/**
 * Token i's score in the distance column for x scaled to length `len` (larger is nearer): the dot product scaled in
 * float32, then −sqrt(max(0, |x′|² + |u_i|² − 2 x′ · u_i)), as threeRankings computes it for the scaled vector.
 */
function distanceScore(base: RankingsBase, norms: ArrayLike<number>, len: number): (i: number) => number {
  const s = base.xNorm > 0 ? len / base.xNorm : 0;
  const x2 = len * len;
  return (i) => {
    const u = norms[i];
    return -Math.sqrt(Math.max(0, x2 + u * u - 2 * Math.fround(base.dots[i] * s)));
  };
}

/** The prediction's 0-based rank in the distance column at length `len` (distanceColumn's rank), without the column. */
export function distanceRankAt(base: RankingsBase, norms: ArrayLike<number>, len: number): number {
  const score = distanceScore(base, norms, len);
  const p = base.pred;
  const v = score(p);
  let r = 0;
  for (let i = 0; i < base.dots.length; i++) {
    const si = score(i);
    if (si > v || (si === v && i < p)) r++;
  }
  return r;
}

/** [log10(len / median), 1-based distance rank of the prediction] for 37 lengths across [lo, hi] (log10 multiples of `med`). */
export function distanceRankCurve(base: RankingsBase, norms: ArrayLike<number>, med: number, lo: number, hi: number): [number, number][] {
  const pts: [number, number][] = [];
  const n = 36;
  for (let j = 0; j <= n; j++) {
    const v = lo + ((hi - lo) * j) / n;
    pts.push([v, distanceRankAt(base, norms, Math.pow(10, v) * med) + 1]);
  }
  return pts;
}
