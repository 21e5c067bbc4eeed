/**
 * Guards a model-driven figure: shows loading, error and empty-prompt states,
 * and renders `children(forward)` only with a forward result that matches the
 * current prompt and model.
 */
import type { ReactNode } from 'react';
import { useForward, useModelState } from '../state/model';
import type { ForwardResult } from '../runtime/types';
import { EmptyState } from './Figure';

export function ModelGate({ children, needsPrompt = true }: { children: (f: ForwardResult | null) => ReactNode; needsPrompt?: boolean }) {
  const m = useModelState((s) => ({
    status: s.status,
    error: s.error,
    info: s.info,
    tokenizer: s.tokenizer,
    empty: s.tokens.ids.length === 0,
  }));
  const f = useForward();
  if (m.status === 'error' && !m.info) return <EmptyState>The model could not be loaded: {m.error}</EmptyState>;
  if (!m.info || !m.tokenizer) return <EmptyState>Loading the model…</EmptyState>;
  if (needsPrompt && m.empty)
    return <EmptyState>Type a prompt at the top of the page: this figure shows what the model does with it.</EmptyState>;
  if (needsPrompt && !f) return <EmptyState>Running the model…</EmptyState>;
  return <>{children(f)}</>;
}
