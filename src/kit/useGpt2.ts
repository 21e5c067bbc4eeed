import { useEffect, useState } from 'react';
import { loadGpt2, type Gpt2Tok } from '../tokenizer/gpt2';

/** GPT-2's tokeniser once loaded (null before / if it fails). */
export function useGpt2(): Gpt2Tok | null {
  const [t, setT] = useState<Gpt2Tok | null>(null);
  useEffect(() => {
    let alive = true;
    loadGpt2()
      .then((x) => alive && setT(x))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return t;
}
