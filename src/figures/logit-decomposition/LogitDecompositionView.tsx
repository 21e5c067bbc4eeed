/**
 * Figure 5a (view): a table of the top tokens, each logit next to its three
 * factors |u_i|, cos θ_i and their product with |x| (bars scaled within the
 * column), and a sentence on the vocabulary's best-aligned and longest rows.
 * Plain props: the rows, |x|, the extremes and the last prompt token.
 */
import { TokenText } from '../../kit/TokenText';
import { Tex } from '../../kit/Tex';
import { fmt } from '../../kit/format';
import type { DecompositionRow, VocabExtremes } from './compute';
import '../../kit/kit.css';
import './logit-decomposition.css';

export interface LogitDecompositionViewProps {
  /** The token at the last position of the prompt. */
  lastId: number;
  /** |x|, the length of the final LayerNorm output there. */
  nx: number;
  rows: DecompositionRow[];
  extremes: VocabExtremes;
}

export function LogitDecompositionView({ lastId, nx, rows, extremes }: LogitDecompositionViewProps) {
  const maxNu = Math.max(...rows.map((r) => r.nu), 1e-9);
  const maxLogit = Math.max(...rows.map((r) => Math.abs(r.logit)), 1e-9);
  return (
    <div className="logit-dec" data-testid="logit-dec" data-xnorm={nx} data-top-id={rows[0]?.id ?? ''}>
      <p className="ld-x">
        Last position (<TokenText id={lastId} />
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
