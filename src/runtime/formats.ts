/**
 * CONTRACT between the file-format code (safetensors.ts, config.ts, owned by
 * the formats engineer) and the runtime (weights.ts, gpt.ts, worker.ts).
 * Pure TypeScript, no tfjs.
 */
import type { ModelConfig } from './types';

export type SafeDtype = 'F32' | 'F16' | 'BF16';

export interface TensorEntry {
  name: string;
  dtype: SafeDtype;
  shape: number[];
  /** byte offsets relative to the start of the data section */
  begin: number;
  end: number;
}

/** A validated safetensors file. Header validated before any large allocation. */
export interface SafetensorsFile {
  entries: Map<string, TensorEntry>;
  metadata: Record<string, string>;
  /** Decodes one tensor to float32 (F16/BF16 converted on the fly). */
  getFloat32(name: string): Float32Array;
}

/** Thrown for any malformed model file; `message` names the problem for the reader. */
export class ModelFileError extends Error {
  constructor(
    public readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ModelFileError';
  }
}

export type ParseSafetensors = (bytes: ArrayBuffer | Uint8Array) => SafetensorsFile;
export type ParseConfig = (json: unknown) => ModelConfig;
/** Checks that tensor names/shapes match the config (GPT-2 or OPT layout); throws ModelFileError. */
export type CheckTensorsAgainstConfig = (file: SafetensorsFile, config: ModelConfig) => void;
