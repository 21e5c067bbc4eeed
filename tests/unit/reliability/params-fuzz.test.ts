/**
 * Issue 7 (3), any URL: src/state/params.ts parses untrusted query strings.
 * Hand-picked hostile values for every parameter, then 20,000 seeded random
 * query strings; every result must be a complete, well-typed state inside
 * the declared clamps, and nothing may throw or touch Object.prototype.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROMPT,
  PARAMS,
  defaults,
  parseParams,
  parseValue,
  serializeParams,
  type AppState,
  type ParamSpec,
} from '../../../src/state/params';

/** encodeURIComponent for any string (lone surrogates become U+FFFD, as a browser's URL does). */
const enc = (s: string) =>
  encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

const SPECS = Object.entries(PARAMS) as [keyof AppState, ParamSpec][];

/** Every value of `s` obeys its spec (type, range, integer, length, pattern, enum). */
function violations(s: AppState): string[] {
  const bad: string[] = [];
  const keys = Object.keys(s).sort();
  if (JSON.stringify(keys) !== JSON.stringify(SPECS.map(([k]) => k).sort())) bad.push(`keys ${keys.join(',')}`);
  for (const [k, spec] of SPECS) {
    const v = s[k] as unknown;
    switch (spec.kind) {
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < spec.min || v > spec.max || (spec.integer && !Number.isInteger(v)))
          bad.push(`${k}=${String(v)}`);
        break;
      case 'string':
        if (typeof v !== 'string' || v.length > spec.maxLength || (spec.pattern && !spec.pattern.test(v)))
          bad.push(`${k}=${String(v).slice(0, 40)}`);
        break;
      case 'boolean':
        if (typeof v !== 'boolean') bad.push(`${k}=${String(v)}`);
        break;
      case 'enum':
        if (typeof v !== 'string' || !spec.values.includes(v)) bad.push(`${k}=${String(v)}`);
        break;
    }
  }
  return bad;
}

const HOSTILE = [
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  '+Infinity',
  'infinity',
  '1e309',
  '-1e309',
  '1e308',
  '-1e308',
  '9'.repeat(400),
  '0x7fffffff',
  '0b101',
  '0o17',
  '1e-400',
  '-0',
  '  12  ',
  '',
  ' ',
  '\t',
  '\u0000',
  'null',
  'undefined',
  'true',
  'false',
  '[]',
  '{}',
  '[1,2]',
  '1,5',
  '1.2.3',
  '١٢٣',
  '１２',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  '%00',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil',
  'a'.repeat(100_000),
  '🙂'.repeat(5000),
  'tiny-tied',
  'TINY-TIED',
  'tiny-tied<script>',
  'wasm',
  'WASM',
  'evil',
  'webgpu ',
  'auto\u0000',
];

describe('parseParams with hostile URLs', () => {
  it('defaults for an empty, absent or garbage query', () => {
    for (const q of [
      '',
      '?',
      '??',
      '&&&',
      '?=',
      '?=&=',
      '#',
      '?%',
      '?%E0%A4%A',
      '?prompt=%',
      '?%zz=%zz',
      '?prompt=%ED%A0%80',
      '?model=%C0%AF',
      '?temp=%FF',
      '?a'.repeat(10_000),
    ]) {
      const s = parseParams(q);
      expect(violations(s), q.slice(0, 40)).toEqual([]);
      if (!q.includes('prompt')) expect(s).toEqual(defaults());
    }
  });

  it('every hostile value, for every parameter, is clamped or ignored', () => {
    let checked = 0;
    for (const [k, spec] of SPECS) {
      for (const raw of HOSTILE) {
        const s = parseParams(`?${k}=${enc(raw)}`);
        expect(violations(s), `${k}=${raw.slice(0, 30)}`).toEqual([]);
        const v = parseValue(spec, raw);
        if (spec.kind === 'number' && v !== undefined) expect(Number.isFinite(v)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(SPECS.length * HOSTILE.length);
  });

  it('the named cases: NaN/Infinity/huge numbers, unknown model, markup, evil backend, very long prompt', () => {
    const s = parseParams(
      '?' +
        new URLSearchParams({
          prompt: '<img src=x onerror=alert(1)>' + 'x'.repeat(50_000),
          temp: 'NaN',
          cl_ax: 'Infinity',
          cl_ay: '1e308',
          gen_n: '-1e308',
          ln_layer: '2.7',
          model: '<script>alert(1)</script>',
          backend: 'evil',
          rt_mode: 'constructor',
          hs_centre: 'yes',
          ut_link: '0',
        }).toString(),
    );
    expect(s.temp).toBe(PARAMS.temp.default); // NaN ignored
    expect(s.cl_ax).toBe(PARAMS.cl_ax.default); // Infinity ignored
    expect(s.cl_ay).toBe(PARAMS.cl_ay.max); // huge clamped
    expect(s.gen_n).toBe(PARAMS.gen_n.min);
    expect(s.ln_layer).toBe(3); // integers rounded
    expect(s.model).toBe(PARAMS.model.default); // markup is not a model key
    expect(s.backend).toBe('auto');
    expect(s.rt_mode).toBe(PARAMS.rt_mode.default);
    expect(s.hs_centre).toBe(PARAMS.hs_centre.default);
    expect(s.ut_link).toBe(false);
    expect(s.prompt.length).toBe(PARAMS.prompt.maxLength); // capped; kept as text (rendering as text is a browser test)
    expect(s.prompt.startsWith('<img')).toBe(true);
  });

  it('prototype keys and repeated keys cannot pollute or confuse', () => {
    const s = parseParams('?__proto__=x&constructor=y&prototype=z&__proto__[polluted]=1&temp=2&temp=NaN&toString=1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(s, '__proto__')).toBe(false);
    expect(s.temp).toBe(2); // the first value wins (URLSearchParams.get)
    expect(violations(s)).toEqual([]);
  });

  it('20,000 seeded random query strings: complete, in range, never throw; serialize ∘ parse is stable', () => {
    let seed = 7;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
    const keys = [...SPECS.map(([k]) => k as string), 'x', '', '__proto__'];
    const numberish = () =>
      pick([String(rand() * 10 ** (rand() * 12 - 4) * (rand() < 0.5 ? -1 : 1)), String(Math.floor(rand() * 1e6)), pick(HOSTILE)]);
    const randomText = () => {
      let t = '';
      const n = Math.floor(rand() ** 3 * 300);
      for (let i = 0; i < n; i++) t += String.fromCharCode(rand() < 0.8 ? 32 + Math.floor(rand() * 95) : Math.floor(rand() * 0xffff));
      return t;
    };
    let nonDefault = 0;
    for (let i = 0; i < 20_000; i++) {
      const parts: string[] = [];
      const n = 1 + Math.floor(rand() * 8);
      for (let j = 0; j < n; j++) {
        const k = pick(keys);
        const v = rand() < 0.4 ? numberish() : rand() < 0.5 ? pick(HOSTILE).slice(0, 2000) : randomText();
        // sometimes raw (unencoded, possibly malformed percent escapes), usually encoded
        parts.push(rand() < 0.2 ? `${k}=${v.replace(/[#&]/g, '')}` : `${enc(k)}=${enc(v)}`);
      }
      const q = '?' + parts.join('&');
      const s = parseParams(q);
      const bad = violations(s);
      if (bad.length) throw new Error(`${q.slice(0, 200)} → ${bad.join('; ')}`);
      if (JSON.stringify(s) !== JSON.stringify(defaults())) nonDefault++;
      // What the page writes back to the URL parses to the same state.
      const again = parseParams(serializeParams(s));
      for (const [k, spec] of SPECS) {
        if (spec.kind === 'number') {
          if (Math.abs((again[k] as number) - (s[k] as number)) > 1e-6 * Math.max(1, Math.abs(s[k] as number)))
            throw new Error(`${k}: ${s[k]} → ${again[k]}`);
        } else if (again[k] !== s[k]) throw new Error(`${k}: ${String(s[k]).slice(0, 40)} → ${String(again[k]).slice(0, 40)}`);
      }
    }
    expect(nonDefault).toBeGreaterThan(5000); // the fuzz really changed state, not only defaults
  });

  it('defaults are themselves valid and the default prompt is used when none is given', () => {
    expect(violations(defaults())).toEqual([]);
    expect(parseParams('?temp=2').prompt).toBe(DEFAULT_PROMPT);
  });
});
