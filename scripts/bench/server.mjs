/**
 * The benchmark's static server: serves dist/ on 127.0.0.1 (free port) the way
 * a real static host would, so transfer sizes are realistic:
 *   - text-like files (js, css, html, json, svg, wasm, onnx, ttf) compressed with brotli or gzip
 *     (whichever the browser accepts, brotli first), compressed once and cached in memory;
 *   - woff/woff2 (already compressed) and model.safetensors (application/octet-stream,
 *     which common static hosts do not compress) sent as they are;
 *   - the same Content-Security-Policy and X-Content-Type-Options as `vite preview`
 *     (the CSP string is imported from vite.config.ts by the caller).
 * Extra mounts map URL prefixes to folders (benchmark models, ONNX files, the bench page).
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zc } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
  '.map': 'application/json',
  '.onnx': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.wasm', '.ttf', '.map', '.md', '.txt', '.onnx']);

/**
 * @param {{ root: string, csp: string, mounts?: Record<string, string>, compress?: boolean }} opts
 *   mounts: URL prefix ('/__bench-models/gpt2-small/') -> folder
 * @returns {Promise<{ url: string, close: () => Promise<void>, served: () => number }>}
 */
export async function startServer({ root, csp, mounts = {}, compress = true }) {
  const cache = new Map();
  let served = 0;
  const resolveFile = (pathname) => {
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (pathname.startsWith(prefix)) {
        const f = normalize(join(dir, pathname.slice(prefix.length)));
        return f.startsWith(resolve(dir)) ? f : null;
      }
    }
    const f = normalize(join(root, pathname.endsWith('/') ? pathname + 'index.html' : pathname));
    return f.startsWith(resolve(root)) ? f : null;
  };
  const encoded = (file, enc) => {
    const st = statSync(file);
    const key = `${file}|${enc}|${st.mtimeMs}|${st.size}`;
    let b = cache.get(key);
    if (!b) {
      const raw = readFileSync(file);
      if (enc === 'br') {
        // quality 11 for the page's assets (as a build step would); 5 for big files (speed)
        const q = raw.length > 4 << 20 ? 5 : 11;
        b = brotliCompressSync(raw, { params: { [zc.BROTLI_PARAM_QUALITY]: q, [zc.BROTLI_PARAM_SIZE_HINT]: raw.length } });
      } else if (enc === 'gzip') b = gzipSync(raw, { level: 9 });
      else b = raw;
      cache.set(key, b);
    }
    return b;
  };
  const server = createServer((req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const pathname = decodeURIComponent(url.pathname);
      const file = resolveFile(pathname);
      if (!file || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
        return;
      }
      const ext = extname(file);
      const accept = String(req.headers['accept-encoding'] ?? '');
      const enc = compress && COMPRESSIBLE.has(ext) ? (/\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : 'identity') : 'identity';
      const body = encoded(file, enc);
      const headers = {
        'Content-Type': TYPES[ext] ?? 'application/octet-stream',
        'Content-Length': String(body.length),
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
        Vary: 'Accept-Encoding',
      };
      if (enc !== 'identity') headers['Content-Encoding'] = enc;
      res.writeHead(200, headers);
      served += body.length;
      if (req.method === 'HEAD') res.end();
      else res.end(body);
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    served: () => served,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
