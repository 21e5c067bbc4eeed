/**
 * Figure 6b drawn from a computed trajectory: the plane of two token
 * directions with circles of equal length, the two rays, angle arcs, the
 * last position's path across the layers (animated to a new place by a
 * tween), a readout and a per-layer table. Also the figure's controls
 * (token boxes and toggles), from plain values and callbacks.
 */
import { scaleLinear, interpolateViridis } from 'd3';
import { useTween, useWidth } from '../../kit/hooks';
import { ArrowHead } from '../../kit/ArrowHead';
import { TokenField } from '../../kit/TokenField';
import { fmt } from '../../kit/format';
import type { ResolvedToken } from '../../tokenizer/resolve';
import { DEG, closer, fromTween, planeLayout, shortTurn, tweenTarget, type Trajectory } from './compute';

const COLOR_A = 'var(--accent-2)';
const COLOR_B = 'var(--accent)';
// Text in the token colours, darkened (light theme) or lightened (dark theme) towards the text colour for contrast.
const TEXT_A = 'color-mix(in srgb, var(--accent-2) 72%, var(--fg))';
const TEXT_B = 'color-mix(in srgb, var(--accent) 72%, var(--fg))';

function layerName(l: number, L: number): string {
  return l === 0 ? 'embedding' : l === L ? `block ${l} (last)` : `block ${l}`;
}
function layerShort(l: number): string {
  return l === 0 ? 'E' : String(l);
}
function layerColor(l: number, L: number): string {
  return interpolateViridis(0.12 + 0.8 * (L === 0 ? 1 : l / L));
}

export interface HypersphereControlsProps {
  a: string;
  b: string;
  onA: (v: string) => void;
  onB: (v: string) => void;
  ra: ResolvedToken;
  rb: ResolvedToken;
  /** Show the centring checkbox (false where the figure pins the centring). */
  centreToggle: boolean;
  centre: boolean;
  onCentre: (v: boolean) => void;
  raw: boolean;
  onRaw: (v: boolean) => void;
}

export function HypersphereControls({ a, b, onA, onB, ra, rb, centreToggle, centre, onCentre, raw, onRaw }: HypersphereControlsProps) {
  return (
    <div className="controls hs-controls">
      <TokenField label="Token a" value={a} onChange={onA} resolved={ra} testid="hs-a" swatch={COLOR_A} />
      <TokenField label="Token b" value={b} onChange={onB} resolved={rb} testid="hs-b" swatch={COLOR_B} />
      {centreToggle && (
        <label>
          <input type="checkbox" checked={centre} onChange={(e) => onCentre(e.target.checked)} data-testid="hs-centre" />
          <span>
            Centre: subtract the mean row of W<sub>U</sub>
          </span>
        </label>
      )}
      <label>
        <input type="checkbox" checked={raw} onChange={(e) => onRaw(e.target.checked)} data-testid="hs-raw" />
        <span>Raw residual stream (skip the final LayerNorm)</span>
      </label>
    </div>
  );
}

export interface HypersphereViewProps {
  /** L+1 points: the embedding and the output of each of the L blocks. */
  traj: Trajectory;
  /** The two tokens as shown (visible spaces). */
  labelA: string;
  labelB: string;
  centre: boolean;
  raw: boolean;
  compact: boolean;
  testid: string;
  /** Changes with the prompt and the model: the plot jumps there (typing never leaves it mid-glide). */
  jumpKey?: string;
}

export function HypersphereView({ traj, labelA, labelB, centre, raw, compact, testid, jumpKey = '' }: HypersphereViewProps) {
  const [ref, width] = useWidth<HTMLDivElement>(compact ? 320 : 560);
  const L = traj.points.length - 1;
  const layout = planeLayout(traj);
  const { pts, R0 } = layout;
  // Everything that moves glides into place when the reader picks other tokens or toggles centring;
  // a new prompt jumps (a glide restarted on every keystroke would never come to rest while typing).
  const shown = useTween(tweenTarget(layout), 750, jumpKey);
  const { R, ua, ub, pts: sp } = fromTween(shown, pts.length);

  const size = Math.min(width, compact ? 360 : 560);
  const pad = compact ? 26 : 34;
  const sx = scaleLinear()
    .domain([-R, R])
    .range([pad, size - pad]);
  const sy = scaleLinear()
    .domain([-R, R])
    .range([size - pad, pad]);
  const rpx = (r: number) => sx(r) - sx(0);
  const rings = scaleLinear()
    .domain([0, R0 / 1.12])
    .nice()
    .ticks(compact ? 3 : 4)
    .filter((v) => v > 0 && v <= R);

  const last = traj.points[traj.points.length - 1];
  const rayEnd = (u: number[]) => [sx(u[0] * R * 0.97), sy(u[1] * R * 0.97)];
  const [axA, ayA] = rayEnd(ua);
  const [axB, ayB] = rayEnd(ub);
  const lastP = sp[sp.length - 1];
  const lastAng = Math.atan2(lastP[1], lastP[0]);
  const arc = (from: number, to: number, r: number) => {
    // Short arc between two angles, in screen coordinates (y flipped).
    const d = shortTurn(from, to);
    const x0 = sx(r * Math.cos(from)),
      y0 = sy(r * Math.sin(from));
    const x1 = sx(r * Math.cos(from + d)),
      y1 = sy(r * Math.sin(from + d));
    const sweep = d > 0 ? 0 : 1;
    return `M${x0},${y0} A${rpx(r)},${rpx(r)} 0 0 ${sweep} ${x1},${y1}`;
  };
  const scoreWord = raw ? 'dot product' : 'logit';

  return (
    <div ref={ref} className={compact ? 'hs compact' : 'hs'}>
      <svg
        width={size}
        height={size}
        viewBox={`0 0 ${size} ${size}`}
        role="img"
        aria-label={`Trajectory of the last position across ${L + 1} layers in the plane of ${labelA} and ${labelB}; after the last block it is ${fmt(last.angA * DEG, 3)}° from the first token and ${fmt(last.angB * DEG, 3)}° from the second.`}
        data-testid={testid}
        data-angle-a={last.angA * DEG}
        data-angle-b={last.angB * DEG}
        data-true-angle-a={last.trueA * DEG}
        data-true-angle-b={last.trueB * DEG}
        data-dot-a={last.dotA}
        data-dot-b={last.dotB}
        data-ab-angle={traj.abAngle * DEG}
        data-centre={centre ? 1 : 0}
        data-raw={raw ? 1 : 0}
        data-last-x={pts[pts.length - 1][0]}
        data-last-y={pts[pts.length - 1][1]}
        data-closer={closer(last)}
      >
        <defs>
          <ArrowHead id={`${testid}-arrow-a`} fill={COLOR_A} />
          <ArrowHead id={`${testid}-arrow-b`} fill={COLOR_B} />
        </defs>
        {/* circles of equal length within the plane */}
        <g className="hs-rings">
          {rings.map((v) => (
            <g key={v}>
              <circle cx={sx(0)} cy={sy(0)} r={rpx(v)} />
              <text x={sx(0) + rpx(v) * Math.SQRT1_2 + 3} y={sy(0) + rpx(v) * Math.SQRT1_2 + 11}>
                {fmt(v, 2)}
              </text>
            </g>
          ))}
          <line x1={sx(-R)} x2={sx(R)} y1={sy(0)} y2={sy(0)} />
          <line x1={sx(0)} x2={sx(0)} y1={sy(-R)} y2={sy(R)} />
        </g>
        {/* the two token directions */}
        <line className="hs-ray" x1={sx(0)} y1={sy(0)} x2={axA} y2={ayA} stroke={COLOR_A} markerEnd={`url(#${testid}-arrow-a)`} />
        <line className="hs-ray" x1={sx(0)} y1={sy(0)} x2={axB} y2={ayB} stroke={COLOR_B} markerEnd={`url(#${testid}-arrow-b)`} />
        <text className="hs-raylabel" x={axA} y={ayA - 8} textAnchor={ua[0] < 0 ? 'start' : 'end'} style={{ fill: TEXT_A }}>
          {labelA}
        </text>
        <text className="hs-raylabel" x={axB} y={ayB - 8} textAnchor={ub[0] < 0 ? 'start' : 'end'} style={{ fill: TEXT_B }}>
          {labelB}
        </text>
        {/* angle arcs from the final point to each ray */}
        <path className="hs-arc" d={arc(lastAng, Math.atan2(ua[1], ua[0]), R * 0.16)} stroke={COLOR_A} />
        <path className="hs-arc" d={arc(lastAng, Math.atan2(ub[1], ub[0]), R * 0.22)} stroke={COLOR_B} />
        {/* the trajectory */}
        <path className="hs-path" d={sp.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0])},${sy(p[1])}`).join('')} />
        {sp.map((p, i) => (
          <g key={i} className={i === L ? 'hs-pt hs-last' : 'hs-pt'} data-layer={i} data-x={pts[i][0]} data-y={pts[i][1]}>
            <circle cx={sx(p[0])} cy={sy(p[1])} r={i === L ? 7 : 5} fill={layerColor(i, L)}>
              <title>{`${layerName(i, L)}: length ${fmt(traj.points[i].norm, 3)}, ${fmt(traj.points[i].angA * DEG, 3)}° from ${labelA}, ${fmt(traj.points[i].angB * DEG, 3)}° from ${labelB}`}</title>
            </circle>
            <text x={sx(p[0]) + 8} y={sy(p[1]) - 7} className="hs-ptlabel">
              {layerShort(i)}
            </text>
          </g>
        ))}
      </svg>
      <p className="hs-readout" data-testid={`${testid}-readout`}>
        After the last block the vector is <strong style={{ color: TEXT_A }}>{fmt(last.angA * DEG, 3)}°</strong> from{' '}
        <span className="tok">{labelA}</span> and <strong style={{ color: TEXT_B }}>{fmt(last.angB * DEG, 3)}°</strong> from{' '}
        <span className="tok">{labelB}</span> in this plane; {raw ? 'v·u' : 'logit'}(<span className="tok">{labelA}</span>) −{' '}
        {raw ? 'v·u' : 'logit'}(<span className="tok">{labelB}</span>) = <strong>{fmt(last.dotA - last.dotB, 3)}</strong>. The rays are{' '}
        {fmt(traj.abAngle * DEG, 3)}° apart
        {centre ? ' after centring' : ''}.
        {traj.noDirection
          ? ' One of the two token rows is zero here, so it has no direction and the plane is not well defined.'
          : traj.degenerate && ' The two tokens point the same way, so the plane is not well defined.'}
      </p>
      {!compact && (
        <div className="hs-tablewrap">
          <table className="hs-table" data-testid={`${testid}-table`}>
            <caption className="visually-hidden">Per layer: length, share of the vector in the plane, angles and {scoreWord}s</caption>
            <thead>
              <tr>
                <th scope="col">after</th>
                <th scope="col">length |v|</th>
                <th scope="col">in plane</th>
                <th scope="col" style={{ color: TEXT_A }}>
                  ∠ {labelA}
                </th>
                <th scope="col" style={{ color: TEXT_B }}>
                  ∠ {labelB}
                </th>
                <th scope="col">{scoreWord} a − b</th>
              </tr>
            </thead>
            <tbody>
              {traj.points.map((q) => (
                <tr key={q.layer}>
                  <th scope="row">
                    <span className="p2-swatch" style={{ background: layerColor(q.layer, L) }} aria-hidden="true" /> {layerName(q.layer, L)}
                  </th>
                  <td className="num">{fmt(q.norm, 3)}</td>
                  <td className="num">{fmt(q.frac * 100, 2)}%</td>
                  <td className="num">{fmt(q.angA * DEG, 3)}°</td>
                  <td className="num">{fmt(q.angB * DEG, 3)}°</td>
                  <td className="num">{fmt(q.dotA - q.dotB, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
