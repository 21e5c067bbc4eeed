/**
 * The maths of figure 6e on the attention probabilities attn [L, H, rows, T]
 * (row r is query position row0 + r; keys after the query are masked): where
 * a head looks from a query, the atlas pixels (one per probability), the grid
 * and enlarged-head geometry, and the keyboard moves between heads and query rows.
 */

/** A head as block and head index, both from 0. */
export interface HeadRef {
  l: number;
  h: number;
}

export const headName = (s: HeadRef): string => `${s.l}.${s.h}`;

/** The attention array and its shape (L is not needed to read one head). */
export interface AttnRows {
  /** [L, H, rows, T] probabilities. */
  attn: ArrayLike<number>;
  H: number;
  T: number;
  row0: number;
  rows: number;
}

/** Where head s looks from query q, best first: [key, probability][] (at most n; empty when q's row was not returned). */
export function topKeys(p: AttnRows, s: HeadRef, q: number, n: number): [number, number][] {
  const r = q - p.row0;
  if (r < 0 || r >= p.rows) return [];
  const off = ((s.l * p.H + s.h) * p.rows + r) * p.T;
  const out: [number, number][] = [];
  for (let k = 0; k <= q; k++) out.push([k, p.attn[off + k]]);
  out.sort((a, b) => b[1] - a[1]);
  return out.slice(0, n);
}

/** For every head (index l·H + h), the key it attends to most from the last returned query row, or null. */
export function lastRowTopKeys(p: AttnRows & { L: number }): ([number, number] | null)[] {
  return Array.from({ length: p.L * p.H }, (_, i) => topKeys(p, { l: Math.floor(i / p.H), h: i % p.H }, p.row0 + p.rows - 1, 1)[0] ?? null);
}

/**
 * Fills RGBA pixels d [(L·rows) × (H·T) × 4] with one pixel per probability:
 * head (l, h) occupies columns h·T.. and rows l·rows..; a probability p takes
 * colour lut[round(255·p)] (lut: 256 RGB triples), keys after the query take `masked`.
 */
export function fillAtlas(
  d: Uint8ClampedArray,
  p: AttnRows & { L: number },
  lut: Uint8ClampedArray,
  masked: { r: number; g: number; b: number },
): void {
  const { attn, L, H, T, row0, rows } = p;
  const W = H * T;
  for (let l = 0; l < L; l++)
    for (let h = 0; h < H; h++)
      for (let r = 0; r < rows; r++) {
        const q = row0 + r;
        const src = ((l * H + h) * rows + r) * T;
        let o = ((l * rows + r) * W + h * T) * 4;
        for (let k = 0; k < T; k++, o += 4) {
          if (k > q) {
            d[o] = masked.r;
            d[o + 1] = masked.g;
            d[o + 2] = masked.b;
          } else {
            const i = Math.max(0, Math.min(255, Math.round(attn[src + k] * 255))) * 3;
            d[o] = lut[i];
            d[o + 1] = lut[i + 1];
            d[o + 2] = lut[i + 2];
          }
          d[o + 3] = 255;
        }
      }
}

/** px for the block / head numbers around the grid, and between cells. */
export const LABEL = 22;
export const GAP = 2;

export interface GridLayout {
  /** Grid and enlarged head stacked (a narrow screen) rather than side by side. */
  narrow: boolean;
  /** One grid cell, px (cellH: its height; a strip when only one query row came back). */
  cell: number;
  cellH: number;
  /** The grid canvas. */
  gw: number;
  gh: number;
  /** The enlarged head: its label margin, cell size and canvas. */
  lab: number;
  bigCell: number;
  bw: number;
  bh: number;
}

/** The grid (square cells of 6 to 64 px) and the enlarged head (cells of 2 to 28 px) for a width in px. */
export function gridLayout(width: number, L: number, H: number, T: number, rows: number): GridLayout {
  const narrow = width < 520;
  const gridW = narrow ? width : Math.min(width, Math.max(260, Math.floor(width * 0.55)));
  const cell = Math.max(6, Math.min(64, Math.floor((gridW - LABEL) / H) - GAP));
  const cellH = rows === 1 ? Math.max(4, Math.round(cell / 3)) : cell;
  const gw = LABEL + H * (cell + GAP);
  const gh = LABEL + L * (cellH + GAP);
  const bigW = narrow ? width : Math.max(240, width - gw - 24);
  const lab = Math.min(90, Math.max(48, Math.floor(bigW * 0.2)));
  const bigCell = Math.max(2, Math.min(28, Math.floor((bigW - lab) / T)));
  return { narrow, cell, cellH, gw, gh, lab, bigCell, bw: lab + bigCell * T, bh: lab + bigCell * rows };
}

/** The head under grid pixel (x, y), or null outside the cells' rows and columns. */
export function cellAt(g: GridLayout, x: number, y: number, L: number, H: number): HeadRef | null {
  const h = Math.floor((x - LABEL) / (g.cell + GAP));
  const l = Math.floor((y - LABEL) / (g.cellH + GAP));
  return h >= 0 && h < H && l >= 0 && l < L ? { l, h } : null;
}

/** The returned query row under pixel height y of the enlarged head (0..rows−1), or null. */
export function bigRowAt(g: GridLayout, y: number, rows: number): number | null {
  const r = Math.floor((y - g.lab) / g.bigCell);
  return r >= 0 && r < rows ? r : null;
}

/** The head a key moves to in the grid: arrows one step, Home/End along the block, PageUp/PageDown along the head; null for other keys. */
export function nextHead(key: string, s: HeadRef, L: number, H: number): HeadRef | null {
  const step = (dl: number, dh: number) => ({ l: Math.max(0, Math.min(L - 1, s.l + dl)), h: Math.max(0, Math.min(H - 1, s.h + dh)) });
  switch (key) {
    case 'ArrowUp':
      return step(-1, 0);
    case 'ArrowDown':
      return step(1, 0);
    case 'ArrowLeft':
      return step(0, -1);
    case 'ArrowRight':
      return step(0, 1);
    case 'Home':
      return { l: s.l, h: 0 };
    case 'End':
      return { l: s.l, h: H - 1 };
    case 'PageUp':
      return { l: 0, h: s.h };
    case 'PageDown':
      return { l: L - 1, h: s.h };
    default:
      return null;
  }
}

/** The query row a key moves to (↑/↓ one row, Home/End to the first / last returned row), kept within the returned rows; null for other keys. */
export function nextQuery(key: string, query: number, row0: number, rows: number): number | null {
  const lo = row0;
  const hi = row0 + rows - 1;
  const next = key === 'ArrowUp' ? query - 1 : key === 'ArrowDown' ? query + 1 : key === 'Home' ? lo : key === 'End' ? hi : null;
  return next === null ? null : Math.max(lo, Math.min(hi, next));
}

/** Name-mover heads Wang et al. (2022) found in GPT-2 small, as block.head from 0. */
export const NAME_MOVERS: HeadRef[] = [
  { l: 9, h: 6 },
  { l: 9, h: 9 },
  { l: 10, h: 0 },
];

/** Whether a model has all three name-mover heads (more than 10 blocks and more than 9 heads). */
export const hasNameMovers = (nLayer: number, nHead: number): boolean => nLayer > 10 && nHead > 9;
