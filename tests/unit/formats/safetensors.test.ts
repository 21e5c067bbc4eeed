import { describe, expect, it } from 'vitest';
import { rawSafetensors } from '../../../scripts/make-malformed.mjs';
import { ModelFileError } from '../../../src/runtime/formats';
import { decodeToFloat32, f16ToF32, parseSafetensors, readSafetensorsHeader, writeSafetensors } from '../../../src/runtime/safetensors';
import { f32ToBf16Bits, f32ToF16Bits, normalRng } from '../runtime/checkpoint';

const u16 = (xs: number[]) => new Uint16Array(xs);

describe('half-precision decoding', () => {
  it('F16 known values', () => {
    const cases: [number, number][] = [
      [0x3c00, 1],
      [0xc000, -2],
      [0x7bff, 65504],
      [0x0001, 2 ** -24],
      [0x03ff, 1023 * 2 ** -24],
      [0x0400, 2 ** -14],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
      [0x3555, 0.333251953125],
      [0x0000, 0],
    ];
    for (const [h, v] of cases) expect(f16ToF32(h)).toBe(v);
    expect(Object.is(f16ToF32(0x8000), -0)).toBe(true);
    expect(f16ToF32(0x7e00)).toBeNaN();
  });

  it('BF16 known values', () => {
    const out = decodeToFloat32(new Uint8Array(u16([0x3f80, 0xc000, 0x7f80, 0x4049, 0x0000]).buffer), 'BF16');
    expect([...out]).toEqual([1, -2, Infinity, 3.140625, 0]);
  });

  it('F16 / BF16 round trip random values within their precision', () => {
    const r = normalRng(3);
    const xs = Array.from({ length: 2000 }, () => r() * 10);
    const h = decodeToFloat32(new Uint8Array(u16(xs.map(f32ToF16Bits)).buffer), 'F16');
    const b = decodeToFloat32(new Uint8Array(u16(xs.map(f32ToBf16Bits)).buffer), 'BF16');
    xs.forEach((x, i) => {
      expect(Math.abs(h[i] - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11 + 2 ** -24);
      expect(Math.abs(b[i] - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -8);
    });
  });
});

describe('parseSafetensors', () => {
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  const file = writeSafetensors(
    [
      { name: 'a', shape: [2, 3], data: a },
      { name: 'h', dtype: 'F16', shape: [3], data: u16([0x3c00, 0xc000, 0x3555]) },
      { name: 'b', dtype: 'BF16', shape: [1, 2], data: u16([0x3f80, 0x4049]) },
      { name: 'empty', shape: [0, 5], data: new Float32Array(0) },
    ],
    { format: 'pt', note: 'ünïcode' },
  );

  it('reads entries, metadata and tensors', () => {
    const f = parseSafetensors(file);
    expect([...f.entries.keys()]).toEqual(['a', 'h', 'b', 'empty']);
    expect(f.entries.get('h')).toEqual({ name: 'h', dtype: 'F16', shape: [3], begin: 24, end: 30 });
    expect(f.metadata).toEqual({ format: 'pt', note: 'ünïcode' });
    expect([...f.getFloat32('a')]).toEqual([...a]);
    expect([...f.getFloat32('h')]).toEqual([1, -2, 0.333251953125]);
    expect([...f.getFloat32('b')]).toEqual([1, 3.140625]);
    expect(f.getFloat32('empty')).toHaveLength(0);
    expect((f.dataStart - 8) % 8).toBe(0); // writer pads the header to 8 bytes
    expect(() => f.getFloat32('nope')).toThrow("no tensor named 'nope'");
  });

  it('returns fresh copies (safe to transfer) and accepts a Uint8Array view inside a larger buffer', () => {
    const big = new Uint8Array(file.byteLength + 13);
    big.set(file, 13);
    const f = parseSafetensors(big.subarray(13));
    const x = f.getFloat32('a');
    expect(x.buffer.byteLength).toBe(24);
    x[0] = 99;
    expect(f.getFloat32('a')[0]).toBe(1);
    expect(parseSafetensors(file.slice().buffer).getFloat32('b')[1]).toBe(3.140625);
  });

  it('handles unaligned tensor offsets (odd header length)', () => {
    const data = new Uint8Array(2 + 8 + 4);
    new Uint16Array(data.buffer, 0, 1)[0] = 0x4000; // F16 2
    new DataView(data.buffer).setFloat32(2, 1.5, true);
    new DataView(data.buffer).setFloat32(6, -7.25, true);
    new DataView(data.buffer).setUint16(10, 0x3f80, true);
    new DataView(data.buffer).setUint16(12, 0xbf80, true);
    const header = JSON.stringify({
      h: { dtype: 'F16', shape: [1], data_offsets: [0, 2] },
      f: { dtype: 'F32', shape: [2], data_offsets: [2, 10] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [10, 14] },
    });
    const odd = header.length % 2 === 1 ? header : header + ' ';
    const bytes = rawSafetensors(new TextEncoder().encode(odd), data);
    const f = parseSafetensors(bytes);
    expect(f.dataStart % 2).toBe(1);
    expect([...f.getFloat32('h')]).toEqual([2]);
    expect([...f.getFloat32('f')]).toEqual([1.5, -7.25]);
    expect([...f.getFloat32('b')]).toEqual([1, -1]);
  });

  it('errors are ModelFileErrors naming the file', () => {
    expect(() => parseSafetensors(new Uint8Array(3), 'x.safetensors')).toThrow(ModelFileError);
    expect(() => parseSafetensors(new Uint8Array(3), 'x.safetensors')).toThrow(/^x\.safetensors: file is only 3 bytes/);
  });
});

describe('readSafetensorsHeader (lazy, Blob)', () => {
  it('reads the header then single tensors from a Blob', async () => {
    const a = new Float32Array([1, 2, 3, 4]);
    const bytes = writeSafetensors([
      { name: 'a', shape: [4], data: a },
      { name: 'h', dtype: 'F16', shape: [2], data: u16([0x3c00, 0x4000]) },
    ]);
    const r = await readSafetensorsHeader(new Blob([bytes]));
    expect(r.fileSize).toBe(bytes.byteLength);
    expect([...(await r.readFloat32('a'))]).toEqual([1, 2, 3, 4]);
    expect([...(await r.readFloat32('h'))]).toEqual([1, 2]);
    expect([...(await r.readBytes('h'))]).toEqual([0x00, 0x3c, 0x00, 0x40]);
    await expect(r.readBytes('zzz')).rejects.toThrow("no tensor named 'zzz'");
    const r2 = await readSafetensorsHeader(bytes);
    expect([...(await r2.readFloat32('a'))]).toEqual([1, 2, 3, 4]);
  });

  it('a truncated Blob is rejected from its header alone', async () => {
    const bytes = writeSafetensors([{ name: 'a', shape: [1000], data: new Float32Array(1000) }]);
    await expect(readSafetensorsHeader(new Blob([bytes.subarray(0, 2000)]))).rejects.toThrow(/past the end of the data section/);
  });
});
