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
  /** True when b is (numerically) parallel to a, zero or not finite; e2 is then an arbitrary unit vector orthogonal to e1. */
  degenerate: boolean;
  /**
   * True when a has no direction (the zero vector, or a NaN/±Infinity entry): e1 is then the first axis, a2 = (0, 0),
   * and the plane says nothing about a. Figures must show that instead of a picture.
   */
  noDirection: boolean;
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

/**
 * Orthonormal basis of span(a, b) by Gram–Schmidt. Never throws and never
 * returns NaN: when a is zero or not finite, `noDirection` is set and e1 is
 * the first axis; when b is parallel to a, zero or not finite, `degenerate`
 * is set and e2 is some unit vector orthogonal to e1 (b2 is then (0, 0) if b
 * is not finite).
 */
export function planeBasis(a: Vec, b: Vec): PlaneBasis {
  const n = a.length;
  const na = Math.sqrt(dot(a, a));
  const noDirection = !(na > 0) || !Number.isFinite(na);
  const e1 = new Float64Array(n);
  if (noDirection) {
    if (n > 0) e1[0] = 1;
  } else for (let i = 0; i < n; i++) e1[i] = a[i] / na;
  const bFinite = Number.isFinite(dot(b, b));
  if (!bFinite) b = new Float64Array(n);
  const be1 = dot(b, e1);
  let e2 = new Float64Array(n);
  for (let i = 0; i < n; i++) e2[i] = b[i] - be1 * e1[i];
  let n2 = Math.sqrt(dot(e2, e2));
  const nb = Math.sqrt(dot(b, b));
  let degenerate = !bFinite || noDirection;
  if (!(n2 > 1e-9 * Math.max(1, nb)) && n > 1) {
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
  if (n2 > 0) for (let i = 0; i < n; i++) e2[i] /= n2;
  return { e1, e2, a2: [noDirection ? 0 : na, 0], b2: [be1, dot(b, e2)], degenerate, noDirection };
}

/** Coordinates of x in the plane: (x · e1, x · e2) (NaN when x has a non-finite entry: the caller shows no point). */
export function project(x: Vec, basis: PlaneBasis): [number, number] {
  return [dot(x, basis.e1), dot(x, basis.e2)];
}

/** Angle between two 2-D vectors in radians, in [0, π]; 0 when either is zero or not finite (no direction). */
export function angle2(p: readonly [number, number], q: readonly [number, number]): number {
  const np = Math.hypot(p[0], p[1]);
  const nq = Math.hypot(q[0], q[1]);
  if (!(np > 0) || !(nq > 0) || !Number.isFinite(np) || !Number.isFinite(nq)) return 0;
  const c = (p[0] * q[0] + p[1] * q[1]) / (np * nq);
  return Math.acos(Math.max(-1, Math.min(1, c)));
}

/** Angle between two vectors of any dimension in radians, in [0, π]; 0 when either is zero or not finite (no direction). */
export function angleN(a: Vec, b: Vec): number {
  const na = Math.sqrt(dot(a, a));
  const nb = Math.sqrt(dot(b, b));
  if (!(na > 0) || !(nb > 0) || !Number.isFinite(na) || !Number.isFinite(nb)) return 0;
  return Math.acos(Math.max(-1, Math.min(1, dot(a, b) / (na * nb))));
}

/** Fraction of x's length that lies in the plane: |proj x| / |x| (1 = entirely in the plane); 0 for a zero or non-finite x. */
export function inPlaneFraction(x: Vec, basis: PlaneBasis): number {
  const nx = Math.sqrt(dot(x, x));
  if (!(nx > 0) || !Number.isFinite(nx)) return 0;
  const [p, q] = project(x, basis);
  return Math.hypot(p, q) / nx;
}
