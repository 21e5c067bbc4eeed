/**
 * The page's entry. boot.ts runs first and starts the model worker, the tokenizer and the weights download. The
 * essay's own modules (page.tsx: React DOM, d3, KaTeX, every figure) are a separate chunk, imported dynamically, so
 * that evaluating them (a long task) comes after the worker has been created and can start in parallel, instead of
 * holding its start until the whole bundle has run. The styles stay in the entry: they load with the HTML.
 */
import { framed } from './boot';
import '@fontsource/source-serif-4/400.css';
import '@fontsource/source-serif-4/400-italic.css';
import '@fontsource/source-serif-4/600.css';
import '@fontsource/inter/400.css';
import '@fontsource/inter/600.css';
import 'katex/dist/katex.min.css';
import './styles.css';

const root = document.getElementById('root')!;
import('./page').then(
  ({ mountPage }) => mountPage(root, framed),
  (e: unknown) => {
    // a chunk that failed to load (a deploy replaced it, the network dropped): say so instead of a blank page
    root.textContent = `The essay could not load (${(e as Error)?.message ?? String(e)}). Reload the page to try again.`;
  },
);
