/**
 * Figure 3: the positional vectors W_pos — their norms by position (line) and
 * the cosine between every pair of positions (heatmap, canvas).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { axisBottom, axisLeft, line, scaleLinear } from 'd3';
import { select } from 'd3';
import { useModelState } from '../../state/model';
import { EmptyState } from '../../kit/Figure';
import { chunked, rowNormsChunked } from '../../state/chunked';
import { useDerived, useMatrix } from '../../state/matrices';
import { useWidth } from '../../kit/hooks';
import { divergingRgb } from '../../kit/HeatStrip';
import { int } from '../../kit/format';
import type { Matrix } from '../../runtime/types';
import '../../kit/kit.css';
import './positions.css';

/** A cosine with two decimals and a true minus sign. */
export function f2(x: number): string {
  const s = x.toFixed(2);
  return s === '-0.00' ? '0.00' : s.replace('-', '−');
}

/** At most this many positions in the heatmap (GPT-2 has 1,024: 1M cosines). */
export const HEAT_MAX = 256;

export interface PosCos {
  n: number;
  cos: Float32Array; // [n, n]
  /** mean cosine between positions k apart, k = 1..n-1 */
  byGap: Float64Array;
}

export async function positionCosines(m: Matrix): Promise<PosCos> {
  const n = Math.min(HEAT_MAX, m.rows);
  const D = m.cols;
  const d = m.data;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < D; c++) s += d[i * D + c] ** 2;
    norms[i] = Math.sqrt(s) || 1;
  }
  const cos = new Float32Array(n * n);
  await chunked(n, (a, b) => {
    for (let i = a; i < b; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let c = 0; c < D; c++) s += d[i * D + c] * d[j * D + c];
        const v = s / (norms[i] * norms[j]);
        cos[i * n + j] = v;
        cos[j * n + i] = v;
      }
  });
  const byGap = new Float64Array(n);
  for (let k = 1; k < n; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += cos[i * n + i - k];
    byGap[k] = s / (n - k);
  }
  return { n, cos, byGap };
}

function NormLine({ norms, width }: { norms: Float32Array; width: number }) {
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
  const y = useMemo(() => {
    let mx = 0;
    for (const v of norms) mx = Math.max(mx, v);
    return scaleLinear()
      .domain([0, mx * 1.05])
      .range([H - M.b, M.t])
      .nice();
  }, [norms, M.b, M.t]);
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

function Heatmap({ pc, size }: { pc: PosCos; size: number }) {
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
    for (let k = 0; k < n * n; k++) {
      const [r, g, b] = divergingRgb(pc.cos[k], 1);
      img.data[k * 4] = r;
      img.data[k * 4 + 1] = g;
      img.data[k * 4 + 2] = b;
      img.data[k * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [pc]);
  const onMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const j = Math.floor(((e.clientX - r.left) / r.width) * pc.n);
    const i = Math.floor(((e.clientY - r.top) / r.height) * pc.n);
    if (i >= 0 && j >= 0 && i < pc.n && j < pc.n) setHover({ i, j });
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

export function Positions() {
  const { info } = useModelState((s) => ({ info: s.info }));
  // a model with rotary positions (GPT-NeoX, Llama) has no W_pos to show: config.positions says so before any request
  const rotary = info?.config.positions === 'rotary';
  const wpe = useMatrix(info && !rotary ? 'wpe' : null);
  const norms = useDerived(wpe, 'rowNorms', rowNormsChunked);
  const pc = useDerived(wpe, 'posCos', positionCosines);
  const [wrap, width] = useWidth<HTMLDivElement>(640);
  if (!info) return <EmptyState>Loading the model…</EmptyState>;
  if (rotary) {
    return (
      <div className="positions" data-testid="positions" data-positions="rotary">
        <EmptyState>
          {info.label} has no table of positional vectors. It uses rotary positions: inside every attention layer, each query and key is
          turned by an angle that grows with its place in the text, so two tokens score each other by how far apart they are, and nothing
          about position is added to the token vectors themselves.
        </EmptyState>
      </div>
    );
  }
  const heatSize = Math.min(320, width);
  const gaps = pc ? [1, 2, 4, 8, 16, 32, 64].filter((k) => k < pc.n) : [];
  return (
    <div
      ref={wrap}
      className="positions"
      data-testid="positions"
      data-cos-adjacent={pc ? pc.byGap[1] : ''}
      data-cos-far={pc && pc.n > 32 ? pc.byGap[32] : ''}
      data-rows={wpe?.rows ?? ''}
    >
      {!wpe || !norms ? (
        <EmptyState>Reading the positional vectors…</EmptyState>
      ) : (
        <>
          <div className="pos-h fig-subhead">Length of each positional vector ({int(wpe.rows)} positions)</div>
          <NormLine norms={norms} width={width} />
          <div className="pos-h fig-subhead">
            Cosine between positions{pc && pc.n < wpe.rows ? ` (the first ${pc.n} of ${int(wpe.rows)})` : ''}
          </div>
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
