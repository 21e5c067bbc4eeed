import type { ReactNode } from 'react';
import { Pipeline, type StageId } from './Pipeline';
import { FigureFrame, FigureTools } from '../../kit/export';
import { FigureBoundary } from '../../kit/ErrorBoundary';

/** One essay chapter: number, title, the pipeline stage it explains, prose and figures. */
export function Chapter({ n, id, title, stages, children }: { n: number; id: string; title: string; stages: StageId[]; children: ReactNode }) {
  return (
    <section className="chapter" id={id} aria-labelledby={`${id}-title`}>
      <Pipeline active={stages} />
      <h2 id={`${id}-title`}>
        <span className="chapter-n">{n}.</span> {title}
      </h2>
      {children}
    </section>
  );
}

/** A figure with a caption telling the reader what to try. `wide` lets it break out of the text column. */
export function Figure({ id, caption, wide = false, children }: { id?: string; caption: ReactNode; wide?: boolean; children: ReactNode }) {
  return (
    <FigureFrame id={id}>
      <figure className={wide ? 'figure wide' : 'figure'} id={id}>
        <div className="figure-body">
          <FigureBoundary name={id ?? 'figure'}>{children}</FigureBoundary>
        </div>
        <figcaption>{caption}</figcaption>
        <FigureTools />
      </figure>
    </FigureFrame>
  );
}

/** A side note. */
export function Aside({ children }: { children: ReactNode }) {
  return <aside className="aside">{children}</aside>;
}

/** The explanatory empty state every model-driven figure shows when there is nothing to draw. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      {children}
    </div>
  );
}
