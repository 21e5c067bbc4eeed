/**
 * Figure 4a: scale a residual vector by a factor; LayerNorm's output (before
 * its gain and bias) does not move. The vector is the residual stream at the
 * prompt's last position, entering a chosen block. Container: reads the
 * forward pass, the layer and the scale, and normalises (compute.ts);
 * LayerNormScaleView draws.
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { useParams } from '../../state/store';
import { PARAMS } from '../../state/params';
import { normalize } from '../../geometry/layernorm';
import { norm } from '../../geometry/vector';
import type { ForwardResult } from '../../runtime/types';
import { useFacts } from '../../kit/facts';
import { barRange, maxAbs, residualAt, scaleReadout, scaledNormalized } from './compute';
import { LayerNormScaleView } from './LayerNormScaleView';
import '../../kit/kit.css';
import './layernorm-scale.css';

const S = PARAMS.ln_scale;

function Scaled({ f }: { f: ForwardResult }) {
  const [state, setState] = useParams(['ln_scale', 'ln_layer'] as const);
  const { eps } = useFacts();
  const L = f.L;
  const l = Math.min(L, Math.max(0, state.ln_layer));
  const t = f.T - 1;
  const D = f.D;
  // x [D]: the residual stream at layer l, last position
  const x = useMemo(() => residualAt(f.residuals, f.T, D, l, t), [f, l, t, D]);
  const s = Math.pow(10, state.ln_scale);
  const { sx, ns } = useMemo(() => scaledNormalized(x, s, eps), [x, s, eps]);
  const n0 = useMemo(() => normalize(x, eps), [x, eps]);
  const xMax = useMemo(() => maxAbs(x), [x]);
  const nMax = useMemo(() => maxAbs(n0), [n0]);
  const bar = useMemo(() => barRange(norm(x), D, S.min, S.max), [x, D]);
  return (
    <LayerNormScaleView
      L={L}
      l={l}
      D={D}
      tokenId={f.ids[t]}
      scaleLog={state.ln_scale}
      scaleMin={S.min}
      scaleMax={S.max}
      s={s}
      sx={sx}
      ns={ns}
      xMax={xMax}
      nMax={nMax}
      readout={scaleReadout(sx, n0, ns)}
      bar={bar}
      onLayer={(v) => setState({ ln_layer: v })}
      onScale={(v) => setState({ ln_scale: v })}
    />
  );
}

export function LayerNormScale() {
  return <ModelGate>{(f) => f && <Scaled f={f} />}</ModelGate>;
}
