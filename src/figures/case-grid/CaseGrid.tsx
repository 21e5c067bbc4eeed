/**
 * Figure 1b: the case and space variants of a word ("next", " next", "Next",
 * " Next", "NEXT", " NEXT" and the reader's own word): which are one token
 * in the active model and in GPT-2, and how the rest split.
 */
import { useMemo } from 'react';
import { useModelState } from '../../state/model';
import { useParams } from '../../state/store';
import { EmptyState } from '../../kit/Figure';
import { displayString } from '../../tokenizer';
import { useGpt2 } from '../../kit/useGpt2';
import '../../kit/kit.css';
import './case-grid.css';

export function variants(word: string): string[] {
  const w = word.trim();
  if (!w) return [];
  const lower = w.toLowerCase();
  const cap = lower.charAt(0).toUpperCase() + lower.slice(1);
  const upper = w.toUpperCase();
  const out: string[] = [];
  for (const v of [lower, cap, upper, w]) for (const s of [v, ` ${v}`]) if (!out.includes(s)) out.push(s);
  return out;
}

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

function Grid({ words, caption }: { words: string[]; caption: string }) {
  const { tokenizer, info } = useModelState((s) => ({ tokenizer: s.tokenizer, info: s.info }));
  const gpt2 = useGpt2();
  const rows = useMemo(
    () =>
      tokenizer
        ? words.map((w) => {
            const ids = tokenizer.encode(w);
            const g = gpt2 ? gpt2.encode(w) : null;
            return { w, ids, pieces: ids.map((i) => tokenizer.displayToken(i)), g, gp: g && gpt2 ? g.map((i) => gpt2.piece(i)) : null };
          })
        : [],
    [tokenizer, gpt2, words],
  );
  if (!tokenizer || !info) return <EmptyState>Loading the model’s tokeniser…</EmptyState>;
  return (
    <table className="p1-table case-grid">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">text</th>
          <th scope="col">{info.label}</th>
          <th scope="col">GPT-2</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.w} data-variant={r.w} data-ours-count={r.ids.length} data-gpt2-count={r.g?.length ?? ''}>
            <th scope="row">
              <span className="tok">{displayString(r.w)}</span>
            </th>
            <td className={r.ids.length === 1 ? 'single' : 'split'}>
              <span className="cg-mark" aria-hidden="true">
                {r.ids.length === 1 ? '●' : '○'}
              </span>{' '}
              {r.ids.length === 1 ? <>one token, id {r.ids[0]}</> : <>{r.ids.length} pieces: </>}
              {r.ids.length > 1 && <Pieces pieces={r.pieces} ids={r.ids} />}
            </td>
            <td className={r.g && r.g.length === 1 ? 'single' : 'split'}>
              {r.g && r.gp ? (
                <>
                  <span className="cg-mark" aria-hidden="true">
                    {r.g.length === 1 ? '●' : '○'}
                  </span>{' '}
                  {r.g.length === 1 ? <>one token, id {r.g[0]}</> : <>{r.g.length} pieces: </>}
                  {r.g.length > 1 && <Pieces pieces={r.gp} ids={r.g} />}
                </>
              ) : (
                '…'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CaseGrid() {
  const [state, setState] = useParams(['tk_word'] as const);
  const fixed = useMemo(() => variants('next'), []);
  const own = useMemo(() => variants(state.tk_word), [state.tk_word]);
  return (
    <div className="case-grid-fig" data-testid="case-grid">
      <Grid words={fixed} caption="Case and space variants of next" />
      <div className="controls">
        <label htmlFor="cg-word">Your word</label>
        <input
          id="cg-word"
          type="text"
          value={state.tk_word}
          maxLength={40}
          spellCheck={false}
          onChange={(e) => setState({ tk_word: e.target.value })}
          data-testid="cg-word"
        />
      </div>
      {own.length > 0 ? (
        <Grid words={own} caption={`Case and space variants of ${state.tk_word}`} />
      ) : (
        <p className="p1-muted">Type a word to see its variants.</p>
      )}
    </div>
  );
}
