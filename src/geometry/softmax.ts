/**
 * softmax(z / T). T = 0 is the limit: all mass on the maximum (shared equally
 * between exact ties). T = ∞ gives the uniform distribution. Numerically
 * stable (subtracts the maximum).
 */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(logits.length);
  const nm = normaliser(logits, temperature, out);
  if (nm.sum !== null) for (let i = 0; i < out.length; i++) out[i] /= nm.sum;
  else for (let i = 0; i < out.length; i++) out[i] = nm.at(logits[i]);
  return out;
}

/**
 * What softmax(z / T) divides by, in one pass: `sum` of exp((z_i − max) / T) (each term also written to `store` when
 * given), or, at T = 0, T = ∞ or with no finite logit, `sum` null and `at` giving each probability from its logit.
 * softmax, softmaxAt and maxProb all read their numbers from here, so they agree to the last bit.
 */
function normaliser(
  logits: ArrayLike<number>,
  temperature: number,
  store?: Float64Array,
): { max: number; sum: number | null; at: (z: number) => number } {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  if (n === 0) return { max, sum: null, at: () => 0 };
  if (temperature <= 0 || !Number.isFinite(max)) {
    let ties = 0;
    for (let i = 0; i < n; i++) if (logits[i] === max) ties++;
    return { max, sum: null, at: (z) => (z === max ? 1 / ties : 0) };
  }
  if (!Number.isFinite(temperature)) return { max, sum: null, at: () => 1 / n };
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((logits[i] - max) / temperature);
    if (store) store[i] = e;
    sum += e;
  }
  return { max, sum, at: (z) => Math.exp((z - max) / temperature) / sum };
}

/** Indices of the k largest values, largest first. */
export function topK(values: ArrayLike<number>, k: number): number[] {
  const n = values.length;
  k = Math.min(k, n);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (idx.length < k) {
      idx.push(i);
      if (idx.length === k) idx.sort((a, b) => values[b] - values[a]);
    } else if (v > values[idx[k - 1]]) {
      let j = k - 1;
      while (j > 0 && values[idx[j - 1]] < v) j--;
      idx.splice(j, 0, i);
      idx.pop();
    }
  }
  if (idx.length < k || k < 2) idx.sort((a, b) => values[b] - values[a]);
  return idx;
}

/** Largest probability of softmax(z / T), without allocating the whole distribution. */
export function maxProb(logits: ArrayLike<number>, temperature: number): number {
  const nm = normaliser(logits, temperature);
  return nm.sum !== null ? 1 / nm.sum : nm.at(nm.max);
}

/**
 * softmax(z / T) read at `ids` only: the same numbers softmax(z, T) has there (the normaliser is summed in the same
 * order), in one O(V) pass and without building the distribution over the vocabulary. A slider that moves T redraws
 * a few bars; this keeps each step to one pass of exp and no V-sized allocation. Which ids: softmax keeps the order
 * of the logits, so the k most likely tokens at every T > 0 are topK(z, k), found once per z however T moves (at
 * T = 0 the ties at the maximum come first and the runners-up follow in logit order, at probability 0).
 */
export function softmaxAt(logits: ArrayLike<number>, temperature: number, ids: ArrayLike<number>): Float64Array {
  const nm = normaliser(logits, temperature);
  return Float64Array.from({ length: ids.length }, (_, j) => nm.at(logits[ids[j]]));
}
