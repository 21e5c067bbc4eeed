/**
 * Will a checkpoint fit? Estimated from config.json alone, before anything
 * large is downloaded or allocated: parameters × 4 bytes (float32 in the
 * backend, whatever the file's dtype) × ~2 (the backend's own copies and
 * working memory). The budget is half of `navigator.deviceMemory` when the
 * browser reports it (Chromium reports at most 8 GB), else a conservative
 * 3 GB (1.5 GB of float32 weights: GPT-2 medium fits, GPT-2 large does not).
 */
import type { ModelConfig } from '../runtime/types';
import { countParameters } from '../runtime/config';

export const GB = 1e9;
/** float32 weights allowed when the device memory is unknown. */
export const DEFAULT_WEIGHT_CAP = 1.5 * GB;
/** The backend holds about this many bytes per float32 weight byte. */
export const OVERHEAD = 2;

export interface MemoryEstimate {
  parameters: number;
  /** parameters × 4 */
  float32Bytes: number;
  /** float32Bytes × OVERHEAD */
  needBytes: number;
  budgetBytes: number;
  /** Where the budget comes from, in words. */
  budgetSource: string;
  fits: boolean;
  /** Why it does not fit (a full sentence), or null. */
  reason: string | null;
}

const gb = (b: number) => `${(b / GB).toFixed(2)} GB`;

export function deviceMemoryGB(): number | null {
  const n = (globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined)?.deviceMemory;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

export function memoryBudget(deviceGB: number | null = deviceMemoryGB()): { bytes: number; source: string } {
  if (deviceGB !== null) return { bytes: (deviceGB * GB) / 2, source: `half of the ${deviceGB} GB this device reports` };
  return { bytes: DEFAULT_WEIGHT_CAP * OVERHEAD, source: 'a cautious 3 GB limit (this browser does not report its memory)' };
}

export function estimateMemory(config: ModelConfig, deviceGB: number | null = deviceMemoryGB()): MemoryEstimate {
  const parameters = countParameters(config);
  const float32Bytes = parameters * 4;
  const needBytes = float32Bytes * OVERHEAD;
  const budget = memoryBudget(deviceGB);
  const fits = needBytes <= budget.bytes;
  return {
    parameters,
    float32Bytes,
    needBytes,
    budgetBytes: budget.bytes,
    budgetSource: budget.source,
    fits,
    reason: fits
      ? null
      : `This model has ${(parameters / 1e6).toFixed(0)}M parameters: ${gb(float32Bytes)} as float32, about ${gb(needBytes)} ` +
        `once loaded, more than ${gb(budget.bytes)} (${budget.source}). Not loading it, so the page keeps working.`,
  };
}
