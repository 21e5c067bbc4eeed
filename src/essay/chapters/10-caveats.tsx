import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter10() {
  return (
    <Chapter n={10} id="ch10" title="What the picture leaves out" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
