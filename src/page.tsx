/**
 * The essay's React tree (React DOM, d3, KaTeX and every figure come in with it). main.tsx imports this module
 * dynamically, after boot.ts has started the model worker and the downloads.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { FramedRefusal } from './site/Framed';
import { UpdateNotice } from './site/UpdateNotice';

export function mountPage(root: HTMLElement, framed: boolean): void {
  createRoot(root).render(
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
}
