/**
 * Figure 1a: the shared prompt as token chips (ids, visible spaces, bytes on
 * hover or focus), beside GPT-2's tokenisation of the same text. Container:
 * reads the prompt and both tokenisers, encodes, and keeps which chip is
 * selected; TokenChipsView draws.
 */
import { useMemo, useState } from 'react';
import { useParams } from '../../state/store';
import { useModelState } from '../../state/model';
import { sanitizePrompt } from '../../tokenizer';
import { useGpt2 } from '../../kit/useGpt2';
import { chips } from './compute';
import { TokenChipsEmpty, TokenChipsView } from './TokenChipsView';
import '../../kit/kit.css';
import './token-chips.css';

export function TokenChips() {
  const [state] = useParams(['prompt'] as const);
  const { tokenizer, info } = useModelState((s) => ({ tokenizer: s.tokenizer, info: s.info }));
  const gpt2 = useGpt2();
  const [sel, setSel] = useState<number | null>(null);
  const text = sanitizePrompt(state.prompt);
  const ours = useMemo(() => (tokenizer ? tokenizer.encode(text) : []), [tokenizer, text]);
  const theirs = useMemo(() => (gpt2 ? gpt2.encode(text) : null), [gpt2, text]);
  const ourChips = useMemo(() => (tokenizer ? chips(ours, (id) => tokenizer.displayToken(id)) : []), [tokenizer, ours]);
  const gpt2View = useMemo(
    () => (gpt2 && theirs ? { vocabSize: gpt2.vocabSize, count: theirs.length, chips: chips(theirs, (id) => gpt2.piece(id)) } : null),
    [gpt2, theirs],
  );
  if (!tokenizer || !info) return <TokenChipsEmpty loading={true} />;
  if (text.length === 0) return <TokenChipsEmpty loading={false} />;
  // the chip index may point past the end after the prompt got shorter: then nothing is selected
  const selId = sel !== null ? ours[sel] : undefined;
  const selected = selId !== undefined ? { id: selId, text: tokenizer.displayToken(selId), bytes: tokenizer.tokenBytes(selId) } : null;
  return (
    <TokenChipsView
      modelLabel={info.label}
      vocabSize={info.config.vocabSize}
      count={ours.length}
      chips={ourChips}
      sel={sel}
      onSelect={setSel}
      selected={selected}
      gpt2={gpt2View}
    />
  );
}
