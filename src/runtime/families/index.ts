/**
 * The architecture table: one entry per model family, looked up by the config's
 * model_type (when parsing) or by ModelConfig.arch (everywhere else).
 */
import type { Arch } from '../types';
import type { Family } from './types';
import { gpt2 } from './gpt2';
import { opt } from './opt';
import { gptNeox } from './gpt-neox';
import { llama } from './llama';
import { gptNeo } from './gpt-neo';

export type { Family, ModelLayout, BlockSource, LinearSource, NormSource, QkvSource } from './types';

export const FAMILIES: Readonly<Record<Arch, Family>> = {
  gpt2,
  opt,
  gpt_neox: gptNeox,
  llama,
  gpt_neo: gptNeo,
};

export function familyOf(arch: Arch): Family {
  const f = FAMILIES[arch];
  if (!f) throw new Error(`unknown model family '${String(arch)}'`);
  return f;
}

/** The family for a config.json model_type, or undefined. */
export function familyForModelType(modelType: string): Family | undefined {
  return Object.values(FAMILIES).find((f) => f.modelType === modelType);
}

/** '"gpt2", "opt", "gpt_neox", "llama" or "gpt_neo"', for messages. */
export const SUPPORTED_MODEL_TYPES = (() => {
  const q = Object.values(FAMILIES).map((f) => JSON.stringify(f.modelType));
  return q.length === 1 ? q[0] : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
})();
