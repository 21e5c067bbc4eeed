/** Types for scripts/make-malformed.mjs (plain-Node fixture generator). */
export type FolderFiles = Partial<Record<'config.json' | 'model.safetensors' | 'tokenizer.json', string | Uint8Array>>;
export interface MalformedCase {
  name: string;
  what: string;
  files: FolderFiles;
  /** The file the error must name. */
  file: string;
  /** A substring the error message must contain. */
  expect: string;
}
export interface TensorSpec {
  name: string;
  shape: number[];
  dtype?: 'F32' | 'F16' | 'BF16' | 'I64';
}
export const TINY: { V: number; P: number; D: number; L: number; H: number };
export function tinyTokenizerJson(extra?: number): Record<string, unknown>;
export function gpt2Config(over?: Record<string, unknown>): Record<string, unknown>;
export function optConfig(over?: Record<string, unknown>): Record<string, unknown>;
export function gpt2Tensors(o?: {
  V?: number;
  P?: number;
  D?: number;
  L?: number;
  F?: number;
  prefix?: string;
  lmHead?: boolean;
}): TensorSpec[];
export function optTensors(o?: { V?: number; P?: number; D?: number; L?: number; F?: number; prefix?: string }): TensorSpec[];
export function layout(tensors: TensorSpec[]): { header: Record<string, unknown>; data: Uint8Array };
export function rawSafetensors(header: object | string | Uint8Array, data?: Uint8Array, lengthOverride?: bigint): Uint8Array;
export function safetensorsOf(tensors: TensorSpec[]): Uint8Array;
export function validFolder(arch?: 'gpt2' | 'opt'): Required<FolderFiles>;
export function makeMalformedCases(): MalformedCase[];
