/**
 * Vocabulary-wide work on the main thread in slices that never hold a frame:
 * `chunked` runs a loop in pieces of about `budgetMs`, yielding to the event
 * loop between them so that input and painting run in between.
 */
import type { Matrix } from '../runtime/types';

/** Yields to the event loop (so input and rendering run between chunks). */
export function nextTick(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

/** Runs fn(start, end) over [0, total) in slices of about `budgetMs`, yielding between slices. */
export async function chunked(
  total: number,
  fn: (start: number, end: number) => void,
  budgetMs = 8,
  signal?: { aborted: boolean },
): Promise<void> {
  let i = 0;
  let step = 64;
  while (i < total) {
    if (signal?.aborted) return;
    const t0 = performance.now();
    const end = Math.min(total, i + step);
    fn(i, end);
    i = end;
    const dt = performance.now() - t0;
    step = Math.max(1, Math.round(step * Math.min(4, Math.max(0.25, budgetMs / Math.max(0.1, dt)))));
    await nextTick();
  }
}

/** Row norms of a matrix, chunked. */
export async function rowNormsChunked(m: Matrix): Promise<Float32Array> {
  const out = new Float32Array(m.rows);
  const D = m.cols;
  const d = m.data;
  await chunked(m.rows, (a, b) => {
    for (let r = a; r < b; r++) {
      let s = 0;
      const o = r * D;
      for (let c = 0; c < D; c++) s += d[o + c] * d[o + c];
      out[r] = Math.sqrt(s);
    }
  });
  return out;
}
