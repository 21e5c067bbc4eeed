import { describe, expect, it } from 'vitest';
import { histogram, indicesInRange, summary } from '../../../src/geometry/histogram';

describe('histogram', () => {
  it('counts every finite value once, max in the last bin', () => {
    const h = histogram([0, 1, 2, 3, 4, NaN, Infinity], 4);
    expect(h.lo).toBe(0);
    expect(h.hi).toBe(4);
    expect(h.counts).toEqual([1, 1, 1, 2]);
    expect(h.counts.reduce((a, b) => a + b)).toBe(5);
  });
  it('handles constant and empty input', () => {
    expect(histogram([2, 2, 2], 3).counts.reduce((a, b) => a + b)).toBe(3);
    expect(histogram([], 3).counts).toEqual([0, 0, 0]);
  });
  it('selects indices in a range, sorted', () => {
    expect(indicesInRange([5, 1, 3, 4, 2], 2, 4)).toEqual([4, 2, 3]);
    expect(indicesInRange([5, 1, 3, 4, 2], 4, 2, true)).toEqual([3, 2, 4]);
  });
  it('summary', () => {
    const s = summary([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.min).toBe(1);
    expect(s.max).toBe(4);
    expect(s.q(0.5)).toBe(2.5);
  });
});
