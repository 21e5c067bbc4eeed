/**
 * Figure 2a: a one-hot vector times W_E picks out one row. The matrix is drawn
 * as an image (rows sampled to fit), the picked row marked, and the row shown
 * as a heat strip. Container: reads W_E and the picked token, takes the row
 * and the colour scale (once per matrix); EmbeddingRowView draws.
 */
import { useMemo } from 'react';
import { useModelState } from '../../state/model';
import { EmptyState } from '../../kit/Figure';
import { derived, useMatrix } from '../../state/matrices';
import { TokenPicker, usePickedToken } from '../../kit/TokenPicker';
import { norm } from '../../geometry/vector';
import { embeddingRow, robustMaxAbs } from './compute';
import { EmbeddingRowView } from './EmbeddingRowView';
import '../../kit/kit.css';
import './embedding-row.css';

export function EmbeddingRow() {
  const { info } = useModelState((s) => ({ info: s.info }));
  const wte = useMatrix('wte');
  const picked = usePickedToken();
  // a sort of ~20,000 samples (about 2 ms), so taken in the render that first has W_E: the figure draws complete at once
  const maxAbs = wte ? derived(wte, 'robustMaxAbs', () => robustMaxAbs(wte.data)) : null;
  const t = picked.id;
  const rowVec = useMemo(() => (wte && t !== null ? embeddingRow(wte.data, wte.cols, t) : null), [wte, t]);
  const rowNorm = useMemo(() => (rowVec ? norm(rowVec) : null), [rowVec]);
  if (!info) return <EmptyState>Loading the model…</EmptyState>;
  return <EmbeddingRowView picker={<TokenPicker idPrefix="er" />} wte={wte} maxAbs={maxAbs} t={t} row={rowVec} rowNorm={rowNorm} />;
}
