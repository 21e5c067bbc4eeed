/** KaTeX maths. `tex` is our own source text (never reader input). */
import katex from 'katex';
import { useMemo } from 'react';

export function Tex({ tex, block = false, label }: { tex: string; block?: boolean; label?: string }) {
  const html = useMemo(
    () => katex.renderToString(tex, { displayMode: block, throwOnError: false, output: 'htmlAndMathml', strict: false }),
    [tex, block],
  );
  const Tag = block ? 'div' : 'span';
  // KaTeX escapes every user-visible string it renders; `tex` is authored by us.
  return <Tag className={block ? 'tex-block' : 'tex'} aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />;
}
