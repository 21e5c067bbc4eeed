/**
 * A next-token distribution as top-k bars (with the remaining mass), the
 * shared temperature slider, and the number formats they use.
 */
import { useMemo } from 'react';
import { TokenText } from './TokenText';
import { topK } from '../geometry/softmax';
import { sliderToTemp, tempToSlider, T_STEPS } from '../geometry/temperature';
import { fmt, int, pct } from './format';
import './kit.css';

export const DIST_K = 10;
const K = DIST_K;

/** A probability as a percentage, with two significant digits when it is small. */
export function pctP(p: number): string {
  if (!(p > 0)) return '0%';
  if (p >= 0.01) return pct(p);
  return p >= 1e-4 ? `${(p * 100).toPrecision(2)}%` : '<0.01%';
}
export function fmtT(t: number): string {
  return t === 0 ? '0' : fmt(t, 3);
}

/** The shared temperature slider (log scale; the far left is T = 0). */
export function TempSlider({ id, T, setT }: { id: string; T: number; setT: (t: number) => void }) {
  const setState = (p: { temp: number }) => setT(p.temp);
  return (
    <div className="p1-slider-row">
      <label htmlFor={id}>Temperature</label>
      <input
        id={id}
        type="range"
        min={0}
        max={T_STEPS}
        step={1}
        value={tempToSlider(T)}
        onChange={(e) => setState({ temp: Number(sliderToTemp(Number(e.target.value)).toPrecision(4)) })}
        aria-valuetext={T === 0 ? 'T = 0, always the top token' : `T = ${fmtT(T)}`}
        data-testid={`${id}`}
      />
      <output htmlFor={id} className="num">
        T = {fmtT(T)}
      </output>
      <button type="button" onClick={() => setState({ temp: 0 })}>
        T = 0
      </button>
      <button type="button" onClick={() => setState({ temp: 1 })}>
        T = 1
      </button>
    </div>
  );
}

/** Top-k bars of a distribution, with the remaining mass. */
export function DistBars({ p, k = K, testid }: { p: Float64Array; k?: number; testid: string }) {
  const ids = useMemo(() => topK(p, k), [p, k]);
  let shown = 0;
  for (const i of ids) shown += p[i];
  const max = p[ids[0]] || 1;
  return (
    <ol className="next-token t-bars" data-testid={testid} data-pmax={p[ids[0]]} data-top-id={ids[0]}>
      {ids.map((i) => (
        <li key={i} data-token-id={i} data-p={p[i]}>
          <TokenText id={i} />
          <span className="bar" style={{ width: `${(p[i] / max) * 100}%` }} aria-hidden="true" />
          <span className="num">{pctP(p[i])}</span>
        </li>
      ))}
      <li className="t-rest">
        <span className="p1-muted">all {int(p.length - ids.length)} others</span>
        <span />
        <span className="num">{pct(Math.max(0, 1 - shown))}</span>
      </li>
    </ol>
  );
}
