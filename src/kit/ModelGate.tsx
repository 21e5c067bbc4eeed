/**
 * Guards a model-driven figure: shows loading, error and empty-prompt states,
 * and renders `children(forward)` with a forward result of the current model:
 * the current prompt's, or while its pass runs, the previous prompt's (whole:
 * never a mix of two prompts), so a figure keeps its content through an edit.
 */
import type { ReactNode } from 'react';
import { useShownForward, useModelState } from '../state/model';
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
  const f = useShownForward();
  if (m.status === 'error' && !m.info) return <EmptyState>The model could not be loaded: {m.error}</EmptyState>;
  if (!m.info || !m.tokenizer) return <EmptyState>Loading the model…</EmptyState>;
  if (needsPrompt && m.empty)
    return <EmptyState>Type a prompt at the top of the page: this figure shows what the model does with it.</EmptyState>;
  if (needsPrompt && !f) return <EmptyState>Running the model…</EmptyState>;
  return <>{children(f)}</>;
}
