/**
 * Figure 2c: histogram of the row norms of W_E (or W_U for untied models).
 * Brush a range (or type it) to list its tokens; buttons jump to the tails.
 * Container: reads the model, the figure's URL parameters and the matrix,
 * measures the row norms once per matrix (chunked, off the render path) and
 * hands NormHistogramView the histogram, the summary and the selection.
 */
import { useMemo } from 'react';
import { useModelState } from '../../state/model';
import { useParams } from '../../state/store';
import { EmptyState } from '../../kit/Figure';
import { rowNormsChunked } from '../../state/chunked';
import { useDerived, useMatrix } from '../../state/matrices';
import { histogram, indicesInRange } from '../../geometry/histogram';
import type { Matrix } from '../../runtime/types';
import { useFigureData } from '../../kit/export';
import { BINS, histogramRows, normStats, roundedRange, tailRange } from './compute';
import { NormHistogramView } from './NormHistogramView';

/** |row i| for every row of m [V], computed once per matrix; null until it is ready. */
export function useRowNorms(m: Matrix | null): Float32Array | null {
  return useDerived(m, 'rowNorms', rowNormsChunked);
}

export function NormHistogram() {
  const { info } = useModelState((s) => ({ info: s.info }));
  const [state, setState] = useParams(['nh_hi', 'nh_lo', 'nh_mat'] as const);
  const tied = info?.config.tied ?? true;
  const matName = !tied && state.nh_mat === 'wu' ? 'wu' : 'wte';
  const m = useMatrix(info ? matName : null);
  const norms = useRowNorms(m);
  const lo = state.nh_lo;
  const hi = state.nh_hi;
  const h = useMemo(() => (norms ? histogram(norms, BINS) : null), [norms]);
  const sel = useMemo(() => (norms && hi > lo ? indicesInRange(norms, lo, hi) : []), [norms, lo, hi]);
  const stats = useMemo(() => (norms ? normStats(norms) : null), [norms]);
  useFigureData(({ tokenText }) => {
    if (!norms || !h) return null;
    return {
      columns: [
        { key: 'bin_from', unit: 'L2 norm' },
        { key: 'bin_to', unit: 'L2 norm' },
        { key: 'rows', unit: 'count of tokens' },
      ],
      rows: histogramRows(h),
      params: { matrix: matName, selected_from: lo, selected_to: hi },
      nested: { selected: sel.map((id) => ({ token_id: id, token: tokenText(id), norm: norms[id] })) },
    };
  });
  if (!info) return <EmptyState>Loading the model…</EmptyState>;
  const setRange = (a: number, b: number) => {
    const [nh_lo, nh_hi] = roundedRange(a, b);
    setState({ nh_lo, nh_hi });
  };
  const tail = (which: 'short' | 'long') => {
    const r = norms && tailRange(norms, which);
    if (r) setRange(r[0], r[1]);
  };
  return (
    <NormHistogramView
      tied={tied}
      matName={matName}
      vocabSize={info.config.vocabSize}
      lo={lo}
      hi={hi}
      norms={norms}
      h={h}
      stats={stats}
      sel={sel}
      onMatrix={(name) => setState({ nh_mat: name })}
      onTail={tail}
      onLo={(v) => setState({ nh_lo: v })}
      onHi={(v) => setState({ nh_hi: v })}
      onClear={() => setState({ nh_lo: 0, nh_hi: 0 })}
      onRange={setRange}
    />
  );
}
