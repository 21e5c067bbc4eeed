/**
 * The maths of figure 6c on the lens arrays ([(L+1), T, k] top ids and
 * probabilities, row l = residual entering block l, row L = after the last
 * block): indexing, the final answer and the first layer that already has it
 * on top at the last position, the selected cell, arrow-key moves, row names
 * and the WCAG luminance used to pick a readable text colour.
 */

/** Flat index of the j-th best token of cell (layer l, position t). */
export const lensIndex = (l: number, t: number, j: number, T: number, k: number): number => (l * T + t) * k + j;

/** A row's name: the embedding (row 0), block l, and the last block marked. */
export function rowName(l: number, L: number): string {
  return l === 0 ? 'embedding' : l === L ? `block ${l} (last)` : `block ${l}`;
}

/**
 * The model's final answer (the top token after the last block at the last
 * position) and the first layer whose top token at the last position is
 * already that answer (−1 for an empty prompt).
 */
export function lensAnswer(topIds: ArrayLike<number>, L: number, T: number, k: number): { finalAnswer: number; firstRight: number } {
  if (T <= 0) return { finalAnswer: -1, firstRight: -1 };
  const finalAnswer = topIds[lensIndex(L, T - 1, 0, T, k)];
  for (let l = 0; l <= L; l++) if (topIds[lensIndex(l, T - 1, 0, T, k)] === finalAnswer) return { finalAnswer, firstRight: l };
  return { finalAnswer, firstRight: -1 };
}

/** The selected cell from the URL's ll_layer / ll_pos: −1 or out of range means the last layer / the last position. */
export function selectedCell(layer: number, pos: number, L: number, T: number): [number, number] {
  return [layer < 0 || layer > L ? L : layer, pos < 0 || pos >= T ? T - 1 : pos];
}

/** The cell an arrow, Home or End key moves to from (l, t), staying inside the grid; null for any other key. */
export function moveCell(key: string, l: number, t: number, L: number, T: number): [number, number] | null {
  if (key === 'ArrowUp') return [Math.max(0, l - 1), t];
  if (key === 'ArrowDown') return [Math.min(L, l + 1), t];
  if (key === 'ArrowLeft') return [l, Math.max(0, t - 1)];
  if (key === 'ArrowRight') return [l, Math.min(T - 1, t + 1)];
  if (key === 'Home') return [l, 0];
  if (key === 'End') return [l, T - 1];
  return null;
}

/** Relative luminance of an sRGB colour (channels 0..255), as WCAG defines it. */
export function luminance(c: { r: number; g: number; b: number }): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** Contrast ratio of a colour of luminance `lum` against black and against white text. */
export const contrastWithBlack = (lum: number): number => (lum + 0.05) / 0.05;
export const contrastWithWhite = (lum: number): number => 1.05 / (lum + 0.05);
