/**
 * GPT-2's byte ↔ unicode mapping (bytes_to_unicode in openai/gpt-2 encoder.py).
 * Byte-level BPE vocabularies store each byte as one printable character:
 * printable Latin-1 bytes map to themselves, the other 68 bytes (controls,
 * space, 0x7F–0xA0, 0xAD) map to U+0100 … U+0143 in byte order.
 * E.g. ' ' (0x20) → 'Ġ' (U+0120), '\n' (0x0A) → 'Ċ' (U+010A).
 */

/** BYTE_TO_CHAR[b] = the vocabulary character for byte b. */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCharCode(printable(b) ? b : 256 + n++);
  return out;
})();

/** CHAR_TO_BYTE.get(c) = the byte a vocabulary character stands for. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

/** Bytes → byte-level vocabulary string. */
export function bytesToVocabString(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_CHAR[bytes[i]];
  return s;
}

/** Byte-level vocabulary string → bytes, or null if some character is not a byte character. */
export function vocabStringToBytes(s: string): Uint8Array | null {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const b = CHAR_TO_BYTE.get(s[i]);
    if (b === undefined) return null;
    out[i] = b;
  }
  return out;
}
