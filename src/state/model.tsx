/**
 * The active model, its tokenizer and the forward pass of the shared prompt.
 * One provider runs everything model-related off the render path: the
 * runtime client talks to a Web Worker; results arrive as typed arrays and are
 * published through React context. Figures read `useModel()` and never touch
 * tfjs.
 */
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createModelClient } from '../runtime/client';
import type { ModelApi, ModelSource } from '../runtime/api';
import type { BackendInfo, BackendName, ForwardResult, LoadProgress, Matrix, MatrixName, ModelInfo } from '../runtime/types';
import { loadTokenizer, sanitizePrompt, type PageTokenizer } from '../tokenizer';
import { useAppState } from './store';
import { bundledModels, findModelSource, requestUnknownModel } from './models';
import { plainWords } from './plain-error';

export type ModelStatus = 'init' | 'loading' | 'ready' | 'error';

export interface PromptTokens {
  /** Token ids actually sent to the model (last n_positions of the prompt). */
  ids: number[];
  /** Token count before truncation. */
  total: number;
  /** Set when the prompt had to be shortened. */
  notice: string | null;
}

export interface ModelContextValue {
  api: ModelApi;
  status: ModelStatus;
  progress: LoadProgress | null;
  error: string | null;
  /** A notice the page shows (backend fallback, prompt truncated, ...). */
  notices: string[];
  backend: BackendInfo | null;
  info: ModelInfo | null;
  tokenizer: PageTokenizer | null;
  tokens: PromptTokens;
  /** Latest forward pass for the shared prompt (null while none / empty prompt). */
  forward: ForwardResult | null;
  /** True while a newer forward pass is running. */
  pending: boolean;
  /** Cached weight matrices of the active model. */
  matrix: (name: MatrixName) => Promise<Matrix>;
  /** Increments whenever the active model changes (for caches keyed by model). */
  modelVersion: number;
}

const ModelContext = createContext<ModelContextValue | null>(null);

const EMPTY_TOKENS: PromptTokens = { ids: [], total: 0, notice: null };

/** Tokenizes the prompt and applies the context-length rule: keep the last n_positions tokens. */
export function promptTokens(tok: PageTokenizer, prompt: string, nPositions: number): PromptTokens {
  const clean = sanitizePrompt(prompt);
  if (clean.trim().length === 0 && clean.length === 0) return EMPTY_TOKENS;
  let ids = tok.encode(clean);
  if (tok.bosPrepend !== null && tok.bosPrepend !== undefined) ids = [tok.bosPrepend, ...ids];
  const total = ids.length;
  if (total > nPositions) {
    return {
      ids: ids.slice(total - nPositions),
      total,
      notice: `The prompt is ${total} tokens long; the model reads at most ${nPositions}, so only the last ${nPositions} are used.`,
    };
  }
  return { ids, total, notice: null };
}

export function ModelProvider({ children, api: given }: { children: ReactNode; api?: ModelApi }) {
  const { state, setState } = useAppState();
  const api = useMemo(() => given ?? createModelClient(), [given]);
  const [status, setStatus] = useState<ModelStatus>('init');
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [info, setInfo] = useState<ModelInfo | null>(null);
  const [tokenizer, setTokenizer] = useState<PageTokenizer | null>(null);
  const [forward, setForward] = useState<ForwardResult | null>(null);
  const [pending, setPending] = useState(false);
  const [modelVersion, setModelVersion] = useState(0);
  const [backendNotice, setBackendNotice] = useState<string | null>(null);
  const matrices = useRef(new Map<string, Promise<Matrix>>());
  const ready = useRef<Promise<unknown>>(Promise.resolve());

  // Backend: initialise once, switch when the reader asks.
  useEffect(() => {
    let alive = true;
    const want = state.backend as BackendName | 'auto';
    const p = ready.current.then(() => (backend === null ? api.init(want) : want === 'auto' ? api.init('auto') : api.setBackend(want)));
    ready.current = p.catch(() => undefined);
    p.then((b) => {
      if (!alive) return;
      setBackend(b);
      const fellBack = want !== 'auto' && b.name !== want;
      // In auto mode, a backend that should have started but failed (not one skipped on purpose) is worth saying too.
      const failed = want === 'auto' ? b.note.split('; ').filter((s) => /\b(failed|did not start|timed out)\b/.test(s)) : [];
      setBackendNotice(
        fellBack
          ? `The ${want} backend is not available here (${b.note}); running on ${b.name} instead.`
          : failed.length
            ? `Running on ${b.name}: ${failed.join('; ')}.`
            : null,
      );
      setModelVersion((v) => v + 1); // recompute figures on the new backend
    }).catch((e: unknown) => alive && setError(`No backend could start: ${String((e as Error)?.message ?? e)}`));
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, state.backend]);

  // The worker changed backend by itself (the GPU it ran on was lost): say so and recompute every figure.
  useEffect(
    () =>
      api.onBackendChange?.((b) => {
        setBackend(b);
        setBackendNotice(null); // b.note ("Fell back to …: the WebGL context was lost …") is shown as the notice
        setModelVersion((v) => v + 1);
      }),
    [api],
  );

  // Model: load when the key changes; the previous model keeps working if it fails.
  useEffect(() => {
    const source: ModelSource | null = findModelSource(state.model);
    if (!source) {
      // Not loaded (yet): the checkpoint loader offers to load it, or loads it from the cache; show a bundled model meanwhile.
      requestUnknownModel(state.model);
      setState({ model: bundledModels[0].key });
      return;
    }
    const ctrl = new AbortController();
    api.cancelModelWork?.(); // the old model's generation and queued work stop now, not after the download
    setStatus((s) => (s === 'ready' ? 'ready' : 'loading'));
    setProgress({ loaded: 0, total: 0, phase: 'download' });
    const p = ready.current.then(async () => {
      const tokText =
        source.kind === 'url'
          ? await fetch(`${source.baseUrl}tokenizer.json`, { signal: ctrl.signal }).then((r) => {
              if (!r.ok) throw new Error(`tokenizer.json: HTTP ${r.status}`);
              return r.text();
            })
          : new TextDecoder().decode(source.tokenizer);
      const m = await api.loadModel(source, (pr) => !ctrl.signal.aborted && setProgress(pr), ctrl.signal);
      const tok = loadTokenizer(tokText, { vocabSize: m.config.vocabSize, arch: m.config.arch });
      return { m, tok };
    });
    ready.current = p.catch(() => undefined);
    p.then(({ m, tok }) => {
      if (ctrl.signal.aborted) return;
      matrices.current.clear();
      setInfo(m);
      setTokenizer(tok);
      setStatus('ready');
      setError(null);
      setProgress({ loaded: m.weightBytes, total: m.weightBytes, phase: 'ready' });
      setModelVersion((v) => v + 1);
    }).catch((e: unknown) => {
      if (ctrl.signal.aborted) return;
      setError(`Could not load ${source.label}: ${plainWords(String((e as Error)?.message ?? e))}`);
      setStatus((s) => (info ? 'ready' : s === 'loading' ? 'error' : s));
      setProgress(null);
      setModelVersion((v) => v + 1); // the switch cancelled the old model's work in the worker: recompute the figures
    });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, state.model]);

  const tokens = useMemo<PromptTokens>(() => {
    if (!tokenizer || !info) return EMPTY_TOKENS;
    try {
      return promptTokens(tokenizer, state.prompt, info.config.nPositions);
    } catch (e) {
      return { ids: [], total: 0, notice: `The prompt could not be tokenised: ${String((e as Error).message)}` };
    }
  }, [tokenizer, info, state.prompt]);

  // Forward pass of the shared prompt, off the render path. Stale answers resolve null.
  useEffect(() => {
    if (status !== 'ready' || !info) return;
    if (tokens.ids.length === 0) {
      setForward(null);
      setPending(false);
      return;
    }
    let alive = true;
    setPending(true);
    api
      .forward(tokens.ids, { lensK: 5 })
      .then((r) => {
        if (!alive || r === null) return;
        setForward(r);
        setPending(false);
      })
      .catch((e: unknown) => {
        if (!alive) return;
        setPending(false);
        setError(`The forward pass failed: ${String((e as Error)?.message ?? e)}`);
      });
    return () => {
      alive = false;
    };
  }, [api, status, info, tokens, modelVersion]);

  const matrix = useMemo(
    () => (name: MatrixName) => {
      let p = matrices.current.get(name);
      if (!p) {
        p = api.matrix(name);
        matrices.current.set(name, p);
        p.catch(() => matrices.current.delete(name));
      }
      return p;
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, modelVersion],
  );

  const notices = useMemo(
    () =>
      [backendNotice, backend?.note && backend.note.startsWith('Fell back') ? backend.note : null, tokens.notice].filter(
        (x): x is string => !!x,
      ),
    [backendNotice, backend, tokens.notice],
  );

  // Memoised so that app-state changes that do not touch the model (a slider) do not re-render every model consumer.
  const value = useMemo<ModelContextValue>(
    () => ({ api, status, progress, error, notices, backend, info, tokenizer, tokens, forward, pending, matrix, modelVersion }),
    [api, status, progress, error, notices, backend, info, tokenizer, tokens, forward, pending, matrix, modelVersion],
  );
  return <ModelContext.Provider value={value}>{children}</ModelContext.Provider>;
}

export function useModel(): ModelContextValue {
  const m = useContext(ModelContext);
  if (!m) throw new Error('useModel outside ModelProvider');
  return m;
}

/** The forward result only if it matches the current prompt tokens (never a stale mix). */
export function useForward(): ForwardResult | null {
  const { forward, tokens, info } = useModel();
  if (!forward || !info || forward.modelKey !== info.key) return null;
  if (forward.ids.length !== tokens.ids.length) return null;
  for (let i = 0; i < tokens.ids.length; i++) if (forward.ids[i] !== tokens.ids[i]) return null;
  return forward;
}
