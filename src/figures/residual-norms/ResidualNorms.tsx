/**
 * Figure 4b: the norm of the residual stream after each block for the
 * reader's prompt, one line per position; hover (or use the slider) to pick
 * a position and see its token. Container: reads the forward result and the
 * shown position (URL parameter rn_pos, −1 = the last), reads the norms
 * (computed once per result) and hands them to ResidualNormsView.
 */
import { ModelGate } from '../../kit/ModelGate';
import { useParams } from '../../state/store';
import type { ForwardResult } from '../../runtime/types';
import { useFigureData } from '../../kit/export';
import { residualNorms } from '../../state/forward-readers';
import { shownPosition } from './compute';
import { ResidualNormsView } from './ResidualNormsView';

function Norms({ f }: { f: ForwardResult }) {
  const [state, setState] = useParams(['rn_pos'] as const);
  // [L+1][T] lengths, O((L+1)·T·D) once per forward result (cached with it)
  const norms = residualNorms(f);
  const T = f.T;
  const pos = shownPosition(state.rn_pos, T);
  useFigureData(({ tokenText }) => ({
    columns: [
      { key: 'layer', label: 'layer (0 = entering block 0)' },
      { key: 'position' },
      { key: 'token', label: 'token text' },
      { key: 'norm', unit: 'L2 norm of the residual vector' },
    ],
    rows: norms.flatMap((r, l) => Array.from(r, (v, t) => ({ layer: l, position: t, token: tokenText(f.ids[t]), norm: v }))),
    params: { highlighted_position: pos },
  }));
  return <ResidualNormsView norms={norms} ids={f.ids} pos={pos} onPos={(t) => setState({ rn_pos: t === T - 1 ? -1 : t })} />;
}

export function ResidualNorms() {
  return <ModelGate>{(f) => f && <Norms f={f} />}</ModelGate>;
}
