/**
 * Whether a part of the page is near the screen (within about one viewport),
 * for the parts that render only then: figures (Figure.tsx) and the maths of
 * a chapter's prose (Tex.tsx, through SectionSeen).
 */
import { createContext, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** How far outside the viewport counts as near (one viewport above and below). */
const NEAR_MARGIN = '100% 0px 100% 0px';
/** How far outside the viewport counts as in view (a little, so that what scrolls in is current). */
export const IN_VIEW_MARGIN = '48px 0px 48px 0px';

/** The top and bottom of a rootMargin ('100% 0px 100% 0px', '48px 0px 48px 0px'), in px for a viewport `h` high. */
export function verticalMargins(margin: string, h: number): [number, number] {
  const parts = margin.trim().split(/\s+/);
  const px = (v: string | undefined) => {
    if (!v) return 0;
    const n = parseFloat(v);
    return Number.isFinite(n) ? (v.endsWith('%') ? (n / 100) * h : n) : 0;
  };
  const top = px(parts[0]);
  return [top, parts.length >= 3 ? px(parts[2]) : top];
}

/** Whether a box (from getBoundingClientRect) lies within `margin` of a viewport `h` high, as IntersectionObserver counts it. */
export function withinMargin(box: { top: number; bottom: number }, margin: string, h: number): boolean {
  const [above, below] = verticalMargins(margin, h);
  return box.bottom >= -above && box.top <= h + below;
}

/**
 * Whether an element is within `margin` of the viewport (true where IntersectionObserver is missing); by
 * default within about a viewport of the screen.
 *
 * `measureWhen`: each time it turns true, the element's box is also measured at once (a layout effect), before the
 * observer has reported. A figure in a chapter that skipped layout (content-visibility: auto) is reported by the
 * observer only a frame after the chapter is laid out; measuring when the chapter comes near lets the figure mount
 * in the same frame as the chapter's text.
 */
export function useNearScreen<T extends Element>(margin: string = NEAR_MARGIN, measureWhen = false): [React.RefObject<T | null>, boolean] {
  const ref = useRef<T | null>(null);
  const [near, setNear] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => setNear(entries[entries.length - 1].isIntersecting), { rootMargin: margin });
    io.observe(el);
    return () => io.disconnect();
  }, [margin]);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!measureWhen || !el || typeof IntersectionObserver === 'undefined') return;
    setNear(withinMargin(el.getBoundingClientRect(), margin, window.innerHeight));
  }, [measureWhen, margin]);
  return [ref, near];
}

/**
 * True once the enclosing section (a chapter) has come near the screen; true
 * outside any section. KaTeX typesets only then: the maths is most of the
 * page's DOM, and a chapter the reader has not reached does not need it yet.
 */
export const SectionSeen = createContext(true);

/**
 * Whether the enclosing section is in the viewport now (false outside any section). The figures of a section measure
 * themselves when it turns true (useNearScreen's `measureWhen`), so that a jump to a chapter mounts the ones in view
 * with the chapter's text; a section merely near the screen is left to its observers (measuring it would lay out a
 * chapter the reader is not looking at).
 */
export const SectionInView = createContext(false);

/** useNearScreen that stays true once it has been true. */
export function useSeen<T extends Element>(): [React.RefObject<T | null>, boolean] {
  const [ref, near] = useNearScreen<T>();
  const [seen, setSeen] = useState(near);
  if (near && !seen) setSeen(true);
  return [ref, seen];
}

/** Components waiting for an idle moment (useIdleTurn), told one per idle period in the order they asked. */
const idleQueue = new Set<() => void>();
let idleScheduled = false;
function scheduleIdleTurns(): void {
  if (idleScheduled || idleQueue.size === 0) return;
  idleScheduled = true;
  const run = () => {
    idleScheduled = false;
    const next = idleQueue.values().next();
    if (next.done) return;
    idleQueue.delete(next.value);
    next.value();
    scheduleIdleTurns();
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: IDLE_TURN_TIMEOUT_MS });
  else setTimeout(run, 16);
}

/** The longest a component waits for its idle turn (ms) on a page that is never idle. */
const IDLE_TURN_TIMEOUT_MS = 300;

/**
 * False until `want` has been true and the page has had an idle moment to spare for this component (one component
 * per idle period); then true for good. The Figure frame mounts a figure that is near the screen but out of view
 * this way, so that the figures in view mount and paint first.
 */
export function useIdleTurn(want: boolean): boolean {
  const [turn, setTurn] = useState(false);
  useEffect(() => {
    if (!want || turn) return;
    const go = () => setTurn(true);
    idleQueue.add(go);
    scheduleIdleTurns();
    return () => {
      idleQueue.delete(go);
    };
  }, [want, turn]);
  return turn;
}
