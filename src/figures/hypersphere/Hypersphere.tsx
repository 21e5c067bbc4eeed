/**
 * Figure 6b (and the centring pair of chapter 10). The plane spanned by two
 * token directions u_a, u_b of W_U; the last position's vector after every
 * block projected onto it as a trajectory; circles of equal (in-plane) length;
 * the two tokens as rays. The picture is rotated so the two rays sit
 * symmetrically about the vertical (a rotation changes no angle or length).
 * A new prompt animates the trajectory to its new place (d3 timer + easing;
 * skipped under prefers-reduced-motion).
 */
import { useMemo } from 'react';
import { useFigureData } from '../../kit/export';
import { scaleLinear, interpolateViridis } from 'd3';
import { ModelGate } from '../../kit/ModelGate';
import { useParams } from '../../state/store';
import { useModelState } from '../../state/model';
import type { ForwardResult, Matrix } from '../../runtime/types';
import { meanRow } from '../../geometry/centring';
import { derived, useMatrix } from '../../state/matrices';
import { resolveToken, type TokLike } from '../../tokenizer/resolve';
import { useTween, useWidth } from '../../kit/hooks';
import { TokenField } from '../../kit/TokenField';
import { trajectory, type Trajectory } from './compute';
import { fmt } from '../../kit/format';
import '../../kit/kit.css';
import './hypersphere.css';

const DEG = 180 / Math.PI;
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

/** Rotate (and mirror) the plane so the rays of a and b sit symmetrically about the vertical, a on the left. */
function orient(t: Trajectory) {
  const beta = Math.atan2(t.b2[1], t.b2[0]); // angle of b; a is at 0
  const rho = Math.PI / 2 - beta / 2;
  const c = Math.cos(rho);
  const s = Math.sin(rho);
  return (p: readonly [number, number]): [number, number] => [-(c * p[0] - s * p[1]), s * p[0] + c * p[1]];
}

interface Props {
  f: ForwardResult;
  wu: Matrix;
  gain: Matrix;
  bias: Matrix;
  ida: number;
  idb: number;
  centre: boolean;
  raw: boolean;
  compact: boolean;
  testid: string;
}

function Plot({ f, wu, gain, bias, ida, idb, centre, raw, compact, testid }: Props) {
  const { info, tokenizer } = useModelState((s) => ({ info: s.info, tokenizer: s.tokenizer }));
  const tok = tokenizer as unknown as TokLike | null;
  const eps = info?.config.eps ?? 1e-5;
  const norm = info?.config.norm ?? 'layernorm';
  const [ref, width] = useWidth<HTMLDivElement>(compact ? 320 : 560);
  const traj = useMemo(() => {
    const mean = centre ? derived(wu, 'meanRow', () => meanRow(wu.data, wu.rows, wu.cols)) : null;
    const D = wu.cols;
    return trajectory({
      residuals: f.residuals,
      L: f.L,
      T: f.T,
      D,
      ua: wu.data.subarray(ida * D, (ida + 1) * D),
      ub: wu.data.subarray(idb * D, (idb + 1) * D),
      mean,
      raw,
      gain: gain.data,
      bias: bias.data,
      eps,
      norm,
    });
  }, [f, wu, gain, bias, ida, idb, centre, raw, eps, norm]);

  const deg = (r: number) => (r * 180) / Math.PI;
  useFigureData(({ tokenText }) => ({
    columns: [
      { key: 'layer', label: 'layer (0 = embedding, l = after block l)' },
      { key: 'x', label: 'plane x', unit: 'same units as the vector' },
      { key: 'y', label: 'plane y', unit: 'same units as the vector' },
      { key: 'norm', unit: 'L2 norm in all dimensions' },
      { key: 'in_plane', label: 'share of the length in the plane', unit: 'fraction of 1' },
      { key: 'angle_a', label: 'angle to token a', unit: 'degrees, all dimensions' },
      { key: 'angle_b', label: 'angle to token b', unit: 'degrees, all dimensions' },
      { key: 'score_a', label: `${raw ? 'dot product' : 'logit'} of a` },
      { key: 'score_b', label: `${raw ? 'dot product' : 'logit'} of b` },
    ],
    rows: traj.points.map((q) => ({
      layer: q.layer,
      x: q.p[0],
      y: q.p[1],
      norm: q.norm,
      in_plane: q.frac,
      angle_a: deg(q.trueA),
      angle_b: deg(q.trueB),
      score_a: q.dotA,
      score_b: q.dotB,
    })),
    params: {
      token_a: tokenText(ida),
      token_b: tokenText(idb),
      centred: centre,
      raw_residual: raw,
      position: 'last prompt token',
      angle_between_a_and_b_degrees: deg(traj.abAngle),
    },
  }));
  const rot = orient(traj);
  const pts = traj.points.map((q) => rot(q.p));
  const ra = rot(traj.a2);
  const rb = rot(traj.b2);
  const unit = (v: [number, number]) => {
    const n = Math.hypot(v[0], v[1]) || 1;
    return [v[0] / n, v[1] / n];
  };
  const R0 = Math.max(1e-6, ...pts.map((p) => Math.hypot(p[0], p[1]))) * 1.12;
  // Everything that moves, in one array, so a new prompt or new tokens glide into place.
  const target = [R0, ...unit(ra), ...unit(rb), ...pts.flat()];
  const shown = useTween(target);
  const R = shown[0];
  const ua = [shown[1], shown[2]];
  const ub = [shown[3], shown[4]];
  const sp = pts.map((_, i) => [shown[5 + 2 * i], shown[6 + 2 * i]] as [number, number]);

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
  const L = f.L;
  const labelA = tok ? tok.displayToken(ida) : `#${ida}`;
  const labelB = tok ? tok.displayToken(idb) : `#${idb}`;
  const rayEnd = (u: number[]) => [sx(u[0] * R * 0.97), sy(u[1] * R * 0.97)];
  const [axA, ayA] = rayEnd(ua);
  const [axB, ayB] = rayEnd(ub);
  const lastP = sp[sp.length - 1];
  const lastAng = Math.atan2(lastP[1], lastP[0]);
  const arc = (from: number, to: number, r: number) => {
    // Short arc between two angles, in screen coordinates (y flipped).
    let d = to - from;
    while (d > Math.PI) d -= 2 * Math.PI;
    while (d < -Math.PI) d += 2 * Math.PI;
    const x0 = sx(r * Math.cos(from)),
      y0 = sy(r * Math.sin(from));
    const x1 = sx(r * Math.cos(from + d)),
      y1 = sy(r * Math.sin(from + d));
    const sweep = d > 0 ? 0 : 1;
    return `M${x0},${y0} A${rpx(r)},${rpx(r)} 0 0 ${sweep} ${x1},${y1}`;
  };
  const closer = last.angA < last.angB ? 'a' : last.angA > last.angB ? 'b' : 'tie';
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
        data-closer={closer}
      >
        <defs>
          <marker
            id={`${testid}-arrow-a`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" fill={COLOR_A} />
          </marker>
          <marker
            id={`${testid}-arrow-b`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" fill={COLOR_B} />
          </marker>
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

/** The token pickers and toggles (shared URL state), plus the plot. `centreFixed` pins the centring (chapter 10's pair). */
export function Hypersphere({
  compact = false,
  centreFixed,
  testid = 'hypersphere',
  controls = true,
}: {
  compact?: boolean;
  centreFixed?: boolean;
  testid?: string;
  controls?: boolean;
}) {
  const [state, setState] = useParams(['hs_a', 'hs_b', 'hs_centre', 'hs_raw'] as const);
  const { tokenizer, info } = useModelState((s) => ({ tokenizer: s.tokenizer, info: s.info }));
  const wu = useMatrix('wu');
  const gain = useMatrix('ln_f.weight');
  const bias = useMatrix('ln_f.bias');
  const vocab = info?.config.vocabSize ?? 0;
  const tok = tokenizer as unknown as TokLike | null;
  const ra = useMemo(() => resolveToken(tok, state.hs_a, vocab), [tok, state.hs_a, vocab]);
  const rb = useMemo(() => resolveToken(tok, state.hs_b, vocab), [tok, state.hs_b, vocab]);
  const centre = centreFixed ?? state.hs_centre;
  return (
    <ModelGate>
      {(f) =>
        f && (
          <>
            {controls && (
              <div className="controls hs-controls">
                <TokenField
                  label="Token a"
                  value={state.hs_a}
                  onChange={(v) => setState({ hs_a: v })}
                  resolved={ra}
                  testid="hs-a"
                  swatch={COLOR_A}
                />
                <TokenField
                  label="Token b"
                  value={state.hs_b}
                  onChange={(v) => setState({ hs_b: v })}
                  resolved={rb}
                  testid="hs-b"
                  swatch={COLOR_B}
                />
                {centreFixed === undefined && (
                  <label>
                    <input
                      type="checkbox"
                      checked={state.hs_centre}
                      onChange={(e) => setState({ hs_centre: e.target.checked })}
                      data-testid="hs-centre"
                    />
                    <span>
                      Centre: subtract the mean row of W<sub>U</sub>
                    </span>
                  </label>
                )}
                <label>
                  <input
                    type="checkbox"
                    checked={state.hs_raw}
                    onChange={(e) => setState({ hs_raw: e.target.checked })}
                    data-testid="hs-raw"
                  />
                  <span>Raw residual stream (skip the final LayerNorm)</span>
                </label>
              </div>
            )}
            {!wu || !gain || !bias ? (
              <p className="p2-muted">Reading the weights…</p>
            ) : ra.id === null || rb.id === null ? (
              <p className="p2-muted">Pick two tokens to span the plane.</p>
            ) : (
              <Plot
                f={f}
                wu={wu}
                gain={gain}
                bias={bias}
                ida={ra.id}
                idb={rb.id}
                centre={centre}
                raw={state.hs_raw}
                compact={compact}
                testid={testid}
              />
            )}
          </>
        )
      }
    </ModelGate>
  );
}
