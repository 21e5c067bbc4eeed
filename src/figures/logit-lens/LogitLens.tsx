/**
 * Figure 6c. Logit lens: every (layer, position) cell of the residual stream
 * read through the final LayerNorm and W_U as if the model stopped there. The
 * cell shows its top token, coloured by that token's probability (viridis);
 * hover, focus or click a cell for its top 5. In the last column, cells whose
 * top token is already the model's final answer are outlined, and the first
 * such layer is marked.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { interpolateViridis, rgb } from 'd3';
import { ModelGate } from '../../kit/ModelGate';
import { TokenText } from '../../kit/TokenText';
import { useParams } from '../../state/store';
import { useModelState } from '../../state/model';
import { useLens } from '../../state/lens';
import { EmptyState } from '../../kit/Figure';
import type { ForwardResult, LensResult } from '../../runtime/types';
import type { TokLike } from '../../tokenizer/resolve';
import { pct } from '../../kit/format';
import '../../kit/kit.css';
import './logit-lens.css';

function rowName(l: number, L: number) {
  return l === 0 ? 'embedding' : l === L ? `block ${l} (last)` : `block ${l}`;
}

function luminance(c: { r: number; g: number; b: number }) {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/**
 * Background and text colour of a cell: viridis by probability, with black or
 * white text, whichever contrasts more. Mid-range viridis colours reach
 * neither 4.5:1 (WCAG AA) with black nor with white, so those are darkened
 * just enough for white text to reach it.
 */
function cellColours(p: number): { background: string; color: string } {
  let c = rgb(interpolateViridis(p));
  const vsBlack = (luminance(c) + 0.05) / 0.05;
  if (vsBlack >= 4.6) return { background: c.formatHex(), color: '#000' };
  for (let i = 0; i < 20 && 1.05 / (luminance(c) + 0.05) < 4.6; i++) c = c.darker(0.1);
  return { background: c.formatHex(), color: '#fff' };
}

function Grid({ f, lens, busy }: { f: ForwardResult; lens: LensResult['lens']; busy: boolean }) {
  const [state, setState] = useParams(['ll_layer', 'll_pos'] as const);
  const { tokenizer } = useModelState((s) => ({ tokenizer: s.tokenizer }));
  const tok = tokenizer as unknown as TokLike | null;
  const { topIds, topProbs, k } = lens;
  const L = f.L;
  const T = f.T;
  const at = (l: number, t: number, j = 0) => (l * T + t) * k + j;
  const selL = state.ll_layer < 0 || state.ll_layer > L ? L : state.ll_layer;
  const selT = state.ll_pos < 0 || state.ll_pos >= T ? T - 1 : state.ll_pos;
  const [hover, setHover] = useState<[number, number] | null>(null);
  const [cl, ct] = hover ?? [selL, selT];
  // The answer lives in the last column: start scrolled to the right end on narrow screens.
  const scroller = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [T, f.modelKey]);
  const finalAnswer = topIds[at(L, T - 1)];
  let firstRight = -1;
  for (let l = 0; l <= L; l++) {
    if (topIds[at(l, T - 1)] === finalAnswer) {
      firstRight = l;
      break;
    }
  }
  const show = (id: number) => (tok ? tok.displayToken(id) : `#${id}`);
  // One tab stop for the whole grid (the selected cell); arrow keys move between cells.
  const tableRef = useRef<HTMLTableElement | null>(null);
  const select = (l: number, t: number, focus: boolean) => {
    setState({ ll_layer: l === L ? -1 : l, ll_pos: t === T - 1 ? -1 : t });
    if (focus) tableRef.current?.querySelector<HTMLButtonElement>(`button[data-layer="${l}"][data-pos="${t}"]`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    let l = cl;
    let t = ct;
    if (e.key === 'ArrowUp') l = Math.max(0, l - 1);
    else if (e.key === 'ArrowDown') l = Math.min(L, l + 1);
    else if (e.key === 'ArrowLeft') t = Math.max(0, t - 1);
    else if (e.key === 'ArrowRight') t = Math.min(T - 1, t + 1);
    else if (e.key === 'Home') t = 0;
    else if (e.key === 'End') t = T - 1;
    else return;
    e.preventDefault();
    select(l, t, true);
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
                  <TokenText id={f.ids[t]} />
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
                        aria-label={`${rowName(l, L)}, position ${t + 1}: top token ${show(id)}, ${pct(p)}`}
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
                        {show(id)}
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
            <strong>{rowName(cl, L)}</strong>, after “<TokenText id={f.ids[ct]} />” (position {ct + 1}):
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

function WithLens({ f }: { f: ForwardResult }) {
  const { pair, current, error } = useLens(f);
  if (error && !current) return <EmptyState>The logit lens could not be computed: {error}</EmptyState>;
  if (!pair) return <EmptyState>Reading every layer through the unembedding…</EmptyState>;
  return <Grid f={pair.f} lens={pair.lens} busy={!current} />;
}

export function LogitLens() {
  return <ModelGate>{(f) => f && <WithLens f={f} />}</ModelGate>;
}
