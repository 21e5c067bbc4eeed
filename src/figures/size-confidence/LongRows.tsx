/**
 * Figure 7b. The longest rows of the active model's W_U next to the median
 * row length: the tokens that get the biggest boost for pointing the same
 * way. Computed once per model (row norms are O(V·D), memoised per matrix).
 * Container: reads W_U; LongRowsView draws.
 */
import { useMemo } from 'react';
import { rowNorms } from '../../geometry/vector';
import { derived, useMatrix } from '../../state/matrices';
import { rowLengthSummary } from './compute';
import { LongRowsView } from './LongRowsView';

export function LongRows() {
  const wu = useMatrix('wu');
  const s = useMemo(() => {
    if (!wu) return null;
    const norms = derived(wu, 'rowNorms', () => rowNorms(wu.data, wu.rows, wu.cols));
    return { norms, summary: derived(wu, 'rowLengthSummary', () => rowLengthSummary(norms)) };
  }, [wu]);
  if (!s) return <p className="p2-muted">Reading the unembedding matrix…</p>;
  return <LongRowsView norms={s.norms} s={s.summary} />;
}
