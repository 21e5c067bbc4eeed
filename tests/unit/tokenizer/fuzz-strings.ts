/**
 * Seeded generator of awkward strings for tokenizer round-trip tests:
 * ASCII prose, accented and combining characters, emoji with skin tones and
 * ZWJ sequences, flags and keycaps, RTL scripts with bidi marks, CJK (BMP and
 * astral), NUL / control / C1 characters, odd spaces, very long words and
 * digit runs, random code points from every plane. Only well-formed UTF-16
 * unless `loneSurrogates` is set.
 */

import { mulberry32 } from '../../../src/geometry/random';
export { mulberry32 };

const WORDS = [
  'the',
  'The',
  'cat',
  'went',
  'up',
  'stairs',
  'Mary',
  'John',
  'gave',
  'a',
  'book',
  'to',
  'next',
  'NEXT',
  'Pickle',
  'hypersphere',
  'token',
  'direction',
  'length',
  "don't",
  "it's",
  "we're",
  "I've",
  "you'll",
  "she'd",
  "I'm",
  'naïve',
  'café',
  'résumé',
  'Straße',
  'İstanbul',
  'ÅNGSTRÖM',
  'ﬁne',
  'œuvre',
];
const PUNCT = [
  '.',
  ',',
  '!',
  '?',
  ';',
  ':',
  '"',
  "'",
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '--',
  '—',
  '…',
  '«',
  '»',
  '“',
  '”',
  '‘',
  '’',
  '¿',
  '¡',
  '@',
  '#',
  '$',
  '%',
  '^',
  '&',
  '*',
  '_',
  '+',
  '=',
  '<',
  '>',
  '/',
  '\\',
  '|',
  '~',
  '`',
];
const SPACES = [
  ' ',
  '  ',
  '   ',
  '\t',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  ' \n ',
  '\u00a0',
  '\u2009',
  '\u3000',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u200b',
  '\ufeff',
  '\u180e',
];
const CONTROLS = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).concat(['\u007f', '\u0080', '\u009f', '\u00ad']);
const COMBINING = ['\u0301', '\u0300', '\u0308', '\u0327', '\u0303', '\u20dd', '\u036f', '\u0489', '\u1dc0', '\ufe20'];
const EMOJI = ['😀', '👍', '👍🏽', '👩‍💻', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '🇯🇵', '1️⃣', '#️⃣', '❤️', '☺︎', '🧑🏿‍🤝‍🧑🏻', '🫠', '🦀', '🐈‍⬛', '👁️‍🗨️'];
const RTL = ['שלום', 'עולם', 'مرحبا', 'بالعالم', 'سلام', 'ܫܠܡܐ', 'ދިވެހި', '\u200f', '\u200e', '\u202e', '\u202a', '\u2066', '\u2069', 'ـ'];
const CJK = [
  '漢字',
  '中文',
  '日本語',
  'ひらがな',
  'カタカナ',
  '한국어',
  '𠀋',
  '𪚥',
  '〇',
  '々',
  '。',
  '、',
  '「',
  '」',
  'ｆｕｌｌ',
  '１２３',
];
const OTHER = [
  'Привет',
  'мир',
  'Ελληνικά',
  'हिन्दी',
  'ভাষা',
  'தமிழ்',
  'ไทย',
  'ქართული',
  'Հայերեն',
  'አማርኛ',
  'ᚠᛇᚻ',
  '𐌰𐌱',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '𝟘𝟙',
  'ǅ',
  'ﷺ',
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

/** A random Unicode scalar value (no surrogates), weighted towards the BMP. */
function randomScalar(r: () => number): string {
  const plane = r();
  let cp: number;
  if (plane < 0.55) cp = Math.floor(r() * 0x10000);
  else if (plane < 0.8) cp = 0x10000 + Math.floor(r() * 0x10000);
  else if (plane < 0.9) cp = 0x20000 + Math.floor(r() * 0x10000);
  else cp = Math.floor(r() * 0x110000);
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  return String.fromCodePoint(cp);
}

function letters(r: () => number, n: number, alphabet: string): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

function piece(r: () => number): string {
  const k = r();
  if (k < 0.25) return (r() < 0.6 ? ' ' : '') + pick(r, WORDS);
  if (k < 0.33) return pick(r, PUNCT);
  if (k < 0.41) return pick(r, SPACES);
  if (k < 0.45) return pick(r, CONTROLS);
  if (k < 0.51)
    return pick(r, ['e', 'a', 'o', 'n', 'Z', ' ', '']) + Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, COMBINING)).join('');
  if (k < 0.58) return pick(r, EMOJI);
  if (k < 0.64) return (r() < 0.5 ? ' ' : '') + pick(r, RTL);
  if (k < 0.7) return pick(r, CJK);
  if (k < 0.75) return (r() < 0.5 ? ' ' : '') + pick(r, OTHER);
  if (k < 0.8) return String(Math.floor(r() * 1e9)) + (r() < 0.3 ? '.' + Math.floor(r() * 1000) : '');
  if (k < 0.84) return Array.from({ length: 1 + Math.floor(r() * 6) }, () => randomScalar(r)).join('');
  if (k < 0.87) {
    // very long words / runs
    const n = 100 + Math.floor(r() * 1500);
    const kind = r();
    if (kind < 0.3) return letters(r, n, 'abcdefghijklmnopqrstuvwxyz');
    if (kind < 0.45) return 'a'.repeat(n);
    if (kind < 0.6) return letters(r, n, '0123456789');
    if (kind < 0.7) return ' '.repeat(n);
    if (kind < 0.8) return letters(r, Math.floor(n / 4), 'éàüßøñç');
    if (kind < 0.9) return '😀'.repeat(Math.floor(n / 8));
    return letters(r, n, '!?.-_=+*#');
  }
  if (k < 0.9) return pick(r, ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "''", "'"]);
  if (k < 0.92) return '<|endoftext|>';
  if (k < 0.95) return pick(r, ['<', '|', 'endoftext', '|>', '<|', '</s>', '<s>', 'Ġ', 'Ċ', 'âĢ']);
  return letters(r, 1 + Math.floor(r() * 12), 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
}

export interface FuzzOptions {
  /** Include strings with unpaired surrogates. */
  loneSurrogates?: boolean;
  /** Leave out '<|endoftext|>' (for comparing with encoders that refuse special tokens). */
  noSpecial?: boolean;
}

/** `count` strings from `seed`; the same seed always gives the same strings. */
export function fuzzStrings(seed: number, count: number, opts: FuzzOptions = {}): string[] {
  const r = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(r() * r() * 40) + (i % 10 === 0 ? 0 : 1);
    let s = '';
    for (let j = 0; j < n; j++) s += piece(r);
    if (opts.loneSurrogates && r() < 0.5) {
      const at = Math.floor(r() * (s.length + 1));
      const sur = String.fromCharCode(r() < 0.5 ? 0xd800 + Math.floor(r() * 0x400) : 0xdc00 + Math.floor(r() * 0x400));
      s = s.slice(0, at) + sur + s.slice(at);
    }
    if (opts.noSpecial) s = s.replaceAll('<|endoftext|>', '<|endoftext\u200b|>');
    out.push(s);
  }
  return out;
}
