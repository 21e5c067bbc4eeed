/**
 * Figure 6e (view). Every head's attention pattern as one small heatmap in an
 * L × H grid (rows = blocks, columns = heads), drawn on one canvas so that
 * 12 × 12 heads stay fast; the selected head enlarged with the tokens on both
 * axes, and the query row whose attention is spelled out below it.
 *
 * The patterns are painted once per result into an offscreen "atlas" (one
 * pixel per probability); moving between heads only copies the atlas into the
 * cells again and redraws two outlines. data-draw-ms on the grid is the time
 * of its last redraw (read by the benchmark).
 *
 * Plain props only (the attention array, its shape, the tokens' text and the
 * selection); the maths and the geometry are in compute.ts.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { color, interpolateRgb } from 'd3';
import { pct } from '../../kit/format';
import { useElementWidth } from '../../kit/hooks';
import {
  bigRowAt,
  cellAt as headAt,
  fillAtlas,
  gridLayout,
  headName,
  lastRowTopKeys,
  LABEL,
  GAP,
  nextHead,
  nextQuery,
  topKeys,
  type AttnRows,
  type HeadRef,
} from './compute';
import './attention-patterns.css';

export interface AttentionGridViewProps {
  /** [L, H, rows, T] probabilities; row r is query position row0 + r. */
  attn: Float32Array;
  L: number;
  H: number;
  T: number;
  row0: number;
  rows: number;
  /** Display strings of the T tokens (visible spaces). */
  tokens: string[];
  selected: HeadRef;
  /** A head to mark in the grid (the one with the largest contribution), or null. */
  marked: HeadRef | null;
  /** Query position spelled out in the enlarged view. */
  query: number;
  onSelect: (s: HeadRef) => void;
  onQuery: (q: number) => void;
  /** The data belong to an older prompt (a newer pass is running). */
  stale?: boolean;
  testid?: string;
}

interface Palette {
  lo: string;
  hi: string;
  masked: string;
  fg: string;
  muted: string;
  sel: string;
  mark: string;
}

function readPalette(el: Element | null): Palette {
  // without a document (rendered on a server or in a test) the defaults stand
  const cs = typeof document === 'undefined' ? null : getComputedStyle(el ?? document.documentElement);
  const v = (n: string, d: string) => cs?.getPropertyValue(n).trim() || d;
  return {
    lo: v('--bg', '#fdfcf9'),
    hi: v('--accent', '#0072b2'),
    masked: v('--panel', '#f4f2ec'),
    fg: v('--fg', '#1d1d1f'),
    muted: v('--muted', '#5d5d66'),
    sel: v('--focus', '#0072b2'),
    mark: v('--accent-2', '#d55e00'),
  };
}

/** Re-reads the palette when the colour scheme changes. */
function usePalette(ref: React.RefObject<HTMLElement | null>): Palette {
  const [p, setP] = useState<Palette>(() => readPalette(null));
  useEffect(() => {
    setP(readPalette(ref.current));
    const q = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!q) return;
    const on = () => setP(readPalette(ref.current));
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, [ref]);
  return p;
}

/** 256-entry RGB lookup from p = 0 (background) to p = 1 (accent). */
function ramp(p: Palette): Uint8ClampedArray {
  const f = interpolateRgb(p.lo, p.hi);
  const out = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = color(f(i / 255))!.rgb();
    out[i * 3] = c.r;
    out[i * 3 + 1] = c.g;
    out[i * 3 + 2] = c.b;
  }
  return out;
}

/** One canvas pixel per probability (compute.ts fillAtlas): head (l, h) occupies columns h·T.., rows l·rows..; keys after the query are `masked`. */
function paintAtlas(p: AttnRows & { L: number }, pal: Palette): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, p.H * p.T);
  canvas.height = Math.max(1, p.L * p.rows);
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const img = ctx.createImageData(canvas.width, canvas.height);
  fillAtlas(img.data, p, ramp(pal), color(pal.masked)!.rgb());
  ctx.putImageData(img, 0, 0);
  return canvas;
}

function setupCanvas(c: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D | null {
  const dpr = Math.min(3, window.devicePixelRatio || 1);
  if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
  }
  c.style.width = `${w}px`;
  c.style.height = `${h}px`;
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.imageSmoothingEnabled = false;
  return ctx;
}

/** A token's display string, or its position when there is none. */
const tokenName = (tokens: string[], k: number) => tokens[k] ?? `#${k}`;

export function AttentionGridView(props: AttentionGridViewProps) {
  const { attn, L, H, T, row0, rows, tokens, selected, marked, query, onSelect, onQuery, stale, testid = 'attention-grid' } = props;
  const wrap = useRef<HTMLDivElement | null>(null);
  const gridRef = useRef<HTMLCanvasElement | null>(null);
  const bigRef = useRef<HTMLCanvasElement | null>(null);
  const width = useElementWidth(wrap, 640, { box: 'client' });
  const pal = usePalette(wrap);
  const [hover, setHover] = useState<HeadRef | null>(null);
  const [drawMs, setDrawMs] = useState(0);
  const drawCount = useRef(0);

  const atlas = useMemo(
    () => (typeof document === 'undefined' ? null : paintAtlas({ attn, L, H, T, row0, rows }, pal)),
    [attn, L, H, T, row0, rows, pal],
  );

  // Grid geometry: square cells (a strip when only one query row came back), at most 64 px, at least 6; the enlarged head beside or below it.
  const layout = gridLayout(width, L, H, T, rows);
  const { cell, cellH, gw, gh, lab, bigCell, bw, bh } = layout;
  const bigRows = rows;
  const cellAt = (x: number, y: number): HeadRef | null => headAt(layout, x, y, L, H);

  // The grid: copy each head from the atlas, then outline the marked and the selected head.
  useEffect(() => {
    const c = gridRef.current;
    if (!c || !atlas) return;
    const t0 = performance.now();
    const ctx = setupCanvas(c, gw, gh);
    if (!ctx) return;
    ctx.clearRect(0, 0, gw, gh);
    ctx.font = '11px Inter, system-ui, sans-serif';
    ctx.fillStyle = pal.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const every = cell < 14 ? 2 : 1;
    for (let h = 0; h < H; h += every) ctx.fillText(String(h), LABEL + h * (cell + GAP) + cell / 2, LABEL / 2);
    for (let l = 0; l < L; l += cellH < 14 ? 2 : 1) ctx.fillText(String(l), LABEL / 2, LABEL + l * (cellH + GAP) + cellH / 2);
    for (let l = 0; l < L; l++)
      for (let h = 0; h < H; h++)
        ctx.drawImage(atlas, h * T, l * rows, T, rows, LABEL + h * (cell + GAP), LABEL + l * (cellH + GAP), cell, cellH);
    const outline = (s: HeadRef, col: string, w: number, dash: number[], out = 0) => {
      ctx.strokeStyle = col;
      ctx.lineWidth = w;
      ctx.setLineDash(dash);
      const o = w / 2 + out;
      ctx.strokeRect(LABEL + s.h * (cell + GAP) - o, LABEL + s.l * (cellH + GAP) - o, cell + 2 * o, cellH + 2 * o);
      ctx.setLineDash([]);
    };
    if (hover) outline(hover, pal.muted, 1, []);
    outline(selected, pal.sel, 2, []);
    // the marked head's dashed outline sits just outside the selection's, so both show when they coincide
    if (marked) outline(marked, pal.mark, 2, [3, 2], marked.l === selected.l && marked.h === selected.h ? 2 : 0);
    drawCount.current++;
    setDrawMs(performance.now() - t0);
  }, [atlas, gw, gh, cell, cellH, H, L, T, rows, selected, marked, hover, pal]);

  // The enlarged head: tokens on both axes, the query row outlined.
  useEffect(() => {
    const c = bigRef.current;
    if (!c || !atlas) return;
    const ctx = setupCanvas(c, bw, bh);
    if (!ctx) return;
    ctx.clearRect(0, 0, bw, bh);
    ctx.drawImage(atlas, selected.h * T, selected.l * rows, T, rows, lab, lab, bigCell * T, bigCell * bigRows);
    const fs = Math.min(12, Math.max(8, bigCell - 2));
    ctx.font = `${fs}px ui-monospace, Menlo, Consolas, monospace`;
    const step = Math.max(1, Math.ceil((fs + 1) / bigCell));
    const clip = (s: string) => (s.length > 9 ? `${s.slice(0, 8)}…` : s);
    // keys along the top (rotated), queries down the left
    for (let k = 0; k < T; k += step) {
      ctx.save();
      ctx.translate(lab + k * bigCell + bigCell / 2, lab - 4);
      ctx.rotate(-Math.PI / 2);
      ctx.fillStyle = k === query ? pal.fg : pal.muted;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.fillText(clip(tokens[k] ?? ''), 0, 0);
      ctx.restore();
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let r = 0; r < bigRows; r++) {
      const q = row0 + r;
      if (r % step !== 0 && q !== query) continue;
      ctx.fillStyle = q === query ? pal.fg : pal.muted;
      ctx.fillText(clip(tokens[q] ?? ''), lab - 4, lab + r * bigCell + bigCell / 2);
    }
    const r = query - row0;
    if (r >= 0 && r < bigRows) {
      ctx.strokeStyle = pal.sel;
      ctx.lineWidth = 2;
      ctx.strokeRect(lab - 1, lab + r * bigCell - 1, bigCell * T + 2, bigCell + 2);
    }
  }, [atlas, selected, query, bw, bh, lab, bigCell, bigRows, T, rows, row0, tokens, pal]);

  const move = (e: KeyboardEvent, s: HeadRef) => {
    const next = nextHead(e.key, s, L, H);
    if (next) {
      e.preventDefault();
      onSelect(next);
    }
  };
  const moveQuery = (e: KeyboardEvent) => {
    const next = nextQuery(e.key, query, row0, rows);
    if (next === null) return;
    e.preventDefault();
    onQuery(next);
  };
  const onGridClick = (e: MouseEvent<HTMLCanvasElement>) => {
    const b = e.currentTarget.getBoundingClientRect();
    const s = cellAt(e.clientX - b.left, e.clientY - b.top);
    if (s) onSelect(s);
  };
  const onGridMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const b = e.currentTarget.getBoundingClientRect();
    const s = cellAt(e.clientX - b.left, e.clientY - b.top);
    setHover((old) => (s && old && s.l === old.l && s.h === old.h ? old : s));
  };
  const onBigMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const b = e.currentTarget.getBoundingClientRect();
    const r = bigRowAt(layout, e.clientY - b.top, bigRows);
    if (r !== null && row0 + r !== query) onQuery(row0 + r);
  };

  const looks = topKeys(props, selected, query, 3);
  // where each head looks from the last returned query row (for the text version), once per result
  const lastTop = useMemo(() => lastRowTopKeys({ attn, L, H, T, row0, rows }), [attn, L, H, T, row0, rows]);
  const hoverLooks = hover ? topKeys(props, hover, row0 + rows - 1, 1)[0] : null;
  const tokName = (k: number) => tokenName(tokens, k);
  // the marked head as numbers: the container may hand over a new object for the same head
  const markL = marked?.l ?? -1;
  const markH = marked?.h ?? -1;
  // the text version does not depend on the selection: built once per result
  const textVersion = useMemo(
    () => (
      <details className="ap-text">
        <summary>Text version: where every head looks from the last token</summary>
        <div className="ap-tablewrap" tabIndex={0} role="region" aria-label="where every head looks (scrolls)">
          <table>
            <caption className="visually-hidden">
              For each block and head, the token that gets the most attention from the last position, and its share
            </caption>
            <thead>
              <tr>
                <th scope="col">block</th>
                {Array.from({ length: H }, (_, h) => (
                  <th key={h} scope="col">
                    head {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: L }, (_, l) => (
                <tr key={l}>
                  <th scope="row">{l}</th>
                  {Array.from({ length: H }, (_, h) => {
                    const t = lastTop[l * H + h];
                    const isMark = l === markL && h === markH;
                    return (
                      <td key={h} className={isMark ? 'mark' : undefined}>
                        <button type="button" className="ap-cellbtn" onClick={() => onSelect({ l, h })}>
                          {t ? (
                            <>
                              <span className="tok">{tokenName(tokens, t[0])}</span> {pct(t[1], 0)}
                            </>
                          ) : (
                            '—'
                          )}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    ),
    [lastTop, markL, markH, tokens, L, H, onSelect],
  );

  return (
    <div ref={wrap} className={stale ? 'ap stale' : 'ap'} data-testid={testid}>
      <div className="ap-panels">
        <div className="ap-gridbox">
          <canvas
            ref={gridRef}
            className="ap-grid"
            tabIndex={0}
            role="img"
            aria-roledescription="grid of attention patterns"
            aria-label={`Attention patterns of all ${L * H} heads: ${L} blocks (rows, from 0) by ${H} heads (columns, from 0). Selected: head ${headName(selected)}${marked ? `; outlined in orange: head ${headName(marked)}, the largest contribution` : ''}. Arrow keys move between heads.`}
            data-testid={`${testid}-canvas`}
            data-selected={headName(selected)}
            data-marked={marked ? headName(marked) : ''}
            data-draw-ms={drawMs.toFixed(3)}
            data-draws={drawCount.current}
            onClick={onGridClick}
            onMouseMove={onGridMove}
            onMouseLeave={() => setHover(null)}
            onKeyDown={(e) => move(e, selected)}
          />
          <p className="ap-hover" aria-hidden="true">
            {hover && hoverLooks
              ? `head ${headName(hover)}: from the last token, most attention on ${tokName(hoverLooks[0])} (${pct(hoverLooks[1], 0)})`
              : 'rows: blocks · columns: heads · click one to enlarge'}
          </p>
        </div>
        <div className="ap-bigbox">
          <p className="ap-bigtitle">
            Head <strong data-testid={`${testid}-big-name`}>{headName(selected)}</strong> (block {selected.l}, head {selected.h})
            {marked && marked.l === selected.l && marked.h === selected.h ? ' · the largest contribution' : ''}
          </p>
          <canvas
            ref={bigRef}
            className="ap-big"
            tabIndex={0}
            role="img"
            aria-label={`Attention pattern of head ${headName(selected)}: rows are the query positions, columns the positions attended to. Up and down arrows move the query row.`}
            data-testid={`${testid}-big`}
            onMouseMove={onBigMove}
            onKeyDown={moveQuery}
          />
          <p className="ap-looks" aria-live="polite" data-testid={`${testid}-looks`} data-query={query} data-top-key={looks[0]?.[0] ?? -1}>
            From <span className="tok">{tokName(query)}</span> (position {query}) head {headName(selected)} looks at{' '}
            {looks.map(([k, p], i) => (
              <span key={k}>
                {i > 0 && (i === looks.length - 1 ? ' and ' : ', ')}
                <span className="tok">{tokName(k)}</span> <span className="num">{pct(p, 0)}</span>
              </span>
            ))}
            .
          </p>
        </div>
      </div>
      {textVersion}
    </div>
  );
}
