import { useModelState } from './state/model';
import { PromptBar } from './ui/PromptBar';
import { CheckpointLoader } from './loader/CheckpointLoader';
import { NextToken } from './figures/next-token/NextToken';
import { Figure } from './kit/Figure';
import * as C from './essay/chapters';
import { useEffect } from 'react';
import { FigureBoundary, PageBoundary } from './kit/ErrorBoundary';
import { keepScrollAnchor } from './site/scroll-anchor';

/** Exposes the runtime client and tokenizer for tests and the benchmark (harmless: same origin only). */
function DebugHandle() {
  const m = useModelState((s) => ({ api: s.api, tokenizer: s.tokenizer, info: s.info, forward: s.forward, status: s.status }));
  useEffect(() => {
    (window as unknown as { __td: unknown }).__td = {
      client: m.api,
      tokenizer: m.tokenizer,
      info: m.info,
      forward: m.forward,
      status: m.status,
    };
  }, [m.api, m.tokenizer, m.info, m.forward, m.status]);
  return null;
}

export function App() {
  useEffect(() => keepScrollAnchor(), []);
  return (
    <>
      <DebugHandle />
      <PageBoundary>
        <header className="masthead">
          <h1>Token directions</h1>
          <p className="dek">
            A transformer stores each token as a list of numbers, but it only ever compares them by dot products. Read them as directions on
            a sphere, each with a length — not as points in space. A small GPT runs in this page; every number below is computed by it,
            live.
          </p>
        </header>
        <CheckpointLoader />
        <PromptBar />
        <main className="essay">
          <Figure
            id="fig-next"
            caption="What the model expects next for the prompt above. Edit the prompt and watch the prediction change."
          >
            <NextToken />
          </Figure>
          <FigureBoundary name="chapter-00" kind="chapter">
            <C.Chapter00 />
          </FigureBoundary>
          <FigureBoundary name="chapter-01" kind="chapter">
            <C.Chapter01 />
          </FigureBoundary>
          <FigureBoundary name="chapter-02" kind="chapter">
            <C.Chapter02 />
          </FigureBoundary>
          <FigureBoundary name="chapter-03" kind="chapter">
            <C.Chapter03 />
          </FigureBoundary>
          <FigureBoundary name="chapter-04" kind="chapter">
            <C.Chapter04 />
          </FigureBoundary>
          <FigureBoundary name="chapter-05" kind="chapter">
            <C.Chapter05 />
          </FigureBoundary>
          <FigureBoundary name="chapter-06" kind="chapter">
            <C.Chapter06 />
          </FigureBoundary>
          <FigureBoundary name="chapter-07" kind="chapter">
            <C.Chapter07 />
          </FigureBoundary>
          <FigureBoundary name="chapter-08" kind="chapter">
            <C.Chapter08 />
          </FigureBoundary>
          <FigureBoundary name="chapter-09" kind="chapter">
            <C.Chapter09 />
          </FigureBoundary>
          <FigureBoundary name="chapter-10" kind="chapter">
            <C.Chapter10 />
          </FigureBoundary>
          <FigureBoundary name="chapter-11" kind="chapter">
            <C.Chapter11 />
          </FigureBoundary>
        </main>
      </PageBoundary>
    </>
  );
}
