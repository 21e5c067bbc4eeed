import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { caseRows, split, variants, type PieceTokenizer } from '../../../src/figures/case-grid/compute';
import { CaseGridView, CaseTable } from '../../../src/figures/case-grid/CaseGridView';

// A toy tokeniser: three whole words are single tokens (ids 0..2), anything else is cut into characters (id 1000 + code point).
const WORDS = ['next', ' next', 'Next'];
const toy: PieceTokenizer = {
  encode: (s) => (WORDS.includes(s) ? [WORDS.indexOf(s)] : [...s].map((c) => 1000 + c.codePointAt(0)!)),
  piece: (id) => (id < 1000 ? WORDS[id] : String.fromCodePoint(id - 1000)),
};

describe('case-grid compute', () => {
  it('lists lower, capitalised and upper case, each without and with a leading space', () => {
    const six = ['next', ' next', 'Next', ' Next', 'NEXT', ' NEXT'];
    expect(variants('next')).toEqual(six);
    // the typed word is trimmed, and adds nothing when it is one of the three cases
    expect(variants('  Next ')).toEqual(six);
    // a mixed-case word comes last, as typed
    expect(variants('iPhone')).toEqual(['iphone', ' iphone', 'Iphone', ' Iphone', 'IPHONE', ' IPHONE', 'iPhone', ' iPhone']);
    // one letter: capitalised and upper case coincide, no duplicates
    expect(variants('a')).toEqual(['a', ' a', 'A', ' A']);
    expect(variants('')).toEqual([]);
    expect(variants('   ')).toEqual([]);
  });

  it('cuts each variant into ids and pieces that spell it', () => {
    expect(split(toy, ' next')).toEqual({ ids: [1], pieces: [' next'] });
    const rows = caseRows(variants('next'), toy, null);
    expect(rows.map((r) => r.w)).toEqual(variants('next'));
    expect(rows.map((r) => r.ours.ids.length)).toEqual([1, 1, 1, 5, 4, 5]);
    for (const r of rows) {
      expect(r.ours.pieces.join('')).toBe(r.w);
      expect(r.gpt2).toBeNull();
    }
    expect(caseRows(['NEXT'], toy, toy)[0].gpt2).toEqual({ ids: [1078, 1069, 1088, 1084], pieces: ['N', 'E', 'X', 'T'] });
    expect(caseRows([], toy, toy)).toEqual([]);
  });
});

describe('case-grid view', () => {
  it('marks single tokens and lists the pieces of split ones; GPT-2 waits with …', () => {
    const html = renderToStaticMarkup(<CaseTable rows={caseRows(variants('next'), toy, null)} modelLabel="Toy" caption="c" />);
    expect(html.match(/<tr data-variant=/g)).toHaveLength(6);
    expect(html).toContain('<th scope="col">Toy</th>');
    expect(html).toContain('data-variant="next" data-ours-count="1" data-gpt2-count=""');
    expect(html).toContain('data-variant=" NEXT" data-ours-count="5" data-gpt2-count=""');
    expect(html).toContain('one token, id 0');
    expect(html).toContain('5 pieces: ');
    // the leading space is shown as a visible dot
    expect(html).toContain('<span class="tok">·next</span>');
    expect(html.match(/<td class="single">/g)).toHaveLength(3);
    expect(html.match(/…/g)).toHaveLength(6);
    expect(html).toContain('<span class="tok" title="token id 1088">X</span>');
  });

  it('with GPT-2 loaded both columns are filled', () => {
    const html = renderToStaticMarkup(<CaseTable rows={caseRows(['Next', 'NEXT'], toy, toy)} modelLabel="Toy" caption="c" />);
    expect(html).toContain('data-variant="Next" data-ours-count="1" data-gpt2-count="1"');
    expect(html).toContain('data-variant="NEXT" data-ours-count="4" data-gpt2-count="4"');
    expect(html).not.toContain('…');
    expect(html.match(/<td class="single">/g)).toHaveLength(2);
  });

  it('shows the loading state without a tokeniser, and the prompt for a word when the box is blank', () => {
    const loading = renderToStaticMarkup(
      <CaseGridView modelLabel="" fixed={null} own={null} hasOwn={true} word="pickle" onWord={() => undefined} />,
    );
    expect(loading.match(/Loading the model’s tokeniser…/g)).toHaveLength(2);
    expect(loading).not.toContain('<table');
    expect(loading).toContain('data-testid="cg-word"');
    expect(loading).toContain('value="pickle"');
    const blank = renderToStaticMarkup(
      <CaseGridView
        modelLabel="Toy"
        fixed={caseRows(variants('next'), toy, null)}
        own={[]}
        hasOwn={false}
        word=" "
        onWord={() => undefined}
      />,
    );
    expect(blank.match(/<table/g)).toHaveLength(1);
    expect(blank).toContain('Type a word to see its variants.');
    const own = renderToStaticMarkup(
      <CaseGridView
        modelLabel="Toy"
        fixed={caseRows(variants('next'), toy, null)}
        own={caseRows(variants('ab'), toy, null)}
        hasOwn={true}
        word="ab"
        onWord={() => undefined}
      />,
    );
    expect(own.match(/<table/g)).toHaveLength(2);
    expect(own).toContain('Case and space variants of ab');
    expect(own).toContain('data-variant=" AB"');
  });
});
