/**
 * The maths of figure 4b on the norms of the residual stream (norms[l][t],
 * from residualNorms in src/state/forward-readers.ts): their range, whether
 * it needs a log axis, and which position's line lies nearest the pointer.
 */

/**
 * [smallest positive norm, largest norm] over every layer and position, with
 * fallbacks (1e-3 when none is positive, 1 when all are 0) so a scale always has a span.
 */
export function normRange(norms: ArrayLike<number>[]): [number, number] {
  let a = Infinity;
  let b = 0;
  for (const r of norms)
    for (let i = 0; i < r.length; i++) {
      const v = r[i];
      if (v > 0) a = Math.min(a, v);
      b = Math.max(b, v);
    }
  return [a === Infinity ? 1e-3 : a, b || 1];
}

/** A log axis once the norms span more than a factor of 30. */
export const needsLogScale = (lo: number, hi: number): boolean => hi / lo > 30;

/** The lowest value drawn: a line never drops below the axis (0, or 0.9 × the smallest norm on a log axis). */
export const plotFloor = (useLog: boolean, lo: number): number => (useLog ? lo * 0.9 : 0);

/** The position shown: the URL's rn_pos when it is a position of this prompt, else the last one (−1 stands for the last). */
export const shownPosition = (param: number, T: number): number => (param < 0 || param >= T ? T - 1 : param);

/**
 * The position whose line passes nearest the pointer's height `py` at one
 * layer: `column` holds that layer's norm per position, `yOf` maps a norm to
 * pixels. 0 when the column is empty.
 */
export function nearestPosition(column: ArrayLike<number>, py: number, yOf: (v: number) => number): number {
  let best = 0;
  let bd = Infinity;
  for (let t = 0; t < column.length; t++) {
    const d = Math.abs(yOf(column[t]) - py);
    if (d < bd) {
      bd = d;
      best = t;
    }
  }
  return best;
}
