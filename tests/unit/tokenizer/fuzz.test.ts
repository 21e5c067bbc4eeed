/**
 * Issue 7: decode(encode(s)) === s for 10,000 seeded awkward strings, for
 * GPT-2's tokenizer and for the shipped tiny models' tokenizers (when built).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encode as gptEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { loadTokenizer, sanitizePrompt, type Tokenizer } from '../../../src/tokenizer';
import { gpt2TokenizerJsonText } from './gpt2-fixture';
import { fuzzStrings } from './fuzz-strings';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const N = 10_000;

function roundTrips(tok: Tokenizer, strings: string[]): { failures: string[]; tokens: number } {
  const failures: string[] = [];
  let tokens = 0;
  for (const s of strings) {
    const ids = tok.encode(s);
    tokens += ids.length;
    for (const id of ids)
      if (!(Number.isInteger(id) && id >= 0 && id < tok.vocabSize)) failures.push(`bad id ${id} for ${JSON.stringify(s)}`);
    if (tok.decode(ids) !== s) failures.push(JSON.stringify(s).slice(0, 200));
  }
  return { failures, tokens };
}

describe('tokenizer round trip fuzz', () => {
  const strings = fuzzStrings(20261128, N);

  it('generator covers the awkward cases', () => {
    const all = strings.join('');
    for (const re of [
      /\u0000/,
      /[\u0001-\u001f]/,
      /\u200d/,
      /\p{Extended_Pictographic}/u,
      /\p{Script=Hebrew}/u,
      /\p{Script=Arabic}/u,
      /\p{Script=Han}/u,
      /\p{M}/u,
      /[\u{10000}-\u{10ffff}]/u,
      /\p{L}{200}/u,
    ]) {
      expect(re.test(all), String(re)).toBe(true);
    }
    expect(strings.every((s) => sanitizePrompt(s) === s)).toBe(true);
    expect(strings.filter((s) => s.length > 1000).length).toBeGreaterThan(100);
    expect(strings.filter((s) => s === '').length).toBeGreaterThan(0);
  });

  it(`GPT-2: decode(encode(s)) === s for ${N} strings, ids equal gpt-tokenizer's`, () => {
    const tok = loadTokenizer(gpt2TokenizerJsonText());
    const { failures, tokens } = roundTrips(tok, strings);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(tokens).toBeGreaterThan(N);
    let differ = 0;
    for (const s of strings.slice(0, 3000)) {
      if (s.includes('<|endoftext|>')) continue;
      if (JSON.stringify(gptEncode(s)) !== JSON.stringify(tok.encode(s))) differ++;
    }
    expect(differ).toBe(0);
  }, 180_000);

  it('GPT-2: lone surrogates become U+FFFD through sanitizePrompt, then round-trip', () => {
    const tok = loadTokenizer(gpt2TokenizerJsonText());
    const bad = fuzzStrings(99, 1000, { loneSurrogates: true });
    expect(bad.some((s) => sanitizePrompt(s) !== s)).toBe(true);
    for (const s of bad) {
      const clean = sanitizePrompt(s);
      expect(sanitizePrompt(clean)).toBe(clean);
      expect(tok.decode(tok.encode(clean))).toBe(clean);
    }
  });

  for (const rel of ['models/tiny-tied/tokenizer.json', 'models/tiny-untied/tokenizer.json', 'models/recipe/work/tokenizer.json']) {
    const path = join(ROOT, rel);
    it.skipIf(!existsSync(path))(
      `${rel}: decode(encode(s)) === s for ${N} strings`,
      () => {
        const tok = loadTokenizer(readFileSync(path, 'utf8'));
        const { failures } = roundTrips(tok, strings);
        expect(failures.slice(0, 5)).toEqual([]);
      },
      180_000,
    );
  }
});
