/**
 * Figure 1b's tables from plain rows: one row per variant, with a mark for
 * "one token" or the pieces it splits into, for the active model and GPT-2;
 * and the box for the reader's own word.
 */
import { EmptyState } from '../../kit/Figure';
import { displayString } from '../../tokenizer/display';
import type { CaseRow, Split } from './compute';

function Pieces({ pieces, ids }: { pieces: string[]; ids: number[] }) {
  return (
    <span className="cg-pieces">
      {pieces.map((p, i) => (
        <span key={i} className="tok" title={`token id ${ids[i]}`}>
          {p}
        </span>
      ))}
    </span>
  );
}

/** The content of one cell: ● and the id for a single token, ○ and the pieces otherwise. */
function SplitContent({ s }: { s: Split }) {
  return (
    <>
      <span className="cg-mark" aria-hidden="true">
        {s.ids.length === 1 ? '●' : '○'}
      </span>{' '}
      {s.ids.length === 1 ? <>one token, id {s.ids[0]}</> : <>{s.ids.length} pieces: </>}
      {s.ids.length > 1 && <Pieces pieces={s.pieces} ids={s.ids} />}
    </>
  );
}

/** One table; `rows` null while the model's tokeniser loads. */
export function CaseTable({ rows, modelLabel, caption }: { rows: CaseRow[] | null; modelLabel: string; caption: string }) {
  if (!rows) return <EmptyState>Loading the model’s tokeniser…</EmptyState>;
  return (
    <table className="p1-table case-grid">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">text</th>
          <th scope="col">{modelLabel}</th>
          <th scope="col">GPT-2</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.w} data-variant={r.w} data-ours-count={r.ours.ids.length} data-gpt2-count={r.gpt2?.ids.length ?? ''}>
            <th scope="row">
              <span className="tok">{displayString(r.w)}</span>
            </th>
            <td className={r.ours.ids.length === 1 ? 'single' : 'split'}>
              <SplitContent s={r.ours} />
            </td>
            <td className={r.gpt2 && r.gpt2.ids.length === 1 ? 'single' : 'split'}>{r.gpt2 ? <SplitContent s={r.gpt2} /> : '…'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface CaseGridViewProps {
  /** The active model's name (column header). */
  modelLabel: string;
  /** Rows for the variants of "next"; null while the tokeniser loads. */
  fixed: CaseRow[] | null;
  /** Rows for the variants of the reader's word; null while the tokeniser loads. */
  own: CaseRow[] | null;
  /** Whether the reader's word has any variants (it is not blank). */
  hasOwn: boolean;
  word: string;
  onWord: (w: string) => void;
}

export function CaseGridView({ modelLabel, fixed, own, hasOwn, word, onWord }: CaseGridViewProps) {
  return (
    <div className="case-grid-fig" data-testid="case-grid">
      <CaseTable rows={fixed} modelLabel={modelLabel} caption="Case and space variants of next" />
      <div className="controls">
        <label htmlFor="cg-word">Your word</label>
        <input
          id="cg-word"
          type="text"
          value={word}
          maxLength={40}
          spellCheck={false}
          onChange={(e) => onWord(e.target.value)}
          data-testid="cg-word"
        />
      </div>
      {hasOwn ? (
        <CaseTable rows={own} modelLabel={modelLabel} caption={`Case and space variants of ${word}`} />
      ) : (
        <p className="p1-muted">Type a word to see its variants.</p>
      )}
    </div>
  );
}
