/**
 * The maths of figure 8: the summary of cos(W_E[t], W_U[t]) over the
 * vocabulary, and the direct path's top tokens (the next-token distribution
 * of a token's embedding sent straight through the final LayerNorm and W_U).
 */
import { histogram } from '../../geometry/histogram';
import { rankOf } from '../../geometry/rankings';
import { softmax, topK } from '../../geometry/softmax';

export const BINS = 40;

export interface CosSummary {
  modelKey: string;
  label: string;
  tied: boolean;
  counts: number[];
  mean: number;
  median: number;
  above09: number;
  n: number;
}
export interface DirectSummary {
  modelKey: string;
  label: string;
  text: string; // the token as displayed when computed
  tokenId: number;
  top: { text: string; id: number; p: number }[];
  /** Rank of the token itself in its own direct-path prediction (0 = first). */
  selfRank: number;
  selfP: number;
}

export function summariseCosines(cos: Float32Array, key: string, label: string, tied: boolean): CosSummary {
  const sorted = Float32Array.from(cos).sort();
  let s = 0;
  let hi = 0;
  for (const c of cos) {
    s += c;
    if (c > 0.9) hi++;
  }
  return {
    modelKey: key,
    label,
    tied,
    counts: histogram(cos, BINS, [-1, 1]).counts,
    mean: s / cos.length,
    median: sorted[Math.floor(sorted.length / 2)],
    above09: hi / cos.length,
    n: cos.length,
  };
}

/** The direct path's summary from its logits: the top 8 tokens and the rank of the token itself. */
export function directSummary(
  logits: ArrayLike<number>,
  tokenId: number,
  model: { key: string; label: string },
  display: (id: number) => string,
): DirectSummary {
  const p = softmax(logits, 1);
  const top = topK(p, 8).map((i) => ({ id: i, p: p[i], text: display(i) }));
  return { modelKey: model.key, label: model.label, text: display(tokenId), tokenId, top, selfRank: rankOf(p, tokenId), selfP: p[tokenId] };
}
