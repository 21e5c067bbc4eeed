/**
 * The controls shared by every chapter: the prompt, the model and the backend,
 * with the loading bar, the backend indicator and any notice. Sticky at the
 * top of the page.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { setParams as setState, useParams, useUrlNotes } from '../state/store';
import { selectNotices, useModelState } from '../state/model';
import { bundledModels, loadedModels, onModelsChanged } from '../state/models';
import { PARAMS } from '../state/params';
import { int } from '../kit/format';

const PROMPT_MAX = PARAMS.prompt.maxLength;

function useModelList() {
  return useSyncExternalStore(
    (cb) => onModelsChanged(cb),
    () =>
      loadedModels()
        .map((m) => m.key)
        .join('|'),
  );
}

/**
 * Publishes the sticky bar's height as --prompt-bar-h on the root element, so that
 * scroll-padding-top keeps focused controls and anchor targets from hiding under it.
 */
function usePublishedHeight() {
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const ro = new ResizeObserver(() => root.style.setProperty('--prompt-bar-h', `${Math.ceil(el.getBoundingClientRect().height)}px`));
    ro.observe(el);
    return () => {
      ro.disconnect();
      root.style.removeProperty('--prompt-bar-h');
    };
  }, []);
  return ref;
}

export function PromptBar() {
  const barRef = usePublishedHeight();
  const [state] = useParams(['prompt', 'model', 'backend'] as const);
  // Everything the bar shows of the model state, but not the forward result (it changes on every edit).
  const m = useModelState((s) => ({
    progress: s.progress,
    status: s.status,
    tokens: s.tokens,
    pending: s.pending,
    backend: s.backend,
    info: s.info,
    error: s.error,
    notices: selectNotices(s),
  }));
  const urlNotes = useUrlNotes();
  const [draft, setDraft] = useState(state.prompt);
  const [pasteNote, setPasteNote] = useState<string | null>(null);
  useModelList();
  // Keep the box in sync when the state changes from elsewhere (URL, a figure's "try this" button).
  useEffect(() => setDraft(state.prompt), [state.prompt]);

  const onChange = (v: string) => {
    if (v.length > PROMPT_MAX) {
      setPasteNote(`The prompt box holds at most ${int(PROMPT_MAX)} characters; the text was cut to fit.`);
      v = v.slice(0, PROMPT_MAX);
    } else setPasteNote(null);
    setDraft(v);
    setState({ prompt: v });
  };

  const p = m.progress;
  const loading = m.status === 'loading' || (p !== null && p.phase !== 'ready');
  const models = [...bundledModels, ...loadedModels()];
  return (
    <div className="prompt-bar" role="region" aria-label="Prompt and model" ref={barRef}>
      <label className="prompt-label" htmlFor="prompt">
        Prompt <span className="hint">(shared by every figure)</span>
      </label>
      <textarea
        id="prompt"
        className="prompt"
        rows={2}
        spellCheck={false}
        value={draft}
        onChange={(e) => onChange(e.target.value)}
        data-testid="prompt"
      />
      <div className="prompt-meta">
        <span data-testid="token-count">
          {m.tokens.total} token{m.tokens.total === 1 ? '' : 's'}
          {m.pending ? ' · running…' : ''}
        </span>
        <label>
          Model{' '}
          <select value={state.model} onChange={(e) => setState({ model: e.target.value })} data-testid="model-select">
            {models.map((x) => (
              <option key={x.key} value={x.key}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Backend{' '}
          <select value={state.backend} onChange={(e) => setState({ backend: e.target.value })} data-testid="backend-select">
            <option value="auto">auto</option>
            <option value="webgpu">WebGPU</option>
            <option value="webgl">WebGL</option>
            <option value="wasm">WebAssembly</option>
            <option value="cpu">CPU (JS)</option>
          </select>
        </label>
        <span className="backend-indicator" data-testid="backend" title={m.backend?.note}>
          running on <strong>{m.backend?.name ?? '…'}</strong>
          {m.backend?.adapter ? ` (${m.backend.adapter})` : ''}
        </span>
        <span className="model-indicator" data-testid="model-status" data-status={m.status}>
          {m.info ? `${m.info.label}: ${int(m.info.parameterCount)} parameters` : m.status === 'error' ? 'no model' : 'loading…'}
        </span>
      </div>
      {loading && p && (
        <div className="progress">
          <progress aria-label="Loading model weights" max={p.total || 1} value={p.total ? p.loaded : undefined} />
          <span data-testid="model-progress">
            {/* names the model coming; the indicator and the figures keep naming the active one until it is ready */}
            {models.find((x) => x.key === state.model)?.label ?? state.model}:{' '}
            {p.phase === 'download' ? 'downloading' : p.phase === 'parse' ? 'reading' : 'uploading'} weights
            {p.total ? ` ${int(p.loaded / 1024)} / ${int(p.total / 1024)} KB` : '…'}
          </span>
        </div>
      )}
      <div aria-live="polite" className="notices">
        {[pasteNote, ...urlNotes, ...m.notices].filter(Boolean).map((n) => (
          <p key={n} className="notice" data-testid="notice">
            {n}
          </p>
        ))}
        {m.error && (
          <p className="notice error" role="alert" data-testid="error">
            {m.error}
          </p>
        )}
      </div>
    </div>
  );
}
