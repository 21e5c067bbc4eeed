/**
 * KaTeX output, typeset once per (source, display mode) and kept as an HTML string. A chapter's maths enters the DOM
 * only when the chapter comes near the screen (Tex.tsx), but the typesetting itself (about 20 ms of script for a
 * chapter here) can be done beforehand: the Tex elements of chapters not yet seen ask for it (`typesetLater`), and
 * `typesetWhenIdle` works through those requests in idle periods, a few at a time, so that scrolling to a chapter
 * only inserts ready strings.
 */
import katex from 'katex';

/**
 * Two caches. `prepared`: what was asked for ahead (`typesetLater`: the fixed maths of chapters not yet seen, about
 * 200 formulas in all), kept. `recent`: what was typeset on demand, least recently used first and bounded, because
 * figures typeset formulas with live numbers in them, a new string per slider step, and those must not pile up.
 */
const prepared = new Map<string, string>();
const recent = new Map<string, string>();
export const RECENT_TEX_CACHE_SIZE = 64;
/** Requests not yet typeset, in the order they came (the page's order). */
const waiting = new Map<string, { tex: string; block: boolean }>();
let running = false;
let started = false;

const key = (tex: string, block: boolean) => (block ? 'B' : 'I') + tex;
const render = (tex: string, block: boolean) =>
  katex.renderToString(tex, { displayMode: block, throwOnError: false, output: 'htmlAndMathml', strict: false });

/** The HTML for `tex` (our own source text, never reader input), from a cache or typeset now. */
export function typeset(tex: string, block: boolean): string {
  const k = key(tex, block);
  const ready = prepared.get(k);
  if (ready !== undefined) return ready;
  let html = recent.get(k);
  if (html === undefined) {
    html = render(tex, block);
    waiting.delete(k);
    if (recent.size >= RECENT_TEX_CACHE_SIZE) recent.delete(recent.keys().next().value as string);
  } else recent.delete(k); // re-inserted below: now the most recently used
  recent.set(k, html);
  return html;
}

/** Asks for `tex` to be typeset in a later idle period (once `typesetWhenIdle` has started the work). */
export function typesetLater(tex: string, block: boolean): void {
  const k = key(tex, block);
  if (prepared.has(k) || recent.has(k) || waiting.has(k)) return;
  waiting.set(k, { tex, block });
  if (started) schedule();
}

/** Whether `tex` is typeset and still cached (for tests). */
export function isTypeset(tex: string, block: boolean): boolean {
  const k = key(tex, block);
  return prepared.has(k) || recent.has(k);
}

/** Idle time left below which an idle period stops typesetting (ms): one formula takes up to about 2 ms here. */
const MIN_LEFT_MS = 3;

function schedule(): void {
  if (running || waiting.size === 0) return;
  running = true;
  const step = (deadline?: IdleDeadline) => {
    running = false;
    const until = performance.now() + 8;
    for (const [k, w] of waiting) {
      if (deadline ? deadline.timeRemaining() < MIN_LEFT_MS : performance.now() > until) break;
      prepared.set(k, render(w.tex, w.block)); // never in `recent`: typesetLater skips those, typeset() takes them off `waiting`
      waiting.delete(k);
    }
    schedule();
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(step);
  else setTimeout(step, 50);
}

/** Starts working through the requests in idle periods (the page calls this once the reader has it). */
export function typesetWhenIdle(): void {
  started = true;
  schedule();
}
