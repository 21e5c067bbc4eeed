/**
 * Figure 2c: histogram of the row norms of W_E (or W_U for untied models).
 * Brush a range (or type it) to list its tokens; buttons jump to the tails.
 */
import { useEffect, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, brushX, scaleLinear, scaleSymlog, select, type D3BrushEvent } from 'd3';
import { useModelState } from '../../state/model';
import { useParams } from '../../state/store';
import { EmptyState } from '../../kit/Figure';
import { rowNormsChunked } from '../../state/chunked';
import { useDerived, useMatrix } from '../../state/matrices';
import { useWidth } from '../../kit/hooks';
import { TokenText } from '../../kit/TokenText';
import { histogram, indicesInRange, summary } from '../../geometry/histogram';
import { fmt, int } from '../../kit/format';
import type { Matrix } from '../../runtime/types';
import '../../kit/kit.css';
import { useFigureData } from '../../kit/export';
import './norm-histogram.css';

const BINS = 60;
const H = 210;
const M = { l: 44, r: 10, t: 8, b: 32 };
const LIST_MAX = 80;

export function useRowNorms(m: Matrix | null): Float32Array | null {
  return useDerived(m, 'rowNorms', rowNormsChunked);
}

function Chart({ norms, lo, hi, onBrush }: { norms: Float32Array; lo: number; hi: number; onBrush: (a: number, b: number) => void }) {
  const [wrap, width] = useWidth<HTMLDivElement>(640);
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const gb = useRef<SVGGElement>(null);
  const h = useMemo(() => histogram(norms, BINS), [norms]);
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
          const inSel = hi > lo && b >= lo && a <= hi;
          return (
            <rect
              key={i}
              className={inSel ? 'nh-bar sel' : 'nh-bar'}
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

export function NormHistogram() {
  const { info } = useModelState((s) => ({ info: s.info }));
  const [state, setState] = useParams(['nh_hi', 'nh_lo', 'nh_mat'] as const);
  const tied = info?.config.tied ?? true;
  const matName = !tied && state.nh_mat === 'wu' ? 'wu' : 'wte';
  const m = useMatrix(info ? matName : null);
  const norms = useRowNorms(m);
  const lo = state.nh_lo;
  const hi = state.nh_hi;
  const sel = useMemo(() => (norms && hi > lo ? indicesInRange(norms, lo, hi) : []), [norms, lo, hi]);
  const stats = useMemo(() => (norms ? summary(norms) : null), [norms]);
  useFigureData(({ tokenText }) => {
    if (!norms) return null;
    const h = histogram(norms, BINS);
    return {
      columns: [
        { key: 'bin_from', unit: 'L2 norm' },
        { key: 'bin_to', unit: 'L2 norm' },
        { key: 'rows', unit: 'count of tokens' },
      ],
      rows: h.counts.map((c, i) => ({ bin_from: h.lo + i * h.width, bin_to: h.lo + (i + 1) * h.width, rows: c })),
      params: { matrix: matName, selected_from: lo, selected_to: hi },
      nested: { selected: sel.map((id) => ({ token_id: id, token: tokenText(id), norm: norms[id] })) },
    };
  });
  if (!info) return <EmptyState>Loading the model…</EmptyState>;
  const setRange = (a: number, b: number) =>
    setState({ nh_lo: Math.round(Math.min(a, b) * 1e4) / 1e4, nh_hi: Math.round(Math.max(a, b) * 1e4) / 1e4 });
  const tail = (which: 'short' | 'long') => {
    if (!norms || !stats) return;
    const n = Math.max(1, Math.round(norms.length * 0.01));
    const sorted = Float32Array.from(norms).sort();
    if (which === 'short') setRange(sorted[0], sorted[n - 1]);
    else setRange(sorted[sorted.length - n], sorted[sorted.length - 1]);
  };
  return (
    <div className="norm-histogram" data-testid="norm-histogram" data-count={sel.length} data-lo={lo} data-hi={hi}>
      <div className="controls">
        {!tied && (
          <label>
            Matrix{' '}
            <select value={matName} onChange={(e) => setState({ nh_mat: e.target.value })} data-testid="nh-mat">
              <option value="wte">embedding W_E</option>
              <option value="wu">unembedding W_U</option>
            </select>
          </label>
        )}
        <button type="button" onClick={() => tail('short')} data-testid="nh-short">
          shortest 1%
        </button>
        <button type="button" onClick={() => tail('long')} data-testid="nh-long">
          longest 1%
        </button>
        <label>
          from{' '}
          <input
            type="number"
            step={0.01}
            min={0}
            value={lo}
            onChange={(e) => setState({ nh_lo: Math.max(0, Number(e.target.value) || 0) })}
            aria-label="Lowest norm in the selected range"
            data-testid="nh-lo"
            className="nh-num"
          />
        </label>
        <label>
          to{' '}
          <input
            type="number"
            step={0.01}
            min={0}
            value={hi}
            onChange={(e) => setState({ nh_hi: Math.max(0, Number(e.target.value) || 0) })}
            aria-label="Highest norm in the selected range"
            data-testid="nh-hi"
            className="nh-num"
          />
        </label>
        {hi > lo && (
          <button type="button" onClick={() => setState({ nh_lo: 0, nh_hi: 0 })}>
            clear
          </button>
        )}
      </div>
      {!norms || !stats ? (
        <EmptyState>Measuring {int(info.config.vocabSize)} rows…</EmptyState>
      ) : (
        <>
          <Chart norms={norms} lo={lo} hi={hi} onBrush={setRange} />
          <p className="p1-muted nh-stats" data-testid="nh-stats" data-median={stats.q(0.5)} data-min={stats.min} data-max={stats.max}>
            {int(norms.length)} rows · median <span className="num">{fmt(stats.q(0.5))}</span> · middle 98% between{' '}
            <span className="num">{fmt(stats.q(0.01))}</span> and <span className="num">{fmt(stats.q(0.99))}</span> · shortest{' '}
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
