/**
 * Container data for figures 6d and 6e (held by their chapter section, which
 * hands it to both containers): the inspect pass of the shared prompt
 * (through the model state), the two tokens of figure 6b (shared URL
 * parameters hs_a / hs_b), the unembedding rows and final LayerNorm weights,
 * and the model's own logit difference from the default forward pass.
 * Everything here is D-sized arithmetic per component; nothing vocabulary-wide.
 */
import { useMemo } from 'react';
import { useParams } from '../../state/store';
import { useForward, useModelState } from '../../state/model';
import { useMatrix } from '../../state/matrices';
import { useInspect, type InspectState } from '../../state/inspect';
import { resolveToken, type ResolvedToken, type TokLike } from '../../tokenizer/resolve';
import { attribute, type Attribution } from './compute';

export interface AttributionData {
  inspect: InspectState;
  ra: ResolvedToken;
  rb: ResolvedToken;
  labelA: string;
  labelB: string;
  /** Display strings of the inspected prompt's tokens. */
  tokens: string[];
  att: Attribution | null;
  /** logit(a) − logit(b) at the last position of the default forward pass, when it is for the same prompt. */
  truth: number | null;
  weightsReady: boolean;
}

export function useAttribution(enabled: boolean): AttributionData {
  const [state] = useParams(['hs_a', 'hs_b'] as const);
  const { tokenizer, info } = useModelState((s) => ({ tokenizer: s.tokenizer, info: s.info }));
  const tok = tokenizer as unknown as TokLike | null;
  const vocab = info?.config.vocabSize ?? 0;
  const inspect = useInspect(enabled);
  const wu = useMatrix('wu');
  const gain = useMatrix('ln_f.weight');
  const bias = useMatrix('ln_f.bias');
  const f = useForward();
  const ra = useMemo(() => resolveToken(tok, state.hs_a, vocab), [tok, state.hs_a, vocab]);
  const rb = useMemo(() => resolveToken(tok, state.hs_b, vocab), [tok, state.hs_b, vocab]);
  const r = inspect.result;
  const att = useMemo(
    () =>
      r && wu && gain && bias && ra.id !== null && rb.id !== null && wu.cols === r.D
        ? attribute(r, wu.data, ra.id, rb.id, gain.data, bias.data)
        : null,
    [r, wu, gain, bias, ra.id, rb.id],
  );
  const truth = useMemo(() => {
    if (!f || !r || ra.id === null || rb.id === null || f.ids.length !== r.ids.length) return null;
    for (let i = 0; i < r.ids.length; i++) if (f.ids[i] !== r.ids[i]) return null;
    const row = (f.logitsRows - 1) * f.V;
    return f.logits[row + ra.id] - f.logits[row + rb.id];
  }, [f, r, ra.id, rb.id]);
  const tokens = useMemo(() => (r ? Array.from(r.ids, (id) => (tok ? tok.displayToken(id) : `#${id}`)) : []), [r, tok]);
  return {
    inspect,
    ra,
    rb,
    labelA: ra.id !== null && tok ? tok.displayToken(ra.id) : state.hs_a,
    labelB: rb.id !== null && tok ? tok.displayToken(rb.id) : state.hs_b,
    tokens,
    att,
    truth,
    weightsReady: !!(wu && gain && bias),
  };
}
