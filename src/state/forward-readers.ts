/**
 * Readers of the forward result (`ForwardResult`, runtime/types.ts): views
 * into its flat row-major arrays. Each returns the same array object for the
 * same result, so memos keyed by it hold across renders.
 */
import type { ForwardResult } from '../runtime/types';

const logitsCache = new WeakMap<ForwardResult, Float32Array>();
const hiddenCache = new WeakMap<ForwardResult, Float32Array>();
const normsCache = new WeakMap<ForwardResult, Float64Array[]>();

/** Logits [V] at the last position. */
export function lastLogits(f: ForwardResult): Float32Array {
  let z = logitsCache.get(f);
  if (!z) logitsCache.set(f, (z = f.logits.subarray((f.logitsRows - 1) * f.V, f.logitsRows * f.V)));
  return z;
}

/** Final LayerNorm output x [D] at the last position. */
export function lastHidden(f: ForwardResult): Float32Array {
  let x = hiddenCache.get(f);
  if (!x) hiddenCache.set(f, (x = f.lnFinal.subarray((f.T - 1) * f.D, f.T * f.D)));
  return x;
}

/** The residual vector [D] at layer l (0 = entering block 0, l + 1 = leaving block l) and position t (a copy). */
export function residualAt(f: ForwardResult, l: number, t: number): Float32Array {
  return f.residuals.slice((l * f.T + t) * f.D, (l * f.T + t + 1) * f.D);
}

/** norms[l][t] = |residual entering block l (l = L: after the last block) at position t|, cached per result. */
export function residualNorms(f: ForwardResult): Float64Array[] {
  let out = normsCache.get(f);
  if (out) return out;
  out = [];
  for (let l = 0; l <= f.L; l++) {
    const a = new Float64Array(f.T);
    for (let t = 0; t < f.T; t++) {
      let s = 0;
      const o = (l * f.T + t) * f.D;
      for (let c = 0; c < f.D; c++) s += f.residuals[o + c] ** 2;
      a[t] = Math.sqrt(s);
    }
    out.push(a);
  }
  normsCache.set(f, out);
  return out;
}
