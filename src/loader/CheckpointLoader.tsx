/**
 * "Load a real checkpoint": presets (sizes stated before downloading), a
 * folder URL, files from disk (picker, folder picker, drag and drop), a
 * download bar in bytes with Cancel, the list of stored files with Remove /
 * Clear, and the offer shown when a link names a model that is not loaded.
 * Loading registers the checkpoint and switches the whole essay to it via
 * state.model; the model provider does the rest.
 */
import './loader.css';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import { setParams as setState, useParam } from '../state/store';
import { useModelState } from '../state/model';
import { int } from '../kit/format';
import {
  bundledModels,
  isKnownModel,
  loadedModels,
  onModelRequested,
  registerLoadedModel,
  requestUnknownModel,
  requestedModel,
  unregisterLoadedModel,
} from '../state/models';
import { PRESETS, findPreset, presetMemory } from './presets';
import {
  checkpointFromFiles,
  checkpointFromUrl,
  fullyCached,
  labelForUrl,
  sourceForKey,
  type Checkpoint,
  type OverallProgress,
  type RememberedSource,
} from './checkpoint';
import { LoadError, clearCache, deleteCached, listCached, mb, type CachedEntry } from './download';
import { filesFromDrop } from './drop';

type Busy = { what: string; progress: OverallProgress | null; ctrl: AbortController };
type Msg = { kind: 'error' | 'info'; text: string; id?: number } | null;
let msgSeq = 0;
type Offer = { kind: 'download'; key: string; src: RememberedSource } | { kind: 'local'; key: string } | { kind: 'unknown'; key: string };

/** The same files picked again (name, size, date of every file) → the key they were loaded under, so no second entry is added. */
const loadedFiles = new Map<string, string>();
const fingerprint = (files: File[]) =>
  files
    .map((f) => `${f.name}\u0000${f.size}\u0000${f.lastModified}`)
    .sort()
    .join('\u0001');

function useCachedList(): [CachedEntry[], () => void] {
  const [list, setList] = useState<CachedEntry[]>([]);
  const refresh = useCallback(() => {
    listCached()
      .then(setList)
      .catch(() => setList([]));
  }, []);
  useEffect(refresh, [refresh]);
  return [list, refresh];
}

export function CheckpointLoader() {
  const state = { model: useParam('model')[0] };
  const m = useModelState((s) => ({ info: s.info, status: s.status, error: s.error, progress: s.progress, api: s.api }));
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [msg, setMsgRaw] = useState<Msg>(null);
  // Each message is a new element (screen readers announce it; tests can tell a new message from an old one).
  const setMsg = useCallback((m: Msg) => setMsgRaw(m && { ...m, id: ++msgSeq }), []);
  const [url, setUrl] = useState('');
  const [drag, setDrag] = useState(false);
  const [offer, setOffer] = useState<Offer | null>(null);
  const [waitingFor, setWaitingFor] = useState<{ key: string; label: string } | null>(null);
  const [cached, refreshCached] = useCachedList();
  const busyRef = useRef<Busy | null>(null);
  busyRef.current = busy;
  const requested = useSyncExternalStore(onModelRequested, requestedModel, () => null);

  /** Registers a checkpoint and switches the essay to it. */
  const activate = useCallback(
    (c: Checkpoint, how: string) => {
      registerLoadedModel(c.entry, c.source);
      requestUnknownModel(null);
      setOffer(null);
      setWaitingFor({ key: c.entry.key, label: c.entry.label });
      setMsg({
        kind: 'info',
        text:
          `${how} ${c.entry.label}: ${(c.estimate.parameters / 1e6).toFixed(1)}M parameters, ${mb(c.weightBytes)} of weights. Starting it in the page…` +
          (c.notes.length ? ` Note: ${c.notes.join('; ')}.` : ''),
      });
      setState({ model: c.entry.key });
    },
    [setMsg],
  );

  // Report when the model provider has the new model running, or failed: then the essay goes back to
  // the model still running (the URL and the select follow) and the broken entry leaves the list.
  useEffect(() => {
    if (!waitingFor) return;
    if (m.info?.key === waitingFor.key && m.status === 'ready') {
      setMsg({ kind: 'info', text: `Every chapter now shows ${m.info.label} (${int(m.info.parameterCount)} parameters).` });
      setWaitingFor(null);
    } else if (m.error && m.error.startsWith(`Could not load ${waitingFor.label}:`) && m.progress === null) {
      setMsg({ kind: 'error', text: `${m.error.replace(/([^.!?])$/, '$1.')}${m.info ? ` The page still shows ${m.info.label}.` : ''}` });
      setWaitingFor(null);
      unregisterLoadedModel(waitingFor.key);
      if (m.info && state.model === waitingFor.key) setState({ model: m.info.key });
    }
  }, [waitingFor, m.info, m.status, m.error, m.progress, state.model, setMsg]);

  const run = useCallback(
    async (what: string, job: (ctrl: AbortController, onProgress: (p: OverallProgress) => void) => Promise<Checkpoint>, how: string) => {
      if (busyRef.current) return;
      const ctrl = new AbortController();
      const b: Busy = { what, progress: null, ctrl };
      setBusy(b);
      setOpen(true);
      setMsg(null);
      let last = 0;
      try {
        const c = await job(ctrl, (p) => {
          const now = performance.now();
          if (now - last < 100 && p.file.loaded !== p.file.total) return;
          last = now;
          setBusy((x) => (x && x.ctrl === ctrl ? { ...x, progress: p } : x));
        });
        if (ctrl.signal.aborted) throw new LoadError('aborted', 'Cancelled. Nothing was stored; the current model is unchanged.');
        activate(c, how);
      } catch (e) {
        setOpen(true);
        const text =
          e instanceof LoadError
            ? e.message
            : `Could not load the checkpoint: ${String((e as Error)?.message ?? e)}. The current model is unchanged.`;
        setMsg({ kind: e instanceof LoadError && e.kind === 'aborted' ? 'info' : 'error', text });
      } finally {
        setBusy((x) => (x && x.ctrl === ctrl ? null : x));
        refreshCached();
      }
    },
    [activate, refreshCached, setMsg],
  );

  const loadUrl = useCallback(
    (input: string, key?: string, label?: string, fromCache = false) =>
      run(
        `Loading ${label ?? labelForUrl(input)}`,
        (ctrl, onProgress) => checkpointFromUrl(input, { key, label, signal: ctrl.signal, onProgress }),
        fromCache ? 'Loaded from this browser’s storage:' : 'Downloaded',
      ),
    [run],
  );

  const loadFiles = useCallback(
    (files: File[], folder: string | null) => {
      if (files.length === 0) return;
      const fp = fingerprint(files);
      const had = loadedFiles.get(fp);
      if (had && isKnownModel(had)) {
        setOpen(true);
        setMsg({
          kind: 'info',
          text: `These files are already loaded (${loadedModels().find((x) => x.key === had)?.label ?? had}); the essay shows that model.`,
        });
        setState({ model: had });
        return;
      }
      void run(
        'Reading files',
        async () => {
          const c = await checkpointFromFiles(files, isKnownModel, folder);
          loadedFiles.set(fp, c.entry.key);
          return c;
        },
        'Read',
      );
    },
    [run, setMsg],
  );

  // A link named a model that is not loaded: load it from the cache, or offer it.
  useEffect(() => {
    if (!requested) return;
    let alive = true;
    const src = sourceForKey(requested);
    if (!src) {
      setOffer({ kind: requested.startsWith('local-') ? 'local' : 'unknown', key: requested });
      return;
    }
    fullyCached(src.baseUrl).then((c) => {
      if (!alive) return;
      if (c) {
        requestUnknownModel(null);
        void loadUrl(src.baseUrl, src.key, src.label, true);
      } else setOffer({ kind: 'download', key: requested, src });
    });
    return () => {
      alive = false;
    };
  }, [requested, loadUrl]);

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDrag(false);
    const { files, folder } = await filesFromDrop(e.dataTransfer);
    loadFiles(files, folder);
  };

  const storedBases = new Set(cached.map((c) => c.url.slice(0, c.url.lastIndexOf('/') + 1)));
  const totalStored = cached.reduce((a, c) => a + c.bytes, 0);
  const p = busy?.progress;

  return (
    <section className="checkpoint-loader" aria-label="Load a real checkpoint" data-testid="loader">
      {offer && (
        <div className="loader-offer" role="status" data-testid="model-offer">
          {offer.kind === 'download' ? (
            <>
              <p>
                This link shows <strong>{offer.src.label}</strong>
                {offer.src.downloadBytes ? ` (${mb(offer.src.downloadBytes)} download)` : ''}: load it? Meanwhile the page shows{' '}
                {bundledModels[0].label}.
              </p>
              <button
                type="button"
                data-testid="offer-load"
                disabled={!!busy}
                onClick={() => {
                  setOffer(null);
                  setOpen(true);
                  void loadUrl(offer.src.baseUrl, offer.src.key, offer.src.label);
                }}
              >
                Load {offer.src.label}
                {offer.src.downloadBytes ? ` (${mb(offer.src.downloadBytes)})` : ''}
              </button>{' '}
              <button type="button" onClick={() => (setOffer(null), requestUnknownModel(null))}>
                No, thanks
              </button>
            </>
          ) : (
            <p>
              {offer.kind === 'local'
                ? `This link names “${offer.key}”, a checkpoint someone opened from files on their own computer; open the same files below to see it. `
                : `This link names a model “${offer.key}” this page does not know. `}
              Meanwhile the page shows {bundledModels[0].label}.{' '}
              <button type="button" onClick={() => (setOffer(null), requestUnknownModel(null))}>
                Dismiss
              </button>
            </p>
          )}
        </div>
      )}
      <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary data-testid="loader-toggle">Load a real checkpoint (GPT-2, OPT, Pythia, SmolLM2, or your own files)</summary>
        <div className="loader-body">
          <p className="hint">
            Any GPT-2, OPT, GPT-NeoX (Pythia), Llama (SmolLM2) or GPT-Neo (TinyStories) checkpoint in safetensors format. The files stay in
            your browser; downloads are kept in its storage, so the next visit needs no network.
          </p>
          <div className="loader-presets" role="group" aria-label="Presets from Hugging Face">
            {PRESETS.map((pr) => {
              const stored = storedBases.has(pr.baseUrl);
              return (
                <button
                  key={pr.key}
                  type="button"
                  data-testid={`preset-${pr.key}`}
                  disabled={!!busy}
                  title={
                    presetMemory(pr) ? `${pr.description}; about ${mb(presetMemory(pr)!.needBytes)} of memory once loaded` : pr.description
                  }
                  onClick={() => void loadUrl(pr.baseUrl, pr.key, pr.label, stored)}
                >
                  {pr.label} · {stored ? 'stored here' : `${mb(pr.downloadBytes)} download`}
                  {pr.dtype !== 'F32' ? ` (${pr.dtype})` : ''}
                </button>
              );
            })}
          </div>
          <form
            className="loader-url"
            onSubmit={(e) => {
              e.preventDefault();
              void loadUrl(url);
            }}
          >
            <label htmlFor="checkpoint-url">Folder URL or repo id</label>
            {/* type="text", not "url": a bare repo id ("gpt2") is valid here, and the browser's URL check would block it.
                normaliseBaseUrl is the page's own check; its message appears below. */}
            <input
              id="checkpoint-url"
              type="text"
              inputMode="url"
              autoComplete="off"
              autoCapitalize="off"
              aria-describedby="checkpoint-url-hint"
              placeholder="gpt2, facebook/opt-125m or https://huggingface.co/gpt2/resolve/main/"
              value={url}
              onChange={(e) => {
                setUrl(e.target.value);
                // an error about an earlier address no longer applies
                if (msg?.kind === 'error') setMsg(null);
              }}
              spellCheck={false}
              data-testid="url-input"
            />
            <button type="submit" disabled={!!busy || !url.trim()} data-testid="url-load">
              Load
            </button>
          </form>
          <p id="checkpoint-url-hint" className="hint">
            A folder holding config.json, model.safetensors and tokenizer.json, a Hugging Face page, or just the repo id (gpt2,
            facebook/opt-125m).
          </p>
          <div
            className={drag ? 'loader-drop drag' : 'loader-drop'}
            data-testid="drop-zone"
            onDragOver={(e) => {
              e.preventDefault();
              setDrag(true);
            }}
            onDragLeave={() => setDrag(false)}
            onDrop={(e) => void onDrop(e)}
          >
            <p>
              <strong>Drop a checkpoint folder or its files here</strong>: config.json, model.safetensors and tokenizer.json (or vocab.json
              + merges.txt).
            </p>
            <label>
              Choose files{' '}
              <input
                type="file"
                multiple
                accept=".json,.safetensors,.txt,.bin"
                disabled={!!busy}
                data-testid="file-input"
                onChange={(e) => {
                  loadFiles(Array.from(e.target.files ?? []), null);
                  e.target.value = '';
                }}
              />
            </label>{' '}
            <label>
              or a folder{' '}
              <input
                type="file"
                disabled={!!busy}
                data-testid="folder-input"
                ref={(el) => {
                  if (el) el.setAttribute('webkitdirectory', '');
                }}
                onChange={(e) => {
                  loadFiles(Array.from(e.target.files ?? []), null);
                  e.target.value = '';
                }}
              />
            </label>
          </div>
          {busy && (
            <div className="loader-progress" data-testid="dl-progress-box">
              <progress
                aria-label={`${busy.what}: ${p?.file.file ?? 'starting'}`}
                data-testid="dl-progress"
                data-loaded={p?.file.loaded ?? 0}
                data-total={p?.file.total ?? 0}
                max={p?.file.total || 1}
                value={p?.file.total ? p.file.loaded : undefined}
              />
              <span data-testid="dl-text">
                {busy.what}
                {p
                  ? ` — ${p.file.file}${p.file.fromCache ? ' (from storage)' : ''}: ${mb(p.file.loaded)}${p.file.total ? ` of ${mb(p.file.total)}` : ''}`
                  : '…'}
              </span>{' '}
              <button type="button" data-testid="dl-cancel" onClick={() => busy.ctrl.abort()}>
                Cancel
              </button>
            </div>
          )}
          <div aria-live="polite">
            {msg && (
              <p
                key={msg.id}
                className={msg.kind === 'error' ? 'notice error' : 'notice'}
                role={msg.kind === 'error' ? 'alert' : undefined}
                data-testid={msg.kind === 'error' ? 'loader-error' : 'loader-message'}
              >
                {msg.text}
              </p>
            )}
          </div>
          <div className="loader-stored" data-testid="cache-list">
            <h3>Stored in this browser {cached.length > 0 && `(${mb(totalStored)})`}</h3>
            {cached.length === 0 ? (
              <p className="hint">Nothing yet.</p>
            ) : (
              <>
                <ul>
                  {cached.map((c) => (
                    <li key={c.url} data-testid="cache-entry" data-url={c.url}>
                      <span>
                        {labelForUrl(c.url.slice(0, c.url.lastIndexOf('/') + 1))} / {c.url.slice(c.url.lastIndexOf('/') + 1)} ·{' '}
                        {mb(c.bytes)}
                      </span>{' '}
                      <button
                        type="button"
                        aria-label={`Remove ${c.url}`}
                        data-testid="cache-remove"
                        onClick={() => void deleteCached(c.url).then(refreshCached)}
                      >
                        Remove
                      </button>
                    </li>
                  ))}
                </ul>
                <button type="button" data-testid="cache-clear" onClick={() => void clearCache().then(refreshCached)}>
                  Clear all stored checkpoints
                </button>
              </>
            )}
          </div>
        </div>
      </details>
    </section>
  );
}

export { findPreset };
