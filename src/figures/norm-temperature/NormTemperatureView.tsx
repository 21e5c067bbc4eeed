/**
 * Figure 5c as plain props: the α slider (log scale) and its link to the
 * shared temperature, the distribution of α x at T = 1 next to that of x at
 * T = 1/α, and the largest difference between them.
 */
import { PARAMS } from '../../state/params';
import { Tex } from '../../kit/Tex';
import { fmt } from '../../kit/format';
import { DistBars, fmtT } from '../../kit/Distribution';
import type { Comparison } from './compute';
import '../../kit/kit.css';
import './norm-temperature.css';

const A = PARAMS.ut_alpha;

export interface NormTemperatureViewProps {
  /** log10 α as the slider shows it, and α. */
  logA: number;
  alpha: number;
  linked: boolean;
  /** |α x|: the length of the scaled final hidden state. */
  scaledLength: number;
  cmp: Comparison;
  /** Vocabulary size. */
  V: number;
  /** A new slider value (log10 α, unrounded). */
  onLogA(v: number): void;
  onLink(on: boolean): void;
}

export function NormTemperatureView({ logA, alpha, linked, scaledLength, cmp, V, onLogA, onLink }: NormTemperatureViewProps) {
  return (
    <div className="norm-temp" data-testid="norm-temp" data-alpha={alpha} data-maxdiff={cmp.maxDiff} data-pmax={cmp.pMax}>
      <div className="p1-slider-row">
        <label htmlFor="nt-alpha">Scale x by α</label>
        <input
          id="nt-alpha"
          type="range"
          min={A.min}
          max={A.max}
          step={0.01}
          value={logA}
          onChange={(e) => onLogA(Number(e.target.value))}
          aria-valuetext={`alpha = ${fmt(alpha)}`}
          data-testid="nt-alpha"
        />
        <output htmlFor="nt-alpha" className="num">
          α = {fmt(alpha)}
        </output>
      </div>
      <label className="nt-link">
        <input type="checkbox" checked={linked} onChange={(e) => onLink(e.target.checked)} data-testid="nt-link" /> link to the temperature
        slider above (T = 1/α)
      </label>
      <div className="p1-grid2">
        <div>
          <div className="t-h fig-subhead">
            <Tex tex="\alpha x" /> at <Tex tex="T=1" /> (length {fmt(scaledLength)})
          </div>
          <DistBars ids={cmp.ids} p={cmp.pScaled} V={V} testid="nt-scaled" />
        </div>
        <div>
          <div className="t-h fig-subhead">
            <Tex tex="x" /> at <Tex tex="T=1/\alpha" /> = {fmtT(1 / alpha)}
          </div>
          <DistBars ids={cmp.ids} p={cmp.pTemp} V={V} testid="nt-temp" />
        </div>
      </div>
      <p className="nt-diff">
        Largest difference between the two distributions:{' '}
        <strong className="num" data-testid="nt-diff">
          {cmp.maxDiff < 1e-12 ? '0' : fmt(cmp.maxDiff, 2)}
        </strong>
      </p>
    </div>
  );
}
