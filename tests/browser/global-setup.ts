/**
 * Builds the app once and serves dist/ on a free localhost port with the same
 * headers (CSP) as `vite preview`. Tests read the address via inject('baseUrl').
 */
import type { TestProject } from 'vitest/node';
import { build, preview, type PreviewServer } from 'vite';
import { findChromium } from './chromium';

let server: PreviewServer | undefined;

export default async function setup(project: TestProject) {
  findChromium(); // fail early with a clear message
  if (!process.env.SKIP_BUILD) {
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    const prev = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ logLevel: 'warn', mode: 'production' });
    } finally {
      process.env.NODE_ENV = prev;
    }
  }
  server = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const addr = server.httpServer.address();
  const port = typeof addr === 'object' && addr ? addr.port : 4173;
  project.provide('baseUrl', `http://127.0.0.1:${port}/`);
  return async () => {
    await new Promise<void>((r) => server!.httpServer.close(() => r()));
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
