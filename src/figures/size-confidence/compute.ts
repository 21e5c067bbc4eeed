/**
 * The maths of figure 7 beyond the toy itself (toy.ts): the state a drag or a
 * key press moves x to, the sharpening curve (top probability against |x|
 * for one direction), the winner and the closest row, and the row-length
 * summary of figure 7b from the row norms |u_i| [V]. Pure.
 */
import { topK } from '../../geometry/softmax';
import { toyProbs, type ToyToken } from './toy';

export function clamp(v: number, lo: number, hi: number) {
  return Math.min(hi, Math.max(lo, v));
}

/** An angle in degrees mapped to (−180, 180]. */
export function wrapAngle(a: number) {
  let d = ((((a + 180) % 360) + 360) % 360) - 180;
  if (d === -180) d = 180;
  return d;
}

/** x's length (0..lmax, two decimals) and angle (whole degrees), as the URL keeps them. */
export interface XState {
  len: number;
  ang: number;
}

/** Where a drag to the plane point (vx, vy) puts x: its length, clamped, and its direction. */
export function dragTo(vx: number, vy: number, lmax: number): XState {
  const l = clamp(Math.hypot(vx, vy), 0, lmax);
  const a = Math.atan2(vy, vx) * (180 / Math.PI);
  return { len: Math.round(l * 100) / 100, ang: Math.round(a) };
}

/**
 * The keyboard on x's handle: up/down change the length by 0.1 (0.5 with
 * Shift), left/right turn it by 5° (15°), Home and End go to length 0 and
 * lmax. Null for any other key.
 */
export function keyMove(key: string, shift: boolean, x: XState, lmax: number): XState | null {
  const step = shift ? 0.5 : 0.1;
  let l = x.len;
  let a = x.ang;
  if (key === 'ArrowUp') l += step;
  else if (key === 'ArrowDown') l -= step;
  else if (key === 'ArrowRight') a -= shift ? 15 : 5;
  else if (key === 'ArrowLeft') a += shift ? 15 : 5;
  else if (key === 'Home') l = 0;
  else if (key === 'End') l = lmax;
  else return null;
  return { len: Math.round(clamp(l, 0, lmax) * 100) / 100, ang: wrapAngle(Math.round(a)) };
}

/** [|x|, top probability] at n + 1 lengths from 0 to lmax, x pointing at `angleDeg`. */
export function sharpeningCurve(tokens: ToyToken[], angleDeg: number, lmax: number, n = 80): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i <= n; i++) {
    const l = (i / n) * lmax;
    pts.push([l, Math.max(...toyProbs(tokens, l, angleDeg))]);
  }
  return pts;
}

/** Index of the first largest value (−1 when empty). */
export function argmax(xs: number[]): number {
  return xs.indexOf(Math.max(...xs));
}

/** Index of the first smallest value (−1 when empty). */
export function argmin(xs: number[]): number {
  return xs.indexOf(Math.min(...xs));
}

/** A toy label with its leading space shown as ·. */
export function shownLabel(label: string): string {
  return label.replace(/^ /, '·');
}

export interface RowLengths {
  median: number;
  /** The 6 longest rows, longest first. */
  longest: number[];
  min: number;
  max: number;
}

/** Median (the upper middle for an even count), the 6 longest rows, shortest and longest |u_i|; zeros with no rows. */
export function rowLengthSummary(norms: Float32Array): RowLengths {
  if (norms.length === 0) return { median: 0, longest: [], min: 0, max: 0 };
  const sorted = Float32Array.from(norms).sort();
  const median = sorted[Math.floor(sorted.length / 2)];
  return { median, longest: topK(norms, 6), min: sorted[0], max: sorted[sorted.length - 1] };
}
