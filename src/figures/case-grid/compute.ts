/**
 * The data of figure 1b: the case and space variants of a word, and how each
 * one splits under a tokeniser (its ids and the visible text of each piece).
 * Pure: a tokeniser comes in as two functions.
 */

/** "next" → next, " next", Next, " Next", NEXT, " NEXT" (and the word as typed, if it is none of those); [] for blank input. */
export function variants(word: string): string[] {
  const w = word.trim();
  if (!w) return [];
  const lower = w.toLowerCase();
  const cap = lower.charAt(0).toUpperCase() + lower.slice(1);
  const upper = w.toUpperCase();
  const out: string[] = [];
  for (const v of [lower, cap, upper, w]) for (const s of [v, ` ${v}`]) if (!out.includes(s)) out.push(s);
  return out;
}

/** A tokeniser as this figure needs it: text → ids, and id → the piece's text as shown. */
export interface PieceTokenizer {
  encode(s: string): number[];
  piece(id: number): string;
}

/** One variant cut by one tokeniser: ids[i] is shown as pieces[i]. */
export interface Split {
  ids: number[];
  pieces: string[];
}

/** One row of the table: the variant, cut by the active model's tokeniser and (once loaded) by GPT-2's. */
export interface CaseRow {
  w: string;
  ours: Split;
  gpt2: Split | null;
}

export function split(tok: PieceTokenizer, w: string): Split {
  const ids = tok.encode(w);
  return { ids, pieces: ids.map((i) => tok.piece(i)) };
}

export function caseRows(words: string[], ours: PieceTokenizer, gpt2: PieceTokenizer | null): CaseRow[] {
  return words.map((w) => ({ w, ours: split(ours, w), gpt2: gpt2 ? split(gpt2, w) : null }));
}
