/**
 * Figure 6c. Logit lens: every (layer, position) cell of the residual stream
 * read through the final LayerNorm and W_U as if the model stopped there. The
 * cell shows its top token, coloured by that token's probability (viridis);
 * hover, focus or click a cell for its top 5. In the last column, cells whose
 * top token is already the model's final answer are outlined, and the first
 * such layer is marked.
 *
 * Container: asks for the lens of the forward result (computed in the worker,
 * only while the figure is rendered), reads the selected cell (URL parameters
 * ll_layer / ll_pos, −1 = the last layer / position) and the tokenizer for the
 * cells' text, and hands plain arrays to LogitLensView.
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { useParams } from '../../state/store';
import { useModelState } from '../../state/model';
import { useLens } from '../../state/lens';
import { EmptyState } from '../../kit/Figure';
import type { ForwardResult, LensResult } from '../../runtime/types';
import type { TokLike } from '../../tokenizer/resolve';
import { selectedCell } from './compute';
import { LogitLensView } from './LogitLensView';

function Grid({ f, lens, busy }: { f: ForwardResult; lens: LensResult['lens']; busy: boolean }) {
  const [state, setState] = useParams(['ll_layer', 'll_pos'] as const);
  const { tokenizer } = useModelState((s) => ({ tokenizer: s.tokenizer }));
  const tok = tokenizer as unknown as TokLike | null;
  const L = f.L;
  const T = f.T;
  const [selL, selT] = selectedCell(state.ll_layer, state.ll_pos, L, T);
  // the display text of each cell's top token, (L+1)·T strings once per lens
  const cellText = useMemo(
    () => Array.from({ length: (L + 1) * T }, (_, i) => (tok ? tok.displayToken(lens.topIds[i * lens.k]) : `#${lens.topIds[i * lens.k]}`)),
    [lens, tok, L, T],
  );
  return (
    <LogitLensView
      ids={f.ids}
      L={L}
      T={T}
      lens={lens}
      cellText={cellText}
      selL={selL}
      selT={selT}
      busy={busy}
      modelKey={f.modelKey}
      onSelect={(l, t) => setState({ ll_layer: l === L ? -1 : l, ll_pos: t === T - 1 ? -1 : t })}
    />
  );
}

function WithLens({ f }: { f: ForwardResult }) {
  const { pair, current, error } = useLens(f);
  if (error && !current) return <EmptyState>The logit lens could not be computed: {error}</EmptyState>;
  if (!pair) return <EmptyState>Reading every layer through the unembedding…</EmptyState>;
  return <Grid f={pair.f} lens={pair.lens} busy={!current} />;
}

export function LogitLens() {
  return <ModelGate>{(f) => f && <WithLens f={f} />}</ModelGate>;
}
