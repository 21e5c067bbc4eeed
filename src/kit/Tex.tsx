/** KaTeX maths. `tex` is our own source text (never reader input). */
import { useContext, useEffect, useMemo } from 'react';
import { SectionSeen } from './near';
import { typeset, typesetLater } from './tex-cache';

/**
 * Typeset lazily: inside a chapter that has not come near the screen yet, the source stands in (see near.ts), and
 * the typesetting is queued for idle time (tex-cache.ts), so that the chapter's arrival only inserts the HTML.
 */
export function Tex({ tex, block = false, label }: { tex: string; block?: boolean; label?: string }) {
  const seen = useContext(SectionSeen);
  const html = useMemo(() => (seen ? typeset(tex, block) : null), [tex, block, seen]);
  useEffect(() => {
    if (!seen) typesetLater(tex, block);
  }, [tex, block, seen]);
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
