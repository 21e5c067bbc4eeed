/**
 * Small hooks shared by the part-1 figures: weight matrices, per-model
 * derived arrays (computed once per model, in chunks so typing never waits),
 * and URL parameters.
 */
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { useModel } from '../../state/model';
import { useAppState } from '../../state/store';
import type { AppState, ParamName } from '../../state/params';
import type { Matrix, MatrixName } from '../../runtime/types';

/** A weight matrix of the active model, or null while it is being fetched. */
export function useMatrix(name: MatrixName | null): Matrix | null {
  const { matrix, info, modelVersion } = useModel();
  const [m, setM] = useState<{ key: string; m: Matrix } | null>(null);
  const key = `${info?.key ?? ''}#${modelVersion}#${name}`;
  useEffect(() => {
    if (!info || !name) return;
    let alive = true;
    matrix(name)
      .then((x) => alive && setM({ key, m: x }))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [matrix, info, name, key]);
  return m && m.key === key ? m.m : null;
}

/** Yields to the event loop (so input and rendering run between chunks). */
export function nextTick(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

/** Runs fn(start, end) over [0, total) in slices of about `budgetMs`, yielding between slices. */
export async function chunked(total: number, fn: (start: number, end: number) => void, budgetMs = 8, signal?: { aborted: boolean }): Promise<void> {
  let i = 0;
  let step = 64;
  while (i < total) {
    if (signal?.aborted) return;
    const t0 = performance.now();
    const end = Math.min(total, i + step);
    fn(i, end);
    i = end;
    const dt = performance.now() - t0;
    step = Math.max(1, Math.round(step * Math.min(4, Math.max(0.25, budgetMs / Math.max(0.1, dt)))));
    await nextTick();
  }
}

const derivedCache = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * A value derived from a matrix (or any object), computed once per object and
 * cached: `useDerived(wte, 'norms', computeNorms)`. `compute` may be async
 * (chunked). Returns null until ready.
 */
export function useDerived<T>(src: object | null, key: string, compute: (src: never) => Promise<T> | T): T | null {
  const [val, setVal] = useState<{ src: object; key: string; v: T } | null>(null);
  useEffect(() => {
    if (!src) return;
    let alive = true;
    let m = derivedCache.get(src);
    if (!m) derivedCache.set(src, (m = new Map()));
    let p = m.get(key) as Promise<T> | undefined;
    if (!p) {
      p = Promise.resolve().then(() => compute(src as never));
      m.set(key, p);
    }
    p.then((v) => alive && setVal({ src, key, v })).catch(() => m!.delete(key));
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [src, key]);
  return val && val.src === src && val.key === key ? val.v : null;
}

/** One URL parameter as [value, setter]. */
export function useParam<K extends ParamName>(name: K): [AppState[K], (v: AppState[K]) => void] {
  const { state, setState } = useAppState();
  return [state[name], (v: AppState[K]) => setState({ [name]: v } as Partial<AppState>)];
}

/** Row norms, chunked. */
export async function rowNormsChunked(m: Matrix): Promise<Float32Array> {
  const out = new Float32Array(m.rows);
  const D = m.cols;
  const d = m.data;
  await chunked(m.rows, (a, b) => {
    for (let r = a; r < b; r++) {
      let s = 0;
      const o = r * D;
      for (let c = 0; c < D; c++) s += d[o + c] * d[o + c];
      out[r] = Math.sqrt(s);
    }
  });
  return out;
}

/** True when the reader asked for less motion. */
export function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
}

/** Observed width of an element (for responsive SVG/canvas). */
export function useWidth(ref: React.RefObject<HTMLElement | null>, fallback = 640): number {
  const [w, setW] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const set = () => setW(Math.max(200, Math.floor(el.getBoundingClientRect().width)));
    set();
    const ro = new ResizeObserver(set);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

/**
 * URL parameters for a slider-driven figure: the figure (and its control) update
 * at once from local state, while the shared store — and with it the rest of
 * the page and the URL — follows in a React transition, so dragging never waits
 * for every other figure to re-render. Changes made elsewhere (URL, linked
 * figures) flow back in.
 */
export function useFastParams<K extends ParamName>(keys: readonly K[]): [Pick<AppState, K>, (patch: Partial<Pick<AppState, K>>) => void] {
  const { state, setState } = useAppState();
  const pick = (): Pick<AppState, K> => {
    const o = {} as Pick<AppState, K>;
    for (const k of keys) o[k] = state[k];
    return o;
  };
  const [local, setLocal] = useState<Pick<AppState, K>>(pick);
  const sent = useRef<Partial<Pick<AppState, K>>>({});
  const globalKey = keys.map((k) => String(state[k])).join('|');
  useEffect(() => {
    // adopt values that changed elsewhere (not the echo of what this figure just sent)
    setLocal((cur) => {
      let changed = false;
      const next = { ...cur };
      for (const k of keys) {
        const g = state[k];
        if (k in sent.current && sent.current[k] !== g) continue; // our newer value is still on its way
        if (k in sent.current) delete sent.current[k];
        if (cur[k] !== g) {
          next[k] = g;
          changed = true;
        }
      }
      return changed ? next : cur;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [globalKey]);
  const stateRef = useRef(state);
  stateRef.current = state;
  const set = useCallback(
    (patch: Partial<Pick<AppState, K>>) => {
      setLocal((cur) => ({ ...cur, ...patch }));
      for (const k of Object.keys(patch) as K[]) {
        if (stateRef.current[k] === patch[k]) delete sent.current[k];
        else sent.current[k] = patch[k];
      }
      startTransition(() => setState(patch as Partial<AppState>));
    },
    [setState],
  );
  return [local, set];
}
