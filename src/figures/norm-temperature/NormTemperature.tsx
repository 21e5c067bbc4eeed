/**
 * Figure 5c: scale x by α before the unembedding. Because the logits are
 * linear in x (no unembedding bias), softmax(α z) = softmax(z / (1/α)): the
 * same distribution as temperature 1/α. Linked, the α slider drives the
 * shared temperature (T = 1/α) and follows it.
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { useParams } from '../../state/store';
import { PARAMS } from '../../state/params';
import { Tex } from '../../kit/Tex';
import { softmax } from '../../geometry/softmax';
import { scaled } from '../../geometry/temperature';
import { norm } from '../../geometry/vector';
import { fmt } from '../../kit/format';
import type { ForwardResult } from '../../runtime/types';
import { lastHidden, lastLogits } from '../../state/forward-readers';
import { DistBars, fmtT } from '../../kit/Distribution';
import '../../kit/kit.css';
import './norm-temperature.css';

const A = PARAMS.ut_alpha;

function View({ f }: { f: ForwardResult }) {
  const [state, setState] = useParams(['ut_alpha', 'ut_link', 'temp'] as const);
  const linked = state.ut_link;
  // log10 α: linked → from the shared temperature (T = 1/α), else its own parameter.
  const logA = linked ? (state.temp > 0 ? Math.max(A.min, Math.min(A.max, -Math.log10(state.temp))) : A.max) : state.ut_alpha;
  const alpha = Math.pow(10, logA);
  const z = lastLogits(f);
  const nx = useMemo(() => norm(lastHidden(f)), [f]);
  const pScaled = useMemo(() => softmax(scaled(z, alpha), 1), [z, alpha]);
  const pTemp = useMemo(() => softmax(z, 1 / alpha), [z, alpha]);
  let diff = 0;
  for (let i = 0; i < pScaled.length; i++) diff = Math.max(diff, Math.abs(pScaled[i] - pTemp[i]));
  const setLogA = (v: number) => {
    const r = Math.round(v * 100) / 100;
    if (linked) setState({ ut_alpha: r, temp: Number(Math.pow(10, -r).toPrecision(4)) });
    else setState({ ut_alpha: r });
  };
  return (
    <div
      className="norm-temp"
      data-testid="norm-temp"
      data-alpha={alpha}
      data-maxdiff={diff}
      data-pmax={pScaled.reduce((a, b) => Math.max(a, b), 0)}
    >
      <div className="p1-slider-row">
        <label htmlFor="nt-alpha">Scale x by α</label>
        <input
          id="nt-alpha"
          type="range"
          min={A.min}
          max={A.max}
          step={0.01}
          value={logA}
          onChange={(e) => setLogA(Number(e.target.value))}
          aria-valuetext={`alpha = ${fmt(alpha)}`}
          data-testid="nt-alpha"
        />
        <output htmlFor="nt-alpha" className="num">
          α = {fmt(alpha)}
        </output>
      </div>
      <label className="nt-link">
        <input
          type="checkbox"
          checked={linked}
          onChange={(e) => {
            if (e.target.checked) setState({ ut_link: true, temp: Number(Math.pow(10, -state.ut_alpha).toPrecision(4)) });
            else setState({ ut_link: false, ut_alpha: Math.round(logA * 100) / 100 });
          }}
          data-testid="nt-link"
        />{' '}
        link to the temperature slider above (T = 1/α)
      </label>
      <div className="p1-grid2">
        <div>
          <div className="t-h fig-subhead">
            <Tex tex="\alpha x" /> at <Tex tex="T=1" /> (length {fmt(alpha * nx)})
          </div>
          <DistBars p={pScaled} k={6} testid="nt-scaled" />
        </div>
        <div>
          <div className="t-h fig-subhead">
            <Tex tex="x" /> at <Tex tex="T=1/\alpha" /> = {fmtT(1 / alpha)}
          </div>
          <DistBars p={pTemp} k={6} testid="nt-temp" />
        </div>
      </div>
      <p className="nt-diff">
        Largest difference between the two distributions:{' '}
        <strong className="num" data-testid="nt-diff">
          {diff < 1e-12 ? '0' : fmt(diff, 2)}
        </strong>
      </p>
    </div>
  );
}

export function NormTemperature() {
  return <ModelGate>{(f) => f && <View f={f} />}</ModelGate>;
}
