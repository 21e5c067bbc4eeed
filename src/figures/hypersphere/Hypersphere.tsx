/**
 * Figure 6b (and the centring pair of chapter 10). The plane spanned by two
 * token directions u_a, u_b of W_U; the last position's vector after every
 * block projected onto it as a trajectory; circles of equal (in-plane) length;
 * the two tokens as rays. The picture is rotated so the two rays sit
 * symmetrically about the vertical (a rotation changes no angle or length).
 * Picking other tokens or toggling centring animates the trajectory to its
 * new place (d3 timer + easing; skipped under prefers-reduced-motion); a new
 * prompt moves it at once. Container: reads the tokens and
 * toggles, W_U and the final LayerNorm, computes the trajectory (compute.ts)
 * and hands it to the export tools; HypersphereView draws.
 */
import { useMemo } from 'react';
import { useFigureData } from '../../kit/export';
import { ModelGate } from '../../kit/ModelGate';
import { useParams } from '../../state/store';
import { useModelState } from '../../state/model';
import type { ForwardResult, Matrix } from '../../runtime/types';
import { meanRow } from '../../geometry/centring';
import { derived, useMatrix } from '../../state/matrices';
import { resolveToken, type TokLike } from '../../tokenizer/resolve';
import { trajectory } from './compute';
import { HypersphereControls, HypersphereView } from './HypersphereView';
import '../../kit/kit.css';
import './hypersphere.css';

interface Props {
  f: ForwardResult;
  wu: Matrix;
  gain: Matrix;
  bias: Matrix;
  ida: number;
  idb: number;
  centre: boolean;
  raw: boolean;
  compact: boolean;
  testid: string;
}

function Plot({ f, wu, gain, bias, ida, idb, centre, raw, compact, testid }: Props) {
  const { info, tokenizer } = useModelState((s) => ({ info: s.info, tokenizer: s.tokenizer }));
  const tok = tokenizer as unknown as TokLike | null;
  const eps = info?.config.eps ?? 1e-5;
  const norm = info?.config.norm ?? 'layernorm';
  const traj = useMemo(() => {
    const mean = centre ? derived(wu, 'meanRow', () => meanRow(wu.data, wu.rows, wu.cols)) : null;
    const D = wu.cols;
    return trajectory({
      residuals: f.residuals,
      L: f.L,
      T: f.T,
      D,
      ua: wu.data.subarray(ida * D, (ida + 1) * D),
      ub: wu.data.subarray(idb * D, (idb + 1) * D),
      mean,
      raw,
      gain: gain.data,
      bias: bias.data,
      eps,
      norm,
    });
  }, [f, wu, gain, bias, ida, idb, centre, raw, eps, norm]);

  const deg = (r: number) => (r * 180) / Math.PI;
  useFigureData(({ tokenText }) => ({
    columns: [
      { key: 'layer', label: 'layer (0 = embedding, l = after block l)' },
      { key: 'x', label: 'plane x', unit: 'same units as the vector' },
      { key: 'y', label: 'plane y', unit: 'same units as the vector' },
      { key: 'norm', unit: 'L2 norm in all dimensions' },
      { key: 'in_plane', label: 'share of the length in the plane', unit: 'fraction of 1' },
      { key: 'angle_a', label: 'angle to token a', unit: 'degrees, all dimensions' },
      { key: 'angle_b', label: 'angle to token b', unit: 'degrees, all dimensions' },
      { key: 'score_a', label: `${raw ? 'dot product' : 'logit'} of a` },
      { key: 'score_b', label: `${raw ? 'dot product' : 'logit'} of b` },
    ],
    rows: traj.points.map((q) => ({
      layer: q.layer,
      x: q.p[0],
      y: q.p[1],
      norm: q.norm,
      in_plane: q.frac,
      angle_a: deg(q.trueA),
      angle_b: deg(q.trueB),
      score_a: q.dotA,
      score_b: q.dotB,
    })),
    params: {
      token_a: tokenText(ida),
      token_b: tokenText(idb),
      centred: centre,
      raw_residual: raw,
      position: 'last prompt token',
      angle_between_a_and_b_degrees: deg(traj.abAngle),
    },
  }));
  const labelA = tok ? tok.displayToken(ida) : `#${ida}`;
  const labelB = tok ? tok.displayToken(idb) : `#${idb}`;
  const jumpKey = `${f.modelKey}|${f.ids.join(',')}`;
  return (
    <HypersphereView
      traj={traj}
      labelA={labelA}
      labelB={labelB}
      centre={centre}
      raw={raw}
      compact={compact}
      testid={testid}
      jumpKey={jumpKey}
    />
  );
}

/** The token pickers and toggles (shared URL state), plus the plot. `centreFixed` pins the centring (chapter 10's pair). */
export function Hypersphere({
  compact = false,
  centreFixed,
  testid = 'hypersphere',
  controls = true,
}: {
  compact?: boolean;
  centreFixed?: boolean;
  testid?: string;
  controls?: boolean;
}) {
  const [state, setState] = useParams(['hs_a', 'hs_b', 'hs_centre', 'hs_raw'] as const);
  const { tokenizer, info } = useModelState((s) => ({ tokenizer: s.tokenizer, info: s.info }));
  const wu = useMatrix('wu');
  const gain = useMatrix('ln_f.weight');
  const bias = useMatrix('ln_f.bias');
  const vocab = info?.config.vocabSize ?? 0;
  const tok = tokenizer as unknown as TokLike | null;
  const ra = useMemo(() => resolveToken(tok, state.hs_a, vocab), [tok, state.hs_a, vocab]);
  const rb = useMemo(() => resolveToken(tok, state.hs_b, vocab), [tok, state.hs_b, vocab]);
  const centre = centreFixed ?? state.hs_centre;
  return (
    <ModelGate>
      {(f) =>
        f && (
          <>
            {controls && (
              <HypersphereControls
                a={state.hs_a}
                b={state.hs_b}
                onA={(v) => setState({ hs_a: v })}
                onB={(v) => setState({ hs_b: v })}
                ra={ra}
                rb={rb}
                centreToggle={centreFixed === undefined}
                centre={state.hs_centre}
                onCentre={(v) => setState({ hs_centre: v })}
                raw={state.hs_raw}
                onRaw={(v) => setState({ hs_raw: v })}
              />
            )}
            {!wu || !gain || !bias ? (
              <p className="p2-muted">Reading the weights…</p>
            ) : ra.id === null || rb.id === null ? (
              <p className="p2-muted">Pick two tokens to span the plane.</p>
            ) : (
              <Plot
                f={f}
                wu={wu}
                gain={gain}
                bias={bias}
                ida={ra.id}
                idb={rb.id}
                centre={centre}
                raw={state.hs_raw}
                compact={compact}
                testid={testid}
              />
            )}
          </>
        )
      }
    </ModelGate>
  );
}
