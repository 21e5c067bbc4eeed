import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter07() {
  return (
    <Chapter n={7} id="ch7" title="Size is confidence" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
