/**
 * Every malformed model folder made by scripts/make-malformed.mjs is rejected
 * with a ModelFileError naming the right file and its own distinct message,
 * and reading never asks for more bytes than the file holds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeMalformedCases, validFolder, type FolderFiles } from '../../../scripts/make-malformed.mjs';
import { ModelFileError } from '../../../src/runtime/formats';
import { checkTensorsAgainstConfig, parseConfigText } from '../../../src/runtime/config';
import { parseSafetensors, readSafetensorsHeader, type BlobLike } from '../../../src/runtime/safetensors';
import { openModelFolder } from '../../../src/tokenizer/model-folder';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A Blob double that records every byte range asked for. */
function spyBlob(bytes: Uint8Array): BlobLike & { asked: number; maxSlice: number } {
  const b = {
    size: bytes.byteLength,
    asked: 0,
    maxSlice: 0,
    slice(start: number, end: number) {
      const s = Math.max(0, Math.min(end, bytes.byteLength) - Math.max(0, start));
      b.asked += s;
      b.maxSlice = Math.max(b.maxSlice, end - start);
      return { arrayBuffer: async () => bytes.slice(start, end).buffer as ArrayBuffer };
    },
  };
  return b;
}

function open(files: FolderFiles, blob = true) {
  const st = files['model.safetensors'];
  return openModelFolder({
    config: files['config.json'],
    safetensors: st === undefined ? undefined : blob && st instanceof Uint8Array ? spyBlob(st) : (st as Uint8Array),
    tokenizer: files['tokenizer.json'],
  });
}

async function rejection(p: Promise<unknown>): Promise<ModelFileError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return e as ModelFileError;
  }
  throw new Error('expected a rejection');
}

const cases = makeMalformedCases();

describe('malformed model folders', () => {
  it('there are at least 20 cases with distinct expected messages', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((c) => c.expect)).size).toBe(cases.length);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('the valid control folders open', async () => {
    const g = await open(validFolder('gpt2'));
    expect(g.config.arch).toBe('gpt2');
    expect(g.tokenizer.vocabSize).toBe(260);
    expect(g.tokenizer.bosPrepend).toBeNull();
    expect(g.tokenizer.encode(' the')).toEqual([258]);
    const w = await g.weights.readFloat32('transformer.wte.weight');
    expect(w.length).toBe(260 * 8);
    expect(w[1]).toBeCloseTo(Math.sin(0.37) * 0.1, 6);
    const o = await open(validFolder('opt'));
    expect(o.config.arch).toBe('opt');
    expect(o.config.positionOffset).toBe(2);
    expect(o.tokenizer.bosPrepend).toBe(259);
  });

  const messages = new Map<string, string>();
  for (const c of cases) {
    it(`${c.name}: ${c.what}`, async () => {
      const e = await rejection(open(c.files));
      expect(e.file).toBe(c.file);
      expect(e.message).toContain(c.expect);
      expect(e.message.startsWith(`${c.file}: `)).toBe(true);
      messages.set(c.name, e.message);
    });
  }

  it('each case fails with its own message', () => {
    expect(messages.size).toBe(cases.length);
    expect(new Set(messages.values()).size).toBe(cases.length);
  });

  it('the in-memory parser (and the tensor check) reject the broken safetensors files the same way', () => {
    let container = 0;
    for (const c of cases) {
      const st = c.files['model.safetensors'];
      if (c.file !== 'model.safetensors' || !(st instanceof Uint8Array)) continue;
      const run = () => checkTensorsAgainstConfig(parseSafetensors(st), parseConfigText(c.files['config.json'] as string));
      expect(run, c.name).toThrow(ModelFileError);
      expect(run, c.name).toThrow(c.expect);
      try {
        parseSafetensors(st);
      } catch {
        container++;
      }
    }
    expect(container).toBeGreaterThanOrEqual(18);
  });

  it('never reads more bytes than the file holds (huge header length fails before allocating)', async () => {
    for (const c of cases) {
      const st = c.files['model.safetensors'];
      if (!(st instanceof Uint8Array)) continue;
      const blob = spyBlob(st);
      await readSafetensorsHeader(blob).catch(() => undefined);
      expect(blob.maxSlice, c.name).toBeLessThanOrEqual(Math.max(st.byteLength, 0));
      expect(blob.asked, c.name).toBeLessThanOrEqual(st.byteLength);
    }
    const huge = cases.find((c) => c.name === 'huge-header-length')!.files['model.safetensors'] as Uint8Array;
    const blob = spyBlob(huge);
    await expect(readSafetensorsHeader(blob)).rejects.toThrow(/100 MB limit/);
    expect(blob.asked).toBe(8); // only the length prefix was read
  });

  const fixtures = join(ROOT, 'tests/fixtures/malformed');
  it.skipIf(!existsSync(join(fixtures, 'cases.json')))('the committed fixture folders are rejected the same way', async () => {
    const listed = JSON.parse(readFileSync(join(fixtures, 'cases.json'), 'utf8')) as {
      name: string;
      file: string | null;
      expect: string | null;
    }[];
    expect(listed.length).toBe(cases.length + 2);
    for (const c of listed) {
      const read = (f: string) =>
        existsSync(join(fixtures, c.name, f)) ? new Uint8Array(readFileSync(join(fixtures, c.name, f))) : undefined;
      const files: FolderFiles = {};
      for (const f of ['config.json', 'model.safetensors', 'tokenizer.json'] as const) {
        const b = read(f);
        if (b) files[f] = f === 'model.safetensors' ? b : new TextDecoder().decode(b);
      }
      if (c.file === null) {
        await expect(open(files)).resolves.toBeTruthy();
      } else {
        const e = await rejection(open(files));
        expect(e.message, c.name).toContain(c.expect);
      }
    }
  });
});
