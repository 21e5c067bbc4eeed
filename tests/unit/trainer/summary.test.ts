/** The run summary the chapter's prose is built from, on a hand-made run. */
import { expect, test } from 'vitest';
import { smoothed, summarize } from '../../../src/figures/training-lab/summary';
import type { ProbeReadout } from '../../../src/trainer/trainer';

function ro(step: number, norm: number, cos: number): ProbeReadout {
  return {
    step,
    norm: [norm, norm],
    cos: [cos, cos],
    pTarget: [0.5, 0.25],
    correct: [true, false],
    agreement: step === 0 ? 1 : 0.75,
    agreementN: 8,
    rowNorms: [1, 3],
    plane: { x: [1, 0], bAngle: 1, norm, frac: 1, cosA: cos, cosB: 0 },
  };
}

test('summarize: losses, the unigram crossing, direction before length, row norms', () => {
  const step = Array.from({ length: 40 }, (_, i) => i + 1);
  const loss = step.map((s) => 5 - s * 0.1); // crosses 3.5 on the way down
  // cosine gets to 90% of its change by step 10, the length only by step 30
  const rs = [ro(0, 1, 0), ro(10, 1.2, 0.9), ro(20, 1.5, 0.95), ro(30, 2.9, 1), ro(40, 3, 1)];
  const s = summarize(step, loss, rs, 3.5)!;
  expect(s.lossStart).toBe(4.9);
  expect(s.lossEnd).toBeCloseTo(mean(loss.slice(-20)), 12);
  // the 20-step mean first falls below 3.5 where the mean of steps k-19..k, 5 - 0.1·(k - 9.5), is < 3.5, i.e. k > 24.5
  expect(s.belowUnigramStep).toBe(25);
  expect(s.cos90).toBe(10);
  expect(s.norm90).toBe(30);
  expect([s.normStart, s.normEnd, s.cosStart, s.cosEnd]).toEqual([1, 3, 0, 1]);
  expect([s.agreeStart, s.agreeEnd, s.agreementN]).toEqual([1, 0.75, 8]);
  expect([s.rowNormMean, s.rowNormSd, s.probesRight, s.pTargetEnd]).toEqual([2, 1, 1, 0.375]);
  expect(summarize(step, loss, rs.slice(0, 1), 3.5)).toBeNull();
});

test('smoothed: trailing mean over the window', () => {
  expect(smoothed([1, 3, 5, 7], 2)).toEqual([1, 2, 4, 6]);
});

function mean(xs: number[]) {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
