/**
 * Figure 7b. The longest rows of the active model's W_U next to the median
 * row length: the tokens that get the biggest boost for pointing the same
 * way. Computed once per model (row norms are O(V·D), memoised per matrix).
 */
import { useMemo } from 'react';
import { rowNorms } from '../../geometry/vector';
import { topK } from '../../geometry/softmax';
import { derived, useMatrix } from '../../state/matrices';
import { TokenText } from '../../kit/TokenText';
import { fmt } from '../../kit/format';
import './size-confidence.css';

export function rowLengthSummary(norms: Float32Array) {
  const sorted = Float32Array.from(norms).sort();
  const median = sorted[Math.floor(sorted.length / 2)];
  return { median, longest: topK(norms, 6), min: sorted[0], max: sorted[sorted.length - 1] };
}

export function LongRows() {
  const wu = useMatrix('wu');
  const s = useMemo(() => {
    if (!wu) return null;
    const norms = derived(wu, 'rowNorms', () => rowNorms(wu.data, wu.rows, wu.cols));
    return { norms, ...derived(wu, 'rowLengthSummary', () => rowLengthSummary(norms)) };
  }, [wu]);
  if (!s) return <p className="p2-muted">Reading the unembedding matrix…</p>;
  const max = s.max || 1;
  return (
    <div className="lr" data-testid="long-rows" data-median={s.median}>
      <ol className="lr-list">
        {s.longest.map((id) => (
          <li key={id} data-token-id={id} data-norm={s.norms[id]}>
            <TokenText id={id} />
            <span className="lr-bar" aria-hidden="true">
              <span style={{ width: `${(s.norms[id] / max) * 100}%` }} />
              <span className="lr-median" style={{ left: `${(s.median / max) * 100}%` }} />
            </span>
            <span className="num">{fmt(s.norms[id], 3)}</span>
            <span className="num p2-muted">×{fmt(s.norms[id] / s.median, 3)}</span>
          </li>
        ))}
      </ol>
      <p className="p2-note">
        Dashed line: the median row length, {fmt(s.median, 3)}. Rows range from {fmt(s.min, 3)} to {fmt(s.max, 3)}.
      </p>
    </div>
  );
}
