/** Figure 7b as plain props: the longest rows of W_U as bars, each against the median row length (dashed). */
import { TokenText } from '../../kit/TokenText';
import { fmt } from '../../kit/format';
import type { RowLengths } from './compute';
import './size-confidence.css';

/** `norms` is |u_i| for every row [V]; `s` its summary (rowLengthSummary). */
export function LongRowsView({ norms, s }: { norms: Float32Array; s: RowLengths }) {
  const max = s.max || 1;
  return (
    <div className="lr" data-testid="long-rows" data-median={s.median}>
      <ol className="lr-list">
        {s.longest.map((id) => (
          <li key={id} data-token-id={id} data-norm={norms[id]}>
            <TokenText id={id} />
            <span className="lr-bar" aria-hidden="true">
              <span style={{ width: `${(norms[id] / max) * 100}%` }} />
              <span className="lr-median" style={{ left: `${(s.median / max) * 100}%` }} />
            </span>
            <span className="num">{fmt(norms[id], 3)}</span>
            <span className="num p2-muted">×{fmt(norms[id] / s.median, 3)}</span>
          </li>
        ))}
      </ol>
      <p className="p2-note">
        Dashed line: the median row length, {fmt(s.median, 3)}. Rows range from {fmt(s.min, 3)} to {fmt(s.max, 3)}.
      </p>
    </div>
  );
}
