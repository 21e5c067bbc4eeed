/**
 * Figure 6d (view). The logit difference between two tokens at the last
 * position, split into what every component wrote: one bar per component in
 * the order the model adds them (the embedding, then per block its heads and
 * its MLP, then the attention output biases and the final LayerNorm's bias),
 * with the running total as a line, so the line ends at the sum. The sum is
 * printed next to the model's own logit difference.
 *
 * Plain props only (the contributions from compute.ts, the model's own
 * difference, the two tokens' text and the selected head); keyboard: ←/→ move
 * along the bars, Home/End jump, and a head under the cursor becomes the
 * selected head of the pattern grid.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { scaleLinear } from 'd3';
import { fmt } from '../../kit/format';
import { useElementWidth } from '../../kit/hooks';
import {
  barSlots,
  blockSpans,
  describeContribution as describe,
  headIndex,
  largestContributions,
  nextCursor,
  relativeDifference,
  runningTotals,
  valueExtent,
  type Contribution,
  type HeadRef,
} from './compute';
import './logit-attribution.css';

export interface AttributionChartViewProps {
  items: Contribution[];
  sum: number;
  /** The model's own logit difference from the default forward pass (null while it is not in yet). */
  truth: number | null;
  labelA: string;
  labelB: string;
  selected: HeadRef | null;
  top: Contribution | null;
  onSelectHead: (s: HeadRef) => void;
  stale?: boolean;
  testid?: string;
}

const KIND_COLOUR: Record<Contribution['kind'], string> = {
  embed: 'var(--muted)',
  head: 'var(--accent)',
  mlp: 'var(--accent-3)',
  attnBias: 'var(--muted)',
  lnBias: 'var(--muted)',
};

const MARGIN = { top: 14, right: 10, bottom: 30, left: 44 };
/** Left edge of bar i, given each bar's slot position and the slot width in px. */
const barX = (xs: number[], slotW: number, i: number) => MARGIN.left + xs[i] * slotW;
const barW = (slotW: number) => Math.max(1, slotW * 0.8);

const signed = (x: number, d = 3) => (x > 0 ? `+${fmt(x, d)}` : fmt(x, d));

export function AttributionChartView({
  items,
  sum,
  truth,
  labelA,
  labelB,
  selected,
  top,
  onSelectHead,
  stale,
  testid = 'logit-attribution',
}: AttributionChartViewProps) {
  const wrap = useRef<HTMLDivElement | null>(null);
  const width = useElementWidth(wrap, 640, { min: 240, box: 'client' });
  // as numbers: the container may hand over a new object for the same head
  const selL = selected?.l ?? -1;
  const selH = selected?.h ?? -1;
  const [cursor, setCursor] = useState(() => Math.max(0, headIndex(items, selL, selH)));
  // the selected head moved elsewhere (the grid, a button): follow it
  useEffect(() => {
    const i = headIndex(items, selL, selH);
    if (i >= 0) setCursor(i);
  }, [selL, selH, items]);
  const cur = items[Math.min(cursor, items.length - 1)];

  // x: one slot per bar, a gap between groups (embedding | each block | the biases); the running total per bar
  const geom = useMemo(() => ({ ...barSlots(items), run: runningTotals(items) }), [items]);

  const margin = MARGIN;
  const h = width < 520 ? 220 : 260;
  const innerW = width - margin.left - margin.right;
  const [lo, hi] = valueExtent(items, geom.run, truth);
  const y = scaleLinear()
    .domain([lo, hi === lo ? lo + 1 : hi])
    .nice()
    .range([h - margin.bottom, margin.top]);
  const slotW = innerW / Math.max(1, geom.slots);
  const bx = (i: number) => barX(geom.xs, slotW, i);
  const bw = barW(slotW);

  const onKey = (e: KeyboardEvent) => {
    const next = nextCursor(e.key, cursor, items.length);
    if (next === null) return;
    e.preventDefault();
    setCursor(next);
    const c = items[next];
    if (c.kind === 'head') onSelectHead({ l: c.layer, h: c.head });
  };

  const ranked = useMemo(() => largestContributions(items, 6), [items]);
  const relDiff = relativeDifference(sum, truth);
  // one label per block (or every second or third), centred under its bars
  const blockTicks = useMemo(
    () =>
      blockSpans(items, width).map((b) => ({
        x: (barX(geom.xs, slotW, b.first) + barX(geom.xs, slotW, b.last) + barW(slotW)) / 2,
        label: String(b.layer),
      })),
    [items, geom, width, slotW],
  );
  // the text version does not depend on the cursor or the selection: built once per result
  const textVersion = useMemo(
    () => (
      <details className="la-text">
        <summary>Text version: every contribution</summary>
        <div className="la-tablewrap" tabIndex={0} role="region" aria-label="every contribution (scrolls)">
          <table>
            <caption className="visually-hidden">Each component’s contribution to the logit difference, in model order</caption>
            <thead>
              <tr>
                <th scope="col">component</th>
                <th scope="col">contribution</th>
                <th scope="col">running total</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c, i) => (
                <tr key={i}>
                  <th scope="row">{describe(c)}</th>
                  <td className="num">{signed(c.value)}</td>
                  <td className="num">{fmt(geom.run[i], 4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    ),
    [items, geom],
  );
  const iE = items.findIndex((c) => c.kind === 'embed');
  const iB = items.findIndex((c) => c.kind === 'attnBias');

  return (
    <div ref={wrap} className={stale ? 'la stale' : 'la'}>
      <svg
        width={width}
        height={h}
        viewBox={`0 0 ${width} ${h}`}
        tabIndex={0}
        role="img"
        aria-roledescription="bar chart"
        aria-label={`Contributions of ${items.length} components to logit(${labelA}) − logit(${labelB}), summing to ${fmt(sum, 4)}. Left and right arrows move between the bars.`}
        data-testid={testid}
        data-sum={sum}
        data-truth={truth ?? ''}
        data-top={top?.label ?? ''}
        data-top-value={top?.value ?? ''}
        data-values={items.map((c) => c.value.toPrecision(5)).join(',')}
        data-cursor={cur?.label ?? ''}
        onKeyDown={onKey}
      >
        <g className="la-axis">
          {y.ticks(5).map((t) => (
            <g key={t}>
              <line x1={margin.left} x2={width - margin.right} y1={y(t)} y2={y(t)} className={t === 0 ? 'zero' : undefined} />
              <text x={margin.left - 4} y={y(t)} textAnchor="end" dominantBaseline="middle">
                {fmt(t, 2)}
              </text>
            </g>
          ))}
          {blockTicks.map((t) => (
            <text key={t.label} x={t.x} y={h - margin.bottom + 13} textAnchor="middle">
              {t.label}
            </text>
          ))}
          {iE >= 0 && (
            <text x={bx(iE) + bw / 2} y={h - margin.bottom + 13} textAnchor="middle">
              E
            </text>
          )}
          {iB >= 0 && (
            <text x={bx(iB) + bw} y={h - margin.bottom + 13} textAnchor="middle">
              bias
            </text>
          )}
          <text x={margin.left + innerW / 2} y={h - 3} textAnchor="middle" className="la-axis-title">
            block (heads {'\u2192'} then the MLP)
          </text>
        </g>
        {items.map((c, i) => {
          const y0 = y(0);
          const y1 = y(c.value);
          const isSel = c.kind === 'head' && selected && selected.l === c.layer && selected.h === c.head;
          return (
            <rect
              key={i}
              x={bx(i)}
              y={Math.min(y0, y1)}
              width={bw}
              height={Math.max(1, Math.abs(y1 - y0))}
              fill={KIND_COLOUR[c.kind]}
              className={`la-bar${isSel ? ' sel' : ''}${i === cursor ? ' cur' : ''}`}
              data-label={c.label}
              onClick={() => {
                setCursor(i);
                if (c.kind === 'head') onSelectHead({ l: c.layer, h: c.head });
              }}
            >
              <title>{`${describe(c)}: ${signed(c.value)}`}</title>
            </rect>
          );
        })}
        <polyline className="la-run" points={geom.run.map((v, i) => `${bx(i) + bw / 2},${y(v)}`).join(' ')} aria-hidden="true" />
        {truth !== null && (
          <g className="la-truth" aria-hidden="true">
            <line x1={margin.left} x2={width - margin.right} y1={y(truth)} y2={y(truth)} />
            <text x={width - margin.right} y={y(truth) - 4} textAnchor="end">
              model: {fmt(truth, 4)}
            </text>
          </g>
        )}
        {top && (
          <text
            className="la-toplabel"
            x={bx(items.indexOf(top)) + bw / 2}
            y={top.value >= 0 ? y(top.value) - 4 : y(top.value) + 12}
            textAnchor="middle"
          >
            {top.label}
          </text>
        )}
      </svg>
      <p className="la-legend">
        <span className="p2-swatch" style={{ background: KIND_COLOUR.head }} aria-hidden="true" /> heads{' '}
        <span className="p2-swatch" style={{ background: KIND_COLOUR.mlp }} aria-hidden="true" /> MLPs{' '}
        <span className="p2-swatch" style={{ background: KIND_COLOUR.embed }} aria-hidden="true" /> embedding and biases{' '}
        <span className="la-runkey" aria-hidden="true" /> running total
      </p>
      <p className="la-readout" aria-live="polite" data-testid={`${testid}-cursor`}>
        {cur && (
          <>
            <strong>{describe(cur)}</strong>: {signed(cur.value)}
            {sum !== 0 && <> ({fmt((100 * cur.value) / sum, 3)}% of the total)</>}
          </>
        )}
      </p>
      <p className="la-sum" data-testid={`${testid}-sum`}>
        Sum of all {items.length} contributions: <strong>{fmt(sum, 5)}</strong>. The model’s own logit(
        <span className="tok">{labelA}</span>) − logit(<span className="tok">{labelB}</span>):{' '}
        <strong>{truth === null ? '…' : fmt(truth, 5)}</strong>
        {relDiff !== null && <> (relative difference {relDiff === 0 ? '0' : relDiff.toExponential(1)})</>}.
      </p>
      <div className="la-top">
        <span className="p2-muted">Largest:</span>
        {ranked.map((c) => (
          <button
            key={c.label}
            type="button"
            className={c.kind === 'head' && selected && selected.l === c.layer && selected.h === c.head ? 'on' : undefined}
            onClick={() => {
              setCursor(items.indexOf(c));
              if (c.kind === 'head') onSelectHead({ l: c.layer, h: c.head });
            }}
            data-testid={`${testid}-rank`}
          >
            {c.label} <span className="num">{signed(c.value, 2)}</span>
          </button>
        ))}
      </div>
      {textVersion}
    </div>
  );
}
