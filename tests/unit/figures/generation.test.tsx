import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { cacheSpeedup, generationBudget, safeDecode, switchedNote, type RunResult } from '../../../src/figures/generation/compute';
import { GenerationView, type GenerationViewProps } from '../../../src/figures/generation/GenerationView';

const run = (tokens: number, ms: number, stopped = false): RunResult => ({
  stats: { tokens, ms, tokensPerSecond: tokens / (ms / 1000), stopped },
  n: tokens,
});

const noop = () => {};
function props(over: Partial<GenerationViewProps> = {}): GenerationViewProps {
  return {
    genN: 20,
    temp: 1,
    seed: 7,
    onGenN: noop,
    onTemp: noop,
    onSeed: noop,
    onGenerate: noop,
    onCompare: noop,
    onStop: noop,
    ready: true,
    waiting: null,
    running: null,
    count: 0,
    n: 20,
    room: 100,
    P: 128,
    note: null,
    error: null,
    promptText: 'Once upon',
    text: ' a time',
    shownCount: 3,
    modelKey: 'tiny-tied',
    results: {},
    ...over,
  };
}

describe('generation: budget, speed-up and notes', () => {
  it('cuts the requested tokens to the room left in the context, never below zero', () => {
    expect(generationBudget(10, 128, 20)).toEqual({ room: 118, n: 20 });
    expect(generationBudget(120, 128, 20)).toEqual({ room: 8, n: 8 });
    expect(generationBudget(128, 128, 20)).toEqual({ room: 0, n: 0 });
    expect(generationBudget(200, 128, 20)).toEqual({ room: 0, n: 0 });
    // no model yet: a context of 0
    expect(generationBudget(0, 0, 5)).toEqual({ room: 0, n: 0 });
  });

  it('the speed-up is the ratio of tokens per second, and absent until both runs produced tokens', () => {
    expect(cacheSpeedup(run(20, 500), run(20, 2000))).toBeCloseTo(4, 12);
    expect(cacheSpeedup(run(20, 500), undefined)).toBeNull();
    expect(cacheSpeedup(undefined, run(20, 500))).toBeNull();
    expect(cacheSpeedup(run(0, 10), run(20, 500))).toBeNull();
  });

  it('notes count tokens in the singular and plural; decoding falls back to display tokens', () => {
    expect(switchedNote('Tiny GPT', 1)).toBe(
      'Tiny GPT stopped generating after 1 token: another model was chosen, and the page is loading it.',
    );
    expect(switchedNote('Tiny GPT', 0)).toContain('after 0 tokens:');
    const tok = {
      decode: (ids: number[]) => {
        if (ids.includes(99)) throw new Error('split UTF-8');
        return ids.join('|');
      },
      displayToken: (i: number) => `<${i}>`,
    };
    expect(safeDecode(tok, [1, 2])).toBe('1|2');
    expect(safeDecode(tok, [1, 99])).toBe('<1><99>');
    expect(safeDecode(tok, [])).toBe('');
  });
});

describe('generation view', () => {
  it('shows the prompt and the continuation, both speed rows and the ratio after Compare', () => {
    const html = renderToStaticMarkup(<GenerationView {...props({ results: { cache: run(20, 500), nocache: run(20, 2000) } })} />);
    expect(html).toContain('data-testid="gen-text" data-count="3" data-model="tiny-tied"');
    expect(html).toContain('<span class="gen-prompt">Once upon</span><span class="gen-new"> a time</span>');
    expect(html).not.toContain('gen-caret');
    expect(html).toContain('data-testid="gen-tps-cache" data-tps="40" data-tokens="20" data-stopped="0"');
    expect(html).toContain('data-testid="gen-tps-nocache" data-tps="10" data-tokens="20" data-stopped="0"');
    expect(html).toContain('The cache made generation 4.00× as fast here.');
    // ready and idle: Generate and Compare enabled, Stop disabled
    expect(html).toMatch(/<button type="button" data-testid="gen-go">/);
    expect(html).toMatch(/<button type="button" disabled="" data-testid="gen-stop">/);
  });

  it('while running: status counts tokens, buttons swap, a caret follows the text; before any run the rows show dashes', () => {
    const html = renderToStaticMarkup(<GenerationView {...props({ running: 'nocache', count: 4 })} />);
    expect(html).toContain('data-running="nocache">generating without the cache… 4/20</span>');
    expect(html).toMatch(/<button type="button" disabled="" data-testid="gen-go">/);
    expect(html).toMatch(/<button type="button" data-testid="gen-stop">/);
    expect(html).toContain('gen-caret');
    expect(html).toContain('data-testid="gen-tps-cache" data-tps="" data-tokens="" data-stopped=""');
    expect(html.match(/>—</g)).toHaveLength(6);
    expect(html).not.toContain('gen-ratio');
  });

  it('explains why it cannot run: loading, no prompt, a full context, too many tokens asked', () => {
    expect(renderToStaticMarkup(<GenerationView {...props({ ready: false, waiting: 'loading' })} />)).toContain('Loading the model…');
    expect(renderToStaticMarkup(<GenerationView {...props({ ready: false, waiting: 'prompt' })} />)).toContain(
      'Type a prompt at the top of the page',
    );
    const full = renderToStaticMarkup(<GenerationView {...props({ room: 0, n: 0 })} />);
    expect(full).toContain('already fills the model’s 128-token context');
    expect(full).toMatch(/<button type="button" disabled="" data-testid="gen-go">/);
    expect(renderToStaticMarkup(<GenerationView {...props({ room: 8, n: 8 })} />)).toContain(
      'Only 8 more tokens fit in the 128-token context.',
    );
    const noted = renderToStaticMarkup(<GenerationView {...props({ note: 'cleared', error: 'boom', temp: 0 })} />);
    expect(noted).toContain('data-testid="gen-note">cleared</p>');
    expect(noted).toContain('role="alert">boom</p>');
    expect(noted).toContain('0 (argmax)');
  });
});
