import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter03() {
  return (
    <Chapter n={3} id="ch3" title="Where each token sits" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
