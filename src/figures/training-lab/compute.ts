/**
 * The drawing maths of the lab's views (views.tsx): thinning a long series
 * for drawing, the y range of a line chart, shared bins for the two models'
 * row-norm histograms, and which recorded steps the plane path shows. Pure.
 */

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);

/** At most ~n points per series for drawing (every k-th, the last kept). */
export function thin(ps: [number, number][], n = 500): [number, number][] {
  if (ps.length <= n) return ps;
  const k = Math.ceil(ps.length / n);
  const out = ps.filter((_, i) => i % k === 0);
  if (out[out.length - 1] !== ps[ps.length - 1]) out.push(ps[ps.length - 1]);
  return out;
}

/**
 * The y range of a line chart over the finite values `ys`: a given domain is
 * widened, never clipped, when the data leave it; otherwise from min(0, ys)
 * to 5% above the largest value.
 */
export function yExtent(ys: number[], domain?: [number, number]): [number, number] {
  const f = ys.filter(Number.isFinite);
  return domain ? [Math.min(domain[0], ...f), Math.max(domain[1], ...f)] : [Math.min(0, ...f), Math.max(1e-6, ...f) * 1.05];
}

export interface SharedBins {
  /** One x range for both models, so their spreads compare directly. */
  lo: number;
  hi: number;
  /** Per model: the number of rows in each of the equal-width bins. */
  counts: number[][];
}

/** Equal-width bins over the range of all values of both lists (the largest lands in the last bin); [0, 1] with no values. */
export function sharedBins(lists: number[][], bins: number): SharedBins {
  const all = lists.flat();
  const lo = all.length ? Math.min(...all) : 0;
  const max = all.length ? Math.max(...all) : 1;
  const hi = max > lo ? max : lo + 1;
  const counts = lists.map((n) => {
    const c = new Array<number>(bins).fill(0);
    for (const v of n) c[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]++;
    return c;
  });
  return { lo, hi, counts };
}

/** At most ~max items (every k-th, the last kept), in order: the dots of the plane path. */
export function sampleEvery<T>(xs: T[], max = 150): T[] {
  const every = Math.ceil(xs.length / max) || 1;
  return xs.filter((_, i) => i % every === 0 || i === xs.length - 1);
}
