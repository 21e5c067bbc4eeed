/**
 * Figure 0: two vectors in the plane, both draggable (mouse, touch, keyboard);
 * Euclidean distance, dot product and cosine beside their formulas with the
 * live numbers substituted. A length slider stretches b along its direction.
 */
import { useEffect, useMemo, useRef } from 'react';
import { drag, scaleLinear, select } from 'd3';
import { Tex } from '../../kit/Tex';
import { useParams } from '../../state/store';
import { PARAMS } from '../../state/params';
import { cosine, dot, euclidean, norm } from '../../geometry/vector';
import '../../kit/kit.css';
import './closeness.css';

const SIZE = 320;
const LIM = PARAMS.cl_ax.max;
const r2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number) => Math.max(-LIM, Math.min(LIM, x));
/** Numbers as TeX (minus sign, 2 decimals). */
const t2 = (x: number) => (Math.abs(x) < 0.005 ? '0.00' : x.toFixed(2));
const tp = (x: number) => (x < 0 ? `(${t2(x)})` : t2(x));

type Name = 'a' | 'b';

function Handle({
  name,
  v,
  set,
  sx,
  sy,
}: {
  name: Name;
  v: [number, number];
  set: (v: [number, number]) => void;
  sx: (x: number) => number;
  sy: (y: number) => number;
}) {
  const ref = useRef<SVGCircleElement>(null);
  const setRef = useRef(set);
  setRef.current = set;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const x = scaleLinear().domain([-LIM, LIM]).range([0, SIZE]);
    const y = scaleLinear().domain([-LIM, LIM]).range([SIZE, 0]);
    const d = drag<SVGCircleElement, unknown>()
      .container(() => el.ownerSVGElement as SVGSVGElement)
      .on('drag', (ev: { x: number; y: number }) => setRef.current([r2(clamp(x.invert(ev.x))), r2(clamp(y.invert(ev.y)))]));
    select(el).call(d);
    return () => {
      select(el).on('.drag', null);
    };
  }, []);
  const onKey = (e: React.KeyboardEvent) => {
    const step = e.shiftKey ? 0.5 : 0.1;
    let [x, y] = v;
    if (e.key === 'ArrowRight') x += step;
    else if (e.key === 'ArrowLeft') x -= step;
    else if (e.key === 'ArrowUp') y += step;
    else if (e.key === 'ArrowDown') y -= step;
    else return;
    e.preventDefault();
    set([r2(clamp(x)), r2(clamp(y))]);
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
      aria-valuemax={LIM * Math.SQRT2}
      aria-valuenow={r2(len)}
      aria-valuetext={`${name} = (${v[0].toFixed(2)}, ${v[1].toFixed(2)}), length ${len.toFixed(2)}`}
      onKeyDown={onKey}
      data-testid={`cl-handle-${name}`}
    />
  );
}

function Arrow({ v, sx, sy, cls }: { v: [number, number]; sx: (x: number) => number; sy: (y: number) => number; cls: string }) {
  return <line className={`cl-arrow ${cls}`} x1={sx(0)} y1={sy(0)} x2={sx(v[0])} y2={sy(v[1])} markerEnd={`url(#cl-head-${cls})`} />;
}

export function Closeness() {
  const [state, setState] = useParams(['cl_ax', 'cl_ay', 'cl_bx', 'cl_by'] as const);
  const a: [number, number] = [state.cl_ax, state.cl_ay];
  const b: [number, number] = [state.cl_bx, state.cl_by];
  const sx = useMemo(() => scaleLinear().domain([-LIM, LIM]).range([0, SIZE]), []);
  const sy = useMemo(() => scaleLinear().domain([-LIM, LIM]).range([SIZE, 0]), []);
  const dist = euclidean(a, b);
  const d = dot(a, b);
  const c = cosine(a, b);
  const na = norm(a);
  const nb = norm(b);
  const setA = (v: [number, number]) => setState({ cl_ax: v[0], cl_ay: v[1] });
  const setB = (v: [number, number]) => setState({ cl_bx: v[0], cl_by: v[1] });
  // Stretch b along its own direction to length L (direction kept even through tiny lengths).
  const stretchB = (L: number) => {
    const n = nb || 1;
    const ux = nb ? b[0] / n : 1;
    const uy = nb ? b[1] / n : 0;
    let k = L;
    const m = Math.max(Math.abs(ux), Math.abs(uy));
    if (m * k > LIM) k = LIM / m;
    setB([Math.round(ux * k * 1000) / 1000, Math.round(uy * k * 1000) / 1000]);
  };
  const angA = Math.atan2(a[1], a[0]);
  const angB = Math.atan2(b[1], b[0]);
  let dAng = angB - angA;
  while (dAng > Math.PI) dAng -= 2 * Math.PI;
  while (dAng < -Math.PI) dAng += 2 * Math.PI;
  const arcR = 34;
  const arcPath = (() => {
    const x0 = sx(0) + arcR * Math.cos(angA);
    const y0 = sy(0) - arcR * Math.sin(angA);
    const x1 = sx(0) + arcR * Math.cos(angA + dAng);
    const y1 = sy(0) - arcR * Math.sin(angA + dAng);
    return `M${x0},${y0} A${arcR},${arcR} 0 0 ${dAng > 0 ? 0 : 1} ${x1},${y1}`;
  })();
  const ticks = [-4, -3, -2, -1, 1, 2, 3, 4];
  return (
    <div className="closeness" data-testid="closeness" data-euclid={dist} data-dot={d} data-cos={c} data-na={na} data-nb={nb}>
      <div className="cl-plane">
        <svg viewBox={`-6 -6 ${SIZE + 12} ${SIZE + 12}`} role="group" aria-label="Two vectors a and b in the plane">
          <defs>
            {(['a', 'b'] as const).map((n) => (
              <marker
                key={n}
                id={`cl-head-${n}`}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" className={`cl-head cl-${n}`} />
              </marker>
            ))}
          </defs>
          {ticks.map((t) => (
            <g key={t} className="cl-grid">
              <line x1={sx(t)} x2={sx(t)} y1={0} y2={SIZE} />
              <line y1={sy(t)} y2={sy(t)} x1={0} x2={SIZE} />
            </g>
          ))}
          <line className="cl-axis" x1={0} x2={SIZE} y1={sy(0)} y2={sy(0)} />
          <line className="cl-axis" y1={0} y2={SIZE} x1={sx(0)} x2={sx(0)} />
          <line className="cl-dist" x1={sx(a[0])} y1={sy(a[1])} x2={sx(b[0])} y2={sy(b[1])} />
          {na > 0 && nb > 0 && <path className="cl-arc" d={arcPath} />}
          <Arrow v={a} sx={sx} sy={sy} cls="a" />
          <Arrow v={b} sx={sx} sy={sy} cls="b" />
          <text className="cl-name cl-a-text" x={sx(a[0]) + 14} y={sy(a[1]) - 10}>
            a
          </text>
          <text className="cl-name cl-b-text" x={sx(b[0]) + 14} y={sy(b[1]) - 10}>
            b
          </text>
          <Handle name="a" v={a} set={setA} sx={sx} sy={sy} />
          <Handle name="b" v={b} set={setB} sx={sx} sy={sy} />
        </svg>
      </div>
      <div className="cl-side">
        <div className="cl-measure" data-testid="cl-euclid">
          <div className="cl-title">
            <span className="cl-swatch dist" />
            Euclidean distance
          </div>
          <Tex tex={`\\lVert a-b\\rVert=\\sqrt{(${t2(a[0])}-${tp(b[0])})^2+(${t2(a[1])}-${tp(b[1])})^2}=\\mathbf{${t2(dist)}}`} />
        </div>
        <div className="cl-measure" data-testid="cl-dot">
          <div className="cl-title">Dot product</div>
          <Tex tex={`a\\cdot b=${t2(a[0])}\\cdot${tp(b[0])}+${t2(a[1])}\\cdot${tp(b[1])}=\\mathbf{${t2(d)}}`} />
        </div>
        <div className="cl-measure" data-testid="cl-cos">
          <div className="cl-title">
            <span className="cl-swatch arc" />
            Cosine similarity
          </div>
          <Tex
            tex={`\\cos\\theta=\\frac{a\\cdot b}{\\lVert a\\rVert\\,\\lVert b\\rVert}=\\frac{${t2(d)}}{${t2(na)}\\cdot${t2(nb)}}=\\mathbf{${t2(c)}}`}
          />
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
            onChange={(e) => stretchB(Number(e.target.value))}
            data-testid="cl-len-b"
          />
          <output htmlFor="cl-len-b">{nb.toFixed(2)}</output>
        </div>
      </div>
    </div>
  );
}
