/** Issue 16 (5): engine messages become plain words naming the file; the page's own messages pass through. */
import { expect, test } from 'vitest';
import { plainError, plainWords } from '../../../src/state/plain-error';

test('engine messages are rewritten, keeping the file and what the page was doing', () => {
  expect(plainWords('tokenizer.json: could not be loaded (x.split is not a function)')).toBe(
    'tokenizer.json: could not be loaded: a field holds the wrong kind of value (a list, an object, a number or text where another was expected, or a missing value)',
  );
  expect(plainWords('tokenizer.json: could not be loaded (Maximum call stack size exceeded)')).toBe(
    'tokenizer.json: could not be loaded: it is nested too deeply to read',
  );
  expect(plainError(new TypeError('object is not iterable (cannot read property Symbol(Symbol.iterator))'), 'tokenizer.json')).toBe(
    'tokenizer.json: A field holds the wrong kind of value (a list, an object, a number or text where another was expected, or a missing value)',
  );
  expect(plainWords('tokenizer.json: could not be loaded (Unknown PreTokenizer type: undefined)')).toBe(
    'tokenizer.json: could not be loaded: it names a PreTokenizer type the page does not know (undefined)',
  );
  for (const raw of ['object is not iterable', 'Maximum call stack size exceeded', "Cannot read properties of null (reading 'content')"]) {
    const out = plainError(new Error(raw), 'vocab.json');
    expect(out.startsWith('vocab.json: ')).toBe(true);
    expect(out).not.toMatch(/iterable|call stack|Cannot read/);
  }
});

test("the page's own messages are unchanged", () => {
  const own = 'config.json: must be a JSON object, got an array.';
  expect(plainWords(own)).toBe(own);
  expect(plainError(new Error(own), 'config.json')).toBe(own);
});
