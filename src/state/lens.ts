/**
 * The logit lens on demand. The page's forward pass leaves the lens out (on a
 * GPT-2-sized model it costs several times the forward); the lens figure asks
 * for it here, only while it is rendered (near the screen): one lower-priority
 * request per model and prompt, computed in the worker in chunks, cancelled
 * when the prompt changes or the figure goes away.
 */
import { useEffect, useState } from 'react';
import type { ForwardResult, LensResult } from '../runtime/types';
import { useModelState } from './model';

const K = 5;

function sameIds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface LensPair {
  /** The forward result and the lens of the same model and prompt (never a mix of two prompts). */
  f: ForwardResult;
  lens: LensResult['lens'];
}

/**
 * The lens of forward result `f`. Until it arrives, the last pair this figure
 * showed stays (so the grid does not flash); `current` says whether the pair
 * is for `f`.
 */
export function useLens(f: ForwardResult): { pair: LensPair | null; current: boolean; error: string | null } {
  const api = useModelState((s) => s.api);
  const [pair, setPair] = useState<LensPair | null>(() => (f.lens.k > 0 ? { f, lens: f.lens } : null));
  const [error, setError] = useState<string | null>(null);
  const inline = f.lens.k > 0; // a forward that already carries its lens (a caller asked for it inline)
  useEffect(() => {
    if (inline) {
      setPair({ f, lens: f.lens });
      return;
    }
    if (!api) return;
    const ctrl = new AbortController();
    api
      .lens(Array.from(f.ids), K, { signal: ctrl.signal })
      .then((r) => {
        if (ctrl.signal.aborted || r === null) return; // stopped or superseded: a newer request follows
        if (r.modelKey !== f.modelKey || !sameIds(r.ids, f.ids)) return;
        setError(null);
        setPair({ f, lens: r.lens });
      })
      .catch((e: unknown) => {
        if (!ctrl.signal.aborted) setError(String((e as Error)?.message ?? e));
      });
    return () => ctrl.abort();
  }, [api, f, inline]);
  const usable = pair && pair.f.modelKey === f.modelKey ? pair : null;
  return { pair: usable, current: !!usable && usable.f === f, error };
}
