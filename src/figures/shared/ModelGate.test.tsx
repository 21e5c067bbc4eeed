import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ModelContext, type ModelContextValue } from '../../state/model';
import type { ForwardResult, ModelInfo } from '../../runtime/types';
import { ModelGate } from './ModelGate';

const info = { key: 'tiny-tied' } as unknown as ModelInfo;

function forward(ids: number[], modelKey = 'tiny-tied'): ForwardResult {
  return { seq: 1, modelKey, ids: Int32Array.from(ids), T: ids.length } as unknown as ForwardResult;
}

function render(over: Partial<ModelContextValue>): string {
  const value = {
    status: 'ready',
    error: null,
    info,
    tokenizer: {},
    tokens: { ids: [1, 2, 3], total: 3, notice: null },
    forward: null,
    ...over,
  } as unknown as ModelContextValue;
  return renderToStaticMarkup(
    <ModelContext.Provider value={value}>
      <ModelGate>{(f) => <p>T={f?.T} ids={f ? Array.from(f.ids).join(',') : 'none'}</p>}</ModelGate>
    </ModelContext.Provider>,
  );
}

describe('ModelGate', () => {
  it('renders the figure with the forward result of the current prompt', () => {
    const html = render({ forward: forward([1, 2, 3]) });
    expect(html).toContain('T=3 ids=1,2,3');
    expect(html).not.toContain('data-stale');
    expect(html).toContain('aria-busy="false"');
  });

  it('keeps the previous prompt\'s result on screen, marked busy, while the new pass runs', () => {
    const html = render({ forward: forward([1, 2]), pending: true });
    expect(html).toContain('T=2 ids=1,2');
    expect(html).toContain('data-stale=""');
    expect(html).toContain('aria-busy="true"');
  });

  it('never shows a result of another model', () => {
    const html = render({ forward: forward([1, 2, 3], 'tiny-untied') });
    expect(html).toContain('Running the model');
    expect(html).not.toContain('ids=');
  });

  it('shows the loading, error and empty-prompt states', () => {
    expect(render({ info: null, tokenizer: null })).toContain('Loading the model');
    expect(render({ info: null, status: 'error', error: 'bad header' })).toContain('could not be loaded: bad header');
    expect(render({ tokens: { ids: [], total: 0, notice: null }, forward: forward([1]) })).toContain('Type a prompt');
  });
});
