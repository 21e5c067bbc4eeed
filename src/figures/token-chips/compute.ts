/**
 * The data of figure 1a: a tokenisation as chips (the first MAX_CHIPS of
 * them, each its id and visible text), and a token's bytes as hex. Pure: a
 * tokeniser comes in as a function from id to text.
 */

/** At most this many chips are drawn per tokeniser (a long prompt says how many more). */
export const MAX_CHIPS = 400;

export interface Chip {
  id: number;
  text: string;
}

/** The first MAX_CHIPS ids with their text. */
export function chips(ids: readonly number[], text: (id: number) => string): Chip[] {
  return ids.slice(0, MAX_CHIPS).map((id) => ({ id, text: text(id) }));
}

/** How many tokens are not drawn as chips. */
export function hiddenCount(n: number): number {
  return Math.max(0, n - MAX_CHIPS);
}

/** Bytes as lower-case hex pairs separated by spaces: [72, 105] → "48 69". */
export function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/** Class of chip i: one of six colours in turn, and "sel" for the chip whose bytes are shown. */
export function chipClass(i: number, selected: boolean, isStatic = false): string {
  return `tc-chip${isStatic ? ' static' : ''} c${i % 6}${selected ? ' sel' : ''}`;
}
