/** The next-token list as bars: one row per token, its bar scaled to the most likely one. */
import { TokenText } from '../../kit/TokenText';
import { pct } from '../../kit/format';
import { Bar } from '../../kit/Distribution';
import type { NextTokenRow } from './compute';

export function NextTokenView({ rows }: { rows: NextTokenRow[] }) {
  const max = rows[0]?.p || 1;
  return (
    <ol className="next-token" aria-label="Most likely next tokens" data-testid="next-token">
      {rows.map((r) => (
        <li key={r.id} data-token-id={r.id} data-p={r.p}>
          <TokenText id={r.id} />
          <Bar f={r.p / max} />
          <span className="num">{pct(r.p)}</span>
        </li>
      ))}
    </ol>
  );
}
