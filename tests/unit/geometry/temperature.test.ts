import { describe, expect, it } from 'vitest';
import { maxProbCurve, scaled, sliderToTemp, tempToSlider, T_MAX, T_MIN, T_STEPS } from '../../../src/geometry/temperature';
import { softmax, softmaxAt, topK } from '../../../src/geometry/softmax';

describe('temperature slider', () => {
  it('0 is T = 0; ends are T_MIN and T_MAX; round trips', () => {
    expect(sliderToTemp(0)).toBe(0);
    expect(sliderToTemp(1)).toBeCloseTo(T_MIN, 12);
    expect(sliderToTemp(T_STEPS)).toBeCloseTo(T_MAX, 9);
    for (const v of [1, 17, 500, 999]) expect(tempToSlider(sliderToTemp(v))).toBe(v);
    expect(tempToSlider(0)).toBe(0);
    expect(tempToSlider(1)).toBeGreaterThan(0);
  });
  it('best-token probability falls from 1 towards 1/V as T rises', () => {
    const z = [3, 1, 0.5, -2, 0];
    const c = maxProbCurve(z, 30, 0.01, 1000);
    for (let i = 1; i < c.length; i++) expect(c[i][1]).toBeLessThanOrEqual(c[i - 1][1] + 1e-12);
    expect(c[0][1]).toBeCloseTo(1, 6);
    expect(c[c.length - 1][1]).toBeCloseTo(1 / z.length, 2);
  });
  it('scaling logits by α equals temperature 1/α', () => {
    const z = [3, 1, 0.5, -2, 0];
    for (const a of [0.2, 1, 4]) {
      const p = softmax(scaled(z, a), 1);
      const q = softmax(z, 1 / a);
      for (let i = 0; i < z.length; i++) expect(p[i]).toBeCloseTo(q[i], 12);
    }
  });
});

describe('softmaxAt: the distribution read at a few tokens', () => {
  it('gives exactly softmax(z, T) there, including T = 0 ties, T = ∞, no finite logit and no logits', () => {
    const cases: number[][] = [
      [3, 1, 0.5, -2, 0],
      [2, 5, 5, 1],
      [-Infinity, -Infinity, -Infinity],
      [1e4, -1e4, 0],
    ];
    for (const z of cases)
      for (const T of [0, 1e-3, 0.7, 1, 9, Infinity]) {
        const ids = topK(z, 3);
        const full = softmax(z, T);
        expect(Array.from(softmaxAt(z, T, ids))).toEqual(ids.map((i) => full[i]));
      }
    expect(Array.from(softmaxAt([], 1, []))).toEqual([]);
  });
  it('the top tokens of z are the top tokens of the distribution at every T > 0', () => {
    const z = Array.from({ length: 200 }, (_, i) => Math.sin(i * 12.9898) * 4);
    for (const T of [0.05, 1, 20]) expect(topK(softmax(z, T), 8)).toEqual(topK(z, 8));
  });
});

describe('maxProbCurve', () => {
  it('agrees with maxProb at every temperature (to the order of summation), also with ties and -Infinity logits', async () => {
    const { maxProb } = await import('../../../src/geometry/softmax');
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const cases = [
      Array.from({ length: 4096 }, () => 8 * rnd()),
      [5, 5, 1, -Infinity, 0, 5],
      Array.from({ length: 50257 }, () => 3 * rnd() - (rnd() > 0.99 ? 30 : 0)),
      [2],
    ];
    for (const z of cases) {
      const c = maxProbCurve(z, 90);
      expect(c).toHaveLength(90);
      for (const [t, p] of c) expect(Math.abs(p - maxProb(z, t))).toBeLessThanOrEqual(1e-13 * maxProb(z, t));
    }
  });
  it('falls back to maxProb where no logit is finite', async () => {
    const { maxProb } = await import('../../../src/geometry/softmax');
    const z = [-Infinity, -Infinity];
    for (const [t, p] of maxProbCurve(z, 5)) expect(p).toBe(maxProb(z, t));
    expect(maxProbCurve([], 3).map((x) => x[1])).toEqual([0, 0, 0]);
  });
});
