/**
 * A next-token distribution as top-k bars (with the remaining mass), the
 * shared temperature slider, and the number formats they use.
 */
import { TokenText } from './TokenText';
import { sliderToTemp, tempToSlider, T_STEPS } from '../geometry/temperature';
import { fmt, int, pct } from './format';
import './kit.css';

/** Bars in a distribution figure. */
export const DIST_K = 10;

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

/**
 * Top-k bars of a distribution over V tokens, with the remaining mass: `ids` the tokens (most likely first) and `p`
 * their probabilities. Each bar is scaled with a transform (no layout per slider step).
 */
export function DistBars({ ids, p, V, testid }: { ids: readonly number[]; p: ArrayLike<number>; V: number; testid: string }) {
  let shown = 0;
  for (let j = 0; j < ids.length; j++) shown += p[j];
  const max = p[0] || 1;
  return (
    <ol className="next-token t-bars" data-testid={testid} data-pmax={p[0]} data-top-id={ids[0]}>
      {ids.map((id, j) => (
        <li key={id} data-token-id={id} data-p={p[j]}>
          <TokenText id={id} />
          <Bar f={p[j] / max} />
          <span className="num">{pctP(p[j])}</span>
        </li>
      ))}
      <li className="t-rest">
        <span className="p1-muted">all {int(V - ids.length)} others</span>
        <span />
        <span className="num">{pct(Math.max(0, 1 - shown))}</span>
      </li>
    </ol>
  );
}

/** A bar filling fraction `f` of its cell (at least a sliver), drawn with scaleX so a new length costs no layout. */
export function Bar({ f }: { f: number }) {
  const x = Number.isFinite(f) ? Math.min(1, Math.max(0.004, f)) : 0.004;
  return <span className="bar" style={{ transform: `scaleX(${x})` }} aria-hidden="true" />;
}
