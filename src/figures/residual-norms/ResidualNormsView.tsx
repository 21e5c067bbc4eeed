/**
 * Figure 4b (view): one line per position through the residual-stream norms
 * of every layer (viridis by position), the shown position highlighted with a
 * dot per layer, a position slider and a sentence about that position's
 * growth. Plain props: the norms, the prompt's ids and the shown position.
 */
import { useEffect, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, interpolateViridis, line, scaleLinear, scaleLog, select } from 'd3';
import { TokenText } from '../../kit/TokenText';
import { useWidth } from '../../kit/hooks';
import { fmt } from '../../kit/format';
import { nearestPosition, needsLogScale, normRange, plotFloor } from './compute';
import '../../kit/kit.css';
import './residual-norms.css';

const H = 260;
const M = { l: 48, r: 14, t: 12, b: 34 };

export interface ResidualNormsViewProps {
  /** norms[l][t], l = 0..L (0: entering block 0, L: after the last block), t = 0..T−1. */
  norms: Float64Array[];
  /** [T] token ids of the prompt. */
  ids: ArrayLike<number>;
  /** The highlighted position, 0..T−1. */
  pos: number;
  /** Called with a new position (from the pointer or the slider). */
  onPos: (t: number) => void;
}

export function ResidualNormsView({ norms, ids, pos, onPos }: ResidualNormsViewProps) {
  const [wrap, width] = useWidth<HTMLDivElement>(640);
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const L = norms.length - 1;
  const T = ids.length;
  const [lo, hi] = useMemo(() => normRange(norms), [norms]);
  const useLog = needsLogScale(lo, hi);
  const floor = plotFloor(useLog, lo);
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
      .y((v) => y(Math.max(v, floor)));
    return Array.from({ length: T }, (_, t) => mk(norms.map((r) => r[t])) ?? '');
  }, [norms, x, y, T, floor]);
  const onMove = (e: React.PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const l = Math.max(0, Math.min(L, Math.round(x.invert(e.clientX - r.left))));
    const best = nearestPosition(norms[l], e.clientY - r.top, (v) => y(Math.max(v, floor)));
    if (best !== pos) onPos(best);
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
      data-token-id={ids[pos]}
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
            <circle key={l} cx={x(l)} cy={y(Math.max(r[pos], floor))} r={3.5} className="rn-dot" />
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
          onChange={(e) => onPos(Number(e.target.value))}
          aria-valuetext={`position ${pos}`}
          data-testid="rn-pos"
        />
        <output htmlFor="rn-pos">
          {pos}: <TokenText id={ids[pos]} />
        </output>
      </div>
      <p className="rn-readout">
        Position {pos} (<TokenText id={ids[pos]} />) starts at length <strong className="num">{fmt(first)}</strong> and leaves the last
        block at <strong className="num">{fmt(last)}</strong>
        {first > 0 ? <> (× {fmt(last / first, 2)})</> : null}.
      </p>
    </div>
  );
}
