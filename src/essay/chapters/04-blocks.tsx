import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter04() {
  return (
    <Chapter n={4} id="ch4" title="The blocks see only direction" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
