/**
 * Measurements taken in the essay page itself (index.html), driven through
 * Playwright. Functions passed to page.evaluate / addInitScript run in the
 * browser, so they are plain JavaScript and reach the app only through the
 * DOM and window.__td (src/App.tsx's DebugHandle).
 *
 * "Every visible figure updated" (prompt edits), concretely: after the
 * prompt's input event, the page's forward result (window.__td.forward)
 * has been replaced by the one for the new prompt AND the DOM has stopped
 * changing. The time reported is the end of the first frame that painted
 * the last DOM mutation (a MutationObserver on <body> stamps mutations; a
 * message posted from requestAnimationFrame runs after that frame's style,
 * layout and paint). Settled = 3 frames in a row without mutations.
 *
 * Slider frame time: at the start of a frame (in a requestAnimationFrame
 * callback) the slider's value is set and an `input` event dispatched, as a
 * pointer drag would; the time until the end of that frame's rendering
 * (the message posted from the same callback) is the frame's main-thread
 * cost. It must stay under 16 ms for the drag to keep up with 60 Hz.
 */

/** Installed before any page script: stamps model-ready and first-figure times (ms since navigation start). */
export function loadProbe() {
  const w = /** @type {any} */ (window);
  w.__benchLoad = { ready: null, figure: null };
  const check = () => {
    const s = w.__benchLoad;
    if (s.ready === null) {
      const st = document.querySelector('[data-testid=model-status]');
      if (st && st.getAttribute('data-status') === 'ready' && w.__td && w.__td.info) s.ready = performance.now();
    }
    if (s.figure === null && document.querySelector('[data-testid=next-token] li')) s.figure = performance.now();
    return s.ready !== null && s.figure !== null;
  };
  const mo = new MutationObserver(() => {
    if (check()) mo.disconnect();
  });
  const start = () => mo.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
}

/**
 * In page: sets the prompt to each text in turn and times "input event -> the figures updated": the end of the frame
 * that painted the last DOM mutation (and not before the forward result arrived).
 *
 * scope 'near' (default): every figure near the viewport, in view or not. Figures near the screen but out of view
 * follow the stores only once they have been quiet for 150 ms (QUIET_MS in src/state/store.ts), so an edit counts as
 * settled only after `settleMs` without a mutation (and 3 frames).
 * scope 'viewport': only the figures in the viewport (below the sticky prompt bar) and the page outside figures
 * (the prompt bar); settled after 3 frames without a mutation there.
 */
export async function editsInPage({ texts, timeoutMs, budgetMs = Infinity, scope = 'near', settleMs = 250 }) {
  const w = /** @type {any} */ (window);
  const ta = /** @type {HTMLTextAreaElement} */ (document.querySelector('[data-testid=prompt]'));
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
  const bar = document.querySelector('.prompt-bar');
  const barH = bar ? bar.getBoundingClientRect().height : 0;
  /** the figure frames in the viewport now (scope 'viewport'), or null: every mutation counts */
  let inView = null;
  const counts = (node) => {
    if (inView === null) return true;
    const el = node.nodeType === 1 ? node : node.parentElement;
    const f = el && el.closest('figure.figure');
    return !f || inView.has(f);
  };
  let lastMut = -1;
  const mo = new MutationObserver((records) => {
    for (const m of records)
      if (counts(m.target)) {
        lastMut = performance.now();
        return;
      }
  });
  mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  /** resolves with the time after the next frame's rendering */
  const frame = () =>
    new Promise((r) =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => r(performance.now());
        ch.port2.postMessage(0);
      }),
    );
  const out = [];
  const start = performance.now();
  const quietMs = scope === 'near' ? settleMs : 0;
  try {
    for (const text of texts) {
      if (performance.now() - start > budgetMs) break; // time budget spent (slow software-GPU backends)
      await frame();
      await frame();
      if (scope === 'viewport')
        inView = new Set(
          [...document.querySelectorAll('figure.figure')].filter((f) => {
            const r = f.getBoundingClientRect();
            return r.bottom > barH && r.top < window.innerHeight;
          }),
        );
      const before = w.__td.forward;
      const t0 = performance.now();
      lastMut = -1;
      setter.call(ta, text);
      ta.dispatchEvent(new Event('input', { bubbles: true }));
      let prevEnd = t0;
      let done = null;
      let quiet = 0;
      let forwardAt = null;
      let ok = false;
      for (;;) {
        const end = await frame();
        const f = w.__td.forward;
        if (forwardAt === null && f && f !== before) forwardAt = end;
        if (lastMut > prevEnd) {
          // a mutation landed since the previous frame ended: this frame painted it
          done = end;
          quiet = 0;
        } else quiet++;
        prevEnd = end;
        if (forwardAt !== null && quiet >= 3 && end - Math.max(lastMut, forwardAt) >= quietMs) {
          ok = true;
          break;
        }
        if (end - t0 > timeoutMs) break;
      }
      const f = w.__td.forward;
      out.push({
        ms: ok ? Math.max(done ?? 0, forwardAt) - t0 : null,
        forwardMs: forwardAt === null ? null : forwardAt - t0,
        workerMs: f ? f.ms : null,
        tokens: f ? f.T : null,
        ok,
      });
    }
  } finally {
    mo.disconnect();
  }
  return out;
}

/** In page: drags a range input through `steps` values (min -> max -> min), one value per frame. */
export async function sliderInPage({ testid, steps, budgetMs = Infinity }) {
  const el = /** @type {HTMLInputElement} */ (document.querySelector(`[data-testid="${testid}"]`));
  if (!el) return { error: `no slider [data-testid=${testid}]` };
  el.scrollIntoView({ block: 'center' });
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  const min = Number(el.min || 0);
  const max = Number(el.max || 100);
  const idle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  for (let i = 0; i < 5; i++) await idle();
  const frames = [];
  const intervals = [];
  let lastRaf = null;
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    if (performance.now() - start > budgetMs) break; // time budget spent (slow software-GPU backends)
    // triangle wave over the range, ~100 steps per sweep
    const phase = (i % 100) / 50;
    const x = phase <= 1 ? phase : 2 - phase;
    const v = min + (max - min) * x;
    const ms = await new Promise((r) =>
      requestAnimationFrame((ts) => {
        if (lastRaf !== null) intervals.push(ts - lastRaf);
        lastRaf = ts;
        const t0 = performance.now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => r(performance.now() - t0);
        setter.call(el, String(v));
        el.dispatchEvent(new Event('input', { bubbles: true }));
        ch.port2.postMessage(0);
      }),
    );
    frames.push(ms);
  }
  return { frames, intervals, min, max, value: el.value };
}

/**
 * In page: scrolls so that `selector` (null: the top of the page) is at the top of the viewport, below the
 * sticky prompt bar, and waits until the figures there have rendered and the page is quiet.
 */
export async function scrollToInPage({ selector }) {
  const bar = document.querySelector('.prompt-bar');
  const barH = bar ? bar.getBoundingClientRect().height : 0;
  if (selector === null) window.scrollTo(0, 0);
  else {
    const el = document.querySelector(selector);
    if (!el) return { error: `no ${selector}` };
    window.scrollTo(0, window.scrollY + el.getBoundingClientRect().top - barH);
  }
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  let lastMut = performance.now();
  const mo = new MutationObserver(() => (lastMut = performance.now()));
  mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  const t0 = performance.now();
  while (performance.now() - lastMut < 500 && performance.now() - t0 < 20_000) await frame();
  mo.disconnect();
  return { scrollY: window.scrollY };
}

/**
 * In page: scroll to a chapter whose figures are stale (the prompt changed while they were off screen) and time
 * "scroll -> every figure in the viewport current": the end of the frame that painted the last DOM mutation in a
 * figure in the viewport (or in the page outside figures), once every figure frame in the viewport is live
 * (data-near=1, no placeholder) and 3 frames pass without such mutations. `allMs` is the same for a mutation anywhere,
 * figures near the viewport but out of view included (they catch up once the stores are quiet, QUIET_MS).
 */
export async function scrollToChapterInPage({ selector, timeoutMs }) {
  const el = document.querySelector(selector);
  if (!el) return { error: `no ${selector}` };
  const bar = document.querySelector('.prompt-bar');
  const barH = bar ? bar.getBoundingClientRect().height : 0;
  /** figure frames (null: outside any figure) that mutated since the last frame ended */
  let touched = new Set();
  const mo = new MutationObserver((records) => {
    for (const m of records) {
      const e = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      touched.add((e && e.closest('figure.figure')) || null);
    }
  });
  mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  const frame = () =>
    new Promise((r) =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => r(performance.now());
        ch.port2.postMessage(0);
      }),
    );
  const shown = (f) => {
    const r = f.getBoundingClientRect();
    return r.bottom > barH && r.top < window.innerHeight;
  };
  const inViewLive = () =>
    [...document.querySelectorAll('figure.figure')]
      .filter(shown)
      .every((f) => f.getAttribute('data-near') === '1' && !f.querySelector('.figure-placeholder'));
  await frame();
  touched = new Set();
  const t0 = performance.now();
  window.scrollTo(0, window.scrollY + el.getBoundingClientRect().top - barH);
  let done = null;
  let doneAll = null;
  let quiet = 0;
  let ok = false;
  try {
    for (;;) {
      const end = await frame();
      const seen = touched;
      touched = new Set();
      if (seen.size > 0) doneAll = end;
      if ([...seen].some((f) => f === null || shown(f))) {
        done = end;
        quiet = 0;
      } else quiet++;
      if (quiet >= 3 && inViewLive()) {
        ok = true;
        break;
      }
      if (end - t0 > timeoutMs) break;
    }
  } finally {
    mo.disconnect();
  }
  return { ms: ok ? (done ?? t0) - t0 : null, allMs: ok ? (doneAll ?? t0) - t0 : null, ok };
}

/** In page: types `n` characters into the prompt box, one per frame, and times each "input event -> end of that frame". */
export async function keystrokesInPage({ n, base }) {
  const ta = /** @type {HTMLTextAreaElement} */ (document.querySelector('[data-testid=prompt]'));
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
  const letters = 'abcdefghij klmnop';
  const frames = [];
  for (let i = 0; i < n; i++) {
    if (i % 12 === 0) {
      // start again from the base prompt (the box must not grow without end)
      setter.call(ta, base);
      ta.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 300));
    }
    const ms = await new Promise((r) =>
      requestAnimationFrame(() => {
        const t0 = performance.now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => r(performance.now() - t0);
        setter.call(ta, ta.value + letters[i % letters.length]);
        ta.dispatchEvent(new Event('input', { bubbles: true }));
        ch.port2.postMessage(0);
      }),
    );
    frames.push(ms);
    // a reader types a few characters a second; leave the model and the page time between keys, like one
    await new Promise((r) => setTimeout(r, 120));
  }
  return frames;
}

/**
 * Brings a figure onto the screen and waits until it is drawn. A chapter that has never been on
 * screen stands at an estimated height (content-visibility: auto), so one scroll to a figure deep
 * inside it lands short or past it: scroll again until the figure stays put and is live.
 */
export async function bringFigureIntoView(page, selector, timeoutMs = 120_000) {
  const t0 = Date.now();
  let last = null;
  for (;;) {
    const at = await page.evaluate((sel) => {
      const f = document.querySelector(sel);
      if (!f) return null;
      f.scrollIntoView({ block: 'center', behavior: 'instant' });
      const r = f.getBoundingClientRect();
      return {
        top: Math.round(r.top + window.scrollY),
        near: f.getAttribute('data-near') === '1',
        onScreen: r.bottom > 0 && r.top < innerHeight,
      };
    }, selector);
    if (at && at.near && at.onScreen && last && last.top === at.top) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${selector} did not come into view within ${timeoutMs} ms`);
    last = at;
    await page.waitForTimeout(200);
  }
}
