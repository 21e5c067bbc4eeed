/**
 * The page's state lives in small external stores read through slice
 * subscriptions.
 *
 * Why `useSyncExternalStore` with selectors and not a React context: a
 * context re-renders every consumer whenever any part of its value changes,
 * so one slider step or one forward result re-rendered all ~40 figures. Here
 * each component subscribes with a selector; after a change only the
 * components whose selected value changed (by shallow equality) re-render.
 * It is React's own primitive (no store library to keep up to date), it is
 * safe under concurrent rendering, and the store is a plain object that code
 * outside React (the model controller, tests, the benchmark) can read and
 * write.
 *
 * Three stores use it: the URL parameters (this file, driven by the table in
 * `params.ts`), the model state (`model.ts`) and the model registry
 * (`models.ts`).
 */
import { createContext, useCallback, useContext, useRef, useSyncExternalStore } from 'react';
import { MAX_URL_BYTES, PARAMS, pageUrl, readParams, type AppState, type ParamName } from './params';

export interface Store<T> {
  get(): T;
  /** Merges a patch; listeners run only when some field changed (Object.is). */
  set(patch: Partial<T>): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(patch) {
      let changed = false;
      for (const k of Object.keys(patch) as (keyof T)[]) if (!Object.is(state[k], patch[k])) changed = true;
      if (!changed) return;
      state = { ...state, ...patch };
      listeners.forEach((l) => l());
    },
    subscribe(l) {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
  };
}

/** Object.is for primitives; one level deep for arrays and plain objects. */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.prototype && !Array.isArray(a)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/**
 * True inside a part of the page that is far off screen (the kit's Figure
 * frame sets it): its components keep showing their last values and stop
 * listening to the stores, so an edit or a slider step costs them nothing;
 * when the part comes near the screen again they read the current values.
 */
export const OffScreen = createContext(false);

/**
 * True inside a part of the page that is near the screen but not in the
 * viewport (the kit's Figure frame sets it): its components still follow the
 * stores, but a change reaches them only once the stores have been quiet for
 * `QUIET_MS`, one component per task. A slider drag or a burst of typing
 * re-renders only what the reader can see; the figure just below the fold
 * catches up when the reader pauses, or at once when it scrolls into view.
 */
export const OutOfView = createContext(false);

/** How long the stores must be unchanged before parts out of view catch up (ms). */
export const QUIET_MS = 150;

const noSubscription = () => () => undefined;

/** Listeners of out-of-view components waiting for the stores to be quiet, in the order they were told. */
const waiting = new Set<() => void>();
let quietTimer: ReturnType<typeof setTimeout> | null = null;

/** Tells the waiting listeners, one per task, so that no catch-up of many figures becomes one long task. */
function tellWaiting(): void {
  quietTimer = null;
  const next = waiting.values().next();
  if (next.done) return;
  waiting.delete(next.value);
  next.value();
  if (waiting.size > 0 && quietTimer === null) quietTimer = setTimeout(tellWaiting, 0);
}

/** `store.subscribe` for an out-of-view component: each change (re)starts the quiet period. */
const deferredSubscribers = new WeakMap<object, (listener: () => void) => () => void>();
export function deferredSubscribe<T>(store: Store<T>): (listener: () => void) => () => void {
  let sub = deferredSubscribers.get(store);
  if (!sub) {
    sub = (listener) => {
      const unsubscribe = store.subscribe(() => {
        waiting.delete(listener);
        waiting.add(listener);
        if (quietTimer !== null) clearTimeout(quietTimer);
        quietTimer = setTimeout(tellWaiting, QUIET_MS);
      });
      return () => {
        waiting.delete(listener);
        unsubscribe();
      };
    };
    deferredSubscribers.set(store, sub);
  }
  return sub;
}

/**
 * Subscribes to `select(store state)`. The component re-renders only when
 * the selected value changes (shallow equality), so a selector may return a
 * fresh object of unchanged fields without causing renders.
 */
export function useSelector<T, S>(store: Store<T>, select: (s: T) => S): S {
  const memo = useRef<{ state: T; select: (s: T) => S; value: S } | null>(null);
  const offScreen = useContext(OffScreen);
  const outOfView = useContext(OutOfView);
  const getSnapshot = () => {
    const m = memo.current;
    if (offScreen && m) return m.value;
    const state = store.get();
    if (m && m.state === state && m.select === select) return m.value;
    const value = select(state);
    if (m && shallowEqual(m.value, value)) {
      memo.current = { state, select, value: m.value };
      return m.value;
    }
    memo.current = { state, select, value };
    return value;
  };
  const subscribe = offScreen ? noSubscription : outOfView ? deferredSubscribe(store) : store.subscribe;
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

// ---- the URL parameters -----------------------------------------------------

const initialSearch = typeof window !== 'undefined' ? window.location.search : '';
/** What the link said, read once: the state, and the prompt's length if it had to be cut. */
const fromLink = readParams(initialSearch);
/** Every parameter of `params.ts`, mirrored to the URL. */
export const paramStore: Store<AppState> = createStore(fromLink.state);

/** What the URL writer could not keep: the address's length with the prompt, when the prompt was left out. */
const urlStore: Store<{ dropped: number | null }> = createStore({ dropped: null as number | null });

const kb = (n: number) => `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;

/**
 * Notes about the address, shown by the prompt bar: the prompt was cut when read from the link (while it is
 * still that prompt), or the prompt is left out of the address by the URL-length rule of params.ts.
 */
export function useUrlNotes(): string[] {
  const prompt = useSelector(paramStore, (s) => s.prompt);
  const dropped = useSelector(urlStore, (s) => s.dropped);
  const out: string[] = [];
  const cutFrom = fromLink.cut.prompt;
  const max = PARAMS.prompt.maxLength.toLocaleString('en-US');
  if (cutFrom !== undefined && prompt === fromLink.state.prompt) {
    out.push(
      `The prompt in the link was ${cutFrom.toLocaleString('en-US')} characters long; the prompt box holds at most ${max}, so only the first ${max} are used.`,
    );
  }
  if (dropped !== null) {
    out.push(
      `This prompt is too long for the page’s address (${kb(dropped)} with it; the page keeps addresses under ${kb(MAX_URL_BYTES)}, which every common server accepts), so the address, and a link copied from it, does not carry the prompt. Everything else is still in the link.`,
    );
  }
  return out;
}

/** url (path, query, hash) with the embed marker added to its query, before the hash. */
function withEmbed(url: string, embed: string): string {
  const h = url.indexOf('#');
  const [head, hash] = h < 0 ? [url, ''] : [url.slice(0, h), url.slice(h)];
  return `${head}${head.includes('?') ? '&' : '?'}embed=${encodeURIComponent(embed)}${hash}`;
}

export function getParams(): AppState {
  return paramStore.get();
}

export function setParams(patch: Partial<AppState>): void {
  paramStore.set(patch);
}

/** One URL parameter as [value, setter]; re-renders only when this parameter changes. */
export function useParam<K extends ParamName>(name: K): [AppState[K], (v: AppState[K]) => void] {
  const v = useSelector(paramStore, (s) => s[name]);
  const set = useCallback((x: AppState[K]) => paramStore.set({ [name]: x } as Partial<AppState>), [name]);
  return [v, set];
}

/** Several URL parameters as [values, setPatch]; re-renders only when one of them changes. */
export function useParams<K extends ParamName>(keys: readonly K[]): [Pick<AppState, K>, (patch: Partial<AppState>) => void] {
  const v = useSelector(paramStore, (s) => {
    const o = {} as Pick<AppState, K>;
    for (const k of keys) o[k] = s[k];
    return o;
  });
  return [v, setParams];
}

// URL writes: history.replaceState, throttled (browsers limit how often it may run).
// The first write, right after load, replaces whatever the URL held with the clean (parsed, clamped) values.
if (typeof window !== 'undefined') {
  let timer: number | undefined;
  const writeSoon = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      // An embed (?embed=<figure id>) stays one: its marker is not app state, so it is carried over as is.
      const embed = new URLSearchParams(window.location.search).get('embed');
      const page = pageUrl(paramStore.get(), window.location.origin, window.location.pathname, window.location.hash);
      urlStore.set({ dropped: page.promptDropped ? page.fullBytes : null });
      const url = embed === null ? page.url : withEmbed(page.url, embed);
      try {
        window.history.replaceState(null, '', url);
      } catch {
        /* some browsers throttle replaceState; the state stays in memory */
      }
    }, 150);
  };
  paramStore.subscribe(writeSoon);
  writeSoon();
}
