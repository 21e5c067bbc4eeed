/**
 * Figure 1a: the shared prompt as token chips (ids, visible spaces, bytes on
 * hover or focus), beside GPT-2's tokenisation of the same text.
 */
import { useMemo, useState } from 'react';
import { useParams } from '../../state/store';
import { useModelState } from '../../state/model';
import { sanitizePrompt } from '../../tokenizer';
import { EmptyState } from '../../kit/Figure';
import { int } from '../../kit/format';
import { useGpt2 } from '../../kit/useGpt2';
import '../../kit/kit.css';
import './token-chips.css';

const MAX_CHIPS = 400;

function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

export function TokenChips() {
  const [state] = useParams(['prompt'] as const);
  const { tokenizer, info } = useModelState((s) => ({ tokenizer: s.tokenizer, info: s.info }));
  const gpt2 = useGpt2();
  const [sel, setSel] = useState<number | null>(null);
  const text = sanitizePrompt(state.prompt);
  const ours = useMemo(() => (tokenizer ? tokenizer.encode(text) : []), [tokenizer, text]);
  const theirs = useMemo(() => (gpt2 ? gpt2.encode(text) : null), [gpt2, text]);
  if (!tokenizer || !info) return <EmptyState>Loading the model’s tokeniser…</EmptyState>;
  if (text.length === 0) return <EmptyState>Type a prompt at the top of the page to see it cut into tokens.</EmptyState>;
  const selId = sel !== null ? ours[sel] : null;
  const bytes = selId !== null && selId !== undefined ? tokenizer.tokenBytes(selId) : null;
  return (
    <div className="token-chips" data-testid="token-chips" data-count={ours.length} data-gpt2-count={theirs?.length ?? ''}>
      <div className="tc-head fig-subhead">
        {info.label}: <span className="num">{int(ours.length)}</span> tokens from a vocabulary of{' '}
        <span className="num">{int(info.config.vocabSize)}</span>
      </div>
      <ol className="tc-list" aria-label={`The prompt as ${ours.length} tokens of the active model`}>
        {ours.slice(0, MAX_CHIPS).map((id, i) => (
          <li key={i}>
            <button
              type="button"
              className={`tc-chip c${i % 6}${sel === i ? ' sel' : ''}`}
              onMouseEnter={() => setSel(i)}
              onFocus={() => setSel(i)}
              onClick={() => setSel(i)}
              aria-label={`Token ${i + 1}: id ${id}, text ${tokenizer.displayToken(id)}`}
              data-token-id={id}
            >
              <span className="tc-text">{tokenizer.displayToken(id)}</span>
              <span className="tc-id">{id}</span>
            </button>
          </li>
        ))}
        {ours.length > MAX_CHIPS && <li className="p1-muted">… {int(ours.length - MAX_CHIPS)} more</li>}
      </ol>
      <p className="tc-bytes" aria-live="polite" data-testid="token-bytes">
        {bytes && selId !== null ? (
          <>
            Token <span className="num">{selId}</span> <span className="tok">{tokenizer.displayToken(selId)}</span> stands for{' '}
            {bytes.length} byte{bytes.length === 1 ? '' : 's'}: <code>{hexBytes(bytes)}</code>
          </>
        ) : (
          <span className="p1-muted">Hover over or focus a chip to see the bytes it stands for.</span>
        )}
      </p>
      <div className="tc-head fig-subhead">
        GPT-2 (its own tokeniser, vocabulary <span className="num">{gpt2 ? int(gpt2.vocabSize) : '…'}</span>):{' '}
        <span className="num">{theirs ? int(theirs.length) : '…'}</span> tokens
      </div>
      {theirs && gpt2 ? (
        <ol className="tc-list gpt2" aria-label={`The prompt as ${theirs.length} GPT-2 tokens`} data-testid="gpt2-chips">
          {theirs.slice(0, MAX_CHIPS).map((id, i) => (
            <li key={i} className={`tc-chip static c${i % 6}`} data-token-id={id}>
              <span className="tc-text">{gpt2.piece(id)}</span>
              <span className="tc-id">{id}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="p1-muted">Loading GPT-2’s tokeniser…</p>
      )}
    </div>
  );
}
