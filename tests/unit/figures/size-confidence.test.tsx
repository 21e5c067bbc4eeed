import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { toyAngles, toyProbs, toyTokens } from '../../../src/figures/size-confidence/toy';
import {
  argmax,
  argmin,
  dragTo,
  keyMove,
  rowLengthSummary,
  sharpeningCurve,
  shownLabel,
  wrapAngle,
} from '../../../src/figures/size-confidence/compute';
import { SizeConfidenceView } from '../../../src/figures/size-confidence/SizeConfidenceView';
import { LongRowsView } from '../../../src/figures/size-confidence/LongRowsView';

const LMAX = 4;
const noop = () => {};

function view(len: number, ang: number, gold: number) {
  const tokens = toyTokens(gold);
  const probs = toyProbs(tokens, len, ang);
  const angles = toyAngles(tokens, ang);
  return renderToStaticMarkup(
    <SizeConfidenceView
      len={len}
      ang={ang}
      gold={gold}
      tokens={tokens}
      probs={probs}
      angles={angles}
      top={argmax(probs)}
      closest={argmin(angles)}
      curve={sharpeningCurve(tokens, ang, LMAX)}
      onMove={noop}
      onLen={noop}
      onAng={noop}
      onGold={noop}
    />,
  );
}

describe('size-confidence: moving x', () => {
  it('a drag sets the length (clamped, 2 decimals) and the direction (whole degrees)', () => {
    expect(dragTo(1, 1, LMAX)).toEqual({ len: 1.41, ang: 45 });
    expect(dragTo(10, 0, LMAX)).toEqual({ len: 4, ang: 0 });
    expect(dragTo(0, -2, LMAX)).toEqual({ len: 2, ang: -90 });
    expect(dragTo(0, 0, LMAX)).toEqual({ len: 0, ang: 0 });
  });

  it('keys: arrows step length and angle (Shift for bigger steps), Home/End jump, angles wrap, others are ignored', () => {
    const x = { len: 1.5, ang: 80 };
    expect(keyMove('ArrowUp', false, x, LMAX)).toEqual({ len: 1.6, ang: 80 });
    expect(keyMove('ArrowUp', true, x, LMAX)).toEqual({ len: 2, ang: 80 });
    expect(keyMove('ArrowDown', true, { len: 0.2, ang: 80 }, LMAX)).toEqual({ len: 0, ang: 80 });
    expect(keyMove('ArrowUp', true, { len: 3.8, ang: 80 }, LMAX)).toEqual({ len: 4, ang: 80 });
    expect(keyMove('ArrowRight', false, x, LMAX)).toEqual({ len: 1.5, ang: 75 });
    expect(keyMove('ArrowRight', false, { len: 1, ang: -178 }, LMAX)).toEqual({ len: 1, ang: 177 });
    expect(keyMove('ArrowLeft', true, { len: 1, ang: 170 }, LMAX)).toEqual({ len: 1, ang: -175 });
    expect(keyMove('Home', false, x, LMAX)).toEqual({ len: 0, ang: 80 });
    expect(keyMove('End', false, x, LMAX)).toEqual({ len: 4, ang: 80 });
    expect(keyMove('a', false, x, LMAX)).toBeNull();
    expect(wrapAngle(180)).toBe(180);
    expect(wrapAngle(-180)).toBe(180);
    expect(wrapAngle(540)).toBe(180);
    expect(wrapAngle(-190)).toBe(170);
    expect(wrapAngle(0)).toBe(0);
  });
});

describe('size-confidence: the sharpening curve and the winner', () => {
  it('the top probability starts uniform at |x| = 0 and never falls as |x| grows', () => {
    const tokens = toyTokens(1.8);
    const c = sharpeningCurve(tokens, 80, LMAX);
    expect(c).toHaveLength(81);
    expect(c[0]).toEqual([0, 1 / tokens.length]);
    expect(c[80][0]).toBe(LMAX);
    for (let i = 1; i < c.length; i++) expect(c[i][1]).toBeGreaterThanOrEqual(c[i - 1][1] - 1e-15);
    expect(c[80][1]).toBeGreaterThan(c[0][1]);
    expect(c[80][1]).toBeLessThan(1);
    expect(c.every(([l, p]) => Number.isFinite(l) && Number.isFinite(p))).toBe(true);
  });

  it('argmax and argmin take the first of ties; −1 when empty', () => {
    expect(argmax([0.1, 0.5, 0.5])).toBe(1);
    expect(argmin([3, 1, 1, 2])).toBe(1);
    expect(argmax([])).toBe(-1);
    expect(shownLabel(' gold')).toBe('·gold');
    expect(shownLabel('gold ')).toBe('gold ');
  });
});

describe('size-confidence view', () => {
  it('a long ·gold row wins where x points closer to ·red', () => {
    // x at 75°: 13° from red, 33° from gold; gold's row is 3 long
    const html = view(1.5, 75, 3);
    expect(html).toContain('data-testid="sz-probs" data-top="1"');
    expect(html).toContain('data-closest="0"');
    expect(html).toContain('x points closest to ·red, but the longer ·gold row wins.');
    expect(html.match(/<li /g)).toHaveLength(5);
    expect(html.match(/class="sz-top"/g)).toHaveLength(1);
    expect(html).toContain('aria-valuenow="1.5"');
    expect(html).toContain('aria-valuetext="length 1.50, direction 75 degrees"');
    expect(html).toMatch(/class="sz-curve-path" d="M|d="M[^"]+" class="sz-curve-path"/);
  });

  it('at zero length every token gets a fifth; with equal rows the closest row wins', () => {
    const zero = view(0, 75, 1);
    expect(zero).toContain('At zero length every logit is 0: each token gets 20.0%.');
    expect(zero.match(/data-p="0.2"/g)).toHaveLength(5);
    const eq = view(2, 62, 1);
    expect(eq).toContain('data-top="0"');
    expect(eq).toContain('Top token: ·red at');
    // beyond the drawn area the tip's label gives the length
    expect(view(3, 62, 1)).toContain('x (|x| = 3.0)');
  });
});

describe('long rows view', () => {
  // 10 rows, lengths 1..10 in a shuffled order
  const norms = Float32Array.from([4, 9, 1, 7, 10, 2, 6, 3, 8, 5]);

  it('the six longest rows, longest first, against the median', () => {
    const s = rowLengthSummary(norms);
    expect(s.median).toBe(6);
    expect(s.min).toBe(1);
    expect(s.max).toBe(10);
    expect(s.longest).toEqual([4, 1, 8, 3, 6, 9]);
    const html = renderToStaticMarkup(<LongRowsView norms={norms} s={s} />);
    expect(html).toContain('data-testid="long-rows" data-median="6"');
    expect(html.match(/<li /g)).toHaveLength(6);
    expect(html.indexOf('data-token-id="4" data-norm="10"')).toBeGreaterThan(-1);
    expect(html.indexOf('data-token-id="4"')).toBeLessThan(html.indexOf('data-token-id="1"'));
    expect(html).toContain('width:100%');
    expect(html).toContain('left:60%');
    expect(html).toContain('×1.67');
    expect(html).toContain('Rows range from 1.00 to 10.0.');
  });

  it('no rows: zeros, nothing listed', () => {
    const s = rowLengthSummary(new Float32Array(0));
    expect(s).toEqual({ median: 0, longest: [], min: 0, max: 0 });
    expect(renderToStaticMarkup(<LongRowsView norms={new Float32Array(0)} s={s} />)).not.toContain('<li');
  });
});
