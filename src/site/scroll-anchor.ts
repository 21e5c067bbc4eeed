/**
 * Keeps what the reader is looking at in place while the page above it changes height.
 *
 * A jump far down the page (a dragged scroll bar, the End key, a link to a chapter) lands among chapters that
 * have never been laid out (content-visibility: auto stands them at an estimated height) and figures that have not
 * rendered (placeholders): as they come near the screen they take their real heights, and everything below them
 * moves. Measured in Chromium with its own scroll anchoring on: chapter 6, jumped to from the top, slid 410 px down
 * within 300 ms. So the browser's anchoring is off (styles.css: it chose other anchors and fought this one) and the
 * page keeps its own: at every scroll, the block at the top of the viewport (blockAt) and its distance from the
 * viewport's top. When anything observed changes size, a ResizeObserver callback (after layout, before paint)
 * scrolls by however far the anchor moved, so no painted frame shows the shift. While a link to a figure holds
 * that figure at the top (kit/export/frame.tsx, which pins the figure's chapter), that code keeps it in place
 * instead.
 */

/**
 * The block of the essay that the viewport's top edge, below the sticky prompt bar, runs through: a direct child of
 * <main> (a chapter, or a figure between chapters), and inside a chapter that is already laid out, the chapter's
 * direct child there. Found from bounding boxes rather than by hit-testing, so that notices drawn over the page
 * are not taken for it and a chapter that content-visibility skips is not made to lay out its content just to be
 * read. Null above the essay.
 */
function blockAt(y: number): Element | null {
  const main = document.querySelector('main');
  if (!main) return null;
  const below = (els: HTMLCollection) => {
    for (const c of els) if (c.getBoundingClientRect().bottom > y) return c;
    return null;
  };
  const top = below(main.children);
  if (!top || !top.classList.contains('chapter') || top.getBoundingClientRect().top > y) return top;
  // a chapter that content-visibility skips has no laid-out children to anchor on: the chapter itself
  const skipped = typeof top.checkVisibility === 'function' && !top.firstElementChild?.checkVisibility({ contentVisibilityAuto: true });
  return skipped ? top : (below(top.children) ?? top);
}

export function keepScrollAnchor(): () => void {
  if (typeof ResizeObserver === 'undefined') return () => undefined;
  let anchor: Element | null = null;
  let anchorTop = 0;
  /** Where the last correction left the page: its own scroll event is not the reader's and keeps the anchor. */
  let correctedTo: number | null = null;
  const edge = () => Math.max(0, document.querySelector('.prompt-bar')?.getBoundingClientRect().bottom ?? 0) + 1;
  const onScroll = () => {
    // The scroll event of a correction comes a frame later, when the layout may already hold changes that the next
    // resize callback must still undo: picking the anchor again then would take the moved position as its baseline.
    if (correctedTo !== null && Math.abs(window.scrollY - correctedTo) < 1) return;
    correctedTo = null;
    pick();
  };
  const pick = () => {
    // at the very top there is nothing above to move
    anchor = window.scrollY > 0 ? blockAt(edge()) : null;
    anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
  };
  const onResize = () => {
    // a link to a figure holds that figure in place itself while it pins its chapter (kit/export/frame.tsx)
    if (document.querySelector('.chapter-pinned')) return;
    if (!anchor || !anchor.isConnected) {
      pick();
      return;
    }
    const moved = anchor.getBoundingClientRect().top - anchorTop;
    if (Math.abs(moved) >= 1) {
      window.scrollBy({ top: moved, behavior: 'instant' as ScrollBehavior });
      correctedTo = window.scrollY;
    }
    anchorTop = anchor.getBoundingClientRect().top;
  };
  const ro = new ResizeObserver(onResize);
  const observe = () => {
    for (const el of document.querySelectorAll('.chapter, .masthead, .prompt-bar, main > *')) ro.observe(el);
  };
  observe();
  // chapters and the bar mount after this runs on first render: observe what arrives
  const mo = new MutationObserver(observe);
  const main = document.querySelector('main') ?? document.body;
  mo.observe(main, { childList: true });
  window.addEventListener('scroll', onScroll, { passive: true });
  pick();
  return () => {
    ro.disconnect();
    mo.disconnect();
    window.removeEventListener('scroll', onScroll);
  };
}
