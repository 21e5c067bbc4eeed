/**
 * What a model-driven figure shows while a new forward pass runs: the previous
 * prompt's whole result of the same model (so figures keep their content
 * through an edit), never another model's, and nothing once no pass is coming.
 */
import { describe, expect, it } from 'vitest';
import { modelStore, selectForward, selectShownForward, type ModelState } from '../../../src/state/model';
import type { ForwardResult, ModelInfo } from '../../../src/runtime/types';

const info = (key: string) => ({ key }) as unknown as ModelInfo;
const fwd = (key: string, ids: number[]) => ({ modelKey: key, ids: Int32Array.from(ids), T: ids.length }) as unknown as ForwardResult;
const state = (over: Partial<ModelState>): ModelState => ({ ...modelStore.get(), ...over });
const tokens = (ids: number[]) => ({ ids, total: ids.length, notice: null });

describe('selectShownForward', () => {
  const f1 = fwd('m', [1, 2, 3]);
  it('is the current result when it matches the prompt and model', () => {
    const s = state({ info: info('m'), tokens: tokens([1, 2, 3]), forward: f1, pending: false });
    expect(selectForward(s)).toBe(f1);
    expect(selectShownForward(s)).toBe(f1);
  });
  it('keeps the previous prompt’s result while the new prompt’s pass runs', () => {
    const s = state({ info: info('m'), tokens: tokens([1, 2, 3, 4]), forward: f1, pending: true });
    expect(selectForward(s)).toBeNull();
    expect(selectShownForward(s)).toBe(f1);
  });
  it('shows nothing stale once no pass is running (an error, or nothing asked)', () => {
    const s = state({ info: info('m'), tokens: tokens([1, 2, 3, 4]), forward: f1, pending: false });
    expect(selectShownForward(s)).toBeNull();
  });
  it('never shows another model’s result, pending or not', () => {
    const s = state({ info: info('other'), tokens: tokens([1, 2, 3]), forward: f1, pending: true });
    expect(selectShownForward(s)).toBeNull();
  });
  it('shows nothing for an empty prompt', () => {
    const s = state({ info: info('m'), tokens: tokens([]), forward: f1, pending: true });
    expect(selectShownForward(s)).toBeNull();
  });
});
