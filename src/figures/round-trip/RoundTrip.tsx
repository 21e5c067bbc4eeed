/**
 * Figure 2b: embed a token, then go back to the vocabulary with the transpose,
 * the row-normalised transpose or the left pseudo-inverse. One bar per token
 * of the whole vocabulary (canvas: columns show the max and min of the tokens
 * they cover, so every peak stays visible), top scores labelled.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useModelState } from '../../state/model';
import { useParams } from '../../state/store';
import { EmptyState } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { useDerived, useMatrix } from '../../state/matrices';
import { useWidth } from '../../kit/hooks';
import { TokenText } from '../../kit/TokenText';
import { TokenPicker, usePickedToken } from '../../kit/TokenPicker';
import { roundTrip, type RoundTripMode } from '../../geometry/pinv';
import { topK } from '../../geometry/softmax';
import { fmt, int } from '../../kit/format';
import { preparePinv, squaredRowNorms } from './useRoundTrip';
import '../../kit/kit.css';
import './round-trip.css';

const H = 200;
const PAD_L = 44;
const PAD_B = 18;
const K = 8;

const MODES: { v: RoundTripMode; label: string }[] = [
  { v: 'transpose', label: 'transpose Wᵀ' },
  { v: 'normalized', label: 'transpose, rows divided by |w_i|²' },
  { v: 'pinv', label: 'left pseudo-inverse W⁺' },
];

function css(name: string, el: Element): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

function Bars({ y, tokenId, top, width }: { y: Float32Array; tokenId: number; top: number[]; width: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { tokenizer } = useModelState((s) => ({ tokenizer: s.tokenizer }));
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
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < V; i++) {
      if (y[i] > hi) hi = y[i];
      if (y[i] < lo) lo = y[i];
    }
    hi *= 1.18; // room for labels
    if (hi === lo) hi = lo + 1;
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
    for (const v of [lo, 0, hi / 1.18]) {
      ctx.fillText(v === 0 ? '0' : v.toPrecision(2).replace('-', '−'), PAD_L - 4, sy(v));
    }
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.fillText('token id 0', PAD_L, H - 4);
    ctx.textAlign = 'right';
    ctx.fillText(`${int(V - 1)}`, PAD_L + plotW, H - 4);
    // bars: one pixel column covers V / plotW tokens; draw max and min of each column
    const cols = Math.max(1, Math.floor(plotW));
    ctx.fillStyle = accent;
    for (let px = 0; px < cols; px++) {
      const a = Math.floor((px * V) / cols);
      const b = Math.max(a + 1, Math.floor(((px + 1) * V) / cols));
      let mx = -Infinity;
      let mn = Infinity;
      for (let i = a; i < b; i++) {
        if (y[i] > mx) mx = y[i];
        if (y[i] < mn) mn = y[i];
      }
      const top = sy(Math.max(0, mx));
      const bot = sy(Math.min(0, mn));
      ctx.fillRect(PAD_L + (px * plotW) / cols, top, Math.max(1, plotW / cols), Math.max(1, bot - top));
    }
    // markers for the top tokens; labels where they do not collide; the picked token always marked and labelled
    ctx.font = '11px ui-monospace, Menlo, monospace';
    ctx.textAlign = 'center';
    const placed: number[] = [];
    const label = (id: number, color: string) => {
      const x = PAD_L + ((id + 0.5) / V) * plotW;
      const vy = sy(y[id]);
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.arc(x, vy, id === tokenId ? 4.5 : 3, 0, Math.PI * 2);
      ctx.fill();
      if (placed.some((p) => Math.abs(p - x) < 56)) return;
      placed.push(x);
      const text = tokenizer ? tokenizer.displayToken(id) : `#${id}`;
      const tx = Math.min(PAD_L + plotW - 24, Math.max(PAD_L + 24, x));
      const shown = text.length > 10 ? `${text.slice(0, 9)}…` : text;
      ctx.lineWidth = 3;
      ctx.strokeStyle = bg; // halo so the label reads over the bars
      ctx.strokeText(shown, tx, Math.max(11, vy - 8));
      ctx.fillStyle = color;
      ctx.fillText(shown, tx, Math.max(11, vy - 8));
    };
    label(tokenId, hl);
    top.forEach((id) => id !== tokenId && label(id, fg));
  }, [y, tokenId, top, width, tokenizer]);
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

export function RoundTrip() {
  const { info } = useModelState((s) => ({ info: s.info }));
  const [state, setState] = useParams(['rt_mode'] as const);
  const wte = useMatrix('wte');
  const mode = state.rt_mode as RoundTripMode;
  const norms2 = useDerived(wte, 'norms2', squaredRowNorms);
  const pinv = useDerived(mode === 'pinv' ? wte : null, 'pinv', preparePinv);
  const prep = norms2 && (mode !== 'pinv' || pinv) ? { norms2, chol: pinv?.chol ?? null } : null;
  const picked = usePickedToken();
  const [wrap, width] = useWidth<HTMLDivElement>(640);
  const t = picked.id;
  const y = useMemo(() => {
    if (!wte || !norms2 || t === null) return null;
    const chol = pinv?.chol ?? null;
    if (mode === 'pinv' && !chol) return null;
    const x = wte.data.subarray(t * wte.cols, (t + 1) * wte.cols);
    return roundTrip(wte.data, wte.rows, wte.cols, x, mode, { chol, norms2 });
  }, [wte, norms2, pinv, t, mode]);
  const top = useMemo(() => (y ? topK(y, K) : []), [y]);
  const rank = useMemo(() => {
    if (!y || t === null) return null;
    let above = 0;
    for (let i = 0; i < y.length; i++) if (y[i] > y[t]) above++;
    return above + 1;
  }, [y, t]);
  if (!info) return <EmptyState>Loading the model…</EmptyState>;
  const V = info.config.vocabSize;
  const D = info.config.nEmbd;
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
      <TokenPicker idPrefix="rt" />
      <fieldset className="rt-modes">
        <legend>Back to the vocabulary with</legend>
        {MODES.map((m) => (
          <label key={m.v}>
            <input
              type="radio"
              name="rt-mode"
              value={m.v}
              checked={mode === m.v}
              onChange={() => setState({ rt_mode: m.v })}
              data-testid={`rt-mode-${m.v}`}
            />{' '}
            {m.label}
          </label>
        ))}
      </fieldset>
      <div ref={wrap} className="p1-chart-wrap">
        {!wte || !prep ? (
          <EmptyState>
            {mode === 'pinv' ? <>Preparing the pseudo-inverse (WᵀW over {int(V)} rows)…</> : 'Reading the embedding matrix…'}
          </EmptyState>
        ) : mode === 'pinv' && !prep.chol ? (
          <EmptyState>WᵀW is not invertible for this model, so it has no left pseudo-inverse of this form.</EmptyState>
        ) : t === null || !y ? (
          <EmptyState>Pick a token.</EmptyState>
        ) : (
          <Bars y={y} tokenId={t} top={top} width={width} />
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
