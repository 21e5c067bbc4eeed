/**
 * The numbers behind the hypersphere view (figure 6b), separate from the
 * drawing so tests and the prose can read them. Pure functions of plain
 * arrays (no React, no tfjs).
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
