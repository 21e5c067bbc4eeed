/**
 * Figure 5b as plain props: the shared temperature slider, the top-k bars of
 * the distribution at T, and the curve of the best token's probability
 * against T (log-log, 1/V to 1) with the current T marked.
 */
import { useEffect, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, line, scaleLog, select } from 'd3';
import { useWidth } from '../../kit/hooks';
import { T_MAX, T_MIN } from '../../geometry/temperature';
import { pct } from '../../kit/format';
import { DistBars, TempSlider, fmtT } from '../../kit/Distribution';
import { markerT, probTicks } from './compute';
import '../../kit/kit.css';
import './temperature.css';

const H = 220;
const M = { l: 62, r: 14, t: 12, b: 36 };

/** The best token's probability against T: `curve` is [T, p] pairs, V the vocabulary size; pZero and pNow mark T = 0 and T. */
export function Curve({ curve, V, T, pNow, pZero }: { curve: [number, number][]; V: number; T: number; pNow: number; pZero: number }) {
  const [wrap, width] = useWidth<HTMLDivElement>(640);
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const x = useMemo(
    () =>
      scaleLog()
        .domain([T_MIN, T_MAX])
        .range([M.l + 18, width - M.r]),
    [width],
  );
  const y = useMemo(
    () =>
      scaleLog()
        .domain([1 / V, 1])
        .range([H - M.b, M.t]),
    [V],
  );
  useEffect(() => {
    if (gx.current) select(gx.current).call(axisBottom(x).ticks(5, '~g'));
    if (gy.current) {
      select(gy.current).call(
        axisLeft(y)
          .tickValues(probTicks(V))
          .tickFormat((d) => (Number(d) === 1 / V ? '1/V' : `${Number(d)}`)),
      );
    }
  }, [x, y, V]);
  const d = line<[number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(Math.max(1 / V, p[1])))(curve);
  const tMark = markerT(T);
  const cx = tMark === null ? M.l + 4 : x(tMark);
  return (
    <div ref={wrap} className="p1-chart-wrap">
      <svg
        width={width}
        height={H}
        role="img"
        aria-label={`Probability of the best token against temperature; now ${pct(pNow)} at T = ${fmtT(T)}`}
      >
        <line className="t-ref" x1={M.l} x2={width - M.r} y1={y(1)} y2={y(1)} />
        <line className="t-ref" x1={M.l} x2={width - M.r} y1={y(1 / V)} y2={y(1 / V)} />
        <path d={d ?? ''} className="t-curve" />
        <circle cx={M.l + 4} cy={y(pZero)} r={3} className="t-zero" />
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

export interface TemperatureViewProps {
  T: number;
  setT(t: number): void;
  /** The top-k tokens, most likely first, and softmax(z / T) at them [k]. */
  ids: number[];
  p: Float64Array;
  /** The best token's probability at T and at T = 0. */
  pNow: number;
  pZero: number;
  /** [T, p_max(T)] pairs. */
  curve: [number, number][];
  V: number;
}

export function TemperatureView({ T, setT, ids, p, pNow, pZero, curve, V }: TemperatureViewProps) {
  return (
    <div className="temperature" data-testid="temperature" data-temp={T} data-pmax={pNow} data-v={V}>
      <TempSlider id="t-slider" T={T} setT={setT} />
      <div className="p1-grid2">
        <div>
          <div className="t-h fig-subhead">Next token at T = {fmtT(T)}</div>
          <DistBars ids={ids} p={p} V={V} testid="t-bars" />
        </div>
        <div>
          <div className="t-h fig-subhead">Best token’s probability as T changes</div>
          <Curve curve={curve} V={V} T={T} pNow={pNow} pZero={pZero} />
        </div>
      </div>
    </div>
  );
}
