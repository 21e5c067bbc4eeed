import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter09() {
  return (
    <Chapter n={9} id="ch9" title="Generation" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
