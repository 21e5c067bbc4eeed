/**
 * Figure 2c as plain props: the matrix choice and range controls, the
 * histogram of the row norms (log count axis, d3 brush to select a range),
 * the summary line and the tokens in the selected range.
 */
import { useEffect, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, brushX, scaleLinear, scaleSymlog, select, type D3BrushEvent } from 'd3';
import { EmptyState } from '../../kit/Figure';
import { useWidth } from '../../kit/hooks';
import { TokenText } from '../../kit/TokenText';
import { fmt, int } from '../../kit/format';
import type { Histogram } from '../../geometry/histogram';
import { binSelected, LIST_MAX, type NormStats } from './compute';
import '../../kit/kit.css';
import './norm-histogram.css';

const H = 210;
const M = { l: 44, r: 10, t: 8, b: 32 };

/** The histogram: one bar per bin (selected bins highlighted), axes drawn by d3, and a brush that reports [a, b] in norm units. */
export function Chart({
  norms,
  h,
  lo,
  hi,
  onBrush,
}: {
  norms: Float32Array;
  h: Histogram;
  lo: number;
  hi: number;
  onBrush: (a: number, b: number) => void;
}) {
  const [wrap, width] = useWidth<HTMLDivElement>(640);
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const gb = useRef<SVGGElement>(null);
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([h.lo, h.hi])
        .range([M.l, width - M.r]),
    [h, width],
  );
  const maxC = Math.max(1, ...h.counts);
  const y = useMemo(
    () =>
      scaleSymlog()
        .constant(1)
        .domain([0, maxC])
        .range([H - M.b, M.t]),
    [maxC],
  );
  const onBrushRef = useRef(onBrush);
  onBrushRef.current = onBrush;
  const brush = useMemo(
    () =>
      brushX()
        .extent([
          [M.l, M.t],
          [width - M.r, H - M.b],
        ])
        .on('end', (ev: D3BrushEvent<unknown>) => {
          if (!ev.sourceEvent) return; // programmatic move
          const s = ev.selection as [number, number] | null;
          if (!s) onBrushRef.current(0, 0);
          else onBrushRef.current(x.invert(s[0]), x.invert(s[1]));
        }),
    [width, x],
  );
  useEffect(() => {
    if (gx.current) select(gx.current).call(axisBottom(x).ticks(Math.max(3, Math.floor(width / 90))));
    if (gy.current) {
      const ticks = [0, 1, 10, 100, 1000, 10000, 100000].filter((t) => t <= maxC);
      select(gy.current).call(
        axisLeft(y)
          .tickValues(ticks)
          .tickFormat((d) => int(Number(d))),
      );
    }
  }, [x, y, width, maxC]);
  useEffect(() => {
    if (!gb.current) return;
    const g = select(gb.current);
    g.call(brush);
    const a = Math.min(h.hi, Math.max(h.lo, lo));
    const b = Math.min(h.hi, Math.max(h.lo, hi));
    if (b > a) g.call(brush.move, [x(a), x(b)]);
    else g.call(brush.move, null);
  }, [brush, lo, hi, x, h]);
  return (
    <div ref={wrap} className="p1-chart-wrap">
      <svg width={width} height={H} role="img" aria-label={`Histogram of ${norms.length} row norms, from ${fmt(h.lo)} to ${fmt(h.hi)}`}>
        {h.counts.map((c, i) => {
          const a = h.lo + i * h.width;
          const b = a + h.width;
          return (
            <rect
              key={i}
              className={binSelected(h, i, lo, hi) ? 'nh-bar sel' : 'nh-bar'}
              x={x(a) + 0.5}
              width={Math.max(1, x(b) - x(a) - 1)}
              y={y(c)}
              height={Math.max(0, y(0) - y(c))}
            />
          );
        })}
        <g ref={gx} className="axis" transform={`translate(0,${H - M.b})`} />
        <g ref={gy} className="axis" transform={`translate(${M.l},0)`} />
        <text className="label" x={(M.l + width - M.r) / 2} y={H - 2} textAnchor="middle">
          row norm |w_i|
        </text>
        <text className="label" transform={`translate(11,${(H - M.b) / 2}) rotate(-90)`} textAnchor="middle">
          tokens (log scale)
        </text>
        <g ref={gb} className="nh-brush" />
      </svg>
    </div>
  );
}

export interface NormHistogramViewProps {
  /** Untied models offer a choice between W_E and W_U. */
  tied: boolean;
  matName: 'wte' | 'wu';
  vocabSize: number;
  /** The selected range; hi ≤ lo selects nothing. */
  lo: number;
  hi: number;
  /** Row norms [V] and their histogram and summary, null while they are measured. */
  norms: Float32Array | null;
  h: Histogram | null;
  stats: NormStats | null;
  /** Token ids with a norm in [lo, hi], shortest first. */
  sel: number[];
  onMatrix(name: string): void;
  onTail(which: 'short' | 'long'): void;
  onLo(v: number): void;
  onHi(v: number): void;
  onClear(): void;
  /** A brushed range, in either order. */
  onRange(a: number, b: number): void;
}

export function NormHistogramView(v: NormHistogramViewProps) {
  const { lo, hi, norms, h, stats, sel } = v;
  return (
    <div className="norm-histogram" data-testid="norm-histogram" data-count={sel.length} data-lo={lo} data-hi={hi}>
      <div className="controls">
        {!v.tied && (
          <label>
            Matrix{' '}
            <select value={v.matName} onChange={(e) => v.onMatrix(e.target.value)} data-testid="nh-mat">
              <option value="wte">embedding W_E</option>
              <option value="wu">unembedding W_U</option>
            </select>
          </label>
        )}
        <button type="button" onClick={() => v.onTail('short')} data-testid="nh-short">
          shortest 1%
        </button>
        <button type="button" onClick={() => v.onTail('long')} data-testid="nh-long">
          longest 1%
        </button>
        <NormInput word="from" value={lo} onChange={v.onLo} label="Lowest norm in the selected range" testid="nh-lo" />
        <NormInput word="to" value={hi} onChange={v.onHi} label="Highest norm in the selected range" testid="nh-hi" />
        {hi > lo && (
          <button type="button" onClick={v.onClear}>
            clear
          </button>
        )}
      </div>
      {!norms || !h || !stats ? (
        <EmptyState>Measuring {int(v.vocabSize)} rows…</EmptyState>
      ) : (
        <>
          <Chart norms={norms} h={h} lo={lo} hi={hi} onBrush={v.onRange} />
          <p className="p1-muted nh-stats" data-testid="nh-stats" data-median={stats.median} data-min={stats.min} data-max={stats.max}>
            {int(norms.length)} rows · median <span className="num">{fmt(stats.median)}</span> · middle 98% between{' '}
            <span className="num">{fmt(stats.q01)}</span> and <span className="num">{fmt(stats.q99)}</span> · shortest{' '}
            <span className="num">{fmt(stats.min)}</span> · longest <span className="num">{fmt(stats.max)}</span>
          </p>
          {hi > lo ? (
            <div className="nh-list" data-testid="nh-list">
              <p>
                <strong className="num">{int(sel.length)}</strong> token{sel.length === 1 ? '' : 's'} with a norm between {fmt(lo)} and{' '}
                {fmt(hi)}
                {sel.length > LIST_MAX ? ` (the first ${LIST_MAX}, shortest first)` : ''}:
              </p>
              <ul>
                {sel.slice(0, LIST_MAX).map((id) => (
                  <li key={id} data-token-id={id} title={`norm ${fmt(norms[id])}`}>
                    <TokenText id={id} />
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="p1-muted">Drag across the histogram (or type a range) to list the tokens in it.</p>
          )}
        </>
      )}
    </div>
  );
}

/** One end of the selected norm range, typed (never below 0). */
function NormInput({
  word,
  value,
  onChange,
  label,
  testid,
}: {
  word: string;
  value: number;
  onChange: (x: number) => void;
  label: string;
  testid: string;
}) {
  return (
    <label>
      {word}{' '}
      <input
        type="number"
        step={0.01}
        min={0}
        value={value}
        onChange={(e) => onChange(Math.max(0, Number(e.target.value) || 0))}
        aria-label={label}
        data-testid={testid}
        className="nh-num"
      />
    </label>
  );
}
