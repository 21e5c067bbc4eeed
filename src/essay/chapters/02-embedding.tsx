import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter02() {
  return (
    <Chapter n={2} id="ch2" title="Tokens become vectors" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
