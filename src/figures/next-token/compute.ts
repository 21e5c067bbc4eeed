/** The next-token rows: the k most likely tokens after the last position at temperature T. */
import { softmax, topK } from '../../geometry/softmax';

export interface NextTokenRow {
  id: number;
  p: number;
}

export function nextTokenRows(lastLogits: ArrayLike<number>, temperature: number, k: number): NextTokenRow[] {
  const p = softmax(lastLogits, temperature);
  return topK(p, k).map((id) => ({ id, p: p[id] }));
}
