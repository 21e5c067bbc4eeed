/**
 * A text box where the reader types a token (" Mary", " what"): shows which
 * vocabulary entry it resolves to, with visible spaces, and why if it had to
 * be split. Leading spaces matter, so the box shows them as typed.
 */
import { useEffect, useState } from 'react';
import { TokenText } from './TokenText';
import type { ResolvedToken } from '../tokenizer/resolve';

export function TokenField({
  label,
  value,
  onChange,
  resolved,
  testid,
  swatch,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  resolved: ResolvedToken;
  testid: string;
  swatch?: string;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <div className="p2-tokfield">
      <label>
        {swatch && <span className="p2-swatch" style={{ background: swatch }} aria-hidden="true" />}
        {label}{' '}
        <input
          type="text"
          value={draft}
          spellCheck={false}
          maxLength={40}
          onChange={(e) => {
            setDraft(e.target.value);
            onChange(e.target.value);
          }}
          data-testid={testid}
        />
      </label>
      <span className="p2-tokfield-out" aria-live="polite">
        {resolved.id !== null ? (
          <>
            → <TokenText id={resolved.id} /> <span className="p2-muted">#{resolved.id}</span>
          </>
        ) : null}
        {resolved.note && <span className="p2-note"> {resolved.note}</span>}
      </span>
    </div>
  );
}
