/**
 * Figure 5c: scale x by α before the unembedding. Because the logits are
 * linear in x (no unembedding bias), softmax(α z) = softmax(z / (1/α)): the
 * same distribution as temperature 1/α. Linked, the α slider drives the
 * shared temperature (T = 1/α) and follows it. Container: reads the forward
 * result and the figure's parameters; NormTemperatureView draws.
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { useParams } from '../../state/store';
import { PARAMS } from '../../state/params';
import { norm } from '../../geometry/vector';
import { topK } from '../../geometry/softmax';
import type { ForwardResult } from '../../runtime/types';
import { lastHidden, lastLogits } from '../../state/forward-readers';
import { alphaLog, compareScaleAndTemperature, roundLog, tempForLog } from './compute';
import { NormTemperatureView } from './NormTemperatureView';

const A = PARAMS.ut_alpha;
/** Bars per distribution. */
const SHOWN = 6;

function Linked({ f }: { f: ForwardResult }) {
  const [state, setState] = useParams(['ut_alpha', 'ut_link', 'temp'] as const);
  const linked = state.ut_link;
  const logA = alphaLog(linked, state.temp, state.ut_alpha, A.min, A.max);
  const alpha = Math.pow(10, logA);
  const z = lastLogits(f);
  const nx = useMemo(() => norm(lastHidden(f)), [f]);
  const ids = useMemo(() => topK(z, SHOWN), [z]);
  const cmp = useMemo(() => compareScaleAndTemperature(z, alpha, ids), [z, alpha, ids]);
  const setLogA = (v: number) => {
    const r = roundLog(v);
    if (linked) setState({ ut_alpha: r, temp: tempForLog(r) });
    else setState({ ut_alpha: r });
  };
  const setLink = (on: boolean) => {
    if (on) setState({ ut_link: true, temp: tempForLog(state.ut_alpha) });
    else setState({ ut_link: false, ut_alpha: roundLog(logA) });
  };
  return (
    <NormTemperatureView
      logA={logA}
      alpha={alpha}
      linked={linked}
      scaledLength={alpha * nx}
      cmp={cmp}
      V={z.length}
      onLogA={setLogA}
      onLink={setLink}
    />
  );
}

export function NormTemperature() {
  return <ModelGate>{(f) => f && <Linked f={f} />}</ModelGate>;
}
