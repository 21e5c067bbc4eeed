import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter06() {
  return (
    <Chapter n={6} id="ch6" title="Points or directions?" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
