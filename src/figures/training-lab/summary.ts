/**
 * What a run showed, computed from its records (pure; the chapter's prose is
 * built from this and nothing else).
 */
import type { LabRecord } from '../../trainer/lab';
import type { ProbeReadout } from '../../trainer/trainer';
import { mean } from './compute';

export interface ModelSummary {
  lossStart: number;
  /** Mean batch loss over the last 20 steps (one batch is noisy). */
  lossEnd: number;
  /** First step whose 20-step mean loss fell below the unigram entropy, or null. */
  belowUnigramStep: number | null;
  normStart: number;
  normEnd: number;
  cosStart: number;
  cosEnd: number;
  agreeStart: number;
  agreeEnd: number;
  agreementN: number;
  /** First recorded step at which cos covered 90% of its total change (start → end), and the same for |x|. */
  cos90: number | null;
  norm90: number | null;
  rowNormMean: number;
  rowNormSd: number;
  probesRight: number;
  pTargetEnd: number;
}

export function smoothed(xs: number[], w = 20): number[] {
  const out: number[] = [];
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i];
    if (i >= w) s -= xs[i - w];
    out.push(s / Math.min(w, i + 1));
  }
  return out;
}

/** First index where the series has covered `frac` of its net change from the first to the last value. */
function reached(steps: number[], ys: number[], frac: number): number | null {
  if (ys.length < 2) return null;
  const a = ys[0],
    b = ys[ys.length - 1];
  if (Math.abs(b - a) < 1e-9) return null;
  const target = a + frac * (b - a);
  for (let i = 0; i < ys.length; i++) if ((b > a && ys[i] >= target) || (b < a && ys[i] <= target)) return steps[i];
  return null;
}

export function summarize(step: number[], loss: number[], readouts: ProbeReadout[], unigram: number): ModelSummary | null {
  if (readouts.length < 2 || loss.length < 1) return null;
  const sm = smoothed(loss);
  let below: number | null = null;
  for (let i = 19; i < sm.length; i++)
    if (sm[i] < unigram) {
      below = step[i];
      break;
    }
  const first = readouts[0],
    last = readouts[readouts.length - 1];
  const rs = readouts.map((r) => r.step);
  const norms = readouts.map((r) => mean(r.norm));
  const coss = readouts.map((r) => mean(r.cos));
  const rn = last.rowNorms;
  const rm = mean(rn);
  return {
    lossStart: loss[0],
    lossEnd: mean(loss.slice(-20)),
    belowUnigramStep: below,
    normStart: norms[0],
    normEnd: norms[norms.length - 1],
    cosStart: coss[0],
    cosEnd: coss[coss.length - 1],
    agreeStart: first.agreement,
    agreeEnd: last.agreement,
    agreementN: last.agreementN,
    cos90: reached(rs, coss, 0.9),
    norm90: reached(rs, norms, 0.9),
    rowNormMean: rm,
    rowNormSd: Math.sqrt(mean(rn.map((x) => (x - rm) ** 2))),
    probesRight: last.correct.filter(Boolean).length,
    pTargetEnd: mean(last.pTarget),
  };
}

export function summarizeRun(d: { step: number[]; lossA: number[]; lossB: number[]; records: LabRecord[] }, unigram: number) {
  return {
    a: summarize(
      d.step,
      d.lossA,
      d.records.map((r) => r.a),
      unigram,
    ),
    b: summarize(
      d.step,
      d.lossB,
      d.records.map((r) => r.b),
      unigram,
    ),
  };
}
