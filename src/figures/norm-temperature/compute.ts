/**
 * The maths of figure 5c. With logits z [V] linear in x (no unembedding
 * bias), scaling x by α scales z by α, so softmax(α z) at T = 1 equals
 * softmax(z) at T = 1/α. The slider works in log10 α; linked to the shared
 * temperature, log10 α = −log10 T. Pure.
 */
import { softmax } from '../../geometry/softmax';
import { scaled } from '../../geometry/temperature';

/** log10 α shown by the slider: from the shared temperature when linked (T = 0 → the top of the range), else its own value. */
export function alphaLog(linked: boolean, temp: number, ownLog: number, min: number, max: number): number {
  if (!linked) return ownLog;
  return temp > 0 ? Math.max(min, Math.min(max, -Math.log10(temp))) : max;
}

/** log10 α rounded to the slider's step (0.01). */
export function roundLog(v: number): number {
  return Math.round(v * 100) / 100;
}

/** The shared temperature that matches log10 α: T = 1/α, to 4 significant digits. */
export function tempForLog(logA: number): number {
  return Number(Math.pow(10, -logA).toPrecision(4));
}

export interface Comparison {
  /** The tokens shown, most likely first (the same in both distributions: α > 0 keeps the logits' order). */
  ids: number[];
  /** softmax(α z) at T = 1, at those tokens. */
  pScaled: Float64Array;
  /** softmax(z) at T = 1/α, at those tokens. */
  pTemp: Float64Array;
  /** Largest |softmax(α z) − softmax(z / (1/α))| over the whole vocabulary (0 up to rounding). */
  maxDiff: number;
  /** Largest entry of softmax(α z). */
  pMax: number;
}

// Scratch rows for the two unnormalised distributions, reused across slider steps (no V-sized allocation per step).
let scratchA = new Float64Array(0);
let scratchB = new Float64Array(0);

/**
 * Both distributions over the vocabulary (α > 0), compared in full and read at `ids`. The numbers are the ones
 * softmax(scaled(z, α), 1) and softmax(z, 1/α) give: the same maxima and the same order of summation.
 */
export function compareScaleAndTemperature(z: ArrayLike<number>, alpha: number, ids: readonly number[]): Comparison {
  const n = z.length;
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (z[i] > m) m = z[i];
  if (!Number.isFinite(m) || !(alpha > 0) || !Number.isFinite(alpha)) return compareFull(z, alpha, ids);
  if (scratchA.length < n) {
    scratchA = new Float64Array(n);
    scratchB = new Float64Array(n);
  }
  const am = m * alpha; // the largest of z_i α (rounding keeps the order for α > 0)
  const T = 1 / alpha;
  let sA = 0;
  let sB = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.exp(z[i] * alpha - am);
    const b = Math.exp((z[i] - m) / T);
    scratchA[i] = a;
    scratchB[i] = b;
    sA += a;
    sB += b;
  }
  let maxDiff = 0;
  let pMax = 0;
  for (let i = 0; i < n; i++) {
    const pa = scratchA[i] / sA;
    maxDiff = Math.max(maxDiff, Math.abs(pa - scratchB[i] / sB));
    pMax = Math.max(pMax, pa);
  }
  return {
    ids: [...ids],
    pScaled: Float64Array.from(ids, (i) => scratchA[i] / sA),
    pTemp: Float64Array.from(ids, (i) => scratchB[i] / sB),
    maxDiff,
    pMax,
  };
}

/** The same through whole distributions, for the cases the fast path leaves out (no finite logit, α not positive). */
function compareFull(z: ArrayLike<number>, alpha: number, ids: readonly number[]): Comparison {
  const pScaled = softmax(scaled(z, alpha), 1);
  const pTemp = softmax(z, 1 / alpha);
  let maxDiff = 0;
  let pMax = 0;
  for (let i = 0; i < pScaled.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(pScaled[i] - pTemp[i]));
    pMax = Math.max(pMax, pScaled[i]);
  }
  return {
    ids: [...ids],
    pScaled: Float64Array.from(ids, (i) => pScaled[i]),
    pTemp: Float64Array.from(ids, (i) => pTemp[i]),
    maxDiff,
    pMax,
  };
}
