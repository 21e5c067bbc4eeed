/** KaTeX maths. `tex` is our own source text (never reader input). */
import katex from 'katex';
import { useContext, useMemo } from 'react';
import { SectionSeen } from './near';

/** Typeset lazily: inside a chapter that has not come near the screen yet, the source stands in (see near.ts). */
export function Tex({ tex, block = false, label }: { tex: string; block?: boolean; label?: string }) {
  const seen = useContext(SectionSeen);
  const html = useMemo(
    () => (seen ? katex.renderToString(tex, { displayMode: block, throwOnError: false, output: 'htmlAndMathml', strict: false }) : null),
    [tex, block, seen],
  );
  const Tag = block ? 'div' : 'span';
  if (html === null)
    return (
      <Tag className={block ? 'tex-block' : 'tex'} aria-label={label}>
        {tex}
      </Tag>
    );
  // KaTeX escapes every user-visible string it renders; `tex` is authored by us.
  return <Tag className={block ? 'tex-block' : 'tex'} aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />;
}
