/**
 * The first module the page evaluates (main.tsx imports it before anything else): it starts the model worker,
 * and with it tfjs and the weights download, before the essay's own modules (React DOM, d3, KaTeX, every figure)
 * are evaluated, a few hundred milliseconds of main-thread work that the worker does not need to wait for.
 */
import { EMBED_ID, framedOutsideEmbed } from './kit/export/embed';
import { startModelController } from './state/model';
import { createModelClient } from './runtime/client';
import { warmUpWhenIdle } from './site/warm-up';

/** A page framed by another site shows a refusal instead of the essay (see kit/export/embed.ts). */
export const framed = framedOutsideEmbed();
if (!framed) startModelController(createModelClient());
if (!framed && !EMBED_ID) warmUpWhenIdle();
