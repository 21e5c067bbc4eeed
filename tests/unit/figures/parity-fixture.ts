/**
 * The parity fixture (tests/fixtures/parity: float64 reference outputs of the
 * shipped tiny models) as mock data for figure views, the CircuitsVis way:
 * a view renders from plain arrays, with no model, worker or store behind it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ParityPrompt {
  text: string;
  ids: number[];
  logits_last: number[];
  logits_first: number[];
  /** The residual vector at the last position, entering each block and after the last: [L+1][D]. */
  residual_last: number[][];
  ln_f_last: number[];
}

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/parity');

export function parityFixture(model: 'tiny-tied' | 'tiny-untied'): ParityPrompt[] {
  return (JSON.parse(readFileSync(join(DIR, `${model}.json`), 'utf8')) as { prompts: ParityPrompt[] }).prompts;
}
