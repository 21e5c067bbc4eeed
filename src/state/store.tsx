/**
 * The shared app state (prompt, model, backend, sliders), kept in the URL.
 * One React context; figures read it with `useAppState()` and change it with
 * `setState({...})`. URL writes use history.replaceState, throttled.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { parseParams, serializeParams, type AppState } from './params';

interface Store {
  state: AppState;
  setState: (patch: Partial<AppState>) => void;
}

const StoreContext = createContext<Store | null>(null);

export function StoreProvider({ children, initial }: { children: ReactNode; initial?: AppState }) {
  const [state, setFull] = useState<AppState>(() => initial ?? parseParams(window.location.search));
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
      const q = serializeParams(state);
      const query = embed === null ? q : `${q ? `${q}&` : '?'}embed=${encodeURIComponent(embed)}`;
      const url = `${window.location.pathname}${query}${window.location.hash}`;
      try {
        window.history.replaceState(null, '', url);
      } catch {
        /* some browsers throttle replaceState; the state stays in memory */
      }
    }, 150);
  }, [state]);
  const value = useMemo(() => ({ state, setState }), [state, setState]);
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>;
}

export function useAppState(): Store {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useAppState outside StoreProvider');
  return s;
}
