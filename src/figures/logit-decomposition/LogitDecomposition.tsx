/**
 * Figure 5a: the top tokens' logits at the last position, each split into
 * |u_i| · |x| · cos θ_i (x = final LayerNorm output, u_i = unembedding row).
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { TokenText } from '../../kit/TokenText';
import { rowNormsChunked } from '../../state/chunked';
import { useDerived, useMatrix } from '../../state/matrices';
import { EmptyState } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { topK } from '../../geometry/softmax';
import { norm } from '../../geometry/vector';
import { fmt } from '../../kit/format';
import { lastHidden, lastLogits } from '../../state/forward-readers';
import type { ForwardResult, Matrix } from '../../runtime/types';
import '../../kit/kit.css';
import './logit-decomposition.css';

const K = 8;

function View({ f, wu, uNorms }: { f: ForwardResult; wu: Matrix; uNorms: Float32Array }) {
  const x = lastHidden(f);
  const z = lastLogits(f);
  const nx = useMemo(() => norm(x), [x]);
  const rows = useMemo(() => {
    const ids = topK(z, K);
    return ids.map((i) => {
      const u = wu.data.subarray(i * wu.cols, (i + 1) * wu.cols);
      let d = 0;
      for (let c = 0; c < wu.cols; c++) d += u[c] * x[c];
      const nu = uNorms[i];
      return { id: i, nu, cos: nu > 0 && nx > 0 ? d / (nu * nx) : 0, dot: d, logit: z[i] };
    });
  }, [z, wu, uNorms, x, nx]);
  // Whole-vocabulary extremes: the best-aligned direction and the longest row.
  const extremes = useMemo(() => {
    let bestCos = -Infinity;
    let bestCosId = 0;
    let longest = 0;
    let longestId = 0;
    for (let i = 0; i < wu.rows; i++) {
      const nu = uNorms[i];
      if (nu > longest) {
        longest = nu;
        longestId = i;
      }
      const c = nu > 0 ? z[i] / (nu * nx) : -Infinity;
      if (c > bestCos) {
        bestCos = c;
        bestCosId = i;
      }
    }
    return { bestCos, bestCosId, longest, longestId };
  }, [wu, uNorms, z, nx]);
  const maxNu = Math.max(...rows.map((r) => r.nu), 1e-9);
  const maxLogit = Math.max(...rows.map((r) => Math.abs(r.logit)), 1e-9);
  return (
    <div className="logit-dec" data-testid="logit-dec" data-xnorm={nx} data-top-id={rows[0]?.id ?? ''}>
      <p className="ld-x">
        Last position (<TokenText id={f.ids[f.T - 1]} />
        ): <Tex tex="\lVert x\rVert" /> = <strong className="num">{fmt(nx)}</strong>, the same for every row below.
      </p>
      <div className="ld-scroll">
        <table className="p1-table ld-table">
          <thead>
            <tr>
              <th scope="col">token</th>
              <th scope="col" className="num">
                <Tex tex="\lVert u_i\rVert" />
                <span className="visually-hidden">length of the row</span>
              </th>
              <th scope="col" className="num">
                <Tex tex="\cos\theta_i" />
                <span className="visually-hidden">cosine with x</span>
              </th>
              <th scope="col" className="num">
                <Tex tex="\lVert u_i\rVert\lVert x\rVert\cos\theta_i" />
                <span className="visually-hidden">product of the three</span>
              </th>
              <th scope="col" className="num">
                logit
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-token-id={r.id} data-unorm={r.nu} data-cos={r.cos} data-product={r.nu * nx * r.cos} data-logit={r.logit}>
                <th scope="row">
                  <TokenText id={r.id} />
                </th>
                <td className="num">
                  <span className="ld-bar nu" style={{ width: `${(r.nu / maxNu) * 100}%` }} aria-hidden="true" />
                  {fmt(r.nu)}
                </td>
                <td className="num">
                  <span className="ld-bar cos" style={{ width: `${Math.max(0, r.cos) * 100}%` }} aria-hidden="true" />
                  {fmt(r.cos)}
                </td>
                <td className="num">{fmt(r.nu * nx * r.cos)}</td>
                <td className="num">
                  <span className="ld-bar logit" style={{ width: `${(Math.abs(r.logit) / maxLogit) * 100}%` }} aria-hidden="true" />
                  {fmt(r.logit)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p
        className="p1-muted ld-extremes"
        data-testid="ld-extremes"
        data-bestcos-id={extremes.bestCosId}
        data-longest-id={extremes.longestId}
      >
        Over the whole vocabulary, the row pointing most nearly along <Tex tex="x" /> is <TokenText id={extremes.bestCosId} /> (cos{' '}
        {fmt(extremes.bestCos)}); the longest row is <TokenText id={extremes.longestId} /> (length {fmt(extremes.longest)}).
      </p>
    </div>
  );
}

export function LogitDecomposition() {
  const wu = useMatrix('wu');
  const uNorms = useDerived(wu, 'rowNorms', rowNormsChunked);
  return (
    <ModelGate>
      {(f) => (f && wu && uNorms ? <View f={f} wu={wu} uNorms={uNorms} /> : <EmptyState>Reading the unembedding matrix…</EmptyState>)}
    </ModelGate>
  );
}
