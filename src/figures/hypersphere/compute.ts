/**
 * The numbers behind the hypersphere view (figure 6b), separate from the
 * drawing so tests and the prose can read them: the trajectory of the last
 * position in the plane of two token directions, and how the picture places
 * it (rotation, radius, the array the animation tweens). Pure functions of
 * plain arrays (no React, no tfjs).
 */
import { planeBasis, project, angle2, angleN, minus, inPlaneFraction } from '../../geometry/projection';
import { layerNorm } from '../../geometry/layernorm';

export interface TrajPoint {
  layer: number; // 0 = embedding (entering block 0), l = after block l
  p: [number, number]; // coordinates in the plane
  norm: number; // full length |v| in D dimensions
  frac: number; // |p| / |v|
  angA: number; // in-plane angle to token a (radians)
  angB: number;
  trueA: number; // angle to token a in D dimensions (radians)
  trueB: number;
  dotA: number; // v · u_a (the logit of a when v is the final LayerNorm output; centred: minus v · μ)
  dotB: number;
}

export interface Trajectory {
  points: TrajPoint[];
  a2: [number, number];
  b2: [number, number];
  degenerate: boolean;
  /** A token's row (after centring, if on) is zero or not finite: it has no direction, and the plane says nothing about it. */
  noDirection: boolean;
  /** Angle between the two token directions (as used: centred or not), radians. */
  abAngle: number;
}

/**
 * residuals [L+1, T, D]; the last position's vector at each layer is read out
 * (through the final LayerNorm unless raw) and projected onto the plane of
 * u_a and u_b (each minus μ when `mean` is given).
 */
export function trajectory(args: {
  residuals: Float32Array;
  L: number;
  T: number;
  D: number;
  ua: ArrayLike<number>;
  ub: ArrayLike<number>;
  mean: ArrayLike<number> | null;
  raw: boolean;
  gain: ArrayLike<number>;
  bias: ArrayLike<number>;
  eps: number;
  /** The model's final norm (RMSNorm does not centre). */
  norm?: 'layernorm' | 'rmsnorm';
}): Trajectory {
  const { residuals, L, T, D, raw, gain, bias, eps } = args;
  const a = minus(args.ua, args.mean);
  const b = minus(args.ub, args.mean);
  const B = planeBasis(a, b);
  const points: TrajPoint[] = [];
  const t = T - 1;
  for (let l = 0; l <= L; l++) {
    const o = (l * T + t) * D;
    const r = residuals.subarray(o, o + D);
    const v = raw ? Float64Array.from(r) : layerNorm(r, gain, bias, eps, args.norm);
    const p = project(v, B);
    let n = 0,
      da = 0,
      db = 0;
    for (let i = 0; i < D; i++) {
      n += v[i] * v[i];
      da += v[i] * a[i];
      db += v[i] * b[i];
    }
    points.push({
      layer: l,
      p,
      norm: Math.sqrt(n),
      frac: inPlaneFraction(v, B),
      angA: angle2(p, B.a2),
      angB: angle2(p, B.b2),
      trueA: angleN(v, a),
      trueB: angleN(v, b),
      dotA: da,
      dotB: db,
    });
  }
  return {
    points,
    a2: B.a2,
    b2: B.b2,
    degenerate: B.degenerate,
    noDirection: B.noDirection || planeBasis(b, a).noDirection,
    abAngle: angle2(B.a2, B.b2),
  };
}

export const DEG = 180 / Math.PI;

type P2 = [number, number];

/** Rotate (and mirror) the plane so the rays of a and b sit symmetrically about the vertical, a on the left. */
export function orient(t: Pick<Trajectory, 'b2'>): (p: readonly [number, number]) => P2 {
  const beta = Math.atan2(t.b2[1], t.b2[0]); // angle of b; a is at 0
  const rho = Math.PI / 2 - beta / 2;
  const c = Math.cos(rho);
  const s = Math.sin(rho);
  return (p: readonly [number, number]): P2 => [-(c * p[0] - s * p[1]), s * p[0] + c * p[1]];
}

/** Where the picture puts things, in plane units: the points after rotation, the unit rays of a and b, and the radius shown. */
export interface PlaneLayout {
  /** [L+1] points, rotated. */
  pts: P2[];
  /** Unit vectors along the rotated rays (a zero ray stays zero). */
  ua: P2;
  ub: P2;
  /** Radius of the plot: 12% beyond the farthest point (at least 1e-6). */
  R0: number;
}

function unit2(v: P2): P2 {
  const n = Math.hypot(v[0], v[1]) || 1;
  return [v[0] / n, v[1] / n];
}

export function planeLayout(t: Trajectory): PlaneLayout {
  const rot = orient(t);
  const pts = t.points.map((q) => rot(q.p));
  return {
    pts,
    ua: unit2(rot(t.a2)),
    ub: unit2(rot(t.b2)),
    R0: Math.max(1e-6, ...pts.map((p) => Math.hypot(p[0], p[1]))) * 1.12,
  };
}

/** Everything that moves, in one flat array for the tween: [R0, ua, ub, pts...] (5 + 2(L+1) numbers). */
export function tweenTarget(l: PlaneLayout): number[] {
  return [l.R0, ...l.ua, ...l.ub, ...l.pts.flat()];
}

/** The inverse of tweenTarget for `n` points: read a (possibly mid-animation) array back into radius, rays and points. */
export function fromTween(shown: number[], n: number): { R: number; ua: P2; ub: P2; pts: P2[] } {
  return {
    R: shown[0],
    ua: [shown[1], shown[2]],
    ub: [shown[3], shown[4]],
    pts: Array.from({ length: n }, (_, i) => [shown[5 + 2 * i], shown[6 + 2 * i]] as P2),
  };
}

/** The turn from angle `from` to angle `to` the short way round, in [−π, π]. */
export function shortTurn(from: number, to: number): number {
  let d = to - from;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return d;
}

/** Which token's ray a point is closer to, by in-plane angle. */
export function closer(q: Pick<TrajPoint, 'angA' | 'angB'>): 'a' | 'b' | 'tie' {
  return q.angA < q.angB ? 'a' : q.angA > q.angB ? 'b' : 'tie';
}
