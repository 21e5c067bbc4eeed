/**
 * Small helpers shared by the part-2 figures (chapters 6–10): weight matrices
 * and per-model derived arrays, token lookup from typed text, reduced motion,
 * and a d3-driven tween of numeric arrays (React keeps owning the DOM).
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { easeCubicInOut, interpolateNumberArray, timer } from 'd3';
import { useModel } from '../../state/model';
import type { Matrix, MatrixName } from '../../runtime/types';
import { bytesToVocabString } from '../../tokenizer/bytes';

/** A weight matrix of the active model (null while loading). Cached per model by the model context. */
export function useMatrix(name: MatrixName): Matrix | null {
  const { matrix, modelVersion, info } = useModel();
  // Remember which model version a matrix came from, so a render right after a
  // model switch never pairs the new model with the old model's weights.
  const [got, setGot] = useState<{ ver: number; m: Matrix } | null>(null);
  useEffect(() => {
    if (!info) return;
    let alive = true;
    matrix(name)
      .then((x) => alive && setGot({ ver: modelVersion, m: x }))
      .catch(() => alive && setGot(null));
    return () => {
      alive = false;
    };
  }, [matrix, name, modelVersion, info]);
  return got && got.ver === modelVersion ? got.m : null;
}

const derivedCache = new WeakMap<object, Map<string, unknown>>();
/** Computes fn(m) once per matrix object (i.e. once per model) and key. */
export function derived<T>(m: object, key: string, fn: () => T): T {
  let slot = derivedCache.get(m);
  if (!slot) derivedCache.set(m, (slot = new Map()));
  if (!slot.has(key)) slot.set(key, fn());
  return slot.get(key) as T;
}

/** The structural part of the page tokenizer the part-2 figures rely on. */
export interface TokLike {
  encode(s: string): number[];
  displayToken(id: number): string;
  tokenToId?(s: string): number | null | undefined;
  decode(ids: number[]): string;
  vocabSize: number;
}

export interface ResolvedToken {
  id: number | null;
  /** Why the typed text is not used as-is (split into pieces, empty, ...), or null. */
  note: string | null;
}

/**
 * Typed text → one token id. An exact vocabulary entry wins; otherwise the
 * text is encoded and the first piece used, with a note saying so.
 */
export function resolveToken(tok: TokLike | null, text: string, vocab: number): ResolvedToken {
  if (!tok) return { id: null, note: null };
  if (text.length === 0) return { id: null, note: 'Type a token.' };
  let exact: number | null | undefined = null;
  try {
    // tokenToId takes the raw vocabulary string (byte-level BPE: ' Mary' is stored as 'ĠMary').
    exact = tok.tokenToId ? tok.tokenToId(bytesToVocabString(new TextEncoder().encode(text))) : null;
  } catch {
    exact = null;
  }
  if (typeof exact === 'number' && exact >= 0 && exact < vocab) return { id: exact, note: null };
  let ids: number[] = [];
  try {
    ids = tok.encode(text);
  } catch {
    ids = [];
  }
  if (ids.length === 0) return { id: null, note: 'That text has no tokens.' };
  const id = ids[0];
  if (!(id >= 0 && id < vocab)) return { id: null, note: 'That token is outside the model’s vocabulary.' };
  if (ids.length === 1) return { id, note: null };
  return { id, note: `“${text}” is ${ids.length} tokens in this vocabulary; using its first piece.` };
}

export function usePrefersReducedMotion(): boolean {
  const q = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
  const [reduce, setReduce] = useState(() => !!q?.matches);
  useEffect(() => {
    if (!q) return;
    const on = () => setReduce(q.matches);
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, [q]);
  return reduce;
}

/**
 * Returns `target`, animated: when it changes (same length), the returned
 * array moves from the previous value to the new one with a d3 timer and
 * easing. A change of length, or reduced motion, jumps straight there.
 */
export function useTween(target: number[], duration = 750): number[] {
  const reduce = usePrefersReducedMotion();
  const [shown, setShown] = useState(target);
  const current = useRef(target);
  const key = target.join(',');
  useEffect(() => {
    const from = current.current;
    if (reduce || from.length !== target.length || from.length === 0) {
      current.current = target;
      setShown(target);
      return;
    }
    const interp = interpolateNumberArray(from, target);
    const t = timer((elapsed) => {
      const k = Math.min(1, elapsed / duration);
      const v = Array.from(interp(easeCubicInOut(k)));
      current.current = v;
      setShown(v);
      if (k >= 1) t.stop();
    });
    return () => t.stop();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, reduce, duration]);
  return shown;
}

/** Width of an element, tracked with ResizeObserver (for responsive SVG). */
export function useWidth<T extends HTMLElement>(fallback = 600): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [w, setW] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const set = () => setW(Math.max(200, Math.floor(el.clientWidth)));
    set();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(set);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}
