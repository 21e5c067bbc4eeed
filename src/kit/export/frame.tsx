/**
 * The export frame around one figure. `FigureFrame` gives the figure a place
 * to hand over its data (`useFigureData`), renders nothing for the other
 * figures in embed mode, hides the rest of the page around the embedded one,
 * and brings a linked figure (`#fig-…`) into view once the page has settled.
 * `FigureTools` is the control on the frame (PNG, SVG, CSV, JSON, link, embed).
 */
import { createContext, useContext, useLayoutEffect, useEffect, useMemo, useRef, type ReactNode, type RefObject } from 'react';
import type { FigureData } from './data';
import { EMBED_ID } from './embed';
import { EmbedCredit } from './EmbedCredit';
import './export.css';

/** What the frame hands a figure's data getter: the active tokenizer's token text (with spaces as typed). */
export interface ExportHelpers {
  tokenText: (id: number) => string;
}

type Getter = (h: ExportHelpers) => FigureData | null;

interface FrameCtx {
  id: string | undefined;
  /** The latest data getter registered by the figure. */
  data: RefObject<Getter | null>;
}

const Ctx = createContext<FrameCtx | null>(null);

/**
 * Hands the figure's numbers to its frame's export control. Call it once, in
 * the component that has the numbers on screen: `useFigureData(({ tokenText }) => ({ columns, rows, params }))`.
 * The getter runs only when the reader exports, never during render.
 */
export function useFigureData(get: Getter): void {
  const frame = useContext(Ctx);
  const latest = useRef(get);
  useLayoutEffect(() => {
    latest.current = get;
  });
  useLayoutEffect(() => {
    if (!frame) return;
    const g: Getter = (h) => latest.current(h);
    frame.data.current = g;
    return () => {
      if (frame.data.current === g) frame.data.current = null;
    };
  }, [frame]);
}

export function useFrame(): FrameCtx | null {
  return useContext(Ctx);
}

/** Hides every sibling of the embedded figure and of each of its ancestors (leaving the figure alone on the page). */
function isolate(el: HTMLElement): () => void {
  const hidden: Element[] = [];
  for (let e: HTMLElement | null = el; e && e !== document.body; e = e.parentElement) {
    for (const s of e.parentElement?.children ?? []) {
      if (s !== e && !s.classList.contains('embed-credit') && !s.hasAttribute('data-embed-hidden')) {
        s.setAttribute('data-embed-hidden', '');
        hidden.push(s);
      }
    }
  }
  return () => hidden.forEach((s) => s.removeAttribute('data-embed-hidden'));
}

/** Scrolls the figure to the top (below the sticky prompt bar) and keeps it there while the page above it grows, until the reader scrolls. */
function followAnchor(el: HTMLElement): () => void {
  let stopped = false;
  // A chapter that has never been on screen skips layout (content-visibility: auto) and stands at an
  // estimated height, so the figure's position inside it is not real until the chapter is laid out:
  // keep the target's chapter rendered while we follow it.
  const chapter = el.closest('.chapter');
  chapter?.classList.add('chapter-pinned');
  const bar = () => (document.querySelector('.prompt-bar') as HTMLElement | null)?.getBoundingClientRect().height ?? 0;
  const align = () => {
    if (stopped) return;
    const top = el.getBoundingClientRect().top + window.scrollY - bar() - 12;
    if (Math.abs(window.scrollY - top) > 2) window.scrollTo({ top, behavior: 'instant' as ScrollBehavior });
  };
  const stop = () => {
    stopped = true;
    chapter?.classList.remove('chapter-pinned'); // on screen by now, so it stays rendered (and its size is remembered)
    ro.disconnect();
    for (const ev of ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const) window.removeEventListener(ev, stop, true);
    window.clearTimeout(timer);
  };
  const ro = new ResizeObserver(align);
  ro.observe(document.body);
  for (const ev of ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const)
    window.addEventListener(ev, stop, { capture: true, passive: true });
  const timer = window.setTimeout(stop, 20_000);
  requestAnimationFrame(align);
  return stop;
}

export function FigureFrame({ id, children }: { id?: string; children: ReactNode }) {
  const data = useRef<Getter | null>(null);
  const embedded = !!EMBED_ID && id === EMBED_ID;
  const value = useMemo(() => ({ id, data }), [id]);
  useEffect(() => {
    const fig = id ? document.getElementById(id) : null;
    if (!fig || !id) return;
    if (embedded) {
      document.documentElement.classList.add('embed-mode');
      fig.classList.add('figure-embedded');
      return isolate(fig);
    }
    if (!EMBED_ID && decodeURIComponent(window.location.hash.slice(1)) === id) return followAnchor(fig);
  }, [id, embedded]);
  if (EMBED_ID && !embedded) return null;
  return (
    <Ctx.Provider value={value}>
      {children}
      {embedded && <EmbedCredit id={id!} />}
    </Ctx.Provider>
  );
}
