/**
 * The maths of figure 0, two vectors a and b in the plane: the three measures
 * (distance, dot product, cosine) with the formulas as TeX, a tip moved by
 * drag or arrow key, b stretched along its own direction, and the arc that
 * marks the angle between the arrows.
 */
import { cosine, dot, euclidean, norm } from '../../geometry/vector';

export type Vec2 = [number, number];

export interface Measures {
  dist: number;
  dot: number;
  cos: number;
  na: number;
  nb: number;
}

export function measures(a: Vec2, b: Vec2): Measures {
  return { dist: euclidean(a, b), dot: dot(a, b), cos: cosine(a, b), na: norm(a), nb: norm(b) };
}

/** Rounded to 2 decimals (tips move on a 0.01 grid). */
export const r2 = (x: number) => Math.round(x * 100) / 100;

/** A tip clamped into the plane [−lim, lim]² and rounded to 2 decimals. */
export function snapTip(x: number, y: number, lim: number): Vec2 {
  const clamp = (v: number) => Math.max(-lim, Math.min(lim, v));
  return [r2(clamp(x)), r2(clamp(y))];
}

/** The tip after an arrow key (steps of 0.1, 0.5 with Shift), or null for any other key. */
export function keyStep(v: Vec2, key: string, shift: boolean, lim: number): Vec2 | null {
  const step = shift ? 0.5 : 0.1;
  let [x, y] = v;
  if (key === 'ArrowRight') x += step;
  else if (key === 'ArrowLeft') x -= step;
  else if (key === 'ArrowUp') y += step;
  else if (key === 'ArrowDown') y -= step;
  else return null;
  return snapTip(x, y, lim);
}

/**
 * b stretched to length L along its own direction (along +x when b is zero,
 * so the direction survives tiny lengths), shortened so that it stays inside
 * the plane; rounded to 3 decimals.
 */
export function stretchAlong(b: Vec2, L: number, lim: number): Vec2 {
  const nb = norm(b);
  const n = nb || 1;
  const ux = nb ? b[0] / n : 1;
  const uy = nb ? b[1] / n : 0;
  let k = L;
  const m = Math.max(Math.abs(ux), Math.abs(uy));
  if (m * k > lim) k = lim / m;
  return [Math.round(ux * k * 1000) / 1000, Math.round(uy * k * 1000) / 1000];
}

/** The angle from a's direction to b's, wrapped to [−π, π] (positive: anticlockwise). */
export function signedAngle(a: Vec2, b: Vec2): number {
  let d = Math.atan2(b[1], b[0]) - Math.atan2(a[1], a[0]);
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return d;
}

/** SVG path of the short arc of radius r (px) about the origin at (ox, oy), from a's direction to b's; screen y points down. */
export function arcPath(a: Vec2, b: Vec2, ox: number, oy: number, r: number): string {
  const angA = Math.atan2(a[1], a[0]);
  const dAng = signedAngle(a, b);
  const x0 = ox + r * Math.cos(angA);
  const y0 = oy - r * Math.sin(angA);
  const x1 = ox + r * Math.cos(angA + dAng);
  const y1 = oy - r * Math.sin(angA + dAng);
  return `M${x0},${y0} A${r},${r} 0 0 ${dAng > 0 ? 0 : 1} ${x1},${y1}`;
}

/** A number as TeX with 2 decimals (never "-0.00"). */
export const t2 = (x: number) => (Math.abs(x) < 0.005 ? '0.00' : x.toFixed(2));
/** The same, in parentheses when negative (for "a − (−1.00)"). */
export const tp = (x: number) => (x < 0 ? `(${t2(x)})` : t2(x));

/** The three formulas with a's and b's coordinates substituted and the result in bold. */
export function formulas(a: Vec2, b: Vec2, m: Measures): { euclid: string; dot: string; cos: string } {
  return {
    euclid: `\\lVert a-b\\rVert=\\sqrt{(${t2(a[0])}-${tp(b[0])})^2+(${t2(a[1])}-${tp(b[1])})^2}=\\mathbf{${t2(m.dist)}}`,
    dot: `a\\cdot b=${t2(a[0])}\\cdot${tp(b[0])}+${t2(a[1])}\\cdot${tp(b[1])}=\\mathbf{${t2(m.dot)}}`,
    cos: `\\cos\\theta=\\frac{a\\cdot b}{\\lVert a\\rVert\\,\\lVert b\\rVert}=\\frac{${t2(m.dot)}}{${t2(m.na)}\\cdot${t2(m.nb)}}=\\mathbf{${t2(m.cos)}}`,
  };
}
