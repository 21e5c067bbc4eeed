import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { MAX_CHIPS, chipClass, chips, hexBytes, hiddenCount } from '../../../src/figures/token-chips/compute';
import { TokenChipsEmpty, TokenChipsView } from '../../../src/figures/token-chips/TokenChipsView';

// A toy tokenisation of "Hi there": ids 10, 11, 12 for "Hi", " the", "re"; text shown with a visible space.
const TEXT: Record<number, string> = { 10: 'Hi', 11: '·the', 12: 're' };
const ours = [10, 11, 12];
const view = {
  modelLabel: 'Toy',
  vocabSize: 4096,
  count: ours.length,
  chips: chips(ours, (id) => TEXT[id]),
  onSelect: () => undefined,
};

describe('token-chips compute', () => {
  it('bytes as hex pairs', () => {
    expect(hexBytes(Uint8Array.from([72, 105, 0, 255]))).toBe('48 69 00 ff');
    expect(hexBytes(new Uint8Array(0))).toBe('');
  });

  it('at most MAX_CHIPS chips, with a count of the rest', () => {
    const many = Array.from({ length: MAX_CHIPS + 50 }, (_, i) => i);
    const c = chips(many, (id) => `t${id}`);
    expect(c).toHaveLength(MAX_CHIPS);
    expect(c[MAX_CHIPS - 1]).toEqual({ id: MAX_CHIPS - 1, text: `t${MAX_CHIPS - 1}` });
    expect(hiddenCount(many.length)).toBe(50);
    expect(hiddenCount(3)).toBe(0);
    expect(hiddenCount(0)).toBe(0);
    expect(chips([], String)).toEqual([]);
  });

  it('chip classes cycle through six colours', () => {
    expect(chipClass(7, true)).toBe('tc-chip c1 sel');
    expect(chipClass(6, false)).toBe('tc-chip c0');
    expect(chipClass(2, false, true)).toBe('tc-chip static c2');
  });
});

describe('token-chips view', () => {
  it('one button per token; the selected one’s bytes; GPT-2 still loading', () => {
    const bytes = new TextEncoder().encode(' the');
    const html = renderToStaticMarkup(<TokenChipsView {...view} sel={1} selected={{ id: 11, text: '·the', bytes }} gpt2={null} />);
    expect(html).toContain('data-testid="token-chips" data-count="3" data-gpt2-count=""');
    expect(html.match(/<button /g)).toHaveLength(3);
    expect(html).toContain('class="tc-chip c1 sel"');
    expect(html).toContain('aria-label="Token 2: id 11, text ·the" data-token-id="11"');
    expect(html).toContain('stands for 4 bytes: <code>20 74 68 65</code>');
    expect(html).toContain('Loading GPT-2’s tokeniser…');
    expect(html).toContain('vocabulary of <span class="num">4,096</span>');
    expect(html).not.toContain('more</li>');
  });

  it('one byte is singular; no selection shows the hint; GPT-2 chips are static', () => {
    const one = renderToStaticMarkup(
      <TokenChipsView {...view} sel={0} selected={{ id: 10, text: 'H', bytes: Uint8Array.from([72]) }} gpt2={null} />,
    );
    expect(one).toContain('stands for 1 byte: <code>48</code>');
    const gpt2 = {
      vocabSize: 50257,
      count: 2,
      chips: [
        { id: 17250, text: 'Hi' },
        { id: 612, text: ' there' },
      ],
    };
    const html = renderToStaticMarkup(<TokenChipsView {...view} sel={null} selected={null} gpt2={gpt2} />);
    expect(html).toContain('Hover over or focus a chip to see the bytes it stands for.');
    expect(html).not.toContain(' sel"');
    expect(html).toContain('data-gpt2-count="2"');
    expect(html).toContain('data-testid="gpt2-chips"');
    expect(html).toContain('<li class="tc-chip static c1" data-token-id="612">');
    expect(html).toContain('<span class="num">50,257</span>');
    expect(html).not.toContain('…');
  });

  it('a long prompt says how many more tokens it has', () => {
    const many = Array.from({ length: MAX_CHIPS + 7 }, (_, i) => i);
    const html = renderToStaticMarkup(
      <TokenChipsView {...view} count={many.length} chips={chips(many, String)} sel={null} selected={null} gpt2={null} />,
    );
    expect(html.match(/<button /g)).toHaveLength(MAX_CHIPS);
    expect(html).toContain('<li class="p1-muted">… 7 more</li>');
  });

  it('empty states', () => {
    expect(renderToStaticMarkup(<TokenChipsEmpty loading={true} />)).toContain('Loading the model’s tokeniser…');
    expect(renderToStaticMarkup(<TokenChipsEmpty loading={false} />)).toContain('Type a prompt at the top of the page');
  });
});
