/**
 * Figure 4b: the norm of the residual stream after each block for the
 * reader's prompt, one line per position; hover (or use the slider) to pick
 * a position and see its token.
 */
import { useEffect, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, interpolateViridis, line, scaleLinear, scaleLog, select } from 'd3';
import { ModelGate } from '../../kit/ModelGate';
import { TokenText } from '../../kit/TokenText';
import { useParams } from '../../state/store';
import { useWidth } from '../../kit/hooks';
import { fmt } from '../../kit/format';
import type { ForwardResult } from '../../runtime/types';
import '../../kit/kit.css';
import { useFigureData } from '../../kit/export';
import './residual-norms.css';

const H = 260;
const M = { l: 48, r: 14, t: 12, b: 34 };

/** norms[l][t] = |residual entering block l (l = L: after the last block) at position t|. */
export function residualNorms(f: ForwardResult): Float64Array[] {
  const out: Float64Array[] = [];
  for (let l = 0; l <= f.L; l++) {
    const a = new Float64Array(f.T);
    for (let t = 0; t < f.T; t++) {
      let s = 0;
      const o = (l * f.T + t) * f.D;
      for (let c = 0; c < f.D; c++) s += f.residuals[o + c] ** 2;
      a[t] = Math.sqrt(s);
    }
    out.push(a);
  }
  return out;
}

function View({ f }: { f: ForwardResult }) {
  const [state, setState] = useParams(['rn_pos'] as const);
  const [wrap, width] = useWidth<HTMLDivElement>(640);
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const norms = useMemo(() => residualNorms(f), [f]);
  const L = f.L;
  const T = f.T;
  const pos = state.rn_pos < 0 || state.rn_pos >= T ? T - 1 : state.rn_pos;
  useFigureData(({ tokenText }) => ({
    columns: [
      { key: 'layer', label: 'layer (0 = entering block 0)' },
      { key: 'position' },
      { key: 'token', label: 'token text' },
      { key: 'norm', unit: 'L2 norm of the residual vector' },
    ],
    rows: norms.flatMap((r, l) => Array.from(r, (v, t) => ({ layer: l, position: t, token: tokenText(f.ids[t]), norm: v }))),
    params: { highlighted_position: pos },
  }));
  const [lo, hi] = useMemo(() => {
    let a = Infinity;
    let b = 0;
    for (const r of norms)
      for (const v of r) {
        if (v > 0) a = Math.min(a, v);
        b = Math.max(b, v);
      }
    return [a === Infinity ? 1e-3 : a, b || 1];
  }, [norms]);
  const useLog = hi / lo > 30;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([0, L])
        .range([M.l, width - M.r]),
    [L, width],
  );
  const y = useMemo(
    () =>
      useLog
        ? scaleLog()
            .domain([lo * 0.9, hi * 1.1])
            .range([H - M.b, M.t])
        : scaleLinear()
            .domain([0, hi * 1.05])
            .range([H - M.b, M.t])
            .nice(),
    [useLog, lo, hi],
  );
  useEffect(() => {
    if (gx.current)
      select(gx.current).call(
        axisBottom(x)
          .tickValues(Array.from({ length: L + 1 }, (_, i) => i))
          .tickFormat((d) => (Number(d) === 0 ? 'embed' : `${d}`)),
      );
    if (gy.current) select(gy.current).call(axisLeft(y).ticks(5, useLog ? '~g' : undefined));
  }, [x, y, L, useLog]);
  const paths = useMemo(() => {
    const mk = line<number>()
      .x((_, l) => x(l))
      .y((v) => y(Math.max(v, useLog ? lo * 0.9 : 0)));
    return Array.from({ length: T }, (_, t) => mk(norms.map((r) => r[t])) ?? '');
  }, [norms, x, y, T, useLog, lo]);
  const onMove = (e: React.PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    const l = Math.max(0, Math.min(L, Math.round(x.invert(px))));
    let best = 0;
    let bd = Infinity;
    for (let t = 0; t < T; t++) {
      const d = Math.abs(y(Math.max(norms[l][t], useLog ? lo * 0.9 : 0)) - py);
      if (d < bd) {
        bd = d;
        best = t;
      }
    }
    if (best !== pos) setState({ rn_pos: best === T - 1 ? -1 : best });
  };
  const last = norms[L][pos];
  const first = norms[0][pos];
  return (
    <div
      className="residual-norms"
      data-testid="residual-norms"
      data-pos={pos}
      data-first={first}
      data-last={last}
      data-token-id={f.ids[pos]}
    >
      <div ref={wrap} className="p1-chart-wrap">
        <svg
          width={width}
          height={H}
          onPointerMove={onMove}
          role="img"
          aria-label={`Residual-stream norm after each of ${L} blocks, one line for each of ${T} positions`}
        >
          {paths.map((d, t) =>
            t === pos ? null : <path key={t} d={d} className="rn-line" style={{ stroke: interpolateViridis(T > 1 ? t / (T - 1) : 0.5) }} />,
          )}
          <path d={paths[pos]} className="rn-line hl" />
          {norms.map((r, l) => (
            <circle key={l} cx={x(l)} cy={y(Math.max(r[pos], useLog ? lo * 0.9 : 0))} r={3.5} className="rn-dot" />
          ))}
          <g ref={gx} className="axis" transform={`translate(0,${H - M.b})`} />
          <g ref={gy} className="axis" transform={`translate(${M.l},0)`} />
          <text className="label" x={(M.l + width - M.r) / 2} y={H - 2} textAnchor="middle">
            after block
          </text>
          <text className="label" transform={`translate(11,${(H - M.b) / 2}) rotate(-90)`} textAnchor="middle">
            norm{useLog ? ' (log scale)' : ''}
          </text>
        </svg>
      </div>
      <div className="p1-slider-row">
        <label htmlFor="rn-pos">Position</label>
        <input
          id="rn-pos"
          type="range"
          min={0}
          max={T - 1}
          step={1}
          value={pos}
          onChange={(e) => {
            const v = Number(e.target.value);
            setState({ rn_pos: v === T - 1 ? -1 : v });
          }}
          aria-valuetext={`position ${pos}`}
          data-testid="rn-pos"
        />
        <output htmlFor="rn-pos">
          {pos}: <TokenText id={f.ids[pos]} />
        </output>
      </div>
      <p className="rn-readout">
        Position {pos} (<TokenText id={f.ids[pos]} />) starts at length <strong className="num">{fmt(first)}</strong> and leaves the last
        block at <strong className="num">{fmt(last)}</strong>
        {first > 0 ? <> (× {fmt(last / first, 2)})</> : null}.
      </p>
    </div>
  );
}

export function ResidualNorms() {
  return <ModelGate>{(f) => f && <View f={f} />}</ModelGate>;
}
