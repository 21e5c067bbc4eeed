/**
 * Typed text → one token id, for the figures where the reader types a token
 * (" Mary", " what"). An exact vocabulary entry wins; otherwise the text is
 * encoded and the first piece used, with a note saying so.
 */
import { bytesToVocabString } from './bytes';

/** The structural part of the page tokenizer the figures rely on. */
export interface TokLike {
  encode(s: string): number[];
  displayToken(id: number): string;
  tokenToId?(s: string): number | null | undefined;
  decode(ids: number[]): string;
  vocabSize: number;
}

export interface ResolvedToken {
  id: number | null;
  /** Why the typed text is not used as-is (split into pieces, empty, ...), or null. */
  note: string | null;
}

export function resolveToken(tok: TokLike | null, text: string, vocab: number): ResolvedToken {
  if (!tok) return { id: null, note: null };
  if (text.length === 0) return { id: null, note: 'Type a token.' };
  let exact: number | null | undefined = null;
  try {
    // tokenToId takes the raw vocabulary string (byte-level BPE: ' Mary' is stored as 'ĠMary').
    exact = tok.tokenToId ? tok.tokenToId(bytesToVocabString(new TextEncoder().encode(text))) : null;
  } catch {
    exact = null;
  }
  if (typeof exact === 'number' && exact >= 0 && exact < vocab) return { id: exact, note: null };
  let ids: number[] = [];
  try {
    ids = tok.encode(text);
  } catch {
    ids = [];
  }
  if (ids.length === 0) return { id: null, note: 'That text has no tokens.' };
  const id = ids[0];
  if (!(id >= 0 && id < vocab)) return { id: null, note: 'That token is outside the model’s vocabulary.' };
  if (ids.length === 1) return { id, note: null };
  return { id, note: `“${text}” is ${ids.length} tokens in this vocabulary; using its first piece.` };
}
