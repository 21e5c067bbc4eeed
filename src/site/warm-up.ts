/**
 * What the page prepares in idle time once the reader has it (afterReady), so that scrolling to a chapter does not
 * wait for it: GPT-2's tokeniser for chapter 1's comparisons (a large module to fetch and evaluate), and the 2D
 * canvas path, whose first putImageData in a page costs Chromium ~100 ms here (measured: 94 ms for a 128 x 240
 * image on a fresh page, 0.6 ms after one 1 x 1 draw on a detached canvas).
 */
import { loadGpt2 } from '../tokenizer/gpt2';
import { afterReady } from './after-ready';

function warmCanvas(): void {
  const c = document.createElement('canvas');
  c.width = 1;
  c.height = 1;
  const ctx = c.getContext('2d');
  if (ctx) ctx.putImageData(ctx.createImageData(1, 1), 0, 0);
}

/** Schedules the warm-up (an embed shows one figure, which loads what it needs itself). */
export function warmUpWhenIdle(): void {
  afterReady(warmCanvas, 1000);
  afterReady(() => void loadGpt2().catch(() => undefined), 1500);
}
