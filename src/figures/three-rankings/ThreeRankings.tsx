/**
 * Figure 6a. For the final hidden state x (the final LayerNorm output at the
 * last position), three rankings of the whole vocabulary: smallest Euclidean
 * distance |x − u_i|, largest dot product x · u_i (the logits the model
 * actually uses) and largest cosine. The model's prediction is marked in each.
 * Everything is O(V) from the logits and the row norms |u_i| (once per model).
 */
import { useMemo } from 'react';
import { ModelGate } from '../shared/ModelGate';
import { TokenText } from '../shared/TokenText';
import { useAppState } from '../../state/store';
import { rowNorms } from '../../geometry/vector';
import { threeRankings, type RankKind, type Ranked } from '../../geometry/rankings';
import type { ForwardResult, Matrix } from '../../runtime/types';
import { derived, useMatrix } from '../part2-common/hooks';
import { fmt, int } from '../../ui/format';
import '../part2-common/part2.css';
import './three-rankings.css';

const COLUMNS: { kind: RankKind; title: string; sub: string; unit: string }[] = [
  { kind: 'euclidean', title: 'Nearest point', sub: 'smallest distance |x − uᵢ|', unit: 'distance' },
  { kind: 'dot', title: 'Largest dot product', sub: 'x · uᵢ — the logit the model uses', unit: 'logit' },
  { kind: 'cosine', title: 'Closest direction', sub: 'largest cos θ', unit: 'cosine' },
];

export function lastState(f: ForwardResult): { x: Float32Array; dots: Float32Array } {
  const t = f.T - 1;
  return {
    x: f.lnFinal.subarray(t * f.D, (t + 1) * f.D),
    dots: f.logits.subarray((f.logitsRows - 1) * f.V, f.logitsRows * f.V),
  };
}

export function argmax(v: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[b]) b = i;
  return b;
}

function Column({ kind, title, sub, list, pred, predRank, norms }: {
  kind: RankKind; title: string; sub: string; list: Ranked[]; pred: number; predRank: number; norms: Float32Array;
}) {
  const vals = list.map((r) => r.value);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const span = hi - lo || 1;
  return (
    <section className={`rk-col rk-${kind}`} aria-label={title} data-testid={`rank-${kind}`} data-pred-rank={predRank}>
      <h3 className="rk-title">{title}</h3>
      <p className="rk-sub">{sub}</p>
      <ol>
        {list.map((r, i) => {
          // Bar length: better = longer, within the listed range.
          const good = kind === 'euclidean' ? (hi - r.value) / span : (r.value - lo) / span;
          const isPred = r.id === pred;
          return (
            <li key={r.id} className={isPred ? 'rk-pred' : undefined} data-token-id={r.id} data-value={r.value} data-rank={i}>
              <span className="rk-n">{i + 1}</span>
              <TokenText id={r.id} />
              <span className="rk-bar" aria-hidden="true">
                <span style={{ width: `${8 + 92 * good}%` }} />
              </span>
              <span className="num">{fmt(r.value, 3)}</span>
              <span className="num rk-norm" title="length of this token's row |uᵢ|">|u| {fmt(norms[r.id], 2)}</span>
              {isPred && <span className="rk-star" aria-label="the model's prediction">★</span>}
            </li>
          );
        })}
      </ol>
      {predRank >= list.length && (
        <p className="rk-missing" data-testid={`rank-${kind}-missing`}>
          The prediction ranks <strong>#{int(predRank + 1)}</strong> here.
        </p>
      )}
    </section>
  );
}

function Rankings({ f, wu, k }: { f: ForwardResult; wu: Matrix; k: number }) {
  const norms = derived(wu, 'rowNorms', () => rowNorms(wu.data, wu.rows, wu.cols));
  const r = useMemo(() => {
    const { x, dots } = lastState(f);
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * x[i];
    const xNorm = Math.sqrt(s);
    const pred = argmax(dots);
    return { pred, xNorm, ...threeRankings(dots, norms, xNorm, k, pred) };
  }, [f, norms, k]);
  return (
    <div>
      <p className="rk-head">
        The prediction after “<TokenText id={f.ids[f.T - 1]} />” is <TokenText id={r.pred} className="rk-pred-tok" /> (★).{' '}
        <span className="p2-muted">|x| = {fmt(r.xNorm, 3)}</span>
      </p>
      <div className="rk-grid" data-testid="three-rankings" data-pred={r.pred}>
        {COLUMNS.map((c) => (
          <Column key={c.kind} {...c} list={r[c.kind]} pred={r.pred} predRank={r.targetRank[c.kind]} norms={norms} />
        ))}
      </div>
    </div>
  );
}

export function ThreeRankings() {
  const { state, setState } = useAppState();
  const wu = useMatrix('wu');
  return (
    <ModelGate>
      {(f) =>
        f && (
          <>
            <div className="controls">
              <label>
                List length
                <input
                  type="range"
                  min={3}
                  max={20}
                  step={1}
                  value={state.rk_k}
                  onChange={(e) => setState({ rk_k: Number(e.target.value) })}
                  data-testid="rank-k"
                />
                <span className="num">{state.rk_k}</span>
              </label>
            </div>
            {wu ? <Rankings f={f} wu={wu} k={state.rk_k} /> : <p className="p2-muted">Reading the unembedding matrix…</p>}
          </>
        )
      }
    </ModelGate>
  );
}
