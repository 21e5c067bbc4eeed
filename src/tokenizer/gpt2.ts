/**
 * GPT-2's own tokeniser (r50k_base, shipped offline by gpt-tokenizer), loaded
 * lazily so it never weighs on the first page load.
 */
import { displayString } from './display';

export interface Gpt2Tok {
  encode(s: string): number[];
  piece(id: number): string;
  vocabSize: number;
}

let p: Promise<Gpt2Tok> | null = null;

export function loadGpt2(): Promise<Gpt2Tok> {
  if (!p) {
    p = import('gpt-tokenizer/encoding/r50k_base').then((m) => ({
      encode: (s: string) => m.encode(s, { disallowedSpecial: new Set() }),
      piece: (id: number) => displayString(m.decode([id])),
      vocabSize: m.vocabularySize ?? 50257,
    }));
    p.catch(() => (p = null));
  }
  return p;
}
