import { Chapter } from '../components/Chapter';
import { Figure, Aside } from '../../kit/Figure';
import { TokenChips } from '../../figures/token-chips/TokenChips';
import { CaseGrid } from '../../figures/case-grid/CaseGrid';
import { Fact } from '../../kit/facts';

/** Chapter 1: text → token ids. */
export function Chapter01() {
  return (
    <Chapter n={1} id="ch1" title="Text becomes tokens" stages={['text', 'tokens']}>
      <p>
        The model never sees letters. A <em>tokeniser</em> first cuts the text into pieces from a fixed list, the vocabulary, and replaces
        each piece by its position in that list, an integer id. The model running in this page has a vocabulary of <Fact n="vocab" />{' '}
        pieces; GPT-2’s has 50,257.
      </p>
      <p>
        Both use <em>byte-level byte-pair encoding</em>. Training the tokeniser starts from the 256 possible bytes and repeatedly glues
        together the pair of neighbours that occurs most often in a large body of text, adding each glued pair to the vocabulary. Frequent
        words end up as a single piece; rare words are spelled out from smaller pieces; and because every byte is in the list, any text at
        all can be encoded, emoji and typos included.
      </p>
      <p>Three habits of these vocabularies matter later:</p>
      <ul>
        <li>
          The space before a word belongs to the word. “ cat” (with its space) and “cat” are two different tokens with two different ids,
          and in ordinary prose the version with the space is the common one.
        </li>
        <li>Case matters: “Next”, “next” and “NEXT” are unrelated ids, if they are single tokens at all.</li>
        <li>A few ids are reserved for control tokens such as GPT-2’s end-of-text marker, which never come out of ordinary text.</li>
      </ul>
      <Figure
        id="fig-token-chips"
        wide
        caption={
          <>
            The prompt at the top of the page, cut into tokens by the active model’s tokeniser (above) and by GPT-2’s (below). A dot{' '}
            <span className="tok">·</span> marks a space. Edit the prompt: add a rare word, a name, or an emoji, and watch it fall apart
            into pieces. Hover over or tab to a chip to see the bytes behind it.
          </>
        }
      >
        <TokenChips />
      </Figure>
      <Figure
        id="fig-case-grid"
        caption={
          <>
            Six spellings of “next”, and of a word you choose. A filled dot means the spelling is a single token; otherwise the row shows
            the pieces it is split into. Type your own word: names, plurals and capitals behave differently in the small vocabulary and in
            GPT-2’s.
          </>
        }
      >
        <CaseGrid />
      </Figure>
      <Aside>
        Our small models were trained on a few million words, so their tokeniser was too: it learned whole-word tokens only for words that
        were common in that text (with a list of first names added on purpose, so that a prompt about Mary and John reads as whole names).
        GPT-2’s tokeniser saw far more text and keeps many more whole words.
      </Aside>
    </Chapter>
  );
}
