/**
 * Figure 1b: the case and space variants of a word ("next", " next", "Next",
 * " Next", "NEXT", " NEXT" and the reader's own word): which are one token
 * in the active model and in GPT-2, and how the rest split. Container: reads
 * the word and the two tokenisers, cuts the variants (compute.ts);
 * CaseGridView draws.
 */
import { useMemo } from 'react';
import { useModelState } from '../../state/model';
import { useParams } from '../../state/store';
import { useGpt2 } from '../../kit/useGpt2';
import { caseRows, variants, type PieceTokenizer } from './compute';
import { CaseGridView } from './CaseGridView';
import '../../kit/kit.css';
import './case-grid.css';

const FIXED = variants('next');

export function CaseGrid() {
  const [state, setState] = useParams(['tk_word'] as const);
  const { tokenizer, info } = useModelState((s) => ({ tokenizer: s.tokenizer, info: s.info }));
  const gpt2 = useGpt2();
  const own = useMemo(() => variants(state.tk_word), [state.tk_word]);
  // The active tokeniser with its pieces shown as display text (visible spaces, escapes).
  const ours = useMemo<PieceTokenizer | null>(
    () => (tokenizer ? { encode: (s) => tokenizer.encode(s), piece: (i) => tokenizer.displayToken(i) } : null),
    [tokenizer],
  );
  // null while the tokeniser (or the model's info) loads: the tables say so
  const fixedRows = useMemo(() => (ours && info ? caseRows(FIXED, ours, gpt2) : null), [ours, info, gpt2]);
  const ownRows = useMemo(() => (ours && info ? caseRows(own, ours, gpt2) : null), [ours, info, gpt2, own]);
  return (
    <CaseGridView
      modelLabel={info?.label ?? ''}
      fixed={fixedRows}
      own={ownRows}
      hasOwn={own.length > 0}
      word={state.tk_word}
      onWord={(w) => setState({ tk_word: w })}
    />
  );
}
