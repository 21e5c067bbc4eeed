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
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
 * @param {{ root: string, csp: string, mounts?: Record<string, string>, compress?: boolean, diskCache?: string | null, brotliQuality?: number }} opts
 *   mounts: URL prefix ('/__bench-models/gpt2-small/') -> folder
 * @returns {Promise<{ url: string, close: () => Promise<void>, served: () => number, log: { path: string, bytes: number, raw: number, encoding: string, end: number }[], precompress: (dir: string, skip?: (p: string) => boolean) => void }>}
 */
export async function startServer({ root, csp, mounts = {}, compress = true, diskCache = null, brotliQuality = 11 }) {
  const cache = new Map();
  let served = 0;
  /** every response: path, bytes of body as sent, encoding, wall-clock end (ms since epoch) */
  const log = [];
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
      // brotli 11 is slow (~1 MB/s here): keep compressed copies on disk across runs, keyed by content hash
      // quality brotliQuality for the page's assets (as a build step would); 5 for big files (speed)
      const q = raw.length > 4 << 20 ? Math.min(5, brotliQuality) : brotliQuality;
      const disk = diskCache && enc === 'br' ? join(diskCache, `${createHash('sha1').update(raw).digest('hex')}.q${q}.br`) : null;
      if (disk && existsSync(disk)) b = readFileSync(disk);
      else if (enc === 'br') {
        b = brotliCompressSync(raw, { params: { [zc.BROTLI_PARAM_QUALITY]: q, [zc.BROTLI_PARAM_SIZE_HINT]: raw.length } });
        if (disk) {
          mkdirSync(diskCache, { recursive: true });
          writeFileSync(disk, b);
        }
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
      const enc =
        compress && COMPRESSIBLE.has(ext) ? (/\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : 'identity') : 'identity';
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
      const entry = { path: pathname, bytes: req.method === 'HEAD' ? 0 : body.length, raw: statSync(file).size, encoding: enc, end: 0 };
      log.push(entry);
      res.on('finish', () => (entry.end = Date.now()));
      if (req.method === 'HEAD') res.end();
      else res.end(body);
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    }
  });
  /** Compresses files ahead of time (as a build step or CDN would), so no request waits on the compressor. */
  const precompress = (dir, skip = () => false) => {
    const walk = (d) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (skip(p)) continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (compress && COMPRESSIBLE.has(extname(p))) encoded(p, 'br');
      }
    };
    walk(dir);
  };
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    served: () => served,
    log,
    precompress,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
