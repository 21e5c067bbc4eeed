/** Histograms and range selections over a list of values (pure maths). */

export interface Histogram {
  lo: number;
  hi: number;
  width: number;
  counts: number[];
}

/**
 * Equal-width bins of the finite values. Without `range` the bins span
 * [min, max] of the values (max lands in the last bin); with `range` they
 * span [lo, hi] and values outside are counted in the end bins.
 */
export function histogram(values: ArrayLike<number>, bins: number, range?: readonly [number, number]): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  if (range) [lo, hi] = range;
  else
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  bins = Math.max(1, Math.floor(bins));
  const counts = new Array<number>(bins).fill(0);
  if (lo === Infinity) return { lo: 0, hi: 1, width: 1 / bins, counts };
  if (hi === lo) hi = lo + 1;
  const width = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
  }
  return { lo, hi, width, counts };
}

/** Indices whose value lies in [a, b], sorted by value (descending if `desc`). */
export function indicesInRange(values: ArrayLike<number>, a: number, b: number, desc = false): number[] {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] >= lo && values[i] <= hi) out.push(i);
  out.sort((i, j) => (desc ? values[j] - values[i] : values[i] - values[j]));
  return out;
}

/** Mean, standard deviation, min, max and quantiles of the values. */
export function summary(values: ArrayLike<number>): { mean: number; sd: number; min: number; max: number; q: (p: number) => number } {
  const n = values.length;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  let s = 0;
  for (let i = 0; i < n; i++) s += sorted[i];
  const mean = n ? s / n : 0;
  let v = 0;
  for (let i = 0; i < n; i++) v += (sorted[i] - mean) ** 2;
  const q = (p: number) => {
    if (!n) return 0;
    const x = Math.min(n - 1, Math.max(0, p * (n - 1)));
    const i = Math.floor(x);
    const f = x - i;
    return i + 1 < n ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
  };
  return { mean, sd: n ? Math.sqrt(v / n) : 0, min: n ? sorted[0] : 0, max: n ? sorted[n - 1] : 0, q };
}
