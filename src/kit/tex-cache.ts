/**
 * KaTeX output, typeset once per (source, display mode) and kept as an HTML string. A chapter's maths enters the DOM
 * only when the chapter comes near the screen (Tex.tsx), but the typesetting itself (about 20 ms of script for a
 * chapter here) can be done beforehand: the Tex elements of chapters not yet seen ask for it (`typesetLater`), and
 * `typesetWhenIdle` works through those requests in idle periods, a few at a time, so that scrolling to a chapter
 * only inserts ready strings.
 */
import katex from 'katex';

const done = new Map<string, string>();
/** Requests not yet typeset, in the order they came (the page's order). */
const waiting = new Map<string, { tex: string; block: boolean }>();
let running = false;
let started = false;

const key = (tex: string, block: boolean) => (block ? 'B' : 'I') + tex;

/** The HTML for `tex` (our own source text, never reader input), from the cache or typeset now. */
export function typeset(tex: string, block: boolean): string {
  const k = key(tex, block);
  let html = done.get(k);
  if (html === undefined) {
    html = katex.renderToString(tex, { displayMode: block, throwOnError: false, output: 'htmlAndMathml', strict: false });
    done.set(k, html);
    waiting.delete(k);
  }
  return html;
}

/** Asks for `tex` to be typeset in a later idle period (once `typesetWhenIdle` has started the work). */
export function typesetLater(tex: string, block: boolean): void {
  const k = key(tex, block);
  if (done.has(k) || waiting.has(k)) return;
  waiting.set(k, { tex, block });
  if (started) schedule();
}

/** Whether `tex` is typeset already (for tests). */
export function isTypeset(tex: string, block: boolean): boolean {
  return done.has(key(tex, block));
}

/** Idle time left below which an idle period stops typesetting (ms): one formula takes up to about 2 ms here. */
const MIN_LEFT_MS = 3;

function schedule(): void {
  if (running || waiting.size === 0) return;
  running = true;
  const step = (deadline?: IdleDeadline) => {
    running = false;
    const until = performance.now() + 8;
    for (const [, w] of waiting) {
      if (deadline ? deadline.timeRemaining() < MIN_LEFT_MS : performance.now() > until) break;
      typeset(w.tex, w.block);
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
