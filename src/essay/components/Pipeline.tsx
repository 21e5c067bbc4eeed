/** The pipeline text → tokens → … → softmax(T), with the current chapter's stage highlighted. */
export const STAGES = [
  { id: 'text', label: 'text' },
  { id: 'tokens', label: 'tokens' },
  { id: 'embedding', label: 'embedding' },
  { id: 'positions', label: '+ positions' },
  { id: 'blocks', label: 'blocks' },
  { id: 'ln_f', label: 'final LayerNorm' },
  { id: 'unembedding', label: 'unembedding' },
  { id: 'softmax', label: 'softmax(T)' },
] as const;
export type StageId = (typeof STAGES)[number]['id'];

export function Pipeline({ active }: { active: StageId[] }) {
  return (
    <ol className="pipeline" aria-label={`Pipeline stage: ${active.join(', ')}`}>
      {STAGES.map((s) => (
        <li key={s.id} className={active.includes(s.id) ? 'active' : undefined} aria-current={active.includes(s.id) ? 'step' : undefined}>
          {s.label}
        </li>
      ))}
    </ol>
  );
}
