/** A token shown as text with visible spaces (·) and escaped control characters — never as HTML. */
import { useTokenizer } from '../state/model';

export function TokenText({ id, className }: { id: number; className?: string }) {
  const tokenizer = useTokenizer();
  const s = tokenizer ? tokenizer.displayToken(id) : `#${id}`;
  return (
    <span className={className ? `tok ${className}` : 'tok'} title={`token id ${id}`}>
      {s}
    </span>
  );
}
