import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter01() {
  return (
    <Chapter n={1} id="ch1" title="Text becomes tokens" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
