/**
 * Whether a part of the page is near the screen (within about one viewport),
 * for the parts that render only then: figures (Figure.tsx) and the maths of
 * a chapter's prose (Tex.tsx, through SectionSeen).
 */
import { createContext, useEffect, useRef, useState } from 'react';

/** How far outside the viewport counts as near (one viewport above and below). */
const NEAR_MARGIN = '100% 0px 100% 0px';
/** How far outside the viewport counts as in view (a little, so that what scrolls in is current). */
export const IN_VIEW_MARGIN = '48px 0px 48px 0px';

/**
 * Whether an element is within `margin` of the viewport (true where IntersectionObserver is missing); by
 * default within about a viewport of the screen.
 */
export function useNearScreen<T extends Element>(margin: string = NEAR_MARGIN): [React.RefObject<T | null>, boolean] {
  const ref = useRef<T | null>(null);
  const [near, setNear] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => setNear(entries[entries.length - 1].isIntersecting), { rootMargin: margin });
    io.observe(el);
    return () => io.disconnect();
  }, [margin]);
  return [ref, near];
}

/**
 * True once the enclosing section (a chapter) has come near the screen; true
 * outside any section. KaTeX typesets only then: the maths is most of the
 * page's DOM, and a chapter the reader has not reached does not need it yet.
 */
export const SectionSeen = createContext(true);

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
