import type { ReactNode } from 'react';
import { Pipeline, type StageId } from './Pipeline';
import { IN_VIEW_MARGIN, SectionInView, SectionSeen, useNearScreen, useSeen } from '../../kit/near';

/** One essay chapter: number, title, the pipeline stage it explains, prose and figures. */
export function Chapter({
  n,
  id,
  title,
  stages,
  children,
}: {
  n: number;
  id: string;
  title: string;
  stages: StageId[];
  children: ReactNode;
}) {
  const [seenRef, seen] = useSeen<HTMLElement>();
  const [viewRef, inView] = useNearScreen<HTMLElement>(IN_VIEW_MARGIN);
  const ref = (el: HTMLElement | null) => {
    seenRef.current = el;
    viewRef.current = el;
  };
  return (
    <section className="chapter" id={id} aria-labelledby={`${id}-title`} ref={ref}>
      <Pipeline active={stages} />
      <h2 id={`${id}-title`}>
        <span className="chapter-n">{n}.</span> {title}
      </h2>
      <SectionSeen.Provider value={seen}>
        <SectionInView.Provider value={inView}>{children}</SectionInView.Provider>
      </SectionSeen.Provider>
    </section>
  );
}
