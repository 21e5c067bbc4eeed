/**
 * Figure 3 drawn from plain arrays: the norm of each positional vector as a
 * line, the cosine between pairs of positions as a heatmap (canvas, with a
 * readout of the cell under the pointer), and the mean cosine by gap as a
 * table. Also the note shown for a model with rotary positions.
 */
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { axisBottom, axisLeft, line, scaleLinear } from 'd3';
import { select } from 'd3';
import { EmptyState } from '../../kit/Figure';
import { writeDivergingRgb } from '../../kit/HeatStrip';
import { int } from '../../kit/format';
import { cellAt, f2, gapsShown, maxOf, type PosCos } from './compute';

export function NormLine({ norms, width }: { norms: Float32Array; width: number }) {
  const H = 170;
  const M = { l: 54, r: 10, t: 10, b: 30 };
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([0, norms.length - 1])
        .range([M.l, width - M.r]),
    [norms, width, M.l, M.r],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([0, maxOf(norms) * 1.05])
        .range([H - M.b, M.t])
        .nice(),
    [norms, M.b, M.t],
  );
  useEffect(() => {
    if (gx.current) select(gx.current).call(axisBottom(x).ticks(Math.max(3, Math.floor(width / 90))));
    if (gy.current) select(gy.current).call(axisLeft(y).ticks(4));
  }, [x, y, width]);
  const path = line<number>()
    .x((_, i) => x(i))
    .y((v) => y(v))(Array.from(norms));
  return (
    <svg width={width} height={H} role="img" aria-label={`Norm of each of the ${norms.length} positional vectors`}>
      <path d={path ?? ''} className="pos-line" />
      <g ref={gx} className="axis" transform={`translate(0,${H - M.b})`} />
      <g ref={gy} className="axis" transform={`translate(${M.l},0)`} />
      <text className="label" x={(M.l + width - M.r) / 2} y={H - 2} textAnchor="middle">
        position
      </text>
      <text className="label" transform={`translate(11,${(H - M.b) / 2}) rotate(-90)`} textAnchor="middle">
        |p_t|
      </text>
    </svg>
  );
}

export function Heatmap({ pc, size }: { pc: PosCos; size: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ i: number; j: number } | null>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const n = pc.n;
    c.width = n;
    c.height = n;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(n, n);
    for (let k = 0; k < n * n; k++) writeDivergingRgb(img.data, k * 4, pc.cos[k], 1);
    ctx.putImageData(img, 0, 0);
  }, [pc]);
  const onMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const cell = cellAt((e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height, pc.n);
    if (cell) setHover(cell);
  };
  return (
    <div className="pos-heat">
      <canvas
        ref={ref}
        style={{ width: size, height: size }}
        role="img"
        aria-label={`Cosine between the positional vectors of every pair of the first ${pc.n} positions; neighbours average ${f2(pc.byGap[1] ?? 0)}`}
        onPointerMove={onMove}
        onPointerLeave={() => setHover(null)}
        data-testid="pos-heatmap"
      />
      <div className="pos-heat-readout p1-muted" aria-live="off">
        {hover ? (
          <>
            positions {hover.i} and {hover.j}: cos = <span className="num">{f2(pc.cos[hover.i * pc.n + hover.j])}</span>
          </>
        ) : (
          <>point at a cell to read it (row = position i, column = position j)</>
        )}
      </div>
    </div>
  );
}

/** A model with rotary positions has no W_pos: say what it does instead. */
export function RotaryNote({ label }: { label: string }) {
  return (
    <div className="positions" data-testid="positions" data-positions="rotary">
      <EmptyState>
        {label} has no table of positional vectors. It uses rotary positions: inside every attention layer, each query and key is turned by
        an angle that grows with its place in the text, so two tokens score each other by how far apart they are, and nothing about position
        is added to the token vectors themselves.
      </EmptyState>
    </div>
  );
}

export interface PositionsViewProps {
  /** Rows of W_pos (positions); null while the matrix is read. */
  rows: number | null;
  /** |p_t| for every position [rows]; null while computed. */
  norms: Float32Array | null;
  /** Cosines of the first pc.n positions; null while computed. */
  pc: PosCos | null;
  /** Width of the figure (px) and the element it is measured on. */
  width: number;
  wrapRef: RefObject<HTMLDivElement | null>;
}

export function PositionsView({ rows, norms, pc, width, wrapRef }: PositionsViewProps) {
  const heatSize = Math.min(320, width);
  const gaps = pc ? gapsShown(pc.n) : [];
  return (
    <div
      ref={wrapRef}
      className="positions"
      data-testid="positions"
      data-cos-adjacent={pc ? pc.byGap[1] : ''}
      data-cos-far={pc && pc.n > 32 ? pc.byGap[32] : ''}
      data-rows={rows ?? ''}
    >
      {rows === null || !norms ? (
        <EmptyState>Reading the positional vectors…</EmptyState>
      ) : (
        <>
          <div className="pos-h fig-subhead">Length of each positional vector ({int(rows)} positions)</div>
          <NormLine norms={norms} width={width} />
          <div className="pos-h fig-subhead">Cosine between positions{pc && pc.n < rows ? ` (the first ${pc.n} of ${int(rows)})` : ''}</div>
          {pc ? (
            <div className="pos-heat-row">
              <Heatmap pc={pc} size={heatSize} />
              <table className="p1-table pos-gaps" data-testid="pos-gaps">
                <caption>average cosine between positions k apart</caption>
                <thead>
                  <tr>
                    <th scope="col">k</th>
                    <th scope="col" className="num">
                      cos
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {gaps.map((k) => (
                    <tr key={k} data-gap={k} data-value={pc.byGap[k]}>
                      <td>{k}</td>
                      <td className="num">{f2(pc.byGap[k])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <EmptyState>Comparing positions…</EmptyState>
          )}
        </>
      )}
    </div>
  );
}
