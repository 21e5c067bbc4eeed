/**
 * Figure 5b: a temperature slider (log scale, T = 0 reachable) redrawing the
 * next-token distribution, and the curve of the best token's probability
 * against T, from 1/V (T → ∞) to 1 (T → 0), with the current T marked.
 */
import { useEffect, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, line, scaleLog, select } from 'd3';
import { ModelGate } from '../../kit/ModelGate';
import { useParams } from '../../state/store';
import { useWidth } from '../../kit/hooks';
import { maxProb, softmax, topK } from '../../geometry/softmax';
import { maxProbCurve, T_MAX, T_MIN } from '../../geometry/temperature';
import { pct } from '../../kit/format';

import type { ForwardResult } from '../../runtime/types';
import { lastLogits } from '../../state/forward-readers';
import { DIST_K, DistBars, TempSlider, fmtT } from '../../kit/Distribution';
import '../../kit/kit.css';
import { useFigureData } from '../../kit/export';
import './temperature.css';

const H = 220;
const M = { l: 62, r: 14, t: 12, b: 36 };

function Curve({ z, T }: { z: Float32Array; T: number }) {
  const [wrap, width] = useWidth<HTMLDivElement>(640);
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const V = z.length;
  const curve = useMemo(() => maxProbCurve(z, 90), [z]);
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
      const ticks = [1, 0.1, 0.01, 0.001, 0.0001, 0.00001].filter((t) => t >= 1 / V);
      select(gy.current).call(
        axisLeft(y)
          .tickValues([...ticks, 1 / V])
          .tickFormat((d) => (Number(d) === 1 / V ? '1/V' : `${Number(d)}`)),
      );
    }
  }, [x, y, V]);
  const d = line<[number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(Math.max(1 / V, p[1])))(curve);
  const pNow = maxProb(z, T);
  const cx = T === 0 ? M.l + 4 : x(Math.min(T_MAX, Math.max(T_MIN, T)));
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
  const [state, setState] = useParams(['temp'] as const);
  const T = state.temp;
  const z = lastLogits(f);
  const p = useMemo(() => softmax(z, T), [z, T]);
  useFigureData(({ tokenText }) => ({
    columns: [{ key: 'rank' }, { key: 'token', label: 'token text' }, { key: 'token_id' }, { key: 'probability', unit: 'fraction of 1' }],
    rows: topK(p, DIST_K).map((i, r) => ({ rank: r + 1, token: tokenText(i), token_id: i, probability: p[i] })),
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
