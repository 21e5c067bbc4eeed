/**
 * Figure 0: two vectors in the plane, both draggable (mouse, touch, keyboard);
 * Euclidean distance, dot product and cosine beside their formulas with the
 * live numbers substituted. A length slider stretches b along its direction.
 * Container: reads a and b from the URL state and writes them back;
 * ClosenessView draws.
 */
import { useParams } from '../../state/store';
import { PARAMS } from '../../state/params';
import { measures, stretchAlong, type Vec2 } from './compute';
import { ClosenessView } from './ClosenessView';
import '../../kit/kit.css';
import './closeness.css';

const LIM = PARAMS.cl_ax.max;

export function Closeness() {
  const [state, setState] = useParams(['cl_ax', 'cl_ay', 'cl_bx', 'cl_by'] as const);
  const a: Vec2 = [state.cl_ax, state.cl_ay];
  const b: Vec2 = [state.cl_bx, state.cl_by];
  const setA = (v: Vec2) => setState({ cl_ax: v[0], cl_ay: v[1] });
  const setB = (v: Vec2) => setState({ cl_bx: v[0], cl_by: v[1] });
  return <ClosenessView a={a} b={b} m={measures(a, b)} lim={LIM} onA={setA} onB={setB} onLenB={(L) => setB(stretchAlong(b, L, LIM))} />;
}
