import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { createReadStream, existsSync, statSync, readdirSync, mkdirSync, copyFileSync } from 'node:fs';
import { join, resolve, normalize } from 'node:path';

/** The files of a model folder the page may fetch. */
const MODEL_FILES = new Set(['config.json', 'model.safetensors', 'tokenizer.json', 'README.md']);
const MODELS_DIR = resolve(import.meta.dirname, 'models');
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
      const out = options.dir ?? resolve(import.meta.dirname, 'dist');
      for (const name of BUNDLED_MODELS) {
        const src = join(MODELS_DIR, name);
        if (!existsSync(src)) continue;
        mkdirSync(join(out, 'models', name), { recursive: true });
        for (const f of readdirSync(src)) if (MODEL_FILES.has(f)) copyFileSync(join(src, f), join(out, 'models', name, f));
      }
    },
  };
}

/**
 * Strict CSP for the built page: no inline script; wasm needs 'wasm-unsafe-eval'.
 * `frame-ancestors` is the one directive a <meta> tag cannot carry, so it comes
 * in two parts: `CSP_META` (everything else) is written into index.html and
 * works on any static host; the header (`cspHeader`, sent by `vite preview` and
 * by hosts that can set headers per request, see README "Framing and CSP")
 * adds `frame-ancestors 'none'`, loosened to `*` only for `?embed=` URLs.
 */
const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // Model checkpoints may be fetched from a URL the reader chooses.
  "connect-src 'self' https: http://localhost:* http://127.0.0.1:* blob: data:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];
export const CSP_META = CSP_DIRECTIVES.join('; ');
/** The header policy for one request: framing allowed only in embed mode. */
export function cspHeader(url: string): string {
  const embed = /[?&]embed=/.test(url);
  return [...CSP_DIRECTIVES, embed ? 'frame-ancestors *' : "frame-ancestors 'none'"].join('; ');
}
/** The whole-page policy (not embed mode), as before. */
export const CSP = cspHeader('/');

const TITLE = "Token directions — a transformer's token vectors read as directions, not points";
const DESCRIPTION =
  "An explorable essay: a transformer's token vectors are directions on a hypersphere with a length, not points in space. A real GPT-style model runs live in the page.";

/**
 * The head tags that depend on where the site is deployed: the meta CSP, Open
 * Graph / Twitter card tags (absolute URLs when SITE_URL is set at build time,
 * e.g. https://you.github.io/token-directions/, as crawlers require), icons.
 */
function siteHead(): Plugin {
  let base = '/';
  return {
    name: 'site-head',
    configResolved(c) {
      base = c.base;
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        const site = process.env.SITE_URL ? process.env.SITE_URL.replace(/\/?$/, '/') : '';
        const abs = (f: string) => (site ? `${site}${f}` : `${base}${f}`);
        const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
        const tags = [
          // Only in the build: the dev server injects inline scripts (React refresh) that the policy would block.
          ...(ctx.server ? [] : [`<meta http-equiv="Content-Security-Policy" content="${CSP_META}" />`]),
          `<link rel="icon" href="${base}favicon.svg" type="image/svg+xml" />`,
          `<link rel="apple-touch-icon" href="${base}apple-touch-icon.png" />`,
          `<meta name="theme-color" content="#fdfcf9" media="(prefers-color-scheme: light)" />`,
          `<meta name="theme-color" content="#15161a" media="(prefers-color-scheme: dark)" />`,
          `<meta property="og:type" content="article" />`,
          `<meta property="og:title" content="${esc(TITLE)}" />`,
          `<meta property="og:description" content="${esc(DESCRIPTION)}" />`,
          `<meta property="og:image" content="${abs('social-card.png')}" />`,
          `<meta property="og:image:width" content="1200" />`,
          `<meta property="og:image:height" content="630" />`,
          `<meta property="og:image:alt" content="The essay's first figure: a small GPT's next-token probabilities for the prompt, computed in the page." />`,
          ...(site ? [`<meta property="og:url" content="${site}" />`] : []),
          `<meta name="twitter:card" content="summary_large_image" />`,
          `<meta name="twitter:title" content="${esc(TITLE)}" />`,
          `<meta name="twitter:description" content="${esc(DESCRIPTION)}" />`,
          `<meta name="twitter:image" content="${abs('social-card.png')}" />`,
        ];
        return html.replace('<link rel="icon" href="data:," />', tags.join('\n    '));
      },
    },
  };
}

/** The CSP header per request in `vite preview` (query-dependent, so not `preview.headers`). */
function previewCsp(): Plugin {
  return {
    name: 'preview-csp',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        res.setHeader('Content-Security-Policy', cspHeader(req.url ?? '/'));
        // The static middleware applies preview.headers (the whole-page policy, which the benchmark
        // server reads) afterwards; keep this request's policy instead.
        const set = res.setHeader.bind(res);
        res.setHeader = ((name: string, value: string | number | readonly string[]) =>
          name.toLowerCase() === 'content-security-policy' ? res : set(name, value)) as typeof res.setHeader;
        next();
      });
    },
  };
}

/**
 * Offline after the first visit: Workbox precaches the app shell, fonts, wasm
 * and the bundled models. `prompt`: a new build waits until the reader clicks
 * "Reload" in the notice (src/site/UpdateNotice.tsx). Embed URLs are left to
 * the network so they keep their own (framable) CSP header.
 */
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  manifest: {
    name: 'Token directions',
    short_name: 'Token directions',
    description: DESCRIPTION,
    theme_color: '#fdfcf9',
    background_color: '#fdfcf9',
    display: 'standalone',
    icons: [
      { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,wasm,woff2,svg,png,json,safetensors,md,webmanifest}'],
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
    navigateFallback: 'index.html',
    navigateFallbackDenylist: [/[?&]embed=/],
    cleanupOutdatedCaches: true,
  },
});

export default defineConfig({
  plugins: [react(), bundledModels(), siteHead(), previewCsp(), pwa],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  preview: {
    // The whole-page policy; previewCsp() sends the per-request one (framable only for ?embed=).
    headers: { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' },
  },
  server: { headers: {} },
});
