/**
 * Figure 0 drawn from two plain vectors and their measures: the plane with
 * both arrows, the angle arc and the distance line; draggable, keyboard-
 * operable tips; the three formulas; the length slider for b.
 */
import { useEffect, useMemo, useRef } from 'react';
import { drag, scaleLinear, select } from 'd3';
import { Tex } from '../../kit/Tex';
import { ArrowHead } from '../../kit/ArrowHead';
import { norm } from '../../geometry/vector';
import { arcPath, formulas, keyStep, r2, snapTip, type Measures, type Vec2 } from './compute';

const SIZE = 320;
const TICKS = [-4, -3, -2, -1, 1, 2, 3, 4];

type Name = 'a' | 'b';

function Handle({
  name,
  v,
  set,
  sx,
  sy,
  lim,
}: {
  name: Name;
  v: Vec2;
  set: (v: Vec2) => void;
  sx: (x: number) => number;
  sy: (y: number) => number;
  lim: number;
}) {
  const ref = useRef<SVGCircleElement>(null);
  const setRef = useRef(set);
  setRef.current = set;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const x = scaleLinear().domain([-lim, lim]).range([0, SIZE]);
    const y = scaleLinear().domain([-lim, lim]).range([SIZE, 0]);
    const d = drag<SVGCircleElement, unknown>()
      .container(() => el.ownerSVGElement as SVGSVGElement)
      .on('drag', (ev: { x: number; y: number }) => setRef.current(snapTip(x.invert(ev.x), y.invert(ev.y), lim)));
    select(el).call(d);
    return () => {
      select(el).on('.drag', null);
    };
  }, [lim]);
  const onKey = (e: React.KeyboardEvent) => {
    const next = keyStep(v, e.key, e.shiftKey, lim);
    if (!next) return;
    e.preventDefault();
    set(next);
  };
  const len = norm(v);
  return (
    <circle
      ref={ref}
      className={`cl-handle cl-${name}`}
      cx={sx(v[0])}
      cy={sy(v[1])}
      r={11}
      tabIndex={0}
      role="slider"
      aria-label={`Tip of vector ${name} (arrow keys move it; Shift for bigger steps)`}
      aria-valuemin={0}
      aria-valuemax={lim * Math.SQRT2}
      aria-valuenow={r2(len)}
      aria-valuetext={`${name} = (${v[0].toFixed(2)}, ${v[1].toFixed(2)}), length ${len.toFixed(2)}`}
      onKeyDown={onKey}
      data-testid={`cl-handle-${name}`}
    />
  );
}

function Arrow({ v, sx, sy, cls }: { v: Vec2; sx: (x: number) => number; sy: (y: number) => number; cls: string }) {
  return <line className={`cl-arrow ${cls}`} x1={sx(0)} y1={sy(0)} x2={sx(v[0])} y2={sy(v[1])} markerEnd={`url(#cl-head-${cls})`} />;
}

export interface ClosenessViewProps {
  a: Vec2;
  b: Vec2;
  m: Measures;
  /** The plane spans [−lim, lim] on both axes. */
  lim: number;
  onA: (v: Vec2) => void;
  onB: (v: Vec2) => void;
  /** The slider asks for b at this length, direction kept. */
  onLenB: (length: number) => void;
}

export function ClosenessView({ a, b, m, lim, onA, onB, onLenB }: ClosenessViewProps) {
  const sx = useMemo(() => scaleLinear().domain([-lim, lim]).range([0, SIZE]), [lim]);
  const sy = useMemo(() => scaleLinear().domain([-lim, lim]).range([SIZE, 0]), [lim]);
  const { dist, dot: d, cos: c, na, nb } = m;
  const tex = formulas(a, b, m);
  return (
    <div className="closeness" data-testid="closeness" data-euclid={dist} data-dot={d} data-cos={c} data-na={na} data-nb={nb}>
      <div className="cl-plane">
        <svg viewBox={`-6 -6 ${SIZE + 12} ${SIZE + 12}`} role="group" aria-label="Two vectors a and b in the plane">
          <defs>
            {(['a', 'b'] as const).map((n) => (
              <ArrowHead key={n} id={`cl-head-${n}`} className={`cl-head cl-${n}`} />
            ))}
          </defs>
          {TICKS.map((t) => (
            <g key={t} className="cl-grid">
              <line x1={sx(t)} x2={sx(t)} y1={0} y2={SIZE} />
              <line y1={sy(t)} y2={sy(t)} x1={0} x2={SIZE} />
            </g>
          ))}
          <line className="cl-axis" x1={0} x2={SIZE} y1={sy(0)} y2={sy(0)} />
          <line className="cl-axis" y1={0} y2={SIZE} x1={sx(0)} x2={sx(0)} />
          <line className="cl-dist" x1={sx(a[0])} y1={sy(a[1])} x2={sx(b[0])} y2={sy(b[1])} />
          {na > 0 && nb > 0 && <path className="cl-arc" d={arcPath(a, b, sx(0), sy(0), 34)} />}
          <Arrow v={a} sx={sx} sy={sy} cls="a" />
          <Arrow v={b} sx={sx} sy={sy} cls="b" />
          <text className="cl-name cl-a-text" x={sx(a[0]) + 14} y={sy(a[1]) - 10}>
            a
          </text>
          <text className="cl-name cl-b-text" x={sx(b[0]) + 14} y={sy(b[1]) - 10}>
            b
          </text>
          <Handle name="a" v={a} set={onA} sx={sx} sy={sy} lim={lim} />
          <Handle name="b" v={b} set={onB} sx={sx} sy={sy} lim={lim} />
        </svg>
      </div>
      <div className="cl-side">
        <div className="cl-measure" data-testid="cl-euclid">
          <div className="cl-title">
            <span className="cl-swatch dist" />
            Euclidean distance
          </div>
          <Tex tex={tex.euclid} />
        </div>
        <div className="cl-measure" data-testid="cl-dot">
          <div className="cl-title">Dot product</div>
          <Tex tex={tex.dot} />
        </div>
        <div className="cl-measure" data-testid="cl-cos">
          <div className="cl-title">
            <span className="cl-swatch arc" />
            Cosine similarity
          </div>
          <Tex tex={tex.cos} />
        </div>
        <div className="p1-slider-row">
          <label htmlFor="cl-len-b">Length of b</label>
          <input
            id="cl-len-b"
            type="range"
            min={0.2}
            max={5.6}
            step={0.05}
            value={Math.min(5.6, Math.max(0.2, nb))}
            onChange={(e) => onLenB(Number(e.target.value))}
            data-testid="cl-len-b"
          />
          <output htmlFor="cl-len-b">{nb.toFixed(2)}</output>
        </div>
      </div>
    </div>
  );
}
