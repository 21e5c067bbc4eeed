/**
 * Projection onto the plane spanned by two token directions (chapter 6b).
 * Gram–Schmidt gives an orthonormal basis (e1, e2) of span(a, b); a vector x
 * maps to (x · e1, x · e2). Because a and b lie in the plane, x · a and x · b
 * are preserved exactly by the projection: the 2-D picture shows the two
 * tokens' logits without distortion. Pure maths: imports nothing but itself.
 */
export type Vec = ArrayLike<number>;

export interface PlaneBasis {
  e1: Float64Array;
  e2: Float64Array;
  /** a and b expressed in the basis: a = (|a|, 0), b = (b·e1, b·e2). */
  a2: [number, number];
  b2: [number, number];
  /** True when b is (numerically) parallel to a; e2 is then an arbitrary unit vector orthogonal to e1. */
  degenerate: boolean;
}

function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** a − c (or a copy of a when c is null). */
export function minus(a: Vec, c: Vec | null): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - (c ? c[i] : 0);
  return out;
}

/** Orthonormal basis of span(a, b) by Gram–Schmidt. Throws on a zero vector a. */
export function planeBasis(a: Vec, b: Vec): PlaneBasis {
  const n = a.length;
  const na = Math.sqrt(dot(a, a));
  if (!(na > 0)) throw new Error('planeBasis: the first direction is the zero vector');
  const e1 = new Float64Array(n);
  for (let i = 0; i < n; i++) e1[i] = a[i] / na;
  const be1 = dot(b, e1);
  let e2 = new Float64Array(n);
  for (let i = 0; i < n; i++) e2[i] = b[i] - be1 * e1[i];
  let n2 = Math.sqrt(dot(e2, e2));
  const nb = Math.sqrt(dot(b, b));
  let degenerate = false;
  if (!(n2 > 1e-9 * Math.max(1, nb))) {
    degenerate = true;
    // Any unit vector orthogonal to e1: start from the axis where e1 is smallest.
    let k = 0;
    for (let i = 1; i < n; i++) if (Math.abs(e1[i]) < Math.abs(e1[k])) k = i;
    e2 = new Float64Array(n);
    e2[k] = 1;
    const c = e1[k];
    for (let i = 0; i < n; i++) e2[i] -= c * e1[i];
    n2 = Math.sqrt(dot(e2, e2));
  }
  for (let i = 0; i < n; i++) e2[i] /= n2;
  return { e1, e2, a2: [na, 0], b2: [be1, dot(b, e2)], degenerate };
}

/** Coordinates of x in the plane: (x · e1, x · e2). */
export function project(x: Vec, basis: PlaneBasis): [number, number] {
  return [dot(x, basis.e1), dot(x, basis.e2)];
}

/** Angle between two 2-D vectors in radians, in [0, π]; 0 when either is zero. */
export function angle2(p: readonly [number, number], q: readonly [number, number]): number {
  const np = Math.hypot(p[0], p[1]);
  const nq = Math.hypot(q[0], q[1]);
  if (!(np > 0) || !(nq > 0)) return 0;
  const c = (p[0] * q[0] + p[1] * q[1]) / (np * nq);
  return Math.acos(Math.max(-1, Math.min(1, c)));
}

/** Angle between two vectors of any dimension in radians, in [0, π]. */
export function angleN(a: Vec, b: Vec): number {
  const na = Math.sqrt(dot(a, a));
  const nb = Math.sqrt(dot(b, b));
  if (!(na > 0) || !(nb > 0)) return 0;
  return Math.acos(Math.max(-1, Math.min(1, dot(a, b) / (na * nb))));
}

/** Fraction of x's length that lies in the plane: |proj x| / |x| (1 = entirely in the plane). */
export function inPlaneFraction(x: Vec, basis: PlaneBasis): number {
  const nx = Math.sqrt(dot(x, x));
  if (!(nx > 0)) return 0;
  const [p, q] = project(x, basis);
  return Math.hypot(p, q) / nx;
}
