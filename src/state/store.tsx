/**
 * The shared app state (prompt, model, backend, sliders), kept in the URL.
 * One React context; figures read it with `useAppState()` and change it with
 * `setState({...})`. URL writes use history.replaceState, throttled, and obey
 * the URL-length rule of params.ts (`pageUrl`): past MAX_URL_BYTES the prompt
 * is left out of the address and `notes` says so.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { MAX_URL_BYTES, PARAMS, pageUrl, readParams, type AppState } from './params';

interface Store {
  state: AppState;
  setState: (patch: Partial<AppState>) => void;
  /** Notes about the address (prompt cut when read from a link, prompt left out of the address); shown by the prompt bar. */
  notes: string[];
}

const StoreContext = createContext<Store | null>(null);

const kb = (n: number) => `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;

/** url (path, query, hash) with the embed marker added to its query, before the hash. */
function withEmbed(url: string, embed: string): string {
  const h = url.indexOf('#');
  const [head, hash] = h < 0 ? [url, ''] : [url.slice(0, h), url.slice(h)];
  return `${head}${head.includes('?') ? '&' : '?'}embed=${encodeURIComponent(embed)}${hash}`;
}

export function StoreProvider({ children, initial }: { children: ReactNode; initial?: AppState }) {
  // What the link said, read once: the state, and the prompt's length if it had to be cut.
  const [fromLink] = useState(() => (initial ? { state: initial, cut: {} } : readParams(window.location.search)));
  const [state, setFull] = useState<AppState>(fromLink.state);
  const [dropped, setDropped] = useState<number | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const setState = useCallback((patch: Partial<AppState>) => {
    setFull((s) => {
      let changed = false;
      for (const k of Object.keys(patch) as (keyof AppState)[]) if (s[k] !== patch[k]) changed = true;
      return changed ? { ...s, ...patch } : s;
    });
  }, []);
  useEffect(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      // An embed (?embed=<figure id>) stays one: its marker is not app state, so it is carried over as is.
      const embed = new URLSearchParams(window.location.search).get('embed');
      const page = pageUrl(state, window.location.origin, window.location.pathname, window.location.hash);
      setDropped(page.promptDropped ? page.fullBytes : null);
      const u = embed === null ? page : { ...page, url: withEmbed(page.url, embed) };
      try {
        window.history.replaceState(null, '', u.url);
      } catch {
        /* some browsers throttle replaceState; the state stays in memory */
      }
    }, 150);
  }, [state]);
  const cutFrom = fromLink.cut.prompt;
  const notes = useMemo(() => {
    const out: string[] = [];
    // Shown while the prompt is still the one cut from the link.
    if (cutFrom !== undefined && state.prompt === fromLink.state.prompt) {
      out.push(
        `The prompt in the link was ${cutFrom.toLocaleString('en-US')} characters long; the prompt box holds at most ${PARAMS.prompt.maxLength.toLocaleString('en-US')}, so only the first ${PARAMS.prompt.maxLength.toLocaleString('en-US')} are used.`,
      );
    }
    if (dropped !== null) {
      out.push(
        `This prompt is too long for the page’s address (${kb(dropped)} with it; the page keeps addresses under ${kb(MAX_URL_BYTES)}, which every common server accepts), so the address, and a link copied from it, does not carry the prompt. Everything else is still in the link.`,
      );
    }
    return out;
  }, [cutFrom, fromLink.state.prompt, state.prompt, dropped]);
  const value = useMemo(() => ({ state, setState, notes }), [state, setState, notes]);
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>;
}

export function useAppState(): Store {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useAppState outside StoreProvider');
  return s;
}
