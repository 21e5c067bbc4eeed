/**
 * Figure 5b: a temperature slider (log scale, T = 0 reachable) redrawing the
 * next-token distribution, and the curve of the best token's probability
 * against T, from 1/V (T → ∞) to 1 (T → 0), with the current T marked.
 */
import { useEffect, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, line, scaleLog, select } from 'd3';
import { ModelGate } from '../shared/ModelGate';
import { TokenText } from '../shared/TokenText';
import { useFastParams, useWidth } from '../p1-common/hooks';
import { maxProb, softmax, topK } from '../../geometry/softmax';
import { maxProbCurve, sliderToTemp, tempToSlider, T_MAX, T_MIN, T_STEPS } from '../../geometry/temperature';
import { fmt, int, pct } from '../../ui/format';

/** A probability as a percentage, with two significant digits when it is small. */
export function pctP(p: number): string {
  if (!(p > 0)) return '0%';
  if (p >= 0.01) return pct(p);
  return p >= 1e-4 ? `${(p * 100).toPrecision(2)}%` : '<0.01%';
}
import type { ForwardResult } from '../../runtime/types';
import { lastLogits } from '../logit-decomposition/LogitDecomposition';
import { useFigureData } from '../../kit/export';
import '../p1-common/p1.css';
import './temperature.css';

const K = 10;
const H = 220;
const M = { l: 62, r: 14, t: 12, b: 36 };

export function fmtT(t: number): string {
  return t === 0 ? '0' : fmt(t, 3);
}

/** The shared temperature slider (log scale; the far left is T = 0). */
export function TempSlider({ id, T, setT }: { id: string; T: number; setT: (t: number) => void }) {
  const setState = (p: { temp: number }) => setT(p.temp);
  return (
    <div className="p1-slider-row">
      <label htmlFor={id}>Temperature</label>
      <input
        id={id}
        type="range"
        min={0}
        max={T_STEPS}
        step={1}
        value={tempToSlider(T)}
        onChange={(e) => setState({ temp: Number(sliderToTemp(Number(e.target.value)).toPrecision(4)) })}
        aria-valuetext={T === 0 ? 'T = 0, always the top token' : `T = ${fmtT(T)}`}
        data-testid={`${id}`}
      />
      <output htmlFor={id} className="num">
        T = {fmtT(T)}
      </output>
      <button type="button" onClick={() => setState({ temp: 0 })}>
        T = 0
      </button>
      <button type="button" onClick={() => setState({ temp: 1 })}>
        T = 1
      </button>
    </div>
  );
}

/** Top-k bars of a distribution, with the remaining mass. */
export function DistBars({ p, k = K, testid }: { p: Float64Array; k?: number; testid: string }) {
  const ids = useMemo(() => topK(p, k), [p, k]);
  let shown = 0;
  for (const i of ids) shown += p[i];
  const max = p[ids[0]] || 1;
  return (
    <ol className="next-token t-bars" data-testid={testid} data-pmax={p[ids[0]]} data-top-id={ids[0]}>
      {ids.map((i) => (
        <li key={i} data-token-id={i} data-p={p[i]}>
          <TokenText id={i} />
          <span className="bar" style={{ width: `${(p[i] / max) * 100}%` }} aria-hidden="true" />
          <span className="num">{pctP(p[i])}</span>
        </li>
      ))}
      <li className="t-rest">
        <span className="p1-muted">all {int(p.length - ids.length)} others</span>
        <span />
        <span className="num">{pct(Math.max(0, 1 - shown))}</span>
      </li>
    </ol>
  );
}

function Curve({ z, T }: { z: Float32Array; T: number }) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useWidth(wrap);
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const V = z.length;
  const curve = useMemo(() => maxProbCurve(z, 90), [z]);
  const x = useMemo(() => scaleLog().domain([T_MIN, T_MAX]).range([M.l + 18, width - M.r]), [width]);
  const y = useMemo(() => scaleLog().domain([1 / V, 1]).range([H - M.b, M.t]), [V]);
  useEffect(() => {
    if (gx.current) select(gx.current).call(axisBottom(x).ticks(5, '~g'));
    if (gy.current) {
      const ticks = [1, 0.1, 0.01, 0.001, 0.0001, 0.00001].filter((t) => t >= 1 / V);
      select(gy.current).call(axisLeft(y).tickValues([...ticks, 1 / V]).tickFormat((d) => (Number(d) === 1 / V ? '1/V' : `${Number(d)}`)));
    }
  }, [x, y, V]);
  const d = line<[number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(Math.max(1 / V, p[1])))(curve);
  const pNow = maxProb(z, T);
  const cx = T === 0 ? M.l + 4 : x(Math.min(T_MAX, Math.max(T_MIN, T)));
  return (
    <div ref={wrap} className="p1-chart-wrap">
      <svg width={width} height={H} role="img" aria-label={`Probability of the best token against temperature; now ${pct(pNow)} at T = ${fmtT(T)}`}>
        <line className="t-ref" x1={M.l} x2={width - M.r} y1={y(1)} y2={y(1)} />
        <line className="t-ref" x1={M.l} x2={width - M.r} y1={y(1 / V)} y2={y(1 / V)} />
        <path d={d ?? ''} className="t-curve" />
        <circle cx={M.l + 4} cy={y(maxProb(z, 0))} r={3} className="t-zero" />
        <text className="label" x={M.l + 4} y={H - M.b + 28} textAnchor="middle">
          0
        </text>
        <line className="t-now-line" x1={cx} x2={cx} y1={M.t} y2={H - M.b} />
        <circle cx={cx} cy={y(Math.max(1 / V, pNow))} r={6} className="t-now" data-testid="t-marker" />
        <g ref={gx} className="axis" transform={`translate(0,${H - M.b})`} />
        <g ref={gy} className="axis" transform={`translate(${M.l},0)`} />
        <text className="label" x={(M.l + width - M.r) / 2} y={H - 2} textAnchor="middle">
          temperature T (log scale)
        </text>
        <text className="label" transform={`translate(11,${(H - M.b) / 2}) rotate(-90)`} textAnchor="middle">
          p(best token)
        </text>
      </svg>
    </div>
  );
}

function View({ f }: { f: ForwardResult }) {
  const [state, setState] = useFastParams(['temp'] as const);
  const T = state.temp;
  const z = lastLogits(f);
  const p = useMemo(() => softmax(z, T), [z, T]);
  useFigureData(({ tokenText }) => ({
    columns: [{ key: 'rank' }, { key: 'token', label: 'token text' }, { key: 'token_id' }, { key: 'probability', unit: 'fraction of 1' }],
    rows: topK(p, K).map((i, r) => ({ rank: r + 1, token: tokenText(i), token_id: i, probability: p[i] })),
    params: { temperature: T, vocabulary_size: z.length, best_token_probability: maxProb(z, T) },
    nested: { best_token_probability_vs_temperature: maxProbCurve(z, 90).map(([t, q]) => ({ temperature: t, probability: q })) },
  }));
  return (
    <div className="temperature" data-testid="temperature" data-temp={T} data-pmax={maxProb(z, T)} data-v={f.V}>
      <TempSlider id="t-slider" T={T} setT={(t) => setState({ temp: t })} />
      <div className="p1-grid2">
        <div>
          <div className="t-h fig-subhead">Next token at T = {fmtT(T)}</div>
          <DistBars p={p} testid="t-bars" />
        </div>
        <div>
          <div className="t-h fig-subhead">Best token’s probability as T changes</div>
          <Curve z={z} T={T} />
        </div>
      </div>
    </div>
  );
}

export function Temperature() {
  return <ModelGate>{(f) => f && <View f={f} />}</ModelGate>;
}
