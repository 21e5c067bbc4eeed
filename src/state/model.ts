/**
 * The active model, its tokenizer and the forward pass of the shared prompt.
 *
 * Everything model-related runs off the render path in `startModelController`
 * (started by main.tsx before the first render):
 * the runtime client talks to a Web Worker; results arrive as typed arrays and
 * are written to `modelStore`. Components read slices of it (`useModelState`,
 * `useForward`, `useInfo`, ...), so a forward result re-renders only the
 * figures that read the forward result. Figures never touch tfjs.
 */
import type { ModelApi, ModelSource } from '../runtime/api';
import { fetchWithProgress } from '../runtime/client';
import type { BackendInfo, BackendName, ForwardResult, LoadProgress, ModelInfo } from '../runtime/types';
import { loadTokenizer, sanitizePrompt, type PageTokenizer } from '../tokenizer';
import { createStore, paramStore, useSelector } from './store';
import { plainWords } from './plain-error';
import { bundledModels, findModelSource, requestUnknownModel } from './models';
import type { AppState } from './params';

export type ModelStatus = 'init' | 'loading' | 'ready' | 'error';

export interface PromptTokens {
  /** Token ids actually sent to the model (last n_positions of the prompt). */
  ids: number[];
  /** Token count before truncation. */
  total: number;
  /** Set when the prompt had to be shortened. */
  notice: string | null;
}

export interface ModelState {
  api: ModelApi | null;
  status: ModelStatus;
  progress: LoadProgress | null;
  error: string | null;
  backend: BackendInfo | null;
  /** Set when the backend asked for is not the one running. */
  backendNotice: string | null;
  info: ModelInfo | null;
  tokenizer: PageTokenizer | null;
  tokens: PromptTokens;
  /** Latest forward pass for the shared prompt (null while none / empty prompt). */
  forward: ForwardResult | null;
  /** True while a newer forward pass is running. */
  pending: boolean;
  /** Increments whenever the active model or backend changes (caches are keyed by it). */
  modelVersion: number;
}

const EMPTY_TOKENS: PromptTokens = { ids: [], total: 0, notice: null };

export const modelStore = createStore<ModelState>({
  api: null,
  status: 'init',
  progress: null,
  error: null,
  backend: null,
  backendNotice: null,
  info: null,
  tokenizer: null,
  tokens: EMPTY_TOKENS,
  forward: null,
  pending: false,
  modelVersion: 0,
});

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

function sameIds(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What the page says about the backend it runs on: why it is not the one asked for, or which one failed to start. */
function backendNotice(want: BackendName | 'auto', b: BackendInfo): string | null {
  if (want !== 'auto' && b.name !== want) return `The ${want} backend is not available here (${b.note}); running on ${b.name} instead.`;
  // In auto mode, a backend that should have started but failed (not one skipped on purpose) is worth saying too.
  const failed = want === 'auto' ? b.note.split('; ').filter((s) => /\b(failed|did not start|timed out)\b/.test(s)) : [];
  return failed.length ? `Running on ${b.name}: ${failed.join('; ')}.` : null;
}

/**
 * Connects the stores to the runtime: initialises the backend, loads the model
 * the URL names, tokenizes the prompt and runs the forward pass, each time the
 * parameters they depend on change. Returns a function that stops it.
 */
export function startModelController(api: ModelApi): () => void {
  const set = modelStore.set;
  const get = modelStore.get;
  let ready: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let backendAlive = { v: true };
  let loadCtrl: AbortController | null = null;
  let forwardAlive = { v: true };
  set({ api });

  const bumpVersion = () => set({ modelVersion: get().modelVersion + 1 });

  // Backend: initialise once, switch when the reader asks.
  const applyBackend = (want: BackendName | 'auto') => {
    backendAlive.v = false;
    const alive = (backendAlive = { v: true });
    const first = get().backend === null;
    const p = ready.then(() => (first ? api.init(want) : want === 'auto' ? api.init('auto') : api.setBackend(want)));
    ready = p.catch(() => undefined);
    p.then((b) => {
      if (!alive.v || stopped) return;
      set({ backend: b, backendNotice: backendNotice(want, b) });
      bumpVersion(); // recompute figures on the new backend
    }).catch((e: unknown) => alive.v && !stopped && set({ error: `No backend could start: ${String((e as Error)?.message ?? e)}` }));
  };

  // Model: load when the key changes; the previous model keeps working if it fails.
  const applyModel = (key: string) => {
    const source: ModelSource | null = findModelSource(key);
    if (!source) {
      // Not loaded (yet): the checkpoint loader offers to load it, or loads it from the cache; show a bundled model meanwhile.
      requestUnknownModel(key);
      paramStore.set({ model: bundledModels[0].key });
      return;
    }
    loadCtrl?.abort();
    const ctrl = (loadCtrl = new AbortController());
    api.cancelModelWork?.(); // the old model's generation and queued work stop now, not after the download
    set({ status: get().status === 'ready' ? 'ready' : 'loading', progress: { loaded: 0, total: 0, phase: 'download' } });
    // The files download now, while the backend (or an earlier load) is still starting; the weights go
    // to the worker once that has settled.
    const before = ready;
    const p = (async () => {
      const tokP =
        source.kind === 'url'
          ? fetchWithProgress(`${source.baseUrl}tokenizer.json`, () => undefined, ctrl.signal).then((b) => new TextDecoder().decode(b))
          : Promise.resolve(new TextDecoder().decode(source.tokenizer));
      // the worker gets the weights only with the tokenizer in hand: a tokenizer that fails keeps the old model
      const gate = Promise.all([before, tokP]);
      gate.catch(() => undefined); // (handled: loadModel awaits it and rejects with its reason)
      const m = await api.loadModel(source, (pr) => !ctrl.signal.aborted && set({ progress: pr }), ctrl.signal, gate);
      const tok = loadTokenizer(await tokP, { vocabSize: m.config.vocabSize, arch: m.config.arch });
      return { m, tok };
    })();
    ready = p.catch(() => undefined);
    p.then(({ m, tok }) => {
      if (ctrl.signal.aborted || stopped) return;
      set({
        info: m,
        tokenizer: tok,
        status: 'ready',
        error: null,
        progress: { loaded: m.weightBytes, total: m.weightBytes, phase: 'ready' },
        modelVersion: get().modelVersion + 1,
      });
    }).catch((e: unknown) => {
      if (ctrl.signal.aborted || stopped) return;
      const s = get().status;
      set({
        error: `Could not load ${source.label}: ${plainWords(String((e as Error)?.message ?? e))}`,
        status: get().info ? 'ready' : s === 'loading' ? 'error' : s,
        progress: null,
        // the switch cancelled the old model's work in the worker: recompute the figures
        modelVersion: get().modelVersion + 1,
      });
    });
  };

  const tokenize = () => {
    const { tokenizer, info } = get();
    let tokens = EMPTY_TOKENS;
    if (tokenizer && info) {
      try {
        tokens = promptTokens(tokenizer, paramStore.get().prompt, info.config.nPositions);
      } catch (e) {
        tokens = { ids: [], total: 0, notice: `The prompt could not be tokenised: ${String((e as Error).message)}` };
      }
    }
    const { tokens: cur, status } = get();
    if (cur.total === tokens.total && cur.notice === tokens.notice && sameIds(cur.ids, tokens.ids)) return false;
    // pending in the same update as the tokens: no render ever sees new tokens with no pass on its way
    set({ tokens, pending: status === 'ready' && !!info && tokens.ids.length > 0 });
    return true;
  };

  // Forward pass of the shared prompt, off the render path. Stale answers are dropped.
  const runForward = () => {
    forwardAlive.v = false;
    const { status, info, tokens } = get();
    if (status !== 'ready' || !info) {
      if (get().pending) set({ pending: false });
      return;
    }
    if (tokens.ids.length === 0) {
      set({ forward: null, pending: false });
      return;
    }
    const alive = (forwardAlive = { v: true });
    set({ pending: true });
    api
      // no lens (the lens figure asks for it on demand, state/lens.ts), and the logits of the last position only: every
      // reader takes that row (forward-readers.ts), and the other rows are T - 1 vocabulary-wide rows computed and copied
      .forward(tokens.ids, { lastOnly: true })
      .then((r) => {
        if (!alive.v || stopped || r === null) return;
        set({ forward: r, pending: false });
      })
      .catch((e: unknown) => {
        if (!alive.v || stopped) return;
        set({ pending: false, error: `The forward pass failed: ${String((e as Error)?.message ?? e)}` });
      });
  };

  // Every change that needs a forward asks for one; those made in the same task (a model arriving
  // sets info, tokenizer and then tokens, each notifying) share a single pass.
  let forwardQueued = false;
  const requestForward = () => {
    if (forwardQueued) return;
    forwardQueued = true;
    queueMicrotask(() => {
      forwardQueued = false;
      if (!stopped) runForward();
    });
  };

  // React to the parameters and to the model state.
  // Subscribed before the first model is applied: a model the URL names but the page does not have yet is
  // replaced by a bundled one inside applyModel, and that change must reach this listener too.
  let last: AppState = paramStore.get();
  const unParams = paramStore.subscribe(() => {
    const s = paramStore.get();
    const prev = last;
    last = s;
    if (s.backend !== prev.backend) applyBackend(s.backend as BackendName | 'auto');
    if (s.model !== prev.model) applyModel(s.model);
    // new tokens reach the model listener below, which runs the forward (once: not here as well)
    if (s.prompt !== prev.prompt) tokenize();
  });
  applyBackend(last.backend as BackendName | 'auto');
  applyModel(last.model);
  let lastModel = get();
  const unModel = modelStore.subscribe(() => {
    const s = get();
    const prev = lastModel;
    lastModel = s;
    if (s.tokenizer !== prev.tokenizer || s.info !== prev.info) tokenize();
    if (s.status !== prev.status || s.info !== prev.info || s.tokens !== prev.tokens || s.modelVersion !== prev.modelVersion)
      requestForward();
  });
  // The worker changed backend by itself (the GPU it ran on was lost, or it moved from wasm to a GPU its probes found),
  // or its note gained why it stays: say so, and recompute every figure if the backend changed.
  const unBackend = api.onBackendChange?.((b) => {
    const moved = get().backend?.name !== b.name;
    // A note that starts "Fell back to …" (the WebGL context was lost …) is shown as it is, by selectNotices; a note that
    // only gained detail keeps saying which backend failed to start.
    set({
      backend: b,
      backendNotice: b.note.startsWith('Fell back') ? null : backendNotice(paramStore.get().backend as BackendName | 'auto', b),
    });
    if (moved) bumpVersion(); // a note that only gained detail (why the GPUs were skipped) changes no number
  });

  return () => {
    stopped = true;
    loadCtrl?.abort();
    unParams();
    unModel();
    unBackend?.();
  };
}

/** A slice of the model state; re-renders only when the selected value changes (shallow). */
export function useModelState<S>(select: (s: ModelState) => S): S {
  return useSelector(modelStore, select);
}

export const useInfo = () => useModelState((s) => s.info);
export const useTokenizer = () => useModelState((s) => s.tokenizer);
export const useTokens = () => useModelState((s) => s.tokens);
export const useModelVersion = () => useModelState((s) => s.modelVersion);

/** The notices the page shows (backend fallback, prompt truncated, ...). */
export function selectNotices(s: ModelState): string[] {
  const list = [s.backendNotice, s.backend?.note && s.backend.note.startsWith('Fell back') ? s.backend.note : null, s.tokens.notice].filter(
    (x): x is string => !!x,
  );
  // The same array while the notices are the same, so selectors that include it stay equal.
  if (list.length === lastNotices.length && list.every((x, i) => x === lastNotices[i])) return lastNotices;
  return (lastNotices = list);
}
let lastNotices: string[] = [];

/** The forward result only if it matches the current prompt tokens and model (never a stale mix). */
export function selectForward(s: ModelState): ForwardResult | null {
  const { forward, tokens, info } = s;
  if (!forward || !info || forward.modelKey !== info.key) return null;
  if (forward.ids.length !== tokens.ids.length) return null;
  for (let i = 0; i < tokens.ids.length; i++) if (forward.ids[i] !== tokens.ids[i]) return null;
  return forward;
}

export function useForward(): ForwardResult | null {
  return useModelState(selectForward);
}

/**
 * What a model-driven figure shows: the current forward result or, while a newer pass for the same model
 * runs, the previous one (a whole, consistent result for the prompt before the edit). Figures keep their
 * content through an edit instead of blanking to "Running the model…" and back on every keystroke.
 * Never a result of another model.
 */
export function selectShownForward(s: ModelState): ForwardResult | null {
  const cur = selectForward(s);
  if (cur) return cur;
  const { forward, info, tokens, pending } = s;
  if (pending && forward && info && forward.modelKey === info.key && tokens.ids.length > 0) return forward;
  return null;
}

export function useShownForward(): ForwardResult | null {
  return useModelState(selectShownForward);
}

/** The whole model state and its notices (for the prompt bar and the loader, which show most of it). */
export function useModel(): ModelState & { notices: string[] } {
  return useModelState((s) => ({ ...s, notices: selectNotices(s) }));
}
