/**
 * Figure 3: the positional vectors W_pos — their norms by position (line) and
 * the cosine between every pair of positions (heatmap, canvas). Container:
 * reads W_pos, computes the norms and the cosines once per matrix, in slices
 * that leave the main thread free between frames; PositionsView draws.
 */
import { useModelState } from '../../state/model';
import { EmptyState } from '../../kit/Figure';
import { chunked, rowNormsChunked } from '../../state/chunked';
import { useDerived, useMatrix } from '../../state/matrices';
import { useWidth } from '../../kit/hooks';
import type { Matrix } from '../../runtime/types';
import { HEAT_MAX, fillCosineRows, meanByGap, safeRowNorms, type PosCos } from './compute';
import { PositionsView, RotaryNote, type PositionsViewProps } from './PositionsView';
import '../../kit/kit.css';
import './positions.css';

/** positionCosines (compute.ts), its O(n²·D) loop spread over frames. */
async function positionCosinesChunked(m: Matrix): Promise<PosCos> {
  const n = Math.min(HEAT_MAX, m.rows);
  const D = m.cols;
  const norms = safeRowNorms(m.data, n, D);
  const cos = new Float32Array(n * n);
  await chunked(n, (a, b) => fillCosineRows(m.data, D, norms, cos, n, a, b));
  return { n, cos, byGap: meanByGap(cos, n) };
}

/**
 * The view with its width measured. useWidth observes the element it finds
 * when it mounts, so it sits in a component that mounts together with the
 * figure's element, not above the loading and rotary branches.
 */
function Measured(props: Omit<PositionsViewProps, 'width' | 'wrapRef'>) {
  const [wrap, width] = useWidth<HTMLDivElement>(640);
  return <PositionsView {...props} width={width} wrapRef={wrap} />;
}

export function Positions() {
  const { info } = useModelState((s) => ({ info: s.info }));
  // a model with rotary positions (GPT-NeoX, Llama) has no W_pos to show: config.positions says so before any request
  const rotary = info?.config.positions === 'rotary';
  const wpe = useMatrix(info && !rotary ? 'wpe' : null);
  const norms = useDerived(wpe, 'rowNorms', rowNormsChunked);
  const pc = useDerived(wpe, 'posCos', positionCosinesChunked);
  if (!info) return <EmptyState>Loading the model…</EmptyState>;
  if (rotary) return <RotaryNote label={info.label} />;
  return <Measured rows={wpe?.rows ?? null} norms={norms} pc={pc} />;
}
