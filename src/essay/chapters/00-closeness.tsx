import { Chapter } from '../components/Chapter';

// Placeholder: this chapter is being written.
export function Chapter00() {
  return (
    <Chapter n={0} id="ch0" title="Three ways to say “close”" stages={['text']}>
      <p>This chapter is being written.</p>
    </Chapter>
  );
}
