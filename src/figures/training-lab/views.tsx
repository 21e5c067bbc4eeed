/**
 * The training lab's five live views, as plain-props components (no worker,
 * no context): loss curves; |x| and cosine against step; Euclid-vs-dot
 * agreement against step; the row-norm histogram; the path of x in the plane
 * of two tokens' rows over training. SVG, d3 scales, CSS variables for colour;
 * the arithmetic behind them is in compute.ts.
 */
import { line, scaleLinear, interpolateViridis } from 'd3';
import { fmt, int } from '../../kit/format';
import type { ProbeReadout } from '../../trainer/trainer';
import { sampleEvery, sharedBins, thin, yExtent } from './compute';

export const COLOR = ['var(--accent)', 'var(--accent-2)'] as const;
export const DASH = ['', '5 3'] as const;

export interface Series {
  label: string;
  points: [number, number][];
}

export function LineChart({
  width,
  height = 180,
  series,
  xLabel = 'step',
  yLabel,
  yDomain,
  hlines = [],
  testid,
  ariaLabel,
  yFormat = (v: number) => fmt(v, 2),
}: {
  width: number;
  height?: number;
  series: [Series, Series];
  xLabel?: string;
  yLabel: string;
  yDomain?: [number, number];
  hlines?: { y: number; label: string }[];
  testid: string;
  ariaLabel: string;
  yFormat?: (v: number) => string;
}) {
  const m = { l: 44, r: 10, t: 10, b: 30 };
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(10, ...all.map((p) => p[0]));
  const yd = yExtent([...all.map((p) => p[1]), ...hlines.map((h) => h.y)], yDomain);
  const x = scaleLinear()
    .domain([0, xMax])
    .range([m.l, width - m.r]);
  const y = scaleLinear()
    .domain(yd)
    .nice()
    .range([height - m.b, m.t]);
  const path = line<[number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(p[1]))
    .defined((p) => Number.isFinite(p[1]));
  const last = series.map((s) => s.points[s.points.length - 1]);
  return (
    <svg
      className="tl-chart"
      width={width}
      height={height}
      role="img"
      aria-label={ariaLabel}
      data-testid={testid}
      data-points={series[0].points.length}
      data-last-step={last[0]?.[0] ?? 0}
    >
      <g className="tl-axis">
        {y.ticks(4).map((t) => (
          <g key={t}>
            <line x1={m.l} x2={width - m.r} y1={y(t)} y2={y(t)} />
            <text x={m.l - 5} y={y(t) + 4} textAnchor="end">
              {yFormat(t)}
            </text>
          </g>
        ))}
        {x
          .ticks(Math.max(2, Math.floor(width / 90)))
          .filter((t) => Number.isInteger(t))
          .map((t) => (
            <text key={t} x={x(t)} y={height - m.b + 14} textAnchor="middle">
              {int(t)}
            </text>
          ))}
        <text x={width - m.r} y={height - 3} textAnchor="end" className="tl-axis-label">
          {xLabel}
        </text>
        <text
          x={4}
          y={m.t - 1}
          className="tl-axis-label"
          dominantBaseline="hanging"
          transform={`rotate(-90 4 ${m.t}) translate(${-(height - m.b - m.t)} 0)`}
        >
          {yLabel}
        </text>
      </g>
      {hlines.map((h) => (
        <g key={h.label} className="tl-hline">
          <line x1={m.l} x2={width - m.r} y1={y(h.y)} y2={y(h.y)} />
          <text x={width - m.r - 2} y={y(h.y) - 4} textAnchor="end">
            {h.label}
          </text>
        </g>
      ))}
      {series.map((s, i) => (
        <path key={i} className="tl-line" d={path(thin(s.points)) ?? ''} stroke={COLOR[i]} strokeDasharray={DASH[i]} data-series={i} />
      ))}
    </svg>
  );
}

export function Legend({ labels }: { labels: [string, string] }) {
  return (
    <p className="tl-legend">
      {labels.map((l, i) => (
        <span key={i}>
          <svg width="26" height="10" aria-hidden="true">
            <line x1="1" x2="25" y1="5" y2="5" stroke={COLOR[i]} strokeWidth="2.5" strokeDasharray={DASH[i]} />
          </svg>{' '}
          <strong>{i === 0 ? 'A' : 'B'}</strong> {l}
        </span>
      ))}
    </p>
  );
}

export function RowNormHistogram({
  width,
  norms,
  labels,
  step,
}: {
  width: number;
  norms: [number[], number[]];
  labels: [string, string];
  step: number;
}) {
  const h = 150;
  const m = { l: 34, r: 8, t: 8, b: 28 };
  const bins = 24;
  // One shared x range, so the two models' spreads compare directly.
  const { lo, hi, counts } = sharedBins(norms, bins);
  const x = scaleLinear()
    .domain([lo, hi])
    .range([m.l, width - m.r]);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...counts.flat())])
    .nice()
    .range([h - m.b, m.t]);
  const bw = (width - m.l - m.r) / bins;
  return (
    <svg
      className="tl-chart"
      width={width}
      height={h}
      role="img"
      data-testid="tl-rownorms"
      data-step={step}
      aria-label={`Histogram of the ${norms[0].length} unembedding row lengths at step ${step}: A ${labels[0]} from ${fmt(Math.min(...norms[0]), 3)} to ${fmt(Math.max(...norms[0]), 3)}, B ${labels[1]} from ${fmt(Math.min(...norms[1]), 3)} to ${fmt(Math.max(...norms[1]), 3)}.`}
    >
      <g className="tl-axis">
        {y.ticks(3).map((t) => (
          <g key={t}>
            <line x1={m.l} x2={width - m.r} y1={y(t)} y2={y(t)} />
            <text x={m.l - 5} y={y(t) + 4} textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {x.ticks(Math.max(2, Math.floor(width / 90))).map((t) => (
          <text key={t} x={x(t)} y={h - m.b + 14} textAnchor="middle">
            {fmt(t, 2)}
          </text>
        ))}
        <text x={width - m.r} y={h - 3} textAnchor="end" className="tl-axis-label">
          row length |u_i|
        </text>
      </g>
      {counts.map((c, k) =>
        c.map((n, i) =>
          n > 0 ? (
            <rect
              key={`${k}-${i}`}
              x={m.l + i * bw + (k ? bw / 2 : 0)}
              width={Math.max(1, bw / 2 - 1)}
              y={y(n)}
              height={h - m.b - y(n)}
              fill={COLOR[k]}
              opacity={0.85}
            />
          ) : null,
        ),
      )}
    </svg>
  );
}

/**
 * x at the probe prompt over training, in each step's own plane of the target
 * row u_a (along the horizontal) and the rival row u_b. Points run from dark
 * (early) to yellow (late); the rival's ray is drawn where it is at the last step.
 */
export function PlanePath({
  size,
  readouts,
  label,
  target,
  rival,
  testid,
  k,
}: {
  size: number;
  readouts: ProbeReadout[];
  label: string;
  target: string;
  rival: string;
  testid: string;
  k: 0 | 1;
}) {
  const pad = 22;
  // At most ~150 dots (every k-th record, the last kept): the path stays readable and cheap to redraw.
  const shown = sampleEvery(readouts, 150);
  const pts = shown.map((r) => r.plane.x);
  const R = Math.max(1e-6, ...pts.map((p) => Math.hypot(p[0], p[1]))) * 1.15;
  const s = scaleLinear()
    .domain([-R, R])
    .range([pad, size - pad]);
  const sy = scaleLinear()
    .domain([-R, R])
    .range([size - pad, pad]);
  const last = readouts[readouts.length - 1];
  const bA = last?.plane.bAngle ?? Math.PI / 2;
  const rings = scaleLinear()
    .domain([0, R / 1.15])
    .nice()
    .ticks(3)
    .filter((v) => v > 0 && v < R);
  const n = Math.max(1, shown.length - 1);
  const DEG = 180 / Math.PI;
  return (
    <figure className="tl-plane">
      <svg
        width={size}
        height={size}
        role="img"
        data-testid={testid}
        data-points={readouts.length}
        data-cos-a={last?.plane.cosA}
        data-norm={last?.plane.norm}
        aria-label={
          last
            ? `${label}: x at the probe over ${readouts.length} recorded steps, in the plane of “${target}” and “${rival}”. At step ${last.step} its length is ${fmt(last.plane.norm, 3)} and its cosine with “${target}” is ${fmt(last.plane.cosA, 3)}.`
            : `${label}: no steps recorded yet.`
        }
      >
        <g className="tl-rings">
          {rings.map((v) => (
            <g key={v}>
              <circle cx={s(0)} cy={sy(0)} r={s(v) - s(0)} />
              <text x={s(0) + (s(v) - s(0)) * Math.SQRT1_2 + 2} y={sy(0) + (s(v) - s(0)) * Math.SQRT1_2 + 10}>
                {fmt(v, 2)}
              </text>
            </g>
          ))}
        </g>
        <line className="tl-ray" x1={s(0)} y1={sy(0)} x2={s(R * 0.95)} y2={sy(0)} stroke="var(--accent-3)" />
        <text
          className="tl-raylabel"
          x={s(R * 0.95)}
          y={sy(0) - 6}
          textAnchor="end"
          style={{ fill: 'color-mix(in srgb, var(--accent-3) 70%, var(--fg))' }}
        >
          {target}
        </text>
        <line
          className="tl-ray"
          x1={s(0)}
          y1={sy(0)}
          x2={s(R * 0.95 * Math.cos(bA))}
          y2={sy(R * 0.95 * Math.sin(bA))}
          stroke="var(--accent-4)"
        />
        <text
          className="tl-raylabel"
          x={s(R * 0.8 * Math.cos(bA))}
          y={sy(R * 0.8 * Math.sin(bA)) - 6}
          textAnchor="middle"
          style={{ fill: 'color-mix(in srgb, var(--accent-4) 70%, var(--fg))' }}
        >
          {rival}
        </text>
        <path className="tl-path" d={pts.map((p, i) => `${i ? 'L' : 'M'}${s(p[0])},${sy(p[1])}`).join('')} stroke={COLOR[k]} />
        {pts.map((p, i) => (
          <circle
            key={i}
            cx={s(p[0])}
            cy={sy(p[1])}
            r={i === pts.length - 1 ? 4.5 : 2.4}
            fill={interpolateViridis(0.1 + (0.85 * i) / n)}
            className={i === pts.length - 1 ? 'tl-last' : undefined}
          />
        ))}
      </svg>
      <figcaption>
        <strong>{k === 0 ? 'A' : 'B'}</strong> {label}
        {last && (
          <>
            : |x| {fmt(last.plane.norm, 3)}, ∠ to <span className="tok">{target}</span>{' '}
            {fmt(Math.acos(Math.max(-1, Math.min(1, last.plane.cosA))) * DEG, 3)}°, {fmt(last.plane.frac * 100, 2)}% of x in this plane
          </>
        )}
      </figcaption>
    </figure>
  );
}
