/**
 * Fetching checkpoint files: progress in bytes, cancel (AbortSignal), and the
 * Cache Storage API so a file downloaded once is served from the cache on the
 * next visit without any network request. A file is stored only once it has
 * arrived whole (never a partial download). Plain DOM APIs, no React, no tfjs.
 */

export const CACHE_NAME = 'td-checkpoints-v1';

export type LoadErrorKind = 'network' | 'cors' | 'http' | 'interrupted' | 'aborted' | 'invalid' | 'too-large' | 'missing' | 'unsupported';

/** An error the loader shows to the reader as is: `message` is a full sentence. */
export class LoadError extends Error {
  constructor(
    public readonly kind: LoadErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'LoadError';
  }
}

export interface FileProgress {
  /** File name (last path segment), e.g. 'model.safetensors'. */
  file: string;
  loaded: number;
  /** Bytes expected (Content-Length); 0 when unknown. */
  total: number;
  fromCache: boolean;
}

export const MB = 1_000_000;
const mbFormats = new Map<number, Intl.NumberFormat>(); // one per number of digits (made once, not per call)
export function mb(bytes: number, digits = bytes < 10 * MB ? 1 : 0): string {
  let f = mbFormats.get(digits);
  if (!f) mbFormats.set(digits, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return `${f.format(bytes / MB)} MB`;
}

function fileName(url: string): string {
  try {
    const p = new URL(url).pathname;
    return decodeURIComponent(p.slice(p.lastIndexOf('/') + 1)) || url;
  } catch {
    return url;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const hasCaches = () => typeof caches !== 'undefined';

/** The cached copy of a file, or null. Never touches the network. */
export async function cachedResponse(url: string): Promise<Response | null> {
  if (!hasCaches()) return null;
  try {
    const c = await caches.open(CACHE_NAME);
    return (await c.match(url)) ?? null;
  } catch {
    return null;
  }
}

export async function isCached(url: string): Promise<boolean> {
  return (await cachedResponse(url)) !== null;
}

export interface CachedEntry {
  url: string;
  bytes: number;
}

/** Every stored file with its size. */
export async function listCached(): Promise<CachedEntry[]> {
  if (!hasCaches()) return [];
  const c = await caches.open(CACHE_NAME);
  const out: CachedEntry[] = [];
  for (const req of await c.keys()) {
    const r = await c.match(req);
    let bytes = Number(r?.headers.get('x-td-bytes') ?? NaN);
    if (!Number.isFinite(bytes) && r) bytes = (await r.blob()).size;
    out.push({ url: req.url, bytes: Number.isFinite(bytes) ? bytes : 0 });
  }
  return out.sort((a, b) => a.url.localeCompare(b.url));
}

export async function deleteCached(url: string): Promise<void> {
  if (!hasCaches()) return;
  const c = await caches.open(CACHE_NAME);
  await c.delete(url);
}

export async function clearCache(): Promise<void> {
  if (!hasCaches()) return;
  await caches.delete(CACHE_NAME);
}

/**
 * Tells a CORS refusal from an unreachable server: a `no-cors` request to a
 * reachable server succeeds (with an opaque answer), to an unreachable one it
 * fails. Only used after a normal fetch failed with a TypeError.
 */
async function reachableWithoutCors(url: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const ctrl = new AbortController();
    const t = setTimeout(() => ctrl.abort(), 10_000);
    signal?.addEventListener('abort', () => ctrl.abort(), { once: true });
    const r = await fetch(url, { mode: 'no-cors', cache: 'no-store', signal: ctrl.signal });
    clearTimeout(t);
    void r.body?.cancel().catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}

function aborted(file: string): LoadError {
  return new LoadError('aborted', `Cancelled the download of ${file}. Nothing was stored; the current model is unchanged.`);
}

function isAbort(e: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true || (e instanceof DOMException && e.name === 'AbortError');
}

/** Fetches the response headers of `url`, turning every failure into a LoadError. */
async function open(url: string, signal?: AbortSignal): Promise<Response> {
  const file = fileName(url);
  let r: Response;
  try {
    r = await fetch(url, { signal, cache: 'no-store', credentials: 'omit', redirect: 'follow' });
  } catch (e) {
    if (isAbort(e, signal)) throw aborted(file);
    if (await reachableWithoutCors(url, signal)) {
      throw new LoadError(
        'cors',
        `${hostOf(url)} answered but does not let this page read ${file} (no CORS header Access-Control-Allow-Origin). ` +
          'The browser blocks such downloads; use a server that sends CORS headers (Hugging Face does), or download the files and open them from disk.',
      );
    }
    throw new LoadError(
      'network',
      `Could not reach ${hostOf(url)} to fetch ${file} (network error: offline, wrong address, or the server refused the connection).`,
    );
  }
  if (!r.ok) {
    const why =
      r.status === 404
        ? 'not found — check the folder URL (for Hugging Face: https://huggingface.co/<repo>/resolve/main/)'
        : r.status === 401 || r.status === 403
          ? 'access denied — the repository may be private or gated'
          : r.status >= 500
            ? 'server error — try again later'
            : 'request refused';
    void r.body?.cancel().catch(() => undefined);
    throw new LoadError('http', `${file}: HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ''} at ${url} (${why}).`);
  }
  return r;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (p: FileProgress) => void;
  /**
   * Where the bytes go: 'stage' streams them straight into a staging cache
   * (never through the page's memory; commit with `commitStaged`), 'memory'
   * collects them in memory (nothing stored). Default 'stage' when the Cache
   * Storage is available.
   */
  into?: 'stage' | 'memory';
  /** Serve from the cache when present (default true). */
  useCache?: boolean;
}

/** The staging cache: complete files of a checkpoint whose other files are still on the way. */
export const STAGING_CACHE = 'td-checkpoints-staging-v1';

const interrupted = (file: string, loaded: number, total: number) =>
  new LoadError(
    'interrupted',
    `The download of ${file} was interrupted after ${mb(loaded)}${total ? ` of ${mb(total)}` : ''} (the connection was lost). ` +
      'Nothing was stored; the current model is unchanged. Try again.',
  );

const shortRead = (file: string, loaded: number, total: number) =>
  new LoadError(
    'interrupted',
    `The download of ${file} stopped after ${mb(loaded)} of ${mb(total)} (${loaded} of ${total} bytes). ` +
      'Nothing was stored; the current model is unchanged. Try again.',
  );

/**
 * Counts bytes as they pass, reports progress, and errors the stream when it
 * ends short of Content-Length (so a truncated file can never be stored).
 */
function counter(file: string, total: number, onProgress?: (p: FileProgress) => void) {
  let loaded = 0;
  let last = 0;
  const state = { loaded: () => loaded, short: null as LoadError | null };
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, ctrl) {
      loaded += chunk.byteLength;
      const now = performance.now();
      if (now - last > 50) {
        last = now;
        onProgress?.({ file, loaded, total, fromCache: false });
      }
      ctrl.enqueue(chunk);
    },
    flush(ctrl) {
      if (total && loaded !== total) {
        state.short = shortRead(file, loaded, total);
        ctrl.error(state.short);
      }
    },
  });
  return { stream, state };
}

/**
 * Downloads one file to a Blob, reporting progress; from the cache when
 * stored there. Rejects with a LoadError (network, cors, http, interrupted,
 * aborted). With into = 'stage' the file is streamed into the staging cache
 * (a file there is always complete) and the Blob is read back from it.
 */
export async function downloadFile(url: string, opts: DownloadOptions = {}): Promise<Blob> {
  const { signal, onProgress, useCache = true } = opts;
  const into = opts.into ?? (hasCaches() ? 'stage' : 'memory');
  const file = fileName(url);
  if (signal?.aborted) throw aborted(file);
  if (useCache) {
    const hit = await cachedResponse(url);
    if (hit) {
      const blob = await hit.blob();
      onProgress?.({ file, loaded: blob.size, total: blob.size, fromCache: true });
      return blob;
    }
  }
  const r = await open(url, signal);
  const lenHeader = r.headers.get('content-length');
  const encoded = (r.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const total = lenHeader !== null && /^\d+$/.test(lenHeader) && !encoded ? Number(lenHeader) : 0;
  const type = r.headers.get('content-type') ?? 'application/octet-stream';
  onProgress?.({ file, loaded: 0, total, fromCache: false });
  const { stream, state } = counter(file, total, onProgress);
  const body = r.body ? r.body.pipeThrough(stream, { signal }) : null;

  if (into === 'stage' && body) {
    const staging = await caches.open(STAGING_CACHE);
    try {
      await staging.put(url, new Response(body, { headers: { 'content-type': type, 'x-td-expected': String(total) } }));
    } catch (e) {
      await staging.delete(url).catch(() => false);
      if (isAbort(e, signal)) throw aborted(file);
      if (state.short) throw state.short;
      if (e instanceof DOMException && e.name === 'QuotaExceededError') {
        // No room to store it: download again into memory (the model still loads, it just is not kept).
        return downloadFile(url, { ...opts, into: 'memory', useCache: false });
      }
      throw interrupted(file, state.loaded(), total);
    }
    const stored = await staging.match(url);
    const blob = stored ? await stored.blob() : null;
    if (!blob || (total && blob.size !== total)) {
      await staging.delete(url).catch(() => false);
      throw shortRead(file, blob?.size ?? 0, total);
    }
    onProgress?.({ file, loaded: blob.size, total: total || blob.size, fromCache: false });
    return blob;
  }

  // In memory.
  const chunks: Uint8Array[] = [];
  if (body) {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
      }
    } catch (e) {
      if (isAbort(e, signal)) throw aborted(file);
      if (state.short) throw state.short;
      throw interrupted(file, state.loaded(), total);
    }
  }
  if (signal?.aborted) throw aborted(file);
  const blob = new Blob(chunks as BlobPart[], { type });
  chunks.length = 0;
  onProgress?.({ file, loaded: blob.size, total: total || blob.size, fromCache: false });
  return blob;
}

/**
 * Moves complete files from the staging cache into the checkpoint cache and
 * returns each as a Blob read from there (for files that were served from the
 * cache already, the cached copy). A file that cannot be moved (storage full)
 * is returned from staging and left there.
 */
export async function commitStaged(urls: string[]): Promise<Map<string, Blob>> {
  const out = new Map<string, Blob>();
  if (!hasCaches()) return out;
  const staging = await caches.open(STAGING_CACHE);
  const main = await caches.open(CACHE_NAME);
  for (const url of urls) {
    const staged = await staging.match(url);
    if (!staged) {
      const have = await main.match(url);
      if (have) out.set(url, await have.blob());
      continue;
    }
    const blob = await staged.blob();
    try {
      await main.put(
        url,
        new Response(blob, {
          headers: { 'content-type': staged.headers.get('content-type') ?? 'application/octet-stream', 'x-td-bytes': String(blob.size) },
        }),
      );
      await staging.delete(url);
      const moved = await main.match(url);
      out.set(url, moved ? await moved.blob() : blob);
    } catch {
      out.set(url, blob);
    }
  }
  return out;
}

/** Forgets staged files (after a failed or cancelled load). */
export async function discardStaged(urls?: string[]): Promise<void> {
  if (!hasCaches()) return;
  if (!urls) {
    await caches.delete(STAGING_CACHE).catch(() => false);
    return;
  }
  const staging = await caches.open(STAGING_CACHE);
  for (const u of urls) await staging.delete(u).catch(() => false);
}

/** Reads a small file (config.json, tokenizer.json, …) as text. */
export async function downloadText(url: string, opts: DownloadOptions = {}): Promise<string> {
  return (await downloadFile(url, opts)).text();
}
