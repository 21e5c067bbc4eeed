/**
 * safetensors reader: validates the header completely BEFORE any large
 * allocation, then decodes tensors to Float32Array on demand.
 *
 * File layout (https://github.com/huggingface/safetensors):
 *   [u64 LE header length N][N bytes of UTF-8 JSON header][data section]
 * Header: { "__metadata__"?: {str: str}, "<name>": { dtype, shape, data_offsets: [begin, end] }, ... }
 * data_offsets are relative to the start of the data section.
 *
 * Two entry points:
 *  - parseSafetensors(bytes)        whole file in memory (ArrayBuffer / Uint8Array), synchronous.
 *  - readSafetensorsHeader(source)  Blob / File / ArrayBuffer; reads 8 bytes, then the header,
 *                                   then each tensor's byte range only when asked for it
 *                                   (big checkpoints never sit in memory as a whole).
 * Both share parseSafetensorsHeader(), the pure validator.
 *
 * Pure TypeScript (no tfjs); safe to use on the main thread or in the worker.
 */
import { ModelFileError, type OtherDtype, type SafeDtype, type SafetensorsFile, type TensorEntry } from './formats';

/** Largest header we accept (the reference implementation uses the same bound). */
export const MAX_HEADER_BYTES = 100_000_000;

export const DTYPE_BYTES: Record<SafeDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/**
 * Dtypes that exist in safetensors but that we cannot compute with: such tensors are kept in the
 * header (with their byte size checked where it is whole bytes) and refused only when read, so a
 * file whose unused buffers are BOOL or I64 (GPT-NeoX's attention masks) still loads.
 */
const OTHER_DTYPE_BYTES: Record<OtherDtype, number | null> = {
  F64: 8,
  F8_E4M3: 1,
  F8_E5M2: 1,
  F8_E8M0: 1,
  F6_E2M3: null,
  F6_E3M2: null,
  F4: null,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
  C64: 8,
};

export function isFloatDtype(d: string): d is SafeDtype {
  return d in DTYPE_BYTES;
}

/** The message for reading a tensor we cannot compute with. */
export function unsupportedDtypeMessage(name: string, dtype: string): string {
  return `tensor '${name}' has unsupported dtype ${dtype}; only F32, F16 and BF16 are supported`;
}

function decodeEntry(bytes: Uint8Array, e: TensorEntry, file: string): Float32Array {
  if (!isFloatDtype(e.dtype)) throw new ModelFileError(file, unsupportedDtypeMessage(e.name, e.dtype));
  return decodeToFloat32(bytes, e.dtype);
}

/** Result of validating the header alone (no tensor data touched). */
export interface SafetensorsHeader {
  entries: Map<string, TensorEntry>;
  metadata: Record<string, string>;
  /** Byte offset of the data section inside the file (8 + header length). */
  dataStart: number;
  /** Byte length of the data section. */
  dataLength: number;
}

/** Minimal Blob-like source (a File, a Blob, or a test double). */
export interface BlobLike {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** A validated file whose tensor bytes are read lazily, one tensor at a time. */
export interface SafetensorsReader extends SafetensorsHeader {
  /** Total file size in bytes. */
  fileSize: number;
  /** Raw bytes of one tensor (a fresh copy, aligned at offset 0). */
  readBytes(name: string): Promise<Uint8Array>;
  /** One tensor decoded to float32 (F16 / BF16 converted). */
  readFloat32(name: string): Promise<Float32Array>;
}

const DEFAULT_FILE = 'model.safetensors';

function fmtShape(shape: unknown): string {
  try {
    return JSON.stringify(shape);
  } catch {
    return String(shape);
  }
}

/**
 * Reads the u64 little-endian header length from the first 8 bytes and bounds it.
 * Returns the header length in bytes. Throws before anything is allocated.
 */
export function readHeaderLength(first8: Uint8Array, fileSize: number, file = DEFAULT_FILE): number {
  if (fileSize === 0) throw new ModelFileError(file, 'file is empty (0 bytes); expected a safetensors file');
  if (fileSize < 8) {
    throw new ModelFileError(file, `file is only ${fileSize} bytes, too short for a safetensors header (needs at least 8)`);
  }
  const dv = new DataView(first8.buffer, first8.byteOffset, 8);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const n = hi * 2 ** 32 + lo; // exact up to 2^53; beyond that it is absurdly large anyway
  if (hi !== 0 || n > MAX_HEADER_BYTES) {
    throw new ModelFileError(
      file,
      `header length ${hi !== 0 ? `${n.toExponential(3)}` : n} bytes exceeds the ${MAX_HEADER_BYTES / 1e6} MB limit; not a safetensors file or corrupt`,
    );
  }
  if (n > fileSize - 8) {
    throw new ModelFileError(file, `header length ${n} bytes runs past the end of the file (${fileSize} bytes); file truncated?`);
  }
  if (n < 2) throw new ModelFileError(file, `header length ${n} bytes is too small to hold a JSON object`);
  return n;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/**
 * Validates the JSON header (already sliced out of the file) against the data
 * section length. Pure; allocates only the parsed JSON.
 *
 * Rules: UTF-8 JSON object; optional `__metadata__` string→string; every other
 * entry has dtype F32/F16/BF16, shape = non-negative safe integers,
 * data_offsets = [begin, end] integers with begin ≤ end ≤ dataLength,
 * end − begin == product(shape) × itemsize, and the entries, sorted by begin,
 * tile the data section exactly (no gap, no overlap, nothing left over).
 */
export function parseSafetensorsHeader(
  headerBytes: Uint8Array,
  dataLength: number,
  file = DEFAULT_FILE,
): Pick<SafetensorsHeader, 'entries' | 'metadata'> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw new ModelFileError(file, 'header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(file, `header is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(json)) {
    throw new ModelFileError(file, `header must be a JSON object, got ${describeJson(json)}`);
  }

  const metadata: Record<string, string> = {};
  const entries = new Map<string, TensorEntry>();
  for (const [name, raw] of Object.entries(json)) {
    if (name === '__metadata__') {
      if (!isPlainObject(raw)) throw new ModelFileError(file, `__metadata__ must be an object of strings, got ${describeJson(raw)}`);
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') {
          throw new ModelFileError(file, `__metadata__["${k}"] must be a string, got ${describeJson(v)}`);
        }
        metadata[k] = v;
      }
      continue;
    }
    if (!isPlainObject(raw)) throw new ModelFileError(file, `tensor '${name}': entry must be an object, got ${describeJson(raw)}`);
    const { dtype, shape, data_offsets: offsets } = raw;
    if (typeof dtype !== 'string') throw new ModelFileError(file, `tensor '${name}': missing or non-string dtype`);
    if (!(dtype in DTYPE_BYTES) && !(dtype in OTHER_DTYPE_BYTES)) {
      throw new ModelFileError(file, `tensor '${name}' has unknown dtype ${dtype}; only F32, F16 and BF16 are supported`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      throw new ModelFileError(file, `tensor '${name}' has invalid shape ${fmtShape(shape)}; expected an array of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
      throw new ModelFileError(
        file,
        `tensor '${name}' has invalid data_offsets ${fmtShape(offsets)}; expected [begin, end] non-negative integers`,
      );
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) throw new ModelFileError(file, `tensor '${name}' has data_offsets [${begin}, ${end}] with begin > end`);
    if (end > dataLength) {
      throw new ModelFileError(
        file,
        `tensor '${name}' has data_offsets [${begin}, ${end}] past the end of the data section (${dataLength} bytes); file truncated?`,
      );
    }
    const itemsize = isFloatDtype(dtype) ? DTYPE_BYTES[dtype] : OTHER_DTYPE_BYTES[dtype as OtherDtype];
    // product(shape) * itemsize, stopping early once it exceeds what the file can hold
    let bytes = (shape as number[]).includes(0) ? 0 : (itemsize ?? 0);
    if (bytes)
      for (const d of shape as number[]) {
        bytes *= d;
        if (bytes > dataLength + 1) break;
      }
    if (itemsize !== null && bytes !== end - begin) {
      throw new ModelFileError(
        file,
        `tensor '${name}': shape ${fmtShape(shape)} of ${dtype} needs ${bytes > dataLength ? `more than ${dataLength}` : bytes} bytes but data_offsets give ${end - begin}`,
      );
    }
    entries.set(name, { name, dtype: dtype as SafeDtype | OtherDtype, shape: (shape as number[]).slice(), begin, end });
  }

  // Contiguity: sorted by begin, the tensors must tile [0, dataLength) exactly.
  const sorted = [...entries.values()].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: TensorEntry | null = null;
  for (const e of sorted) {
    if (e.begin < pos) {
      throw new ModelFileError(
        file,
        `tensors '${prev!.name}' [${prev!.begin}, ${prev!.end}] and '${e.name}' [${e.begin}, ${e.end}] overlap`,
      );
    }
    if (e.begin > pos) {
      throw new ModelFileError(
        file,
        prev
          ? `gap of ${e.begin - pos} bytes between tensors '${prev.name}' and '${e.name}'`
          : `gap of ${e.begin} bytes at the start of the data section, before tensor '${e.name}'`,
      );
    }
    pos = e.end;
    prev = e;
  }
  if (pos !== dataLength) {
    throw new ModelFileError(
      file,
      prev
        ? `${dataLength - pos} trailing bytes after the last tensor '${prev.name}' are not covered by any tensor`
        : `data section has ${dataLength} bytes but the header lists no tensors`,
    );
  }
  return { entries, metadata };
}

// ---------------------------------------------------------------- decoding

let f16Table: Float32Array | null = null;
/** 65,536-entry half → float lookup (256 KB), built once on first use. */
function halfTable(): Float32Array {
  if (f16Table) return f16Table;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    if (e === 0)
      t[h] = s * m * 2 ** -24; // subnormal (or ±0)
    else if (e === 31) t[h] = m ? NaN : s * Infinity;
    else t[h] = s * (1 + m / 1024) * 2 ** (e - 15);
  }
  f16Table = t;
  return t;
}

/** IEEE half → float (exact). */
export function f16ToF32(h: number): number {
  return halfTable()[h & 0xffff];
}

/**
 * Decodes raw little-endian tensor bytes to a fresh Float32Array.
 * `bytes` may start at any byte offset (unaligned views are copied first).
 */
export function decodeToFloat32(bytes: Uint8Array, dtype: SafeDtype): Float32Array {
  const itemsize = DTYPE_BYTES[dtype];
  const n = bytes.byteLength / itemsize;
  if (!Number.isInteger(n)) throw new RangeError(`byte length ${bytes.byteLength} is not a multiple of ${itemsize}`);
  if (dtype === 'F32') {
    const out = new Float32Array(n);
    new Uint8Array(out.buffer).set(bytes); // copy handles any alignment
    return out;
  }
  // F16 / BF16: read u16 little-endian; align by copying if needed
  const u16 = bytes.byteOffset % 2 === 0 ? new Uint16Array(bytes.buffer, bytes.byteOffset, n) : new Uint16Array(bytes.slice().buffer, 0, n);
  const out = new Float32Array(n);
  if (dtype === 'BF16') {
    const o32 = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) o32[i] = u16[i] << 16; // bf16 = top half of f32
  } else {
    const t = halfTable();
    for (let i = 0; i < n; i++) out[i] = t[u16[i]];
  }
  return out;
}

/** Number of elements of a tensor. */
export function numel(e: TensorEntry): number {
  return e.shape.reduce((a, b) => a * b, 1);
}

function toU8(bytes: ArrayBuffer | Uint8Array): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

// ---------------------------------------------------------------- entry points

/**
 * Parses a whole safetensors file held in memory. Validates the header first
 * (see parseSafetensorsHeader); tensors are decoded only by getFloat32(name),
 * which always returns a fresh Float32Array (safe to transfer).
 *
 * @param bytes the complete file
 * @param file  name used in error messages (default 'model.safetensors')
 */
export function parseSafetensors(bytes: ArrayBuffer | Uint8Array, file = DEFAULT_FILE): SafetensorsFile & SafetensorsHeader {
  const u8 = toU8(bytes);
  const n = readHeaderLength(u8.subarray(0, 8), u8.byteLength, file);
  const dataStart = 8 + n;
  const dataLength = u8.byteLength - dataStart;
  const { entries, metadata } = parseSafetensorsHeader(u8.subarray(8, dataStart), dataLength, file);
  return {
    entries,
    metadata,
    dataStart,
    dataLength,
    getFloat32(name: string): Float32Array {
      const e = entries.get(name);
      if (!e) throw new ModelFileError(file, `no tensor named '${name}'`);
      return decodeEntry(u8.subarray(dataStart + e.begin, dataStart + e.end), e, file);
    },
  };
}

/**
 * Async, range-reading variant for a Blob / File (or an in-memory buffer).
 * Reads 8 bytes, validates the header length, reads and validates the header,
 * and returns a reader that fetches each tensor's bytes only on request.
 * Never reads (or allocates) more than the file holds.
 */
export async function readSafetensorsHeader(source: BlobLike | ArrayBuffer | Uint8Array, file = DEFAULT_FILE): Promise<SafetensorsReader> {
  const read: (a: number, b: number) => Promise<Uint8Array> =
    source instanceof ArrayBuffer || source instanceof Uint8Array
      ? (() => {
          const u8 = toU8(source);
          return async (a: number, b: number) => u8.subarray(a, b);
        })()
      : async (a: number, b: number) => new Uint8Array(await source.slice(a, b).arrayBuffer());
  const fileSize = source instanceof ArrayBuffer || source instanceof Uint8Array ? source.byteLength : source.size;
  const first8 = fileSize >= 8 ? await read(0, 8) : new Uint8Array(8);
  const n = readHeaderLength(first8, fileSize, file);
  const dataStart = 8 + n;
  const dataLength = fileSize - dataStart;
  const { entries, metadata } = parseSafetensorsHeader(await read(8, dataStart), dataLength, file);
  const readBytes = async (name: string): Promise<Uint8Array> => {
    const e = entries.get(name);
    if (!e) throw new ModelFileError(file, `no tensor named '${name}'`);
    const b = await read(dataStart + e.begin, dataStart + e.end);
    if (b.byteLength !== e.end - e.begin) {
      throw new ModelFileError(file, `could only read ${b.byteLength} of ${e.end - e.begin} bytes of tensor '${name}'`);
    }
    return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();
  };
  return {
    entries,
    metadata,
    dataStart,
    dataLength,
    fileSize,
    readBytes,
    async readFloat32(name: string): Promise<Float32Array> {
      const e = entries.get(name)!;
      if (!isFloatDtype(e.dtype)) throw new ModelFileError(file, unsupportedDtypeMessage(name, e.dtype));
      const b = await readBytes(name);
      return decodeToFloat32(b, e.dtype);
    },
  };
}

/**
 * Builds a safetensors file (used by tests and fixture scripts; handy for
 * exporting too). Tensors are written in the given order, contiguously.
 */
export function writeSafetensors(
  tensors: { name: string; dtype?: SafeDtype; shape: number[]; data: Float32Array | Uint16Array }[],
  metadata?: Record<string, string>,
): Uint8Array<ArrayBuffer> {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let off = 0;
  const blobs: Uint8Array[] = [];
  for (const t of tensors) {
    const dtype = t.dtype ?? 'F32';
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[t.name] = { dtype, shape: t.shape, data_offsets: [off, off + bytes.byteLength] };
    off += bytes.byteLength;
    blobs.push(bytes);
  }
  const raw = new TextEncoder().encode(JSON.stringify(header));
  const hb = new Uint8Array(Math.ceil(raw.byteLength / 8) * 8).fill(0x20); // pad with spaces to 8 bytes, as the reference writer does
  hb.set(raw);
  const out = new Uint8Array(8 + hb.byteLength + off);
  new DataView(out.buffer).setUint32(0, hb.byteLength, true);
  out.set(hb, 8);
  let p = 8 + hb.byteLength;
  for (const b of blobs) {
    out.set(b, p);
    p += b.byteLength;
  }
  return out;
}
