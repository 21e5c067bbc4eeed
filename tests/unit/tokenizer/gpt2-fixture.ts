/**
 * GPT-2's tokenizer.json, built offline from the r50k_base ranks that
 * gpt-tokenizer ships (merges recovered from ranks), cached in
 * node_modules/.cache/token-directions/gpt2-tokenizer.json (≈ 2 MB, kept out
 * of git). Test helper, not product code.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ranks from 'gpt-tokenizer/bpeRanks/r50k_base';
import { tokenizerJsonFromRanks } from '../../../src/tokenizer/from-ranks';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const GPT2_TOKENIZER_CACHE = join(ROOT, 'node_modules/.cache/token-directions/gpt2-tokenizer.json');

/** tokenizer.json text for GPT-2 (50,257 tokens, 50,000 merges). */
export function gpt2TokenizerJsonText(): string {
  if (existsSync(GPT2_TOKENIZER_CACHE)) {
    const text = readFileSync(GPT2_TOKENIZER_CACHE, 'utf8');
    if (text.length > 1000) return text;
  }
  const json = tokenizerJsonFromRanks(ranks, [{ id: 50256, content: '<|endoftext|>' }]);
  const text = JSON.stringify(json);
  mkdirSync(dirname(GPT2_TOKENIZER_CACHE), { recursive: true });
  writeFileSync(GPT2_TOKENIZER_CACHE, text);
  return text;
}
