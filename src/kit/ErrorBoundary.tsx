/**
 * Error boundaries: a figure (or, at the top, the page) that throws while
 * rendering shows what failed instead of taking the whole essay down. React
 * unmounts the tree under the nearest boundary only, so every other figure,
 * the prompt bar and the loaded model keep working.
 *
 * - `ErrorBoundary`: the class React needs (getDerivedStateFromError); resets
 *   when `resetKey` changes (a new model, a new prompt), so a figure that
 *   failed on one input is tried again on the next.
 * - `FigureBoundary`: the one each figure sits in (and each chapter, whose
 *   prose computes a few numbers outside its figures). Its message names the
 *   model it failed with and what failed, and offers a way back: a bundled
 *   model (when a loaded checkpoint is active), or "Try again".
 * - `PageBoundary`: the last resort around the whole page.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { setParams, useParams } from '../state/store';
import { selectShownForward, useModelState } from '../state/model';
import { bundledModels } from '../state/models';

interface BoundaryProps {
  /** When this changes, a caught error is forgotten and the children render again. */
  resetKey?: string;
  /** What to show instead of the children; `reset` renders them again. */
  fallback: (error: Error, reset: () => void) => ReactNode;
  children: ReactNode;
}

interface BoundaryState {
  error: Error | null;
  key: string | undefined;
}

export class ErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  state: BoundaryState = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    // a new input (model, prompt): try the children again
    return props.resetKey !== state.key ? { key: props.resetKey, error: null } : null;
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    // kept for whoever debugs it; the reader sees the fallback
    console.error('A part of the page failed to render:', error, info.componentStack);
  }

  reset = (): void => this.setState({ error: null });

  render(): ReactNode {
    return this.state.error ? this.props.fallback(this.state.error, this.reset) : this.props.children;
  }
}

/** What failed, in one line (the message, never a stack). */
function what(e: Error): string {
  const m = (e.message || e.name || 'unknown error').replace(/\s+/g, ' ').trim();
  return m.length > 300 ? `${m.slice(0, 300)}…` : m;
}

/** The reader's way back: switch to a bundled model, or render again. */
function Recover({ reset, label }: { reset: () => void; label: string }) {
  const [state] = useParams(['model'] as const);
  const setState = setParams;
  const bundled = bundledModels.some((b) => b.key === state.model);
  return (
    <>
      {!bundled && (
        <button type="button" data-testid="boundary-bundled" onClick={() => setState({ model: bundledModels[0].key })}>
          Show {bundledModels[0].label} instead
        </button>
      )}{' '}
      <button type="button" data-testid="boundary-retry" onClick={reset} aria-label={`Try drawing ${label} again`}>
        Try again
      </button>
    </>
  );
}

/**
 * One figure's boundary (`kind` 'chapter': a whole chapter's, for the numbers its prose computes outside figures).
 * `name` identifies it in data-figure (the figure's id).
 */
export function FigureBoundary({ name, kind = 'figure', children }: { name: string; kind?: 'figure' | 'chapter'; children: ReactNode }) {
  const [state] = useParams(['model', 'prompt'] as const);
  // the forward result the figures show (the previous prompt's while a pass runs): its arrival retries too
  const m = useModelState((s) => ({ info: s.info, modelVersion: s.modelVersion, shown: selectShownForward(s)?.seq ?? -1 }));
  const model = m.info?.label ?? state.model;
  return (
    <ErrorBoundary
      resetKey={`${m.modelVersion}|${state.model}|${state.prompt}|${m.shown}`}
      fallback={(e, reset) => (
        <div className="notice error figure-failed" role="alert" data-testid="figure-error" data-figure={name}>
          <p>
            This {kind} could not be drawn with {model}: {what(e)}. The rest of the page still works.
          </p>
          <Recover reset={reset} label={name} />
        </div>
      )}
    >
      {children}
    </ErrorBoundary>
  );
}

/** The whole page's boundary (inside the state and model providers, around everything they feed). */
export function PageBoundary({ children }: { children: ReactNode }) {
  const [state] = useParams(['model'] as const);
  return (
    <ErrorBoundary
      resetKey={state.model}
      fallback={(e, reset) => (
        <div className="notice error page-failed" role="alert" data-testid="page-error">
          <p>
            The page could not be drawn with the model “{state.model}”: {what(e)}.
          </p>
          <Recover reset={reset} label="the page" />
        </div>
      )}
    >
      {children}
    </ErrorBoundary>
  );
}
