import type { ReactNode } from 'react';
import { Pipeline, type StageId } from './Pipeline';
import { SectionSeen, useSeen } from '../../kit/near';

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
  const [ref, seen] = useSeen<HTMLElement>();
  return (
    <section className="chapter" id={id} aria-labelledby={`${id}-title`} ref={ref}>
      <Pipeline active={stages} />
      <h2 id={`${id}-title`}>
        <span className="chapter-n">{n}.</span> {title}
      </h2>
      <SectionSeen.Provider value={seen}>{children}</SectionSeen.Provider>
    </section>
  );
}
