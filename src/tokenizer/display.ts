/**
 * Showing tokens as text. Every function returns a plain string meant to be
 * rendered as TEXT (React children, textContent, SVG <text>), never as HTML.
 *
 * Conventions:
 *   ' '  → '·'      '\n' → '↵'      '\t' → '\t' (backslash t)      '\r' → '\r'
 *   other controls (C0, DEL, C1), format characters (ZWJ, bidi marks, BOM …),
 *   line/paragraph separators and non-ASCII spaces → '\uXXXX'
 *   bytes that are not (complete) UTF-8 → '\xNN'
 *   a token that starts with a combining mark gets a dotted circle '◌' first.
 */

const SPECIAL_ESCAPES: Record<string, string> = { ' ': '·', '\n': '↵', '\t': '\\t', '\r': '\\r' };
const NEEDS_ESCAPE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\p{Co}\p{Cs}]/u;

function hex(n: number, w: number): string {
  return n.toString(16).toUpperCase().padStart(w, '0');
}

/** Escapes one code point for display (see conventions above). */
function showChar(ch: string): string {
  const special = SPECIAL_ESCAPES[ch];
  if (special !== undefined) return special;
  if (NEEDS_ESCAPE.test(ch)) {
    const cp = ch.codePointAt(0)!;
    return cp > 0xffff ? `\\u{${hex(cp, 5)}}` : `\\u${hex(cp, 4)}`;
  }
  return ch;
}

/** A decoded string made visible: spaces as '·', newlines as '↵', invisibles escaped. */
export function displayString(s: string): string {
  let out = '';
  for (const ch of s) out += showChar(ch);
  if (/^\p{M}/u.test(s)) out = '◌' + out;
  return out;
}

/**
 * Splits bytes into maximal valid UTF-8 runs and single invalid bytes.
 * Returns [text, invalidByte] pieces in order (exactly one of the two set).
 */
export function splitUtf8(bytes: Uint8Array): Array<{ text: string } | { byte: number }> {
  const out: Array<{ text: string } | { byte: number }> = [];
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let start = 0;
  let i = 0;
  const flush = (end: number) => {
    if (end > start) out.push({ text: dec.decode(bytes.subarray(start, end)) });
  };
  while (i < bytes.length) {
    const b = bytes[i];
    let len = 0;
    if (b < 0x80) len = 1;
    else if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) len = 3;
    else if (b >= 0xf0 && b <= 0xf4) len = 4;
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
    if (ok && len > 1) {
      // reject overlongs / surrogates / > U+10FFFF exactly as TextDecoder does
      try {
        dec.decode(bytes.subarray(i, i + len));
      } catch {
        ok = false;
      }
    }
    if (ok) {
      i += len;
    } else {
      flush(i);
      out.push({ byte: b });
      i += 1;
      start = i;
    }
  }
  flush(i);
  return out;
}

/** Raw token bytes made visible: valid UTF-8 shown as text (escaped), other bytes as \xNN. */
export function displayBytes(bytes: Uint8Array): string {
  let out = '';
  for (const p of splitUtf8(bytes)) out += 'byte' in p ? `\\x${hex(p.byte, 2)}` : displayString(p.text);
  return out;
}
