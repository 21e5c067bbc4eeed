/**
 * Figure 1a drawn from plain chips: the prompt as the active model's tokens
 * (buttons: hover, focus or click shows a token's bytes), the bytes readout,
 * and the same text as GPT-2's tokens.
 */
import { EmptyState } from '../../kit/Figure';
import { int } from '../../kit/format';
import { chipClass, hexBytes, hiddenCount, type Chip } from './compute';

export interface TokenChipsViewProps {
  /** The active model's name and vocabulary size. */
  modelLabel: string;
  vocabSize: number;
  /** Number of tokens of the prompt, and the first MAX_CHIPS of them as chips. */
  count: number;
  chips: Chip[];
  /** Index of the chip whose bytes are shown, or null. */
  sel: number | null;
  onSelect: (i: number) => void;
  /** The selected token and its bytes, or null. */
  selected: { id: number; text: string; bytes: Uint8Array } | null;
  /** GPT-2's tokenisation (its vocabulary size, token count and chips); null while its tokeniser loads. */
  gpt2: { vocabSize: number; count: number; chips: Chip[] } | null;
}

export function TokenChipsView({ modelLabel, vocabSize, count, chips, sel, onSelect, selected, gpt2 }: TokenChipsViewProps) {
  const more = hiddenCount(count);
  return (
    <div className="token-chips" data-testid="token-chips" data-count={count} data-gpt2-count={gpt2?.count ?? ''}>
      <div className="tc-head fig-subhead">
        {modelLabel}: <span className="num">{int(count)}</span> tokens from a vocabulary of <span className="num">{int(vocabSize)}</span>
      </div>
      <ol className="tc-list" aria-label={`The prompt as ${count} tokens of the active model`}>
        {chips.map(({ id, text }, i) => (
          <li key={i}>
            <button
              type="button"
              className={chipClass(i, sel === i)}
              onMouseEnter={() => onSelect(i)}
              onFocus={() => onSelect(i)}
              onClick={() => onSelect(i)}
              aria-label={`Token ${i + 1}: id ${id}, text ${text}`}
              data-token-id={id}
            >
              <span className="tc-text">{text}</span>
              <span className="tc-id">{id}</span>
            </button>
          </li>
        ))}
        {more > 0 && <li className="p1-muted">… {int(more)} more</li>}
      </ol>
      <p className="tc-bytes" aria-live="polite" data-testid="token-bytes">
        {selected ? (
          <>
            Token <span className="num">{selected.id}</span> <span className="tok">{selected.text}</span> stands for {selected.bytes.length}{' '}
            byte{selected.bytes.length === 1 ? '' : 's'}: <code>{hexBytes(selected.bytes)}</code>
          </>
        ) : (
          <span className="p1-muted">Hover over or focus a chip to see the bytes it stands for.</span>
        )}
      </p>
      <div className="tc-head fig-subhead">
        GPT-2 (its own tokeniser, vocabulary <span className="num">{gpt2 ? int(gpt2.vocabSize) : '…'}</span>):{' '}
        <span className="num">{gpt2 ? int(gpt2.count) : '…'}</span> tokens
      </div>
      {gpt2 ? (
        <ol className="tc-list gpt2" aria-label={`The prompt as ${gpt2.count} GPT-2 tokens`} data-testid="gpt2-chips">
          {gpt2.chips.map(({ id, text }, i) => (
            <li key={i} className={chipClass(i, false, true)} data-token-id={id}>
              <span className="tc-text">{text}</span>
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

/** Shown instead of the chips while the tokeniser loads or the prompt is empty. */
export function TokenChipsEmpty({ loading }: { loading: boolean }) {
  return loading ? (
    <EmptyState>Loading the model’s tokeniser…</EmptyState>
  ) : (
    <EmptyState>Type a prompt at the top of the page to see it cut into tokens.</EmptyState>
  );
}
