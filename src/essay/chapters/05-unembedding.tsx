import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter05() {
  return (
    <Chapter n={5} id="ch5" title="Back to tokens: unembedding and softmax" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
