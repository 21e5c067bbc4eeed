/** Small React hooks shared by the figures: element width, reduced motion, and a d3 tween of numeric arrays. */
import { useContext, useEffect, useRef, useState, type RefObject } from 'react';
import { OffScreen } from '../state/store';
import { easeCubicInOut, interpolateNumberArray, timer } from 'd3';

/**
 * Width of the element `ref` points at, tracked with ResizeObserver (for responsive SVG and canvas):
 * at least `min`; `box` 'border' reads the border box (getBoundingClientRect), 'client' the inside
 * without a scroll bar (clientWidth, for an element that scrolls).
 */
export function useElementWidth(
  ref: RefObject<HTMLElement | null>,
  fallback: number,
  { min = 200, box = 'border' }: { min?: number; box?: 'border' | 'client' } = {},
): number {
  const [w, setW] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const set = () => setW(Math.max(min, Math.floor(box === 'client' ? el.clientWidth : el.getBoundingClientRect().width)));
    set();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(set);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, min, box]);
  return w;
}

/** A ref and the width of the element it is attached to (see useElementWidth). */
export function useWidth<T extends HTMLElement>(fallback = 600): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  return [ref, useElementWidth(ref, fallback)];
}

const reduceQuery = () =>
  typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;

/** True while the reader asks for less motion (follows the setting as it changes). */
export function useReducedMotion(): boolean {
  const [reduce, setReduce] = useState(() => !!reduceQuery()?.matches);
  useEffect(() => {
    const q = reduceQuery();
    if (!q) return;
    const on = () => setReduce(q.matches);
    on();
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, []);
  return reduce;
}

/**
 * Returns `target`, animated: when it changes (same length), the returned
 * array moves from the previous value to the new one with a d3 timer and
 * easing. A change of length, a change of `jumpKey`, reduced motion, or a
 * change that arrives while the figure catches up after being off screen
 * (the reader did not watch it happen) jumps straight there. An unchanged
 * target starts no timer.
 */
export function useTween(target: number[], duration = 750, jumpKey = ''): number[] {
  const reduce = useReducedMotion();
  const offScreen = useContext(OffScreen);
  const [shown, setShown] = useState(target);
  const current = useRef(target);
  const latest = useRef(target);
  const lastJumpKey = useRef(jumpKey);
  // set while the figure is off screen; the first change processed after it comes back jumps
  const missed = useRef(false);
  if (offScreen) missed.current = true;
  latest.current = target;
  const key = target.join(',');
  useEffect(() => {
    const to = latest.current;
    const from = current.current;
    const jump = lastJumpKey.current !== jumpKey || missed.current;
    lastJumpKey.current = jumpKey;
    if (sameValues(from, to)) return;
    missed.current = false;
    if (reduce || jump || from.length !== to.length || from.length === 0) {
      current.current = to;
      setShown(to);
      return;
    }
    const interp = interpolateNumberArray(from, to);
    const t = timer((elapsed) => {
      const k = Math.min(1, elapsed / duration);
      const v = Array.from(interp(easeCubicInOut(k)));
      current.current = v;
      setShown(v);
      if (k >= 1) t.stop();
    });
    return () => t.stop();
  }, [key, reduce, duration, jumpKey]);
  return shown;
}

function sameValues(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
