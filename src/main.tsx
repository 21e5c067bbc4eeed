import { framed } from './boot';
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
