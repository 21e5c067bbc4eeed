/** Seeded sampling from logits. Plain TypeScript (no tfjs). */

export { mulberry32 } from '../geometry/random';

/** Index of the largest logit (the first one on ties). */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  let bv = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] > bv) {
      bv = logits[i];
      best = i;
    }
  }
  return best;
}

/** Samples a token from softmax(logits / temperature); temperature <= 0 means argmax. */
export function sample(logits: ArrayLike<number>, temperature: number, rand: () => number): number {
  if (!(temperature > 0)) return argmax(logits);
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  const p = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    p[i] = Math.exp((logits[i] - max) / temperature);
    sum += p[i];
  }
  let r = rand() * sum;
  for (let i = 0; i < n; i++) {
    r -= p[i];
    if (r < 0) return i;
  }
  return argmax(logits);
}
