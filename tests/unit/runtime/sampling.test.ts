import { describe, expect, it } from 'vitest';
import { argmax, mulberry32, sample } from '../../../src/runtime/sampling';

describe('sampling', () => {
  it('mulberry32 is deterministic per seed and uniform-ish', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });

  it('temperature 0 is argmax (first of ties); negative or NaN temperature too', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    const r = mulberry32(1);
    expect(sample([0.1, 5, 2], 0, r)).toBe(1);
    expect(sample([0.1, 5, 2], -1, r)).toBe(1);
    expect(sample([0.1, 5, 2], NaN, r)).toBe(1);
  });

  it('samples softmax(logits / T)', () => {
    const r = mulberry32(7);
    const n = 30000;
    for (const [T, expected] of [
      [1, 2 / 3],
      [2, Math.SQRT2 / (1 + Math.SQRT2)],
    ] as const) {
      let ones = 0;
      for (let i = 0; i < n; i++) ones += sample([0, Math.log(2)], T, r);
      expect(ones / n).toBeCloseTo(expected, 1.5);
    }
    // huge logits do not overflow
    expect(sample([1e30, 0], 1, r)).toBe(0);
  });
});
