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
  /** softmax(α z) at T = 1 [V]. */
  pScaled: Float64Array;
  /** softmax(z) at T = 1/α [V]. */
  pTemp: Float64Array;
  /** Largest |pScaled − pTemp| over the vocabulary (0 up to rounding). */
  maxDiff: number;
  /** Largest entry of pScaled. */
  pMax: number;
}

export function compareScaleAndTemperature(z: ArrayLike<number>, alpha: number): Comparison {
  const pScaled = softmax(scaled(z, alpha), 1);
  const pTemp = softmax(z, 1 / alpha);
  let maxDiff = 0;
  let pMax = 0;
  for (let i = 0; i < pScaled.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(pScaled[i] - pTemp[i]));
    pMax = Math.max(pMax, pScaled[i]);
  }
  return { pScaled, pTemp, maxDiff, pMax };
}
