/**
 * Figure 7 as plain props: the sliders for |x|, its direction and the
 * ·gold row's length; the plane with the five token rows and x's draggable,
 * keyboard-operable tip; the probability bars with each row's angle to x;
 * and the top probability against |x| for the current direction.
 */
import { useEffect, useRef } from 'react';
import { drag, line, scaleLinear, select } from 'd3';
import { PARAMS } from '../../state/params';
import { fmt, pct } from '../../kit/format';
import { useWidth } from '../../kit/hooks';
import { toyRow, type ToyToken } from './toy';
import { dragTo, keyMove, shownLabel, type XState } from './compute';
import '../../kit/kit.css';
import './size-confidence.css';

const COLORS = ['var(--accent-2)', 'var(--accent-5)', 'var(--accent-3)', 'var(--accent)', 'var(--accent-4)'];
const LMAX = PARAMS.sz_len.max;
const EXTENT = 2.4;

export interface SizeConfidenceViewProps {
  /** x: length and direction (degrees). */
  len: number;
  ang: number;
  /** Length of the ·gold row. */
  gold: number;
  tokens: ToyToken[];
  /** Per token: softmax(u_i · x), and the angle between x and u_i in degrees. */
  probs: number[];
  angles: number[];
  /** The most likely token, and the row x points closest to. */
  top: number;
  closest: number;
  /** [|x|, top probability] for the current direction. */
  curve: [number, number][];
  /** x moved by a drag or a key. */
  onMove(x: XState): void;
  onLen(v: number): void;
  onAng(v: number): void;
  onGold(v: number): void;
}

export function SizeConfidenceView({
  len,
  ang,
  gold,
  tokens,
  probs,
  angles,
  top,
  closest,
  curve,
  onMove,
  onLen,
  onAng,
  onGold,
}: SizeConfidenceViewProps) {
  const [wrapRef, width] = useWidth<HTMLDivElement>(600);
  const size = Math.min(360, Math.max(240, width < 620 ? width - 8 : width * 0.5));
  const pad = 18;
  const sx = scaleLinear()
    .domain([-EXTENT, EXTENT])
    .range([pad, size - pad]);
  const sy = scaleLinear()
    .domain([-EXTENT, EXTENT])
    .range([size - pad, pad]);
  const handle = useRef<SVGCircleElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);

  // Mouse / touch drag of x's tip with d3-drag: the pointer position sets length and angle.
  useEffect(() => {
    if (!handle.current || !svgRef.current) return;
    const svg = svgRef.current;
    const behaviour = drag<SVGCircleElement, unknown>()
      .container(svg)
      .on('drag', (ev: { x: number; y: number }) => onMove(dragTo(sx.invert(ev.x), sy.invert(ev.y), LMAX)));
    const el = handle.current;
    select(el).call(behaviour);
    return () => {
      select(el).on('.drag', null);
    };
  }, [sx, sy, onMove]);

  const onKey = (e: React.KeyboardEvent) => {
    const next = keyMove(e.key, e.shiftKey, { len, ang }, LMAX);
    if (!next) return;
    e.preventDefault();
    onMove(next);
  };

  const cw = Math.min(320, Math.max(220, width < 620 ? width - 8 : width * 0.42));
  const ch = 120;
  const cx = scaleLinear()
    .domain([0, LMAX])
    .range([36, cw - 8]);
  const cy = scaleLinear()
    .domain([0, 1])
    .range([ch - 22, 8]);
  const pathD =
    line<[number, number]>()
      .x((d) => cx(d[0]))
      .y((d) => cy(d[1]))(curve) ?? '';

  const uniform = 1 / tokens.length;
  // Beyond the drawn area the tip stays on the edge; its label gives the length.
  const shownLen = Math.min(len, EXTENT);
  const hx = sx(shownLen * Math.cos((ang * Math.PI) / 180));
  const hy = sy(shownLen * Math.sin((ang * Math.PI) / 180));
  return (
    <div ref={wrapRef} className="sz">
      <div className="controls">
        <label>
          Length |x|
          <input
            type="range"
            min={0}
            max={LMAX}
            step={0.05}
            value={len}
            onChange={(e) => onLen(Number(e.target.value))}
            data-testid="sz-len"
          />
          <span className="num">{fmt(len, 3)}</span>
        </label>
        <label>
          Direction
          <input
            type="range"
            min={-180}
            max={180}
            step={1}
            value={ang}
            onChange={(e) => onAng(Number(e.target.value))}
            data-testid="sz-ang"
          />
          <span className="num">{Math.round(ang)}°</span>
        </label>
        <label>
          Length of the <span className="tok">·gold</span> row
          <input
            type="range"
            min={PARAMS.sz_gold.min}
            max={PARAMS.sz_gold.max}
            step={0.05}
            value={gold}
            onChange={(e) => onGold(Number(e.target.value))}
            data-testid="sz-gold"
          />
          <span className="num">{fmt(gold, 3)}</span>
        </label>
      </div>
      <div className="sz-row">
        <svg
          ref={svgRef}
          width={size}
          height={size}
          viewBox={`0 0 ${size} ${size}`}
          className="sz-plane"
          data-testid="sz-plane"
          aria-label="The vector x among five token rows"
        >
          {[1, 2].map((r) => (
            <circle key={r} className="sz-ring" cx={sx(0)} cy={sy(0)} r={sx(r) - sx(0)} />
          ))}
          {tokens.map((t, i) => {
            const u = toyRow(t);
            return (
              <g key={t.label}>
                <line x1={sx(0)} y1={sy(0)} x2={sx(u[0])} y2={sy(u[1])} stroke={COLORS[i]} className="sz-row-line" />
                <circle cx={sx(u[0])} cy={sy(u[1])} r={4} fill={COLORS[i]} />
                <text
                  x={sx(u[0] * 1.12)}
                  y={sy(u[1] * 1.12) + 4}
                  textAnchor={u[0] < -0.2 ? 'end' : u[0] > 0.2 ? 'start' : 'middle'}
                  className="sz-label"
                  style={{ fill: `color-mix(in srgb, ${COLORS[i]} 70%, var(--fg))` }}
                >
                  {shownLabel(t.label)}
                </text>
              </g>
            );
          })}
          <line x1={sx(0)} y1={sy(0)} x2={hx} y2={hy} className="sz-x" />
          <circle
            ref={handle}
            cx={hx}
            cy={hy}
            r={11}
            className="sz-handle"
            tabIndex={0}
            role="slider"
            aria-label="Vector x: up and down change its length, left and right turn it"
            aria-valuemin={0}
            aria-valuemax={LMAX}
            aria-valuenow={len}
            aria-valuetext={`length ${fmt(len, 3)}, direction ${Math.round(ang)} degrees`}
            onKeyDown={onKey}
            data-testid="sz-handle"
          />
          <text
            x={hx + (hx > size - 70 ? -16 : 12)}
            y={hy + (hy < 30 ? 22 : -10)}
            className="sz-xlabel"
            textAnchor={hx > size - 70 ? 'end' : 'start'}
          >
            x{len > EXTENT ? ` (|x| = ${fmt(len, 2)})` : ''}
          </text>
        </svg>
        <div className="sz-side">
          <ol className="sz-bars" data-testid="sz-probs" data-top={top} data-top-p={probs[top]} data-closest={closest}>
            {tokens.map((t, i) => (
              <li key={t.label} data-p={probs[i]} className={i === top ? 'sz-top' : undefined}>
                <span className="tok">{shownLabel(t.label)}</span>
                <span className="sz-bar" aria-hidden="true">
                  <span style={{ width: `${probs[i] * 100}%`, background: COLORS[i] }} />
                  <span className="sz-uniform" style={{ left: `${uniform * 100}%` }} />
                </span>
                <span className="num">{pct(probs[i])}</span>
                <span className="num sz-ang" title="angle between x and this row">
                  {Math.round(angles[i])}°
                </span>
              </li>
            ))}
          </ol>
          <p className="sz-note" aria-live="polite">
            {len === 0
              ? `At zero length every logit is 0: each token gets ${pct(uniform)}.`
              : top !== closest
                ? `x points closest to ${shownLabel(tokens[closest].label)}, but the longer ·gold row wins.`
                : `Top token: ${shownLabel(tokens[top].label)} at ${pct(probs[top])}.`}
          </p>
          <svg
            width={cw}
            height={ch}
            viewBox={`0 0 ${cw} ${ch}`}
            className="sz-curve"
            role="img"
            aria-label="Top probability against the length of x"
            data-testid="sz-curve"
          >
            <line x1={cx(0)} x2={cx(LMAX)} y1={cy(uniform)} y2={cy(uniform)} className="sz-uniform-line" />
            <path d={pathD} className="sz-curve-path" />
            <circle cx={cx(len)} cy={cy(probs[top])} r={4.5} className="sz-curve-dot" />
            <g className="axis">
              {[0, 1, 2, 3, 4]
                .filter((v) => v <= LMAX)
                .map((v) => (
                  <text key={v} x={cx(v)} y={ch - 6} textAnchor="middle">
                    {v}
                  </text>
                ))}
              {[0, 0.5, 1].map((v) => (
                <text key={v} x={30} y={cy(v) + 4} textAnchor="end">
                  {pct(v, 0)}
                </text>
              ))}
              <text x={cw - 8} y={ch - 26} textAnchor="end">
                |x| →
              </text>
            </g>
          </svg>
        </div>
      </div>
    </div>
  );
}
