/**
 * Error messages in plain words. A file that passes the cheap checks can
 * still make a parser deeper down throw a JavaScript engine message ("object
 * is not iterable (cannot read property Symbol(Symbol.iterator))", "Maximum
 * call stack size exceeded"). Those say nothing to a reader; this rewrites
 * them into what they mean for a model file. Messages the page wrote itself
 * pass through unchanged. Pure string code: used by the model provider and
 * the checkpoint loader.
 */

const RULES: [RegExp, string][] = [
  [/Maximum call stack size exceeded|too much recursion/i, 'it is nested too deeply to read'],
  [
    /is not iterable|is not a function|Cannot read propert(y|ies) of (null|undefined)|Cannot convert undefined or null|undefined is not an object|null is not an object|Cannot use 'in' operator/i,
    'a field holds the wrong kind of value (a list, an object, a number or text where another was expected, or a missing value)',
  ],
  [
    /Invalid (typed )?array length|Array buffer allocation failed|out of memory|Invalid string length/i,
    'it is too large to read in this browser',
  ],
  [/Unknown (\w+) type: ?([^)]*)/i, 'it names a $1 type the page does not know ($2)'],
];

/** The engine's words replaced by plain ones; anything else unchanged. */
export function plainWords(message: string): string {
  for (const [re, plain] of RULES) {
    const m = re.exec(message);
    if (!m) continue;
    const reason = plain.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '');
    // Drop the engine's fragment: the parenthesis it sits in ("… could not be loaded (x.split is not a function)"),
    // or else everything after the last "file: " before it.
    const open = message.lastIndexOf('(', m.index);
    let head: string;
    if (open >= 0 && message.indexOf(')', open) >= m.index) head = message.slice(0, open);
    else {
      const colon = message.lastIndexOf(': ', m.index);
      head = colon >= 0 ? message.slice(0, colon) : '';
    }
    head = head.replace(/[\s(:;,.-]+$/, '');
    return head ? `${head}: ${reason}` : reason.charAt(0).toUpperCase() + reason.slice(1);
  }
  return message;
}

/** An exception as a sentence in plain words; `file` names the file being read when the message does not already. */
export function plainError(e: unknown, file?: string): string {
  const raw = String((e as Error)?.message ?? e);
  const plain = plainWords(raw);
  if (file && !plain.includes(file)) return `${file}: ${plain}`;
  return plain;
}
