/**
 * Figure 2b (view): the way back to the vocabulary (three radio buttons), one
 * bar per token of the whole vocabulary on a canvas (each pixel column shows
 * the max and min of the tokens it covers, so every peak stays visible), the
 * top scores marked and labelled, the picked token's own score and rank, and
 * the top list. Plain props: the scores, the marks' text and the chart's
 * state; the token picker comes in as a node from the container.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { RoundTripMode } from '../../geometry/pinv';
import { EmptyState } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { useWidth } from '../../kit/hooks';
import { TokenText } from '../../kit/TokenText';
import { fmt, int } from '../../kit/format';
import { columnExtents, HEADROOM, keepApart, scoreRange, type ChartState } from './compute';
import '../../kit/kit.css';
import './round-trip.css';

const H = 200;
const PAD_L = 44;
const PAD_B = 18;

const MODES: { v: RoundTripMode; label: string }[] = [
  { v: 'transpose', label: 'transpose Wᵀ' },
  { v: 'normalized', label: 'transpose, rows divided by |w_i|²' },
  { v: 'pinv', label: 'left pseudo-inverse W⁺' },
];

function css(name: string, el: Element): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

/** A token marked on the chart with its display text. */
export interface RoundTripMark {
  id: number;
  text: string;
}

/** The canvas: y [V] as bars by token id; marks[0] is the picked token (highlighted), the rest the top scores. */
function Bars({ y, tokenId, marks, width }: { y: Float32Array; tokenId: number; marks: RoundTripMark[]; width: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(H * dpr);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, H);
    const V = y.length;
    const { lo, hi } = scoreRange(y);
    const plotW = width - PAD_L - 4;
    const plotH = H - PAD_B - 4;
    const sy = (v: number) => 4 + ((hi - v) / (hi - lo)) * plotH;
    const fg = css('--fg', c);
    const muted = css('--muted', c);
    const accent = css('--accent', c);
    const hl = css('--accent-2', c);
    const rule = css('--rule', c);
    const bg = css('--panel', c);
    // axis
    ctx.strokeStyle = rule;
    ctx.beginPath();
    ctx.moveTo(PAD_L, sy(0));
    ctx.lineTo(PAD_L + plotW, sy(0));
    ctx.stroke();
    ctx.fillStyle = muted;
    ctx.font = '11px Inter, system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of [lo, 0, hi / HEADROOM]) {
      ctx.fillText(v === 0 ? '0' : v.toPrecision(2).replace('-', '−'), PAD_L - 4, sy(v));
    }
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.fillText('token id 0', PAD_L, H - 4);
    ctx.textAlign = 'right';
    ctx.fillText(`${int(V - 1)}`, PAD_L + plotW, H - 4);
    // bars: one pixel column covers V / plotW tokens; draw max and min of each column
    const cols = Math.max(1, Math.floor(plotW));
    const ext = columnExtents(y, cols);
    ctx.fillStyle = accent;
    for (let px = 0; px < cols; px++) {
      const top = sy(Math.max(0, ext.max[px]));
      const bot = sy(Math.min(0, ext.min[px]));
      ctx.fillRect(PAD_L + (px * plotW) / cols, top, Math.max(1, plotW / cols), Math.max(1, bot - top));
    }
    // markers for the picked token and the top scores; labels where they do not collide (the picked token's always)
    ctx.font = '11px ui-monospace, Menlo, monospace';
    ctx.textAlign = 'center';
    const xs = marks.map((m) => PAD_L + ((m.id + 0.5) / V) * plotW);
    const keep = keepApart(xs, 56);
    marks.forEach((m, i) => {
      const color = i === 0 ? hl : fg;
      const x = xs[i];
      const vy = sy(y[m.id]);
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.arc(x, vy, m.id === tokenId ? 4.5 : 3, 0, Math.PI * 2);
      ctx.fill();
      if (!keep[i]) return;
      const tx = Math.min(PAD_L + plotW - 24, Math.max(PAD_L + 24, x));
      const shown = m.text.length > 10 ? `${m.text.slice(0, 9)}…` : m.text;
      ctx.lineWidth = 3;
      ctx.strokeStyle = bg; // halo so the label reads over the bars
      ctx.strokeText(shown, tx, Math.max(11, vy - 8));
      ctx.fillStyle = color;
      ctx.fillText(shown, tx, Math.max(11, vy - 8));
    });
  }, [y, tokenId, marks, width]);
  return (
    <canvas
      ref={ref}
      style={{ width, height: H }}
      role="img"
      aria-label="Round-trip score of every token in the vocabulary, by token id; the top scores are listed below"
      data-testid="rt-canvas"
    />
  );
}

export interface RoundTripViewProps {
  mode: RoundTripMode;
  /** Vocabulary size and width of the model. */
  V: number;
  D: number;
  state: ChartState;
  /** Scores [V] of the picked token's round trip (null until there are any). */
  y: Float32Array | null;
  tokenId: number | null;
  /** Ids of the highest scores, best first. */
  top: number[];
  /** The picked token's 1-based rank among the scores. */
  rank: number | null;
  /** Tokens marked on the chart, the picked one first. */
  marks: RoundTripMark[];
  /** The token picker (reads and writes the shared token). */
  picker: ReactNode;
  onMode: (mode: RoundTripMode) => void;
}

export function RoundTripView({ mode, V, D, state, y, tokenId, top, rank, marks, picker, onMode }: RoundTripViewProps) {
  const [wrap, width] = useWidth<HTMLDivElement>(640);
  const t = tokenId;
  const peak = y && t !== null ? y[t] : null;
  return (
    <div
      className="round-trip"
      data-testid="round-trip"
      data-mode={mode}
      data-peak={peak ?? ''}
      data-rank={rank ?? ''}
      data-token-id={t ?? ''}
    >
      {picker}
      <fieldset className="rt-modes">
        <legend>Back to the vocabulary with</legend>
        {MODES.map((m) => (
          <label key={m.v}>
            <input
              type="radio"
              name="rt-mode"
              value={m.v}
              checked={mode === m.v}
              onChange={() => onMode(m.v)}
              data-testid={`rt-mode-${m.v}`}
            />{' '}
            {m.label}
          </label>
        ))}
      </fieldset>
      <div ref={wrap} className="p1-chart-wrap">
        {state === 'waiting' ? (
          <EmptyState>
            {mode === 'pinv' ? <>Preparing the pseudo-inverse (WᵀW over {int(V)} rows)…</> : 'Reading the embedding matrix…'}
          </EmptyState>
        ) : state === 'singular' ? (
          <EmptyState>WᵀW is not invertible for this model, so it has no left pseudo-inverse of this form.</EmptyState>
        ) : state === 'pick' || t === null || !y ? (
          <EmptyState>Pick a token.</EmptyState>
        ) : (
          <Bars y={y} tokenId={t} marks={marks} width={width} />
        )}
      </div>
      {y && t !== null && peak !== null && (
        <>
          <p className="rt-peak" data-testid="rt-peak">
            Score at <TokenText id={t} /> itself: <strong className="num">{fmt(peak, 4)}</strong>{' '}
            {mode === 'transpose' && (
              <>
                (that is <Tex tex="\lVert w_t\rVert^2" />, its squared length), rank <span className="num">{rank}</span> of {int(V)}.
              </>
            )}
            {mode === 'normalized' && (
              <>
                (exactly 1 by construction), rank <span className="num">{rank}</span>.
              </>
            )}
            {mode === 'pinv' && (
              <>
                (its leverage <Tex tex="h_{tt}" />; the average over all tokens is <Tex tex="D/V" /> ={' '}
                <span className="num">{fmt(D / V, 3)}</span>), rank <span className="num">{rank}</span>.
              </>
            )}
          </p>
          <ol className="rt-top" data-testid="rt-top" aria-label="Highest round-trip scores">
            {top.map((id) => (
              <li key={id} data-token-id={id} data-value={y[id]} className={id === t ? 'self' : undefined}>
                <TokenText id={id} /> <span className="num">{fmt(y[id], 3)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
