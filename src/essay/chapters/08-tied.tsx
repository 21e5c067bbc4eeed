import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter08() {
  return (
    <Chapter n={8} id="ch8" title="Tied and untied embeddings" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
