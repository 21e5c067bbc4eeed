/**
 * Figure 6c (view): the logit-lens grid, one button per (layer, position)
 * cell showing its top token, coloured by that token's probability (viridis);
 * hover, focus or click a cell for its top k in the side panel. In the last
 * column, cells whose top token is already the final answer are outlined and
 * the first such layer is marked. One tab stop for the grid (the selected
 * cell); the arrow keys, Home and End move between cells.
 *
 * Plain props: the lens arrays, the prompt's ids, the cells' display text and
 * the selected cell; the container turns a selection into URL state.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { interpolateViridis, rgb } from 'd3';
import { TokenText } from '../../kit/TokenText';
import { pct } from '../../kit/format';
import type { LogitLens } from '../../runtime/types';
import { contrastWithBlack, contrastWithWhite, lensAnswer, lensIndex, luminance, moveCell, rowName } from './compute';
import '../../kit/kit.css';
import './logit-lens.css';

/**
 * Background and text colour of a cell: viridis by probability, with black or
 * white text, whichever contrasts more. Mid-range viridis colours reach
 * neither 4.5:1 (WCAG AA) with black nor with white, so those are darkened
 * just enough for white text to reach it.
 */
export function cellColours(p: number): { background: string; color: string } {
  let c = rgb(interpolateViridis(p));
  if (contrastWithBlack(luminance(c)) >= 4.6) return { background: c.formatHex(), color: '#000' };
  for (let i = 0; i < 20 && contrastWithWhite(luminance(c)) < 4.6; i++) c = c.darker(0.1);
  return { background: c.formatHex(), color: '#fff' };
}

export interface LogitLensViewProps {
  /** [T] token ids of the prompt. */
  ids: ArrayLike<number>;
  L: number;
  T: number;
  /** topIds / topProbs [(L+1), T, k]. */
  lens: LogitLens;
  /** [(L+1) · T] display text of each cell's top token (row-major by layer). */
  cellText: string[];
  /** The selected cell (layer 0..L, position 0..T−1). */
  selL: number;
  selT: number;
  /** The lens shown belongs to an older prompt while a newer one is computed. */
  busy: boolean;
  /** Changes when another model is shown (the grid scrolls back to its last column). */
  modelKey: string;
  onSelect: (l: number, t: number) => void;
}

export function LogitLensView({ ids, L, T, lens, cellText, selL, selT, busy, modelKey, onSelect }: LogitLensViewProps) {
  const { topIds, topProbs, k } = lens;
  const at = (l: number, t: number, j = 0) => lensIndex(l, t, j, T, k);
  const [hover, setHover] = useState<[number, number] | null>(null);
  // a hovered cell from a longer prompt falls back to the selection
  const [cl, ct] = hover && hover[0] <= L && hover[1] < T ? hover : [selL, selT];
  // The answer lives in the last column: start scrolled to the right end on narrow screens.
  const scroller = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [T, modelKey]);
  const { finalAnswer, firstRight } = lensAnswer(topIds, L, T, k);
  // One tab stop for the whole grid (the selected cell); arrow keys move between cells.
  const tableRef = useRef<HTMLTableElement | null>(null);
  const select = (l: number, t: number, focus: boolean) => {
    onSelect(l, t);
    if (focus) tableRef.current?.querySelector<HTMLButtonElement>(`button[data-layer="${l}"][data-pos="${t}"]`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const next = moveCell(e.key, cl, ct, L, T);
    if (!next) return;
    e.preventDefault();
    select(next[0], next[1], true);
  };
  const rows = Array.from({ length: L + 1 }, (_, l) => l);
  const cols = Array.from({ length: T }, (_, t) => t);
  return (
    <div className={busy ? 'll ll-busy' : 'll'} aria-busy={busy || undefined} data-busy={busy ? 1 : 0}>
      <div className="ll-scroll" ref={scroller}>
        <table
          className="ll-grid"
          ref={tableRef}
          onKeyDown={onKeyDown}
          data-testid="logit-lens"
          data-final={finalAnswer}
          data-first-right={firstRight}
        >
          <caption className="visually-hidden">
            Logit lens: rows are layers, columns are positions; each cell is the top token read out at that point.
          </caption>
          <thead>
            <tr>
              <th scope="col" className="ll-corner">
                input →
              </th>
              {cols.map((t) => (
                <th scope="col" key={t} className={t === T - 1 ? 'll-lastcol' : undefined}>
                  <TokenText id={ids[t]} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((l) => (
              <tr key={l}>
                <th scope="row" className={l === firstRight ? 'll-rowname ll-right-row' : 'll-rowname'}>
                  {rowName(l, L)}
                </th>
                {cols.map((t) => {
                  const id = topIds[at(l, t)];
                  const p = topProbs[at(l, t)];
                  const text = cellText[l * T + t];
                  const isLast = t === T - 1;
                  const right = isLast && id === finalAnswer;
                  const sel = l === cl && t === ct;
                  const cls = ['ll-cell', right ? 'll-right' : '', sel ? 'll-sel' : '', l === firstRight && isLast ? 'll-first' : '']
                    .filter(Boolean)
                    .join(' ');
                  return (
                    <td key={t}>
                      <button
                        type="button"
                        className={cls}
                        style={cellColours(p)}
                        aria-label={`${rowName(l, L)}, position ${t + 1}: top token ${text}, ${pct(p)}`}
                        aria-pressed={l === selL && t === selT}
                        tabIndex={l === selL && t === selT ? 0 : -1}
                        data-testid={isLast && l === L ? 'lens-last-top' : undefined}
                        data-layer={l}
                        data-pos={t}
                        data-token-id={id}
                        data-p={p}
                        onMouseEnter={() => setHover([l, t])}
                        onMouseLeave={() => setHover(null)}
                        onFocus={() => setHover([l, t])}
                        onBlur={() => setHover(null)}
                        onClick={() => select(l, t, false)}
                      >
                        {text}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="ll-side">
        <div className="ll-legend" aria-hidden="true">
          <span>0%</span>
          <span className="ll-ramp" />
          <span>100%</span>
        </div>
        <div className="ll-detail" aria-live="polite" data-testid="lens-detail" data-layer={cl} data-pos={ct}>
          <p>
            <strong>{rowName(cl, L)}</strong>, after “<TokenText id={ids[ct]} />” (position {ct + 1}):
          </p>
          <ol>
            {Array.from({ length: k }, (_, j) => {
              const id = topIds[at(cl, ct, j)];
              const p = topProbs[at(cl, ct, j)];
              return (
                <li key={j} data-token-id={id} data-p={p}>
                  <TokenText id={id} />
                  <span className="ll-bar" aria-hidden="true">
                    <span style={{ width: `${Math.max(1, p * 100)}%` }} />
                  </span>
                  <span className="num">{pct(p)}</span>
                </li>
              );
            })}
          </ol>
        </div>
        <p className="ll-note">
          {firstRight >= 0 ? (
            <>
              The final answer <TokenText id={finalAnswer} /> is on top at the last position from{' '}
              <strong data-testid="lens-first-right">{rowName(firstRight, L)}</strong> on (outlined).
            </>
          ) : null}
        </p>
      </div>
    </div>
  );
}
