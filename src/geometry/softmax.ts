/**
 * softmax(z / T). T = 0 is the limit: all mass on the maximum (shared equally
 * between exact ties). T = ∞ gives the uniform distribution. Numerically
 * stable (subtracts the maximum).
 */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const n = logits.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  if (temperature <= 0 || !Number.isFinite(max)) {
    let ties = 0;
    for (let i = 0; i < n; i++) if (logits[i] === max) ties++;
    for (let i = 0; i < n; i++) out[i] = logits[i] === max ? 1 / ties : 0;
    return out;
  }
  if (!Number.isFinite(temperature)) return out.fill(1 / n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((logits[i] - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
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
  const n = logits.length;
  if (n === 0) return 0;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  if (temperature <= 0) {
    let ties = 0;
    for (let i = 0; i < n; i++) if (logits[i] === max) ties++;
    return 1 / ties;
  }
  if (!Number.isFinite(temperature)) return 1 / n;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp((logits[i] - max) / temperature);
  return 1 / sum;
}

/**
 * softmax(z / T) read at `ids` only: the same numbers softmax(z, T) has there (the normaliser is summed in the same
 * order), in one O(V) pass and without building the distribution over the vocabulary. A slider that moves T redraws
 * a few bars; this keeps each step to one pass of exp and no V-sized allocation. Which ids: softmax keeps the order
 * of the logits, so the k most likely tokens at every T > 0 are topK(z, k), found once per z however T moves (at
 * T = 0 the ties at the maximum come first and the runners-up follow in logit order, at probability 0).
 */
export function softmaxAt(logits: ArrayLike<number>, temperature: number, ids: ArrayLike<number>): Float64Array {
  const n = logits.length;
  const out = new Float64Array(ids.length);
  if (n === 0) return out;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  if (temperature <= 0 || !Number.isFinite(max)) {
    let ties = 0;
    for (let i = 0; i < n; i++) if (logits[i] === max) ties++;
    for (let j = 0; j < ids.length; j++) out[j] = logits[ids[j]] === max ? 1 / ties : 0;
    return out;
  }
  if (!Number.isFinite(temperature)) return out.fill(1 / n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp((logits[i] - max) / temperature);
  for (let j = 0; j < ids.length; j++) out[j] = Math.exp((logits[ids[j]] - max) / temperature) / sum;
  return out;
}
