/**
 * The frame of every figure: the figure body and its caption, rendered only
 * when near the screen.
 *
 * Before the figure first comes within about one viewport of the screen, a
 * placeholder of `minHeight` stands in for it (nothing renders or computes).
 * Once it has rendered, it stays mounted (its local state survives), but
 * while it is far off screen it is marked `OffScreen` (state/store.ts): it
 * stops listening to the stores, so an edit elsewhere costs it nothing, and
 * it catches up in one render when it comes back. Near the screen but out of
 * the viewport it is marked `OutOfView`: it follows the stores once they are
 * quiet, so a slider drag redraws only the figures the reader sees.
 *
 * The frame also holds what every figure shares: an error boundary (a figure
 * that throws shows what failed, the rest of the essay lives on) and the
 * export/link tools (kit/export), to which a figure gives its data with one
 * `useFigureData` call.
 */
import { useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { OffScreen, OutOfView } from '../state/store';
import { useModelState } from '../state/model';
import { modelTag } from '../state/matrices';
import { IN_VIEW_MARGIN, SectionInView, useIdleTurn, useNearScreen } from './near';
import { FigureBoundary } from './ErrorBoundary';
import { FigureFrame, FigureTools } from './export';

/** A figure with a caption telling the reader what to try. `wide` lets it break out of the text column. */
export function Figure({
  id,
  caption,
  wide = false,
  minHeight = 240,
  children,
}: {
  id?: string;
  caption: ReactNode;
  wide?: boolean;
  /** Height of the placeholder shown before the figure first renders (px). */
  minHeight?: number;
  children: ReactNode;
}) {
  // measured once more when the chapter comes into view: a jump to it then mounts the figures in view with its text
  const sectionInView = useContext(SectionInView);
  const [ref, nearScreen] = useNearScreen<HTMLDivElement>(undefined, sectionInView);
  const [viewRef, inViewport] = useNearScreen<HTMLElement>(IN_VIEW_MARGIN, sectionInView);
  // the body's height while rendered, for the placeholder if it is unmounted
  const lastHeight = useRef<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (!el.querySelector(':scope > .figure-placeholder')) lastHeight.current = el.getBoundingClientRect().height;
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  // A figure the reader is using (focus or pointer inside) is live even before the observer reports it
  // (Tab scrolls a control into view a frame before that), so no keystroke meets a frozen control.
  const [using, setUsing] = useState(false);
  const near = nearScreen || using;
  const inView = inViewport || using;
  // The model (and backend) a rendered figure was drawn for. A figure far off screen keeps its last values; when the
  // model changes meanwhile it is unmounted instead (a placeholder of its height stands in), so that it does not hold
  // the old model's matrices until the reader comes back.
  const tag = useModelState(modelTag);
  const [seen, setSeen] = useState<{ tag: string | null; height: number } | null>(null);
  // In view, a figure mounts at once; near the screen but out of view, at the page's next idle moment, so that a jump
  // to a chapter mounts and paints what the reader sees before the figures just outside the viewport.
  const idleTurn = useIdleTurn(near && !inView);
  const mount = inView || (near && idleTurn);
  if (mount && (!seen || seen.tag !== tag)) setSeen({ tag, height: seen?.height ?? minHeight });
  else if (!near && seen && seen.tag !== tag) setSeen(null);
  const placeholderHeight = seen?.height ?? lastHeight.current ?? minHeight;
  const use = () => setUsing(true);
  return (
    <FigureFrame id={id}>
      <figure
        className={wide ? 'figure wide' : 'figure'}
        id={id}
        ref={viewRef}
        data-near={near ? 1 : 0}
        data-in-view={inView ? 1 : 0}
        onFocusCapture={use}
        onPointerDownCapture={use}
        onKeyDownCapture={use}
        onBlurCapture={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setUsing(false);
        }}
      >
        <div className="figure-body" ref={ref}>
          {seen ? (
            <OffScreen.Provider value={!near}>
              <OutOfView.Provider value={near && !inView}>
                <FigureBoundary name={id ?? 'figure'}>{children}</FigureBoundary>
              </OutOfView.Provider>
            </OffScreen.Provider>
          ) : (
            <div className="figure-placeholder" style={{ minHeight: placeholderHeight }} aria-hidden="true" />
          )}
        </div>
        <figcaption>{caption}</figcaption>
        <FigureTools />
      </figure>
    </FigureFrame>
  );
}

/** A side note. */
export function Aside({ children }: { children: ReactNode }) {
  return <aside className="aside">{children}</aside>;
}

/** The explanatory empty state every model-driven figure shows when there is nothing to draw. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      {children}
    </div>
  );
}
