/**
 * The maths of figure 2c over the row norms |w_i| [V]: the histogram bins, a
 * selected range kept to four decimals, the ranges of the shortest and the
 * longest 1% of rows, and which bins a range touches. Pure.
 */
import { summary, type Histogram } from '../../geometry/histogram';

export const BINS = 60;
/** At most this many tokens of a selection are listed. */
export const LIST_MAX = 80;

/** The range [a, b] in increasing order, each end rounded to 4 decimals (as the URL stores it). */
export function roundedRange(a: number, b: number): [number, number] {
  return [Math.round(Math.min(a, b) * 1e4) / 1e4, Math.round(Math.max(a, b) * 1e4) / 1e4];
}

/** The range from the shortest to the n-th shortest norm ('short'), or from the n-th longest to the longest ('long'), n = 1% of the rows (at least 1); null with no rows. */
export function tailRange(norms: ArrayLike<number>, which: 'short' | 'long'): [number, number] | null {
  if (norms.length === 0) return null;
  const n = Math.max(1, Math.round(norms.length * 0.01));
  const sorted = Float32Array.from(norms).sort();
  return which === 'short' ? [sorted[0], sorted[n - 1]] : [sorted[sorted.length - n], sorted[sorted.length - 1]];
}

/** Whether bin i of h overlaps the selected range [lo, hi] (an empty range, hi ≤ lo, selects nothing). */
export function binSelected(h: Histogram, i: number, lo: number, hi: number): boolean {
  const a = h.lo + i * h.width;
  const b = a + h.width;
  return hi > lo && b >= lo && a <= hi;
}

/** The bins as rows for the figure's data export: [from, to) and the number of rows in it. */
export function histogramRows(h: Histogram): { bin_from: number; bin_to: number; rows: number }[] {
  return h.counts.map((c, i) => ({ bin_from: h.lo + i * h.width, bin_to: h.lo + (i + 1) * h.width, rows: c }));
}

/** The summary line under the histogram: median, the 1st and 99th percentiles, shortest and longest. */
export interface NormStats {
  median: number;
  q01: number;
  q99: number;
  min: number;
  max: number;
}

export function normStats(norms: ArrayLike<number>): NormStats {
  const s = summary(norms);
  return { median: s.q(0.5), q01: s.q(0.01), q99: s.q(0.99), min: s.min, max: s.max };
}
