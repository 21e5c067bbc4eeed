/**
 * A local HTTP server for the checkpoint-loading browser tests. Serves
 * checkpoint folders under route prefixes, each with its own behaviour, and
 * counts every request it gets (so a test can prove a reload came from the
 * cache). Listens on 127.0.0.1 on a random port (the page's CSP allows
 * http://127.0.0.1:*), and stops itself after `maxLifetimeMs` even if a test
 * forgets to close it.
 *
 *   /<route>/<file>   route → { dir, mode }
 *   mode 'ok'         CORS headers, files sent at full speed
 *   mode 'nocors'     no Access-Control-Allow-Origin header
 *   mode 'slow'       CORS; model.safetensors trickles at `bytesPerSecond`
 *   mode 'drop'       CORS; model.safetensors announces its full Content-Length,
 *                     sends `dropFraction` of it, then destroys the connection
 */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';

export type RouteMode = 'ok' | 'nocors' | 'slow' | 'drop';

export interface Route {
  dir: string;
  mode: RouteMode;
  /** Extra files served from memory (name → contents), e.g. a config.json that exists nowhere on disk. */
  files?: Record<string, string | Buffer>;
}

export interface ServerOptions {
  routes: Record<string, Route>;
  bytesPerSecond?: number;
  dropFraction?: number;
  maxLifetimeMs?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

export interface CheckpointServer {
  /** e.g. http://127.0.0.1:41234/ */
  url: string;
  requests: RequestRecord[];
  /** Requests whose path starts with `prefix` (e.g. '/cors/'). */
  count(prefix?: string): number;
  close(): Promise<void>;
}

const FILE_RE = /^\/([a-z0-9-]+)\/([A-Za-z0-9._-]+)$/;

function contentType(name: string): string {
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.txt')) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

export async function startCheckpointServer(opts: ServerOptions): Promise<CheckpointServer> {
  const bytesPerSecond = opts.bytesPerSecond ?? 1_000_000;
  const dropFraction = opts.dropFraction ?? 0.4;
  const requests: RequestRecord[] = [];
  const sockets = new Set<Socket>();
  let closed = false;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const rec: RequestRecord = { method: req.method ?? 'GET', path, status: 0 };
    requests.push(rec);
    const send = (status: number, body = '') => {
      rec.status = status;
      res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body), ...cors });
      res.end(body);
    };
    const m = FILE_RE.exec(path);
    const route = m ? opts.routes[m[1]] : undefined;
    // Every answer carries CORS headers (a 404 too) except on 'nocors' routes.
    const cors: Record<string, string> =
      route?.mode === 'nocors' ? {} : { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Content-Length' };
    if (req.method === 'OPTIONS') return send(204);
    if (!m || !route) return send(404, 'not found');
    const name = m[2];
    const mem = route.files?.[name];
    const file = normalize(join(route.dir, name));
    if (mem === undefined && (!file.startsWith(normalize(route.dir)) || !existsSync(file))) return send(404, 'not found');
    const size = mem !== undefined ? Buffer.byteLength(mem) : statSync(file).size;
    const headers = { 'Content-Type': contentType(name), 'Content-Length': String(size), 'Cache-Control': 'no-store', ...cors };
    rec.status = 200;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    if (mem !== undefined) return res.end(mem);
    const big = name.endsWith('.safetensors');
    if (route.mode === 'slow' && big) {
      // Trickle: 64 KB every (64 KB / rate) seconds, stopping if the client goes away.
      const fh = await open(file, 'r');
      const chunk = Buffer.alloc(64 * 1024);
      try {
        for (let pos = 0; pos < size && !res.destroyed && !closed;) {
          const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
          if (bytesRead === 0) break;
          if (!res.write(Buffer.from(chunk.subarray(0, bytesRead)))) await new Promise((r) => res.once('drain', r));
          pos += bytesRead;
          await new Promise((r) => setTimeout(r, (bytesRead / bytesPerSecond) * 1000));
        }
      } finally {
        await fh.close();
      }
      if (!res.destroyed) res.end();
      return;
    }
    if (route.mode === 'drop' && big) {
      const cut = Math.floor(size * dropFraction);
      const fh = await open(file, 'r');
      const buf = Buffer.alloc(cut);
      await fh.read(buf, 0, cut, 0);
      await fh.close();
      res.write(buf, () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    createReadStream(file).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;

  const close = () =>
    new Promise<void>((r) => {
      if (closed) return r();
      closed = true;
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  const timer = setTimeout(() => void close(), opts.maxLifetimeMs ?? 15 * 60_000);
  timer.unref();

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    count: (prefix = '/') => requests.filter((q) => q.path.startsWith(prefix)).length,
    close,
  };
}
