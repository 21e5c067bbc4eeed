/** Issue 16 (4, 5): the URL-length rule, empty numbers, and the prompt cut from a link. */
import { expect, test } from 'vitest';
import { MAX_URL_BYTES, PARAMS, defaults, pageUrl, parseParams, readParams } from '../../../src/state/params';
import { mulberry32 } from '../../../src/geometry/random';

const ORIGIN = 'https://example.org';
const bytes = (s: string) => new TextEncoder().encode(s).length;
const scripts = [
  [0x41, 26], // Latin
  [0x4e00, 20000], // CJK: 9 bytes each once percent-encoded
  [0x1f600, 80], // emoji: 12 bytes each
  [0x5d0, 27], // Hebrew
] as const;

test('the page never writes an address over MAX_URL_BYTES; what fits round-trips, what does not drops only the prompt', () => {
  const rand = mulberry32(16);
  let dropped = 0;
  for (let k = 0; k < 2000; k++) {
    const [base, span] = scripts[k % scripts.length];
    const n = Math.floor(rand() * PARAMS.prompt.maxLength);
    const prompt = Array.from({ length: n }, () => String.fromCodePoint(base + Math.floor(rand() * span)))
      .join('')
      .slice(0, PARAMS.prompt.maxLength);
    const state = {
      ...defaults(),
      prompt,
      temp: Math.round(rand() * 300) / 100,
      hs_a: ' Ürsula'.repeat(5),
      gen_n: 1 + Math.floor(rand() * 199),
    };
    const hash = rand() < 0.1 ? '#' + 'x'.repeat(9000) : rand() < 0.5 ? '#ch-3' : '';
    const u = pageUrl(state, ORIGIN, '/essay/', hash);
    expect(bytes(ORIGIN + u.url)).toBeLessThanOrEqual(MAX_URL_BYTES);
    expect(u.bytes).toBe(bytes(ORIGIN + u.url));
    const search = u.url.includes('?') ? u.url.slice(u.url.indexOf('?')).replace(/#.*$/, '') : '';
    const back = parseParams(search);
    if (u.promptDropped) {
      dropped++;
      expect(u.fullBytes).toBeGreaterThan(MAX_URL_BYTES);
      expect(back).toEqual({ ...state, prompt: PARAMS.prompt.default });
    } else {
      expect(back).toEqual(state);
    }
  }
  expect(dropped).toBeGreaterThan(100); // the rule was exercised
});

test('a 4,000-character CJK prompt (36 KB encoded) is left out; 700 characters fit', () => {
  const cjk = (n: number) => Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  const long = pageUrl({ ...defaults(), prompt: cjk(4000) }, ORIGIN, '/', '');
  expect(long.promptDropped).toBe(true);
  expect(long.fullBytes).toBeGreaterThan(36_000);
  expect(long.url).toBe('/');
  const medium = pageUrl({ ...defaults(), prompt: cjk(700) }, ORIGIN, '/', '');
  expect(medium.promptDropped).toBe(false);
  expect(parseParams(medium.url.slice(1)).prompt).toBe(cjk(700));
});

test('empty numbers are absent; a cut prompt is reported with its length', () => {
  expect(parseParams('?temp=&gen_n=&rk_k=%20').temp).toBe(PARAMS.temp.default);
  expect(parseParams('?temp=&gen_n=').gen_n).toBe(PARAMS.gen_n.default);
  expect(parseParams('?temp=0').temp).toBe(0);
  const r = readParams(`?prompt=${'b'.repeat(5000)}&tk_word=${'w'.repeat(41)}`);
  expect(r.state.prompt.length).toBe(4000);
  expect(r.cut).toEqual({ prompt: 5000, tk_word: 41 });
  expect(readParams('?prompt=short').cut).toEqual({});
});
