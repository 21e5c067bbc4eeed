import { describe, expect, it } from 'vitest';
import { layerNorm, maxAbsDiff, normalize } from '../../../src/geometry/layernorm';

describe('layernorm', () => {
  const x = [0.3, -1.2, 2.5, 0.7, -0.1, 1.9];
  it('output has mean 0 and length √D', () => {
    const n = normalize(x, 0);
    expect(n.reduce((a, b) => a + b)).toBeCloseTo(0, 12);
    expect(Math.hypot(...n)).toBeCloseTo(Math.sqrt(x.length), 12);
  });
  it('is unchanged by scaling the input (up to ε)', () => {
    const a = normalize(x, 1e-5);
    for (const s of [0.1, 0.5, 3, 40])
      expect(
        maxAbsDiff(
          a,
          normalize(
            x.map((v) => v * s),
            1e-5,
          ),
        ),
      ).toBeLessThan(1e-3);
    expect(
      maxAbsDiff(
        normalize(x, 0),
        normalize(
          x.map((v) => v * 1000),
          0,
        ),
      ),
    ).toBeLessThan(1e-12);
  });
  it('applies gain and bias', () => {
    const g = x.map(() => 2);
    const b = x.map(() => 1);
    const n = normalize(x);
    const y = layerNorm(x, g, b);
    expect(y[2]).toBeCloseTo(2 * n[2] + 1, 12);
  });
});
