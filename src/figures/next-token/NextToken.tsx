/**
 * The model's next-token distribution for the shared prompt: the top tokens
 * after the last position, at the shared temperature.
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { TokenText } from '../../kit/TokenText';
import { softmax, topK } from '../../geometry/softmax';
import { useParams } from '../../state/store';
import type { ForwardResult } from '../../runtime/types';
import { pct } from '../../kit/format';

function Bars({ f, temperature, k }: { f: ForwardResult; temperature: number; k: number }) {
  const rows = useMemo(() => {
    const last = f.logits.subarray((f.logitsRows - 1) * f.V, f.logitsRows * f.V);
    const p = softmax(last, temperature);
    return topK(p, k).map((i) => ({ id: i, p: p[i] }));
  }, [f, temperature, k]);
  const max = rows[0]?.p || 1;
  return (
    <ol className="next-token" aria-label="Most likely next tokens" data-testid="next-token">
      {rows.map((r) => (
        <li key={r.id} data-token-id={r.id} data-p={r.p}>
          <TokenText id={r.id} />
          <span className="bar" style={{ width: `${(r.p / max) * 100}%` }} aria-hidden="true" />
          <span className="num">{pct(r.p)}</span>
        </li>
      ))}
    </ol>
  );
}

export function NextToken({ k = 8 }: { k?: number }) {
  const [state] = useParams(['temp'] as const);
  return <ModelGate>{(f) => f && <Bars f={f} temperature={state.temp} k={k} />}</ModelGate>;
}
