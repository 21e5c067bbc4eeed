import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/source-serif-4/400.css';
import '@fontsource/source-serif-4/400-italic.css';
import '@fontsource/source-serif-4/600.css';
import '@fontsource/inter/400.css';
import '@fontsource/inter/600.css';
import 'katex/dist/katex.min.css';
import './styles.css';
import { App } from './App';
import { FramedRefusal } from './site/Framed';
import { UpdateNotice } from './site/UpdateNotice';
import { warmUpWhenIdle } from './site/warm-up';
import { EMBED_ID, framedOutsideEmbed } from './kit/export';
import { startModelController } from './state/model';
import { createModelClient } from './runtime/client';

const framed = framedOutsideEmbed();
// The worker, tfjs and the model download start before the essay's first render (which takes a few
// hundred milliseconds of main-thread work that the worker does not need to wait for).
if (!framed) startModelController(createModelClient());
if (!framed && !EMBED_ID) warmUpWhenIdle();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {framed ? (
      <FramedRefusal />
    ) : (
      <>
        <App />
        <UpdateNotice />
      </>
    )}
  </StrictMode>,
);
