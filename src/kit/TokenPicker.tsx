/**
 * Picks one token for chapter 2's figures: type its text (with its leading
 * space) or choose one of the prompt's tokens. Kept in the URL as text, so a
 * link works with any model.
 */
import { useMemo } from 'react';
import { useTokenizer, useInfo, useTokens } from '../state/model';
import { useParam } from '../state/store';
import { displayString, sanitizePrompt } from '../tokenizer';

export interface Picked {
  id: number | null;
  /** Why the id is what it is (split word, empty text...). */
  note: string | null;
}

export function usePickedToken(): Picked {
  const [embTok] = useParam('emb_tok');
  const tokenizer = useTokenizer();
  const info = useInfo();
  return useMemo(() => {
    if (!tokenizer || !info) return { id: null, note: null };
    const text = sanitizePrompt(embTok);
    const ids = text ? tokenizer.encode(text) : [];
    const V = info.config.vocabSize;
    if (ids.length === 0) return { id: null, note: 'Type a token above.' };
    const id = ids[0];
    if (id < 0 || id >= V) return { id: null, note: 'That token is outside the model’s vocabulary.' };
    if (ids.length === 1) return { id, note: null };
    return {
      id,
      note: `“${displayString(text)}” is not one token here: it splits into ${ids.length} pieces (${ids
        .map((i) => tokenizer.displayToken(i))
        .join(' + ')}). Showing the first piece.`,
    };
  }, [tokenizer, info, embTok]);
}

export function TokenPicker({ idPrefix }: { idPrefix: string }) {
  const [embTok, setEmbTok] = useParam('emb_tok');
  const tokenizer = useTokenizer();
  const tokens = useTokens();
  const picked = usePickedToken();
  const promptIds = useMemo(() => Array.from(new Set(tokens.ids)), [tokens.ids]);
  return (
    <div className="token-picker">
      <div className="controls">
        <label htmlFor={`${idPrefix}-tok`}>Token (with its leading space)</label>
        <input
          id={`${idPrefix}-tok`}
          type="text"
          value={embTok}
          maxLength={40}
          spellCheck={false}
          onChange={(e) => setEmbTok(e.target.value)}
          data-testid={`${idPrefix}-tok`}
        />
        {tokenizer && promptIds.length > 0 && (
          <label>
            or from the prompt{' '}
            <select
              value={picked.id !== null && promptIds.includes(picked.id) ? String(picked.id) : ''}
              onChange={(e) => e.target.value !== '' && setEmbTok(tokenizer.tokenText(Number(e.target.value)))}
              data-testid={`${idPrefix}-from-prompt`}
            >
              <option value="">choose…</option>
              {promptIds.map((id) => (
                <option key={id} value={id}>
                  {tokenizer.displayToken(id)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {picked.note && <p className="p1-muted picker-note">{picked.note}</p>}
    </div>
  );
}
