/**
 * Figure 4a: scale a residual vector by a factor; LayerNorm's output (before
 * its gain and bias) does not move. The vector is the residual stream at the
 * prompt's last position, entering a chosen block.
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { TokenText } from '../../kit/TokenText';
import { useParams } from '../../state/store';
import { PARAMS } from '../../state/params';
import { ColorLegend, HeatStrip } from '../../kit/HeatStrip';
import { Tex } from '../../kit/Tex';
import { maxAbsDiff, normalize } from '../../geometry/layernorm';
import { norm, scale } from '../../geometry/vector';
import { fmt } from '../../kit/format';
import type { ForwardResult } from '../../runtime/types';
import { useFacts } from '../../kit/facts';
import '../../kit/kit.css';
import './layernorm-scale.css';

const S = PARAMS.ln_scale;

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m || 1;
}

export function layerLabel(l: number, L: number): string {
  return l === 0 ? 'entering block 1 (token + position)' : l === L ? `after block ${L} (the last)` : `entering block ${l + 1}`;
}

function View({ f }: { f: ForwardResult }) {
  const [state, setState] = useParams(['ln_scale', 'ln_layer'] as const);
  const { eps } = useFacts();
  const L = f.L;
  const l = Math.min(L, Math.max(0, state.ln_layer));
  const t = f.T - 1;
  const D = f.D;
  const x = useMemo(() => f.residuals.slice((l * f.T + t) * D, (l * f.T + t + 1) * D), [f, l, t, D]);
  const s = Math.pow(10, state.ln_scale);
  const sx = useMemo(() => scale(x, s), [x, s]);
  const n0 = useMemo(() => normalize(x, eps), [x, eps]);
  const ns = useMemo(() => normalize(sx, eps), [sx, eps]);
  const xMax = useMemo(() => maxAbs(x), [x]);
  const nMax = useMemo(() => maxAbs(n0), [n0]);
  const diff = maxAbsDiff(n0, ns);
  const nsx = norm(sx);
  const nln = norm(ns);
  // Both bars on one log scale spanning every length the slider can reach (and √D).
  const nx = norm(x) || 1;
  const bLo = Math.min(nx * Math.pow(10, S.min), Math.sqrt(D)) / 1.5;
  const bHi = Math.max(nx * Math.pow(10, S.max), Math.sqrt(D)) * 1.5;
  const barW = (v: number) => `${Math.max(0, Math.min(100, (Math.log(Math.max(v, 1e-12) / bLo) / Math.log(bHi / bLo)) * 100))}%`;
  return (
    <div className="ln-scale" data-testid="ln-scale" data-scale={s} data-xnorm={nsx} data-lnnorm={nln} data-diff={diff} data-layer={l}>
      <div className="controls">
        <label>
          Residual stream{' '}
          <select value={l} onChange={(e) => setState({ ln_layer: Number(e.target.value) })} data-testid="ln-layer">
            {Array.from({ length: L + 1 }, (_, i) => (
              <option key={i} value={i}>
                {layerLabel(i, L)}
              </option>
            ))}
          </select>
        </label>
        <span>
          at the last position, <TokenText id={f.ids[t]} />
        </span>
      </div>
      <div className="p1-slider-row">
        <label htmlFor="ln-scale-input">Scale the vector by</label>
        <input
          id="ln-scale-input"
          type="range"
          min={S.min}
          max={S.max}
          step={0.01}
          value={state.ln_scale}
          onChange={(e) => setState({ ln_scale: Number(e.target.value) })}
          aria-valuetext={`times ${fmt(s)}`}
          data-testid="ln-scale-input"
        />
        <output htmlFor="ln-scale-input" className="num">
          × {fmt(s)}
        </output>
      </div>
      <div className="ln-strips">
        <div className="ln-strip-label">
          input <Tex tex="s\,x" />: length{' '}
          <strong className="num" data-testid="ln-xnorm">
            {fmt(nsx)}
          </strong>
        </div>
        <HeatStrip values={sx} maxAbs={xMax} label={`The scaled residual vector, ${D} numbers`} testid="ln-in-strip" />
        <div className="ln-bar-track" aria-hidden="true">
          <span className="ln-bar in" style={{ width: barW(nsx) }} />
        </div>
        <div className="ln-strip-label">
          LayerNorm output before gain and bias: length{' '}
          <strong className="num" data-testid="ln-lnnorm">
            {fmt(nln)}
          </strong>{' '}
          (<Tex tex="\sqrt{D}" /> = {fmt(Math.sqrt(D))})
        </div>
        <HeatStrip values={ns} maxAbs={nMax} label="The LayerNorm output, unchanged by the scale" testid="ln-out-strip" />
        <div className="ln-bar-track" aria-hidden="true">
          <span className="ln-bar out" style={{ width: barW(nln) }} />
        </div>
        <div className="p1-muted ln-note">
          Bars: length on a logarithmic scale. Colours: the input keeps the scale it has at × 1, so it fades or saturates as you scale it.
        </div>
        <ColorLegend maxAbs={xMax} label="colour scale of the input at × 1" />
      </div>
      <p className="ln-diff">
        Largest change in any output coordinate compared with × 1:{' '}
        <strong className="num" data-testid="ln-diff">
          {fmt(diff, 2)}
        </strong>
        {diff > 1e-3 ? ' (the small ε inside LayerNorm shows up only when the input gets very short)' : ''}
      </p>
    </div>
  );
}

export function LayerNormScale() {
  return <ModelGate>{(f) => f && <View f={f} />}</ModelGate>;
}
