/**
 * The inspect pass of the shared prompt (attention patterns and per-component
 * outputs at the last position), requested only by the figures that need it
 * and only while `enabled` (e.g. once their section is near the viewport).
 * Every hook instance with the same model and prompt shares one request: the
 * first caller starts it, the others wait on the same promise. The request is
 * sent only once the shared prompt's own forward pass is in, so it never
 * queues in the worker ahead of the pass every other figure waits for.
 */
import { useEffect, useState } from 'react';
import type { ModelApi } from '../runtime/api';
import type { InspectResult } from '../runtime/types';
import { useForward, useModelState } from './model';

const shared = new WeakMap<ModelApi, { key: string; promise: Promise<InspectResult | null> }>();

export interface InspectState {
  /** The newest result (possibly for an older prompt while a new one runs: compare `current`). */
  result: InspectResult | null;
  /** True when `result` belongs to the current model and prompt. */
  current: boolean;
  error: string | null;
}

export function useInspect(enabled = true): InspectState {
  const { api, info, tokens, modelVersion, status } = useModelState((s) => ({
    api: s.api,
    info: s.info,
    tokens: s.tokens,
    modelVersion: s.modelVersion,
    status: s.status,
  }));
  const mainDone = useForward() !== null;
  // The prompt as a string: the effect below depends on what the ids are, not on which array holds them.
  const idsKey = tokens.ids.join(',');
  const wanted = enabled && status === 'ready' && info && tokens.ids.length > 0 ? `${modelVersion}|${info.key}|${idsKey}` : null;
  const key = mainDone ? wanted : null;
  const [got, setGot] = useState<{ key: string; result: InspectResult | null; error: string | null } | null>(null);
  useEffect(() => {
    if (!key || !api) return;
    let slot = shared.get(api);
    if (!slot || slot.key !== key) {
      slot = { key, promise: api.inspect(idsKey.split(',').map(Number)) };
      shared.set(api, slot);
    }
    let alive = true;
    slot.promise
      .then((r) => {
        if (alive && r) setGot({ key, result: r, error: null });
      })
      .catch((e: unknown) => {
        if (alive) setGot((g) => ({ key, result: g?.result ?? null, error: String((e as Error)?.message ?? e) }));
      });
    return () => {
      alive = false;
    };
    // idsKey changes only together with key while key is set; with key null the effect returns at once
  }, [api, key, idsKey]);
  // a result from another model is never shown; one from an older prompt is (marked not current), so figures do not flash
  const sameModel = got?.result && info && got.result.modelKey === info.key;
  return {
    result: sameModel ? got.result : null,
    current: !!got && got.key === wanted && !got.error,
    error: got && got.key === wanted ? got.error : null,
  };
}
