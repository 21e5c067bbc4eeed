/**
 * Guards a model-driven figure: shows loading, error and empty-prompt states,
 * and renders `children(forward)` with a forward result of the current model.
 * While the reader types, the figure keeps showing the previous prompt's result
 * (self-consistent: its own tokens and vectors), dimmed and marked aria-busy,
 * until the new one arrives: no placeholder flashes in and out on each key,
 * and the figure updates in place rather than being rebuilt.
 */
import type { ReactNode } from 'react';
import { useLatestForward, useModel } from '../../state/model';
import type { ForwardResult } from '../../runtime/types';
import { EmptyState } from '../../essay/components/Chapter';

export function ModelGate({ children, needsPrompt = true }: { children: (f: ForwardResult | null) => ReactNode; needsPrompt?: boolean }) {
  const m = useModel();
  const { forward, stale } = useLatestForward();
  if (m.status === 'error' && !m.info) return <EmptyState>The model could not be loaded: {m.error}</EmptyState>;
  if (!m.info || !m.tokenizer) return <EmptyState>Loading the model…</EmptyState>;
  if (needsPrompt && m.tokens.ids.length === 0)
    return <EmptyState>Type a prompt at the top of the page: this figure shows what the model does with it.</EmptyState>;
  if (needsPrompt && !forward) return <EmptyState>Running the model…</EmptyState>;
  const f = needsPrompt || !stale ? forward : null;
  return (
    <div className="model-gate" data-stale={needsPrompt && stale ? '' : undefined} aria-busy={needsPrompt && stale}>
      {children(f)}
    </div>
  );
}
