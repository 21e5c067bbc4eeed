/**
 * CONTRACT between the file-format code (safetensors.ts, config.ts, owned by
 * the formats engineer) and the runtime (weights.ts, gpt.ts, worker.ts).
 * Pure TypeScript, no tfjs.
 */
import type { ModelConfig } from './types';

export type SafeDtype = 'F32' | 'F16' | 'BF16';

/**
 * Other safetensors dtypes: kept in the header's entries (a file may carry such tensors as
 * buffers the model never reads, e.g. GPT-NeoX's BOOL attention masks), refused when read.
 */
export type OtherDtype =
  | 'F64'
  | 'F8_E4M3'
  | 'F8_E5M2'
  | 'F8_E8M0'
  | 'F6_E2M3'
  | 'F6_E3M2'
  | 'F4'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U64'
  | 'U32'
  | 'U16'
  | 'U8'
  | 'BOOL'
  | 'C64';

export interface TensorEntry {
  name: string;
  dtype: SafeDtype | OtherDtype;
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
/** Checks that tensor names/shapes match the config (its family's layout, families/); throws ModelFileError. */
export type CheckTensorsAgainstConfig = (file: SafetensorsFile, config: ModelConfig) => void;
