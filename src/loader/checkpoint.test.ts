import { describe, expect, test } from 'vitest';
import { classifyFiles, labelForUrl, missingMessage, normaliseBaseUrl, slug } from './checkpoint';
import { estimateMemory } from './memory';
import { parseConfig } from '../runtime/config';
import { PRESETS } from './presets';

describe('normaliseBaseUrl', () => {
  test.each([
    ['https://huggingface.co/gpt2/resolve/main/', 'https://huggingface.co/gpt2/resolve/main/'],
    ['https://huggingface.co/distilgpt2/resolve/main/', 'https://huggingface.co/distilgpt2/resolve/main/'],
    ['https://huggingface.co/gpt2', 'https://huggingface.co/gpt2/resolve/main/'],
    ['https://huggingface.co/facebook/opt-125m', 'https://huggingface.co/facebook/opt-125m/resolve/main/'],
    ['https://huggingface.co/facebook/opt-125m/tree/main', 'https://huggingface.co/facebook/opt-125m/resolve/main/'],
    ['https://huggingface.co/gpt2/blob/main/config.json', 'https://huggingface.co/gpt2/resolve/main/'],
    [
      'https://huggingface.co/facebook/opt-125m/resolve/refs%2Fpr%2F1/model.safetensors',
      'https://huggingface.co/facebook/opt-125m/resolve/refs%2Fpr%2F1/',
    ],
    ['gpt2', 'https://huggingface.co/gpt2/resolve/main/'],
    ['facebook/opt-125m', 'https://huggingface.co/facebook/opt-125m/resolve/main/'],
    ['http://127.0.0.1:8000/ckpt', 'http://127.0.0.1:8000/ckpt/'],
    ['http://127.0.0.1:8000/ckpt/config.json?x=1', 'http://127.0.0.1:8000/ckpt/'],
  ])('%s', (input, want) => expect(normaliseBaseUrl(input)).toBe(want));
  test('rejects non-web addresses', () => {
    expect(() => normaliseBaseUrl('ftp://x/y')).toThrow(/http/);
    expect(() => normaliseBaseUrl('')).toThrow();
  });
});

test('labels and slugs match the model URL parameter', () => {
  expect(labelForUrl('https://huggingface.co/facebook/opt-125m/resolve/main/')).toBe('facebook/opt-125m');
  expect(labelForUrl('http://127.0.0.1:9/a/b/')).toBe('127.0.0.1:9/a/b');
  for (const s of [slug('My Model!', 'local-'), slug('---', 'url-'), slug('x'.repeat(100), 'local-'), slug('GPT2 (v2)')]) {
    expect(s).toMatch(/^[a-z0-9][a-z0-9._-]{0,63}$/);
  }
  for (const p of PRESETS) expect(p.key).toMatch(/^[a-z0-9][a-z0-9._-]{0,63}$/);
});

const file = (name: string) => new File(['x'], name);

test('missing files are named; .bin only points to the conversion', () => {
  expect(missingMessage(classifyFiles([file('config.json')]))).toMatch(/Missing model\.safetensors, tokenizer\.json/);
  expect(missingMessage(classifyFiles([file('config.json'), file('model.safetensors'), file('vocab.json')]))).toMatch(/merges\.txt/);
  expect(
    missingMessage(classifyFiles([file('config.json'), file('model.safetensors'), file('vocab.json'), file('merges.txt')])),
  ).toBeNull();
  expect(missingMessage(classifyFiles([file('config.json'), file('pytorch_model.bin')]))).toMatch(/PyTorch.*safetensors/s);
  expect(missingMessage(classifyFiles([file('model-00001-of-00002.safetensors'), file('model-00002-of-00002.safetensors')]))).toMatch(
    /shards/,
  );
});

describe('memory estimate', () => {
  const gpt2 = (n_embd: number, n_layer: number, n_head: number) =>
    parseConfig({ model_type: 'gpt2', vocab_size: 50257, n_positions: 1024, n_embd, n_layer, n_head });
  test('without deviceMemory: GPT-2 medium fits a 1.5 GB float32 cap, GPT-2 large does not', () => {
    expect(estimateMemory(gpt2(768, 12, 12), null).parameters).toBe(124_439_808);
    expect(estimateMemory(gpt2(1024, 24, 16), null).fits).toBe(true);
    const large = estimateMemory(gpt2(1280, 36, 20), null);
    expect(large.fits).toBe(false);
    expect(large.reason).toMatch(/774M parameters: 3\.10 GB as float32, about 6\.19 GB once loaded, more than 3\.00 GB/);
  });
  test('with deviceMemory 8: half of it is the budget', () => {
    expect(estimateMemory(gpt2(1024, 24, 16), 8).fits).toBe(true);
    expect(estimateMemory(gpt2(1280, 36, 20), 8).fits).toBe(false);
    expect(estimateMemory(gpt2(1024, 24, 16), 2).fits).toBe(false);
  });
});

describe('checkpointFromFiles (Node File objects)', async () => {
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { makeCheckpoint } = await import('../../scripts/make-checkpoint.mjs');
  const { checkpointFromFiles } = await import('./checkpoint');
  const dir = mkdtempSync(join(tmpdir(), 'td-loader-unit-'));
  await makeCheckpoint({ out: dir, tokenizer: 'bytes', d: 32, layers: 1, heads: 2, ctx: 16, dtype: 'bf16' });
  const f = (name: string, path = join(dir, name)) => new File([readFileSync(path)], name);

  test('reads a complete folder; key from the config when no folder name is known', async () => {
    const c = await checkpointFromFiles([f('config.json'), f('model.safetensors'), f('tokenizer.json')]);
    expect(c.entry.key).toBe('local-gpt2-1l-32d');
    expect(c.estimate.parameters).toBe(
      c.config.vocabSize * 32 + 16 * 32 + (4 * 32 + 32 * 96 + 96 + 32 * 32 + 32 + 32 * 128 + 128 + 128 * 32 + 32) + 64,
    );
    const taken = new Set(['local-gpt2-1l-32d']);
    expect(
      (await checkpointFromFiles([f('config.json'), f('model.safetensors'), f('tokenizer.json')], (k) => taken.has(k))).entry.key,
    ).toBe('local-gpt2-1l-32d-2');
  });

  test('a tokenizer that does not fit the vocabulary is refused before the weights are used', async () => {
    const big = new File([JSON.stringify({ model: { type: 'BPE', vocab: { a: 0, b: 999 }, merges: [] } })], 'tokenizer.json');
    await expect(checkpointFromFiles([f('config.json'), f('model.safetensors'), big])).rejects.toThrow(
      /1000 tokens but config\.json says vocab_size = 257/,
    );
  });

  test('weights that do not match the config are refused', async () => {
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const wrong = new File([JSON.stringify({ ...cfg, n_layer: 2 })], 'config.json');
    await expect(checkpointFromFiles([wrong, f('model.safetensors'), f('tokenizer.json')])).rejects.toThrow(
      /model\.safetensors.*missing tensor 'h\.1\./,
    );
  });

  test.sequential('cleanup', () => rmSync(dir, { recursive: true, force: true }));
});
