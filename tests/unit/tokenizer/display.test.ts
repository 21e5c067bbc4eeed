import { describe, expect, it } from 'vitest';
import {
  BYTE_TO_CHAR,
  CHAR_TO_BYTE,
  bytesToVocabString,
  displayBytes,
  displayString,
  splitUtf8,
  vocabStringToBytes,
} from '../../../src/tokenizer';

describe('byte ↔ unicode mapping', () => {
  it('matches GPT-2 bytes_to_unicode', () => {
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ');
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
    expect(BYTE_TO_CHAR[0x09]).toBe('ĉ');
    expect(BYTE_TO_CHAR[0x00]).toBe('Ā');
    expect(BYTE_TO_CHAR[0x41]).toBe('A');
    expect(BYTE_TO_CHAR[0xad]).toBe('Ń');
    expect(BYTE_TO_CHAR[0x7f]).toBe('ġ');
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    expect(CHAR_TO_BYTE.get('Ġ')).toBe(0x20);
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect([...vocabStringToBytes(bytesToVocabString(all))!]).toEqual([...all]);
    expect(vocabStringToBytes('€')).toBeNull();
  });
});

describe('display', () => {
  it('makes whitespace visible and escapes invisibles', () => {
    expect(displayString(' the')).toBe('·the');
    expect(displayString(' \n\t\r')).toBe('·↵\\t\\r');
    expect(displayString('\u0000\u001b\u007f\u0085')).toBe('\\u0000\\u001B\\u007F\\u0085');
    expect(displayString('a\u200db')).toBe('a\\u200Db');
    expect(displayString('\u202eevil')).toBe('\\u202Eevil');
    expect(displayString('\u00a0\u3000\u2028\ufeff')).toBe('\\u00A0\\u3000\\u2028\\uFEFF');
    expect(displayString('\u{e0001}')).toBe('\\u{E0001}');
    expect(displayString('😀 漢字 שלום')).toBe('😀·漢字·שלום');
    expect(displayString('\u0301')).toBe('◌\u0301');
    expect(displayString('<script>&amp;')).toBe('<script>&amp;'); // text, not HTML: left as is for textContent
  });

  it('shows broken UTF-8 as \\xNN', () => {
    expect(displayBytes(new Uint8Array([0xe2, 0x80]))).toBe('\\xE2\\x80');
    expect(displayBytes(new Uint8Array([0x41, 0xff, 0x20, 0x42]))).toBe('A\\xFF·B');
    expect(displayBytes(new Uint8Array([0xc0, 0x80]))).toBe('\\xC0\\x80'); // overlong
    expect(displayBytes(new Uint8Array([0xed, 0xa0, 0x80]))).toBe('\\xED\\xA0\\x80'); // encoded surrogate
    expect(displayBytes(new Uint8Array([0xf0, 0x9f, 0x98, 0x80]))).toBe('😀');
    expect(displayBytes(new Uint8Array([0x20, 0xf0, 0x9f]))).toBe('·\\xF0\\x9F');
    expect(splitUtf8(new Uint8Array([0x61, 0x80, 0x62]))).toEqual([{ text: 'a' }, { byte: 0x80 }, { text: 'b' }]);
  });
});
