/**
 * Figure 2b: embed a token, then go back to the vocabulary with the transpose,
 * the row-normalised transpose or the left pseudo-inverse. One bar per token
 * of the whole vocabulary (canvas: columns show the max and min of the tokens
 * they cover, so every peak stays visible), top scores labelled.
 *
 * Container: reads W_E, the picked token (shared emb_tok), the mode (URL
 * parameter rt_mode) and the tokenizer; the per-model preparations (squared
 * row norms, the Cholesky factor of WᵀW) run once, in chunks
 * (useRoundTrip.ts); the scores (O(V·D)) once per token and mode.
 */
import { useMemo } from 'react';
import { useModelState } from '../../state/model';
import { useParams } from '../../state/store';
import { EmptyState } from '../../kit/Figure';
import { useDerived, useMatrix } from '../../state/matrices';
import { TokenPicker, usePickedToken } from '../../kit/TokenPicker';
import type { RoundTripMode } from '../../geometry/pinv';
import { topK } from '../../geometry/softmax';
import { preparePinv, squaredRowNorms } from './useRoundTrip';
import { chartState, markOrder, roundTripScores, selfRank } from './compute';
import { RoundTripView } from './RoundTripView';

const K = 8;

export function RoundTrip() {
  const { info, tokenizer } = useModelState((s) => ({ info: s.info, tokenizer: s.tokenizer }));
  const [state, setState] = useParams(['rt_mode'] as const);
  const wte = useMatrix('wte');
  const mode = state.rt_mode as RoundTripMode;
  const norms2 = useDerived(wte, 'norms2', squaredRowNorms);
  const pinv = useDerived(mode === 'pinv' ? wte : null, 'pinv', preparePinv);
  const picked = usePickedToken();
  const t = picked.id;
  const y = useMemo(
    () => (wte && norms2 && t !== null ? roundTripScores(wte.data, wte.rows, wte.cols, t, mode, norms2, pinv?.chol ?? null) : null),
    [wte, norms2, pinv, t, mode],
  );
  const top = useMemo(() => (y ? topK(y, K) : []), [y]);
  const rank = useMemo(() => (y && t !== null ? selfRank(y, t) : null), [y, t]);
  const marks = useMemo(
    () => (t === null ? [] : markOrder(t, top).map((id) => ({ id, text: tokenizer ? tokenizer.displayToken(id) : `#${id}` }))),
    [t, top, tokenizer],
  );
  if (!info) return <EmptyState>Loading the model…</EmptyState>;
  return (
    <RoundTripView
      mode={mode}
      V={info.config.vocabSize}
      D={info.config.nEmbd}
      state={chartState(mode, !!wte && !!norms2, pinv, y !== null)}
      y={y}
      tokenId={t}
      top={top}
      rank={rank}
      marks={marks}
      picker={<TokenPicker idPrefix="rt" />}
      onMode={(m) => setState({ rt_mode: m })}
    />
  );
}
