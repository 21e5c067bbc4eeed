import { describe, expect, it } from 'vitest';
import { cached, modelTag } from '../../../src/state/matrices';
import { modelStore, type ModelState } from '../../../src/state/model';

const activate = (key: string, modelVersion = 1) =>
  modelStore.set({ info: { key } as unknown as NonNullable<ModelState['info']>, modelVersion });

describe('the per-model cache', () => {
  it('keeps the active model’s entries when a figure still showing an earlier model asks with its old tag', async () => {
    activate('model-a');
    const a = modelTag(modelStore.get())!;
    expect(cached(a, 'norms', () => 'a')).not.toBeNull();
    activate('model-b');
    const b = modelTag(modelStore.get())!;
    let made = 0;
    const e1 = cached(b, 'norms', () => ++made);
    // an off-screen figure renders with the tag it last drew: it gets nothing, and it evicts nothing
    expect(cached(a, 'norms', () => 'a again')).toBeNull();
    const e2 = cached(b, 'norms', () => ++made);
    expect(e2).toBe(e1);
    expect(await e2!.promise).toBe(1);
    expect(made).toBe(1);
  });

  it('a new model (or a new version of it) starts a new generation', async () => {
    activate('model-c', 1);
    const e1 = cached(modelTag(modelStore.get())!, 'm', () => 1);
    activate('model-c', 2);
    const e2 = cached(modelTag(modelStore.get())!, 'm', () => 2);
    expect(e2).not.toBe(e1);
    expect(await e2!.promise).toBe(2);
  });
});
