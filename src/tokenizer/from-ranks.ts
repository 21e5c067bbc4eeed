/**
 * Builds an HF tokenizer.json (byte-level BPE, GPT-2 layout) from tiktoken-style
 * ranks: token i is the byte string ranks[i]. Merges are recovered from ranks
 * by the standard method: a token of rank r is the merge of the two pieces
 * that byte-pair encoding of its bytes, using only ranks < r, ends with.
 *
 * Used to make GPT-2's tokenizer.json offline from gpt-tokenizer's r50k_base
 * ranks (50,000 merges, 50,257 tokens with '<|endoftext|>' = 50256):
 *
 *   import ranks from 'gpt-tokenizer/bpeRanks/r50k_base';
 *   const json = tokenizerJsonFromRanks(ranks, [{ id: 50256, content: '<|endoftext|>' }]);
 */
import { bytesToVocabString } from './bytes';
import { byteLevelBpeJson } from './bpe-json';

const enc = new TextEncoder();

/** Ranks entry → bytes (gpt-tokenizer stores valid UTF-8 as a string, other byte strings as number[]). */
function entryBytes(e: string | readonly number[]): Uint8Array {
  return typeof e === 'string' ? enc.encode(e) : Uint8Array.from(e);
}

/**
 * @param ranks  byte strings by rank (= token id); the first 256 must be the single bytes
 * @param specials  special tokens appended after the ranks
 */
export function tokenizerJsonFromRanks(
  ranks: ReadonlyArray<string | readonly number[]>,
  specials: ReadonlyArray<{ id: number; content: string }> = [],
): Record<string, unknown> {
  const tokens = ranks.map((e) => bytesToVocabString(entryBytes(e)));
  const rankOf = new Map<string, number>();
  tokens.forEach((t, i) => {
    if (rankOf.has(t)) throw new Error(`duplicate token ${JSON.stringify(t)} at ranks ${rankOf.get(t)} and ${i}`);
    rankOf.set(t, i);
  });
  const merges: string[] = [];
  for (let r = 0; r < tokens.length; r++) {
    const t = tokens[r];
    if (t.length === 1) continue; // a single byte: no merge
    // byte-pair encode t with ranks < r
    const parts = Array.from(t);
    for (;;) {
      let best = -1;
      let bestRank = r;
      for (let i = 0; i + 1 < parts.length; i++) {
        const q = rankOf.get(parts[i] + parts[i + 1]);
        if (q !== undefined && q < bestRank) {
          bestRank = q;
          best = i;
        }
      }
      if (best < 0) break;
      parts.splice(best, 2, parts[best] + parts[best + 1]);
    }
    if (parts.length !== 2) throw new Error(`cannot recover a merge for rank ${r} ${JSON.stringify(t)} (${parts.length} pieces)`);
    merges.push(`${parts[0]} ${parts[1]}`);
  }
  const vocab: Record<string, number> = {};
  tokens.forEach((t, i) => (vocab[t] = i));
  for (const s of specials) vocab[s.content] = s.id;
  return byteLevelBpeJson(
    vocab,
    merges,
    specials.map((s) => ({
      id: s.id,
      content: s.content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: true,
      special: true,
    })),
    { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
  );
}
