/**
 * What the page prepares in idle time once the reader has it (afterReady), so that scrolling to a chapter does not
 * wait for it: GPT-2's tokeniser for chapter 1's comparisons (a large module to fetch and evaluate), and the 2D
 * canvas path, whose first putImageData in a page costs Chromium ~100 ms here (measured: 94 ms for a 128 x 240
 * image on a fresh page, 0.6 ms after one 1 x 1 draw on a detached canvas). For a small model it also fetches the
 * weight matrices the figures read (into the one matrix cache), so a figure seen for the first time does not wait
 * for a round trip to the worker; a large checkpoint's matrices (hundreds of MB) are left until a figure asks. Last,
 * the maths of the chapters not yet seen is typeset into strings (tex-cache.ts), a few formulas per idle period.
 */
import type { MatrixName } from '../runtime/types';
import { matrix } from '../state/matrices';
import { modelStore } from '../state/model';
import { typesetWhenIdle } from '../kit/tex-cache';
import { loadGpt2 } from '../tokenizer/gpt2';
import { afterReady } from './after-ready';

/** Prefetch only when W_E has at most this many entries (4,096 x 128 for the bundled models). */
const PREFETCH_MAX_ENTRIES = 1 << 21;
const PREFETCH: MatrixName[] = ['wte', 'wu', 'ln_f.weight', 'ln_f.bias'];

function prefetchMatrices(): void {
  const c = modelStore.get().info?.config;
  if (!c || c.vocabSize * c.nEmbd > PREFETCH_MAX_ENTRIES) return;
  for (const n of PREFETCH) void matrix(n).catch(() => undefined);
}

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
  afterReady(prefetchMatrices, 2000);
  afterReady(typesetWhenIdle, 2500);
}
