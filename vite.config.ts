import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { createReadStream, existsSync, statSync, readdirSync, mkdirSync, copyFileSync } from 'node:fs';
import { join, resolve, normalize } from 'node:path';

/** The files of a model folder the page may fetch. */
const MODEL_FILES = new Set(['config.json', 'model.safetensors', 'tokenizer.json', 'README.md']);
const MODELS_DIR = resolve(__dirname, 'models');
/** Bundled models shipped with the page (folders in models/). */
export const BUNDLED_MODELS = ['tiny-tied', 'tiny-untied'];

/**
 * Serves models/<name>/<file> at /models/<name>/<file> in dev and preview, and
 * copies the bundled models into dist/models at build time. Only the listed
 * files of the bundled model folders are exposed.
 */
function bundledModels(): Plugin {
  const serve = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const url = (req.url ?? '').split('?')[0];
    const m = /^\/models\/([a-z0-9-]+)\/([a-zA-Z.]+)$/.exec(url);
    if (!m || !BUNDLED_MODELS.includes(m[1]) || !MODEL_FILES.has(m[2])) return next();
    const file = normalize(join(MODELS_DIR, m[1], m[2]));
    if (!file.startsWith(MODELS_DIR) || !existsSync(file)) return next();
    res.setHeader('Content-Length', String(statSync(file).size));
    res.setHeader('Content-Type', m[2].endsWith('.json') ? 'application/json' : 'application/octet-stream');
    createReadStream(file).pipe(res);
  };
  return {
    name: 'bundled-models',
    configureServer(server) {
      server.middlewares.use(serve);
    },
    writeBundle(options) {
      const out = options.dir ?? resolve(__dirname, 'dist');
      for (const name of BUNDLED_MODELS) {
        const src = join(MODELS_DIR, name);
        if (!existsSync(src)) continue;
        mkdirSync(join(out, 'models', name), { recursive: true });
        for (const f of readdirSync(src)) if (MODEL_FILES.has(f)) copyFileSync(join(src, f), join(out, 'models', name, f));
      }
    },
  };
}

/** Strict CSP for the built page: no inline script; wasm needs 'wasm-unsafe-eval'. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // Model checkpoints may be fetched from a URL the reader chooses.
  "connect-src 'self' https: http://localhost:* http://127.0.0.1:* blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export default defineConfig({
  plugins: [react(), bundledModels()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  preview: {
    headers: { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' },
  },
  server: { headers: {} },
});
