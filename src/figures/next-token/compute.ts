/** The next-token rows: the k most likely tokens after the last position at temperature T. */
import { softmaxAt, topK } from '../../geometry/softmax';

export interface NextTokenRow {
  id: number;
  p: number;
}

/** The k most likely tokens of the last position's logits: the same at every T > 0 (see softmaxAt). */
export function nextTokenIds(lastLogits: ArrayLike<number>, k: number): number[] {
  return topK(lastLogits, k);
}

/** Rows for `ids` at temperature T. */
export function nextTokenRows(lastLogits: ArrayLike<number>, temperature: number, ids: readonly number[]): NextTokenRow[] {
  const p = softmaxAt(lastLogits, temperature, ids);
  return ids.map((id, j) => ({ id, p: p[j] }));
}
