/**
 * Figure 5a: the top tokens' logits at the last position, each split into
 * |u_i| · |x| · cos θ_i (x = final LayerNorm output, u_i = unembedding row).
 * Container: reads the forward result, W_U and its row norms (computed once
 * per model, in chunks), decomposes once per result and hands the rows to
 * LogitDecompositionView.
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { rowNormsChunked } from '../../state/chunked';
import { useDerived, useMatrix } from '../../state/matrices';
import { EmptyState } from '../../kit/Figure';
import { norm } from '../../geometry/vector';
import { lastHidden, lastLogits } from '../../state/forward-readers';
import type { ForwardResult, Matrix } from '../../runtime/types';
import { decompositionRows, vocabExtremes } from './compute';
import { LogitDecompositionView } from './LogitDecompositionView';

const K = 8;

function Decomposition({ f, wu, uNorms }: { f: ForwardResult; wu: Matrix; uNorms: Float32Array }) {
  const x = lastHidden(f);
  const z = lastLogits(f);
  const nx = useMemo(() => norm(x), [x]);
  // O(K·D) for the rows, O(V) for the extremes; once per result
  const rows = useMemo(() => decompositionRows(z, wu.data, wu.cols, uNorms, x, nx, K), [z, wu, uNorms, x, nx]);
  const extremes = useMemo(() => vocabExtremes(z, uNorms, nx), [uNorms, z, nx]);
  return <LogitDecompositionView lastId={f.ids[f.T - 1]} nx={nx} rows={rows} extremes={extremes} />;
}

export function LogitDecomposition() {
  const wu = useMatrix('wu');
  const uNorms = useDerived(wu, 'rowNorms', rowNormsChunked);
  return (
    <ModelGate>
      {(f) =>
        f && wu && uNorms ? <Decomposition f={f} wu={wu} uNorms={uNorms} /> : <EmptyState>Reading the unembedding matrix…</EmptyState>
      }
    </ModelGate>
  );
}
