#!/usr/bin/env node
/**
 * `npm run bench`: builds the app, serves the build on 127.0.0.1 with brotli/gzip
 * (scripts/bench/server.mjs, same CSP as `vite preview`), drives Debian's
 * headless Chromium through Playwright, prints a table and writes a JSON
 * report (bench-report.json, gitignored; --out to choose).
 *
 * Measured, for the bundled tied model on wasm, webgl and webgpu (SwiftShader
 * here), and for a GPT-2-small-shaped random checkpoint (50,257 × 768, 12
 * layers, made by scripts/make-checkpoint.mjs) on wasm:
 *   1. bytes before the first figure is interactive (as served, compressed) and navigation -> model ready;
 *   2. prompt edit -> every figure updated (p50, p95 over >= 50 edits of a 16–32-token prompt);
 *   3. frame time while dragging the temperature and norm sliders (p95 over >= 200 steps);
 *   3a. the longest main-thread task while pasting 100,000 characters, typing, switching model and back, and
 *       inserting 4,000 CJK characters (wasm; scripts/bench/inputs-page.mjs);
 *   3b. chapter 11's training lab (wasm): tokens/s, time-to-learned, the temperature slider and long tasks
 *       while it trains, tensors across Start / Pause / Reset (scripts/bench/train-page.mjs);
 *   4. forward latency at 8, 32, 128 tokens; GFLOP/s ÷ the backend's 2-D matMul GFLOP/s (same page);
 *   5. generation tokens/s with and without the KV cache at context 128;
 *   6. the same model's ONNX export (models/tiny-tied/model.onnx) on onnxruntime-web wasm (1 thread), same page;
 *      and the GPT-2-shaped checkpoint's (exported by models/recipe/export_onnx.py where PyTorch is installed).
 * 1–3 run in the essay page; 4–6 in a benchmark page (src/bench/) that uses the
 * same runtime client and worker, built (into the bench build's __bench/) only here.
 *
 * Usage: node scripts/bench/run.mjs [--smoke] [--skip-build] [--out FILE]
 *          [--backends wasm,webgl,webgpu] [--no-gpt2 | --gpt2] [--model-dir DIR] [--phases load,edits,sliders,inputs,train,forward,generate,onnx,inspect]
 *   --smoke       tiny run (2 iterations of everything, wasm only, no GPT-2-small): checks the harness works
 *   --merge FILE  keep the runs of an earlier report that this run does not repeat (same model and
 *                 backend are replaced); each kept run is marked with the time and model source of its run
 *   --model-dir   use this folder as the bundled tiny-tied model (config.json, model.safetensors,
 *                 tokenizer.json, optional model.onnx) instead of models/tiny-tied
 *   --skip-build  reuse the last bench build (node_modules/.cache/token-directions/bench-dist)
 *   SKIP_BUILD=1  same as --skip-build
 *   BENCH_CACHE=DIR  build and generated checkpoints there instead of node_modules/.cache/token-directions
 *   PYTHON=...    the Python with PyTorch for the GPT-2-shaped ONNX export (default /usr/bin/python3, else python3)
 * Benchmarks are not tests: nothing here fails on a slow number.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, loadConfigFromFile, runnerImport } from 'vite';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import {
  bringFigureIntoView,
  editsInPage,
  keystrokesInPage,
  loadProbe,
  scrollToChapterInPage,
  scrollToInPage,
  sliderInPage,
} from './app-page.mjs';
import { measureTraining } from './train-page.mjs';
import { measureInputs } from './inputs-page.mjs';
import { evaluateTargets, printReport } from './report.mjs';
import { mergeReports } from './merge.mjs';
import { measureGridRedraw, measureInspect } from './attribution.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// BENCH_CACHE: another folder for the bench build and the generated checkpoints (node_modules may be shared)
const CACHE = process.env.BENCH_CACHE ? resolve(process.env.BENCH_CACHE) : join(ROOT, 'node_modules/.cache/token-directions');
/**
 * The bench builds into its own folder (not dist/): other people's test runs rebuild dist/ at any
 * moment, which must not pull files from under a running benchmark (nor may the bench page land in dist/).
 */
const DIST = join(CACHE, 'bench-dist');

// ------------------------------------------------------------------ options
const argv = process.argv.slice(2);
const flag = (n) => argv.includes(n);
const opt = (n, d) => {
  const i = argv.indexOf(n);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d;
};
const SMOKE = flag('--smoke');
const SKIP_BUILD = flag('--skip-build') || !!process.env.SKIP_BUILD;
const OUT = resolve(ROOT, opt('--out', 'bench-report.json'));
const BACKENDS = opt('--backends', SMOKE ? 'wasm' : 'wasm,webgl,webgpu')
  .split(',')
  .filter(Boolean);
const GPT2 = flag('--gpt2') || (!flag('--no-gpt2') && !SMOKE);
const PHASES = new Set(opt('--phases', 'load,edits,sliders,inputs,train,forward,generate,onnx,inspect').split(','));
const MODEL_DIR_ARG = opt('--model-dir', null);
const MERGE = opt('--merge', null);

/** How much of everything (the full run stays under ~15 minutes here). */
const N = SMOKE
  ? {
      loads: 1,
      gpuLoads: 1,
      edits: 2,
      slider: 2,
      fwdReps: 2,
      fwdWarm: 1,
      gpuFwdReps: 1,
      Ts: [8],
      matmulReps: 1,
      genNew: 3,
      onnxReps: 2,
      gpuEdits: 2,
      gpuEditBudgetS: 60,
      gpuGenNew: 3,
      gpuRuntimeBudgetS: 60,
      gpuSliderBudgetS: 30,
      gpt2Edits: 2,
      gpt2EditBudgetS: 60,
      gpt2SliderBudgetS: 30,
      gpt2FwdReps: 1,
    }
  : // software-GPU backends (SwiftShader) and the 124M-parameter checkpoint are slow here: fewer
    // repetitions and a time budget for their prompt edits, so the whole run stays near 15 minutes
    {
      loads: 3,
      gpuLoads: 1,
      edits: 50,
      slider: 200,
      fwdReps: 7,
      fwdWarm: 2,
      gpuFwdReps: 2,
      Ts: [8, 32, 128],
      matmulReps: 3,
      genNew: 12,
      onnxReps: 9,
      gpuEdits: 50,
      gpuEditBudgetS: 75,
      gpuGenNew: 4,
      gpuRuntimeBudgetS: 120,
      gpuSliderBudgetS: 45,
      gpt2Edits: 50,
      gpt2EditBudgetS: 120,
      gpt2SliderBudgetS: 120,
      gpt2FwdReps: 3,
    };

const log = (...a) => console.log('[bench]', ...a);
const t0All = Date.now();

// ------------------------------------------------------------------ stats
function quantile(xs, q) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  // nearest rank
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
}
const median = (xs) => quantile(xs, 0.5);
const round = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
function summary(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return { n: v.length, p50: round(median(v)), p95: round(quantile(v, 0.95)), min: round(Math.min(...v)), max: round(Math.max(...v)) };
}

// ------------------------------------------------------------------ models
function fileSizes(dir) {
  const out = {};
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) if (statSync(join(dir, f)).isFile()) out[f] = statSync(join(dir, f)).size;
  return out;
}
function readConfig(dir) {
  try {
    const c = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    return {
      vocab: c.vocab_size,
      d: c.n_embd,
      layers: c.n_layer,
      heads: c.n_head,
      ctx: c.n_positions ?? c.max_position_embeddings,
      tied: c.tie_word_embeddings !== false,
    };
  } catch {
    return null;
  }
}
const hasModel = (dir) =>
  !!dir && existsSync(join(dir, 'config.json')) && existsSync(join(dir, 'model.safetensors')) && existsSync(join(dir, 'tokenizer.json'));

/** The tiny tied model: --model-dir, else models/tiny-tied, else a random checkpoint of its shape (reported). */
async function resolveTinyModel(missing) {
  if (MODEL_DIR_ARG) {
    const dir = resolve(MODEL_DIR_ARG);
    if (!hasModel(dir)) throw new Error(`--model-dir ${dir} lacks config.json / model.safetensors / tokenizer.json`);
    return { dir, source: `--model-dir ${dir}`, mounted: true };
  }
  const shipped = join(ROOT, 'models/tiny-tied');
  if (hasModel(shipped)) return { dir: shipped, source: 'models/tiny-tied (bundled)', mounted: false };
  missing.push('models/tiny-tied (the trained bundled model): measured a random checkpoint of the same shape instead');
  const dir = join(CACHE, 'bench-random-tiny');
  if (!hasModel(dir)) {
    const { makeCheckpoint } = await import('../make-checkpoint.mjs');
    const recipeTok = join(ROOT, 'models/recipe/work/tokenizer.json');
    const tok = existsSync(recipeTok) ? recipeTok : 'bytes';
    const vocab =
      tok === 'bytes'
        ? 257
        : JSON.parse(readFileSync(recipeTok, 'utf8')).model.vocab
          ? Object.keys(JSON.parse(readFileSync(recipeTok, 'utf8')).model.vocab).length
          : 4096;
    log(`making a random d128/L4 checkpoint (vocab ${vocab}) in ${dir}`);
    await makeCheckpoint({ out: dir, vocab, d: 128, layers: 4, heads: 4, ctx: 128, dtype: 'f32', tokenizer: tok, seed: 1 });
  }
  return { dir, source: `random checkpoint (scripts/make-checkpoint.mjs) in ${dir}`, mounted: true };
}

async function resolveGpt2Small() {
  const dir = join(CACHE, 'bench-gpt2-small');
  if (!hasModel(dir)) {
    log('making the GPT-2-small-shaped random checkpoint (F16, ~250 MB) …');
    const { makeCheckpoint } = await import('../make-checkpoint.mjs');
    await makeCheckpoint({ out: dir, shape: 'gpt2-small', dtype: 'f16', tokenizer: 'gpt2', seed: 7 });
  }
  return {
    dir,
    source: 'random GPT-2-small-shaped checkpoint (scripts/make-checkpoint.mjs --shape gpt2-small --dtype f16)',
    onnx: ensureGpt2Onnx(dir),
  };
}

/** The GPT-2-shaped checkpoint's ONNX export (made once with PyTorch): { ok: true } or { ok: false, why }. */
function ensureGpt2Onnx(dir) {
  if (existsSync(join(dir, 'model.onnx'))) return { ok: true };
  const python = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  try {
    execSync(`${python} -c "import torch"`, { stdio: 'ignore' });
  } catch {
    return {
      ok: false,
      why: `no PyTorch for ${python} (install python3-torch): models/recipe/export_onnx.py cannot export the GPT-2-shaped checkpoint`,
    };
  }
  log('exporting the GPT-2-shaped checkpoint to ONNX with PyTorch (models/recipe/export_onnx.py) …');
  try {
    execSync(`${python} ${join(ROOT, 'models/recipe/export_onnx.py')} ${dir}`, { stdio: 'inherit' });
    return { ok: true };
  } catch (e) {
    return { ok: false, why: `models/recipe/export_onnx.py failed: ${String(e?.message ?? e).slice(0, 200)}` };
  }
}

// ------------------------------------------------------------------ build
/** The newest modification time (ms) of any file the build reads: src/, public/, index.html, the Vite config. */
function newestSource() {
  let newest = 0;
  const walk = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ['src', 'public', 'index.html', 'vite.config.ts', 'package-lock.json']) walk(join(ROOT, p));
  return newest;
}

async function buildAll() {
  const built = join(DIST, '__bench/src/bench/index.html');
  if (SKIP_BUILD && existsSync(join(DIST, 'index.html')) && existsSync(built)) {
    // reuse the last bench build only while it is newer than every source file (a stale build measures old code)
    if (statSync(built).mtimeMs >= newestSource()) {
      log(`reusing ${DIST} (skip build; newer than every source file)`);
      return;
    }
    log(`${DIST} is older than the sources: building again despite --skip-build`);
  }
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
  // vite's build keeps a NODE_ENV already set, and runnerImport (used to make the GPT-2-shaped checkpoint's
  // tokenizer) sets it to 'development': without this the bench would measure React's development build
  process.env.NODE_ENV = 'production';
  const t = Date.now();
  // the app, exactly as `vite build` makes it (same config), into DIST
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: DIST, emptyOutDir: true, rolldownOptions: { checks: { pluginTimings: false } } },
  });
  // the benchmark page: a separate build into DIST/__bench (never part of the app's bundles)
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    base: '/__bench/',
    logLevel: 'warn',
    build: {
      outDir: join(DIST, '__bench'),
      emptyOutDir: true,
      rolldownOptions: { input: { bench: join(ROOT, 'src/bench/index.html') }, checks: { pluginTimings: false } },
    },
  });
  log(`built the app and the bench page in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

// ------------------------------------------------------------------ machine
function machine() {
  const cpus = os.cpus();
  let others = '';
  try {
    others = execSync('ps -eo pcpu,comm,args --sort=-pcpu | head -6', { encoding: 'utf8' });
  } catch {
    /* ps missing */
  }
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? '',
    memoryGB: round(os.totalmem() / 2 ** 30, 1),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadavg: os.loadavg().map((x) => round(x, 2)),
    busyProcesses: others
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() && parseFloat(l) > 20 && !l.includes('scripts/bench'))
      .map((l) => l.trim().replace(/\s+/g, ' ').slice(0, 120)),
  };
}
function pkgVersion(name) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}
function gitCommit() {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ flops
/** Multiply-adds × 2 of one forward of T tokens producing all T rows of logits (attention over the full T×T, as computed). */
function forwardFlops(c, T, { lens = 0 } = {}) {
  const D = c.d;
  const perLayer = 24 * T * D * D + 4 * T * T * D;
  return c.layers * perLayer + 2 * T * D * c.vocab + lens * 2 * (c.layers + 1) * T * D * c.vocab;
}

// ------------------------------------------------------------------ browser helpers
function classify(url) {
  const p = new URL(url).pathname;
  if (/\/models\/|\/__bench-models\//.test(p)) return 'model';
  if (/\.(m?js)$/.test(p)) return 'js';
  if (/\.wasm$/.test(p)) return 'wasm';
  if (/\.css$/.test(p)) return 'css';
  if (/\.(woff2?|ttf|otf)$/.test(p)) return 'font';
  if (/\.html$|\/$/.test(p)) return 'html';
  return 'other';
}

/** Records every finished request of a page (main thread and workers) with its encoded size and finish time. */
function trackRequests(page) {
  const reqs = [];
  page.on('requestfinished', async (r) => {
    try {
      const s = await r.sizes();
      const t = r.timing();
      reqs.push({
        url: r.url(),
        kind: classify(r.url()),
        body: s.responseBodySize,
        headers: s.responseHeadersSize,
        end: t.startTime + t.responseEnd,
        fromWorker: !r.frame?.() ? true : false,
      });
    } catch {
      /* page closed */
    }
  });
  page.on('requestfailed', (r) =>
    reqs.push({ url: r.url(), kind: 'failed', body: 0, headers: 0, end: Date.now(), error: r.failure()?.errorText }),
  );
  return reqs;
}

async function newPage(browser, errors) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(180_000);
  page.on('pageerror', (e) => errors.push(`pageerror: ${String(e).slice(0, 300)}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text().slice(0, 300)}`);
  });
  return { context, page };
}

/** 1. Navigation -> model ready, bytes before the first figure is interactive. */
async function measureLoad(browser, server, backend, errors) {
  const base = server.url;
  const logStart = server.log.length;
  const { context, page } = await newPage(browser, errors);
  await context.addInitScript(loadProbe);
  const reqs = trackRequests(page);
  const url = backend === 'wasm' ? base : `${base}?backend=${backend}`;
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => {
      const s = window.__benchLoad;
      return s && s.ready !== null && s.figure !== null;
    },
    undefined,
    { timeout: 180_000, polling: 100 },
  );
  const probe = await page.evaluate(() => ({
    ...window.__benchLoad,
    origin: performance.timeOrigin,
    backend: window.__td?.client?.backend?.() ?? null,
  }));
  await page.waitForTimeout(300); // let late requestfinished events arrive
  const figureAt = probe.origin + probe.figure;
  // bytes as the server sent them (body after compression), for responses finished before the first figure
  const before = server.log
    .slice(logStart)
    .filter((r) => r.end > 0 && r.end <= figureAt + 1)
    .map((r) => ({ ...r, kind: classify(`http://x${r.path}`) }));
  const bytes = {};
  for (const r of before) bytes[r.kind] = (bytes[r.kind] ?? 0) + r.bytes;
  const codeBytes = (bytes.js ?? 0) + (bytes.wasm ?? 0) + (bytes.css ?? 0) + (bytes.font ?? 0) + (bytes.html ?? 0) + (bytes.other ?? 0);
  // cross-check: what Playwright saw (encoded body sizes; includes requests from the model worker)
  const seen = reqs.filter((r) => r.end <= figureAt + 1);
  return {
    context,
    page,
    reqs,
    result: {
      readyMs: round(probe.ready, 1),
      firstFigureMs: round(probe.figure, 1),
      backend: probe.backend?.name ?? null,
      backendNote: probe.backend?.note ?? null,
      bytesBeforeFigure: bytes,
      codeStylesFontsBytes: codeBytes,
      modelBytes: bytes.model ?? 0,
      modelFiles: before.filter((r) => r.kind === 'model').map((r) => ({ file: r.path, bytes: r.bytes, raw: r.raw, encoding: r.encoding })),
      requests: before.length,
      rawBytes: before.reduce((n, r) => n + r.raw, 0),
      timeline: before
        .map((r) => ({
          path: r.path.replace(/^.*\/assets\//, 'assets/'),
          kind: r.kind,
          bytes: r.bytes,
          raw: r.raw,
          endMs: round(r.end - probe.origin, 0),
        }))
        .sort((a, b) => a.endMs - b.endMs),
      playwrightBytes: seen.reduce((n, r) => n + r.body, 0),
    },
  };
}

function editTexts(n) {
  // a 16–32-token prompt whose last words change with each edit (as a reader retyping the end)
  const base = 'Once upon a time, there was a little girl named Lily. She went to the park with her mother and';
  const ends = [
    ' saw a',
    ' found a big',
    ' played with a red',
    ' met a friendly',
    ' ate an',
    ' saw',
    ' looked at the tall',
    ' sat on the',
    ' ran to the',
    ' said',
  ];
  return Array.from(
    { length: n },
    (_, i) =>
      base +
      ends[i % ends.length] +
      (i >= ends.length ? ' '.repeat(0) + ['', ' very', ' little', ' happy', ' old'][Math.floor(i / ends.length) % 5] : ''),
  );
}

/**
 * Runs fn and returns its result with Chromium's own accounting of the main thread over that time
 * (CDP Performance.getMetrics deltas, ms): script, style recalculation, layout, and all tasks
 * (the rest of a task is mostly paint and compositing setup). Divided by `per` (edits or frames).
 */
async function withMainThreadMetrics(page, per, fn) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const get = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const a = await get();
  const result = await fn();
  const b = await get();
  await cdp.detach().catch(() => undefined);
  const d = (k, scale = 1000) => round((((b[k] ?? 0) - (a[k] ?? 0)) * scale) / Math.max(1, per), 2);
  result.mainThreadPerStep = {
    scriptMs: d('ScriptDuration'),
    recalcStyleMs: d('RecalcStyleDuration'),
    layoutMs: d('LayoutDuration'),
    allTasksMs: d('TaskDuration'),
    layouts: d('LayoutCount', 1),
    domNodes: b.Nodes ?? null,
  };
  return result;
}

/** 2. Prompt edit -> every figure updated. */
async function measureEdits(page, n, timeoutMs, budgetMs = Infinity) {
  const texts = editTexts(n + 2);
  await page.evaluate(editsInPage, { texts: texts.slice(0, 2), timeoutMs }); // settle the page onto the edit prompt
  let count = n;
  const m = await withMainThreadMetrics(page, 1, async () => {
    const rows = await page.evaluate(editsInPage, { texts: texts.slice(2), timeoutMs, budgetMs });
    count = rows.length;
    return { rows };
  });
  for (const k of ['scriptMs', 'recalcStyleMs', 'layoutMs', 'allTasksMs', 'layouts'])
    m.mainThreadPerStep[k] = round(m.mainThreadPerStep[k] / Math.max(1, count), 2);
  const timed = m.rows;
  // where the DOM is: nodes per figure (the biggest ones), for the analysis
  const domByFigure = await page.evaluate(() =>
    [...document.querySelectorAll('figure')]
      .map((f) => ({
        figure: f.id || f.querySelector('[data-testid]')?.getAttribute('data-testid') || '(figure)',
        nodes: f.getElementsByTagName('*').length,
      }))
      .sort((a, b) => b.nodes - a.nodes)
      .slice(0, 8),
  );
  const ok = timed.filter((r) => r.ok);
  return {
    mainThreadPerEdit: m.mainThreadPerStep,
    domByFigure,
    edits: timed.length,
    requested: n,
    budgetS: Number.isFinite(budgetMs) ? budgetMs / 1000 : null,
    settled: ok.length,
    tokens: { min: Math.min(...ok.map((r) => r.tokens)), max: Math.max(...ok.map((r) => r.tokens)) },
    updateMs: summary(ok.map((r) => r.ms)),
    forwardArrivedMs: summary(ok.map((r) => r.forwardMs)),
    workerForwardMs: summary(ok.map((r) => r.workerMs)),
  };
}

/**
 * 2b. What a reader sees (wasm, bundled model): prompt edit -> the figures in the viewport updated, with the
 * viewport at the top, at chapter 6 and at chapter 8 (and the forward round trip in the same edits); keystroke ->
 * next frame painted; scroll to a chapter whose figures are stale -> its figures current; DOM nodes after load.
 */
async function measureViewport(page, n, timeoutMs) {
  const out = { positions: {}, keystroke: null, scrollToChapter: {}, domNodesAfterLoad: null };
  await page.evaluate(scrollToInPage, { selector: null });
  out.domNodesAfterLoad = await page.evaluate(() => document.getElementsByTagName('*').length);
  const texts = editTexts(n + 2);
  for (const [name, selector] of [
    ['top', null],
    ['ch6', '#ch6'],
    ['ch8', '#ch8'],
  ]) {
    const at = await page.evaluate(scrollToInPage, { selector });
    if (at.error) {
      out.positions[name] = { error: at.error };
      continue;
    }
    await page.evaluate(editsInPage, { texts: texts.slice(0, 2), timeoutMs });
    const rows = (await page.evaluate(editsInPage, { texts: texts.slice(2), timeoutMs, scope: 'viewport' })).filter((r) => r.ok);
    const upd = summary(rows.map((r) => r.ms));
    const fwd = summary(rows.map((r) => r.forwardMs));
    out.positions[name] = {
      edits: rows.length,
      updateMs: upd,
      forwardArrivedMs: fwd,
      ratioP95: upd && fwd && fwd.p95 > 0 ? round(upd.p95 / fwd.p95, 2) : null,
    };
  }
  await page.evaluate(scrollToInPage, { selector: null });
  const base = editTexts(1)[0];
  out.keystroke = { frameMs: summary(await page.evaluate(keystrokesInPage, { n: Math.max(12, n * 2), base })) };
  const chapters = ['#ch2', '#ch4', '#ch6', '#ch8', '#ch10'];
  // one new prompt per chapter, each unlike the one before (a repeated prompt runs no forward: the edit would wait out its timeout)
  const staleTexts = editTexts(chapters.length + 1).slice(1);
  for (const [i, ch] of chapters.entries()) {
    // an edit at the top first, so the chapter's figures are stale when it comes into view
    await page.evaluate(scrollToInPage, { selector: null });
    await page.evaluate(editsInPage, { texts: [staleTexts[i]], timeoutMs });
    out.scrollToChapter[ch.slice(1)] = await page.evaluate(scrollToChapterInPage, { selector: ch, timeoutMs });
  }
  await page.evaluate(scrollToInPage, { selector: null });
  return out;
}

/** 3. Frame time while dragging the temperature and the norm (α) sliders. */
async function measureSliders(page, steps, budgetMs = Infinity) {
  const out = {};
  for (const [name, testid, figure] of [
    ['temperature', 't-slider', '#fig-temperature'],
    ['norm', 'nt-alpha', '#fig-norm-temperature'],
    ['length', 'rank-len', '#fig-6a'],
  ]) {
    // the slider exists only once its figure has come near the screen (and again after a model switch)
    await bringFigureIntoView(page, figure).catch(() => undefined);
    await page.waitForSelector(`[data-testid="${testid}"]`, { timeout: 60_000 }).catch(() => undefined);
    let count = steps;
    const r = await withMainThreadMetrics(page, 1, async () => {
      const x = await page.evaluate(sliderInPage, { testid, steps, budgetMs });
      count = x.frames?.length || 1;
      return x;
    });
    if (r.mainThreadPerStep)
      for (const k of ['scriptMs', 'recalcStyleMs', 'layoutMs', 'allTasksMs', 'layouts'])
        r.mainThreadPerStep[k] = round(r.mainThreadPerStep[k] / count, 2);
    if (r.error) out[name] = { error: r.error };
    else
      out[name] = {
        testid,
        steps: r.frames.length,
        requested: steps,
        frameMs: summary(r.frames),
        rafIntervalMs: summary(r.intervals),
        mainThreadPerFrame: r.mainThreadPerStep,
      };
  }
  return out;
}

// ------------------------------------------------------------------ bench page (4–6)
async function openBenchPage(browser, base, errors) {
  const { context, page } = await newPage(browser, errors);
  await page.goto(`${base}__bench/src/bench/index.html`);
  await page.waitForFunction(() => !!window.__bench, undefined, { timeout: 60_000 });
  return { context, page };
}

async function measureRuntime(page, { backend, modelUrl, key, config, Ts, fwdReps, fwdWarm, matmul, budgetS = Infinity }) {
  const t0 = Date.now();
  const b = await page.evaluate((n) => window.__bench.backend(n), backend);
  const load = await page.evaluate(({ u, k }) => window.__bench.load(u, k), { u: modelUrl, k: key });
  const out = { backend: b, loadMs: round(load.ms, 1), forward: {}, matmul: null };
  if (matmul) {
    const g512 = await page.evaluate(({ r }) => window.__bench.matmulGflops(512, r), { r: matmul.reps });
    const g128 = await page.evaluate(({ r }) => window.__bench.matmulGflops(128, r), { r: matmul.reps });
    out.matmul = {
      n512: { gflops: round(median(g512)), runs: g512.map((x) => round(x)) },
      n128: { gflops: round(median(g128)), runs: g128.map((x) => round(x)) },
    };
  }
  for (const T of Ts) {
    if ((Date.now() - t0) / 1000 > budgetS) {
      (out.skipped ??= []).push(`T=${T}: ${budgetS} s budget spent`);
      continue;
    }
    const r = await page.evaluate(({ T, n, w }) => window.__bench.forward(T, n, w, { lensK: 0, lastOnly: false }), {
      T,
      n: fwdReps,
      w: fwdWarm,
    });
    const lensReps = Number.isFinite(budgetS) ? 1 : Math.max(1, Math.ceil(fwdReps / 2));
    const page5 = await page.evaluate(({ T, n, w }) => window.__bench.forward(T, n, w, { lensK: 5, lastOnly: false }), {
      T,
      n: lensReps,
      w: Number.isFinite(budgetS) ? 0 : 1,
    });
    // the lens as the page now asks for it: a separate, lower-priority request after the forward
    const onDemand = await page.evaluate(({ T, n }) => window.__bench.lens(T, n), { T, n: lensReps });
    // the page's own forward (state/model.ts): no lens, the logits of the last position only
    const pageDef = await page.evaluate(({ T, n, w }) => window.__bench.forward(T, n, w, { lensK: 0, lastOnly: true }), {
      T,
      n: lensReps,
      w: Number.isFinite(budgetS) ? 0 : 1,
    });
    const ms = median(r.worker);
    const gflop = forwardFlops(config, r.T) / 1e9;
    const gflops = gflop / (ms / 1000);
    // the matMul rate measured again right after this forward (same load), kept with the rest
    let mmNow = null;
    if (matmul && !Number.isFinite(budgetS)) {
      mmNow = await page.evaluate(() => window.__bench.matmulGflops(512, 1));
      out.matmul.n512.runs.push(...mmNow.map((x) => round(x)));
      out.matmul.n512.gflops = round(median(out.matmul.n512.runs));
    }
    out.forward[T] = {
      T: r.T,
      workerMs: summary(r.worker),
      roundTripMs: summary(r.wall),
      withLogitLensMs: summary(page5.worker),
      // the page's default forward: no lens (ModelApi.lens computes it on demand) and only the last row of logits
      pageDefaultMs: summary(pageDef.worker),
      lensOnDemandMs: summary(onDemand.worker),
      gflop: round(gflop, 4),
      gflops: round(gflops),
      efficiency: out.matmul?.n512.gflops ? round(gflops / out.matmul.n512.gflops, 3) : null,
      // the model's own matMuls are small (D = 128 here): the same against a 128×128 matMul
      efficiencyVs128: out.matmul?.n128.gflops ? round(gflops / out.matmul.n128.gflops, 3) : null,
      // best of n: fastest forward ÷ fastest matMul seen in this page
      efficiencyBestOfN: out.matmul ? round(gflop / (Math.min(...r.worker) / 1000) / Math.max(...out.matmul.n512.runs), 3) : null,
    };
  }
  return out;
}

async function measureGeneration(page, { ctx, genNew }) {
  const res = {};
  for (const useCache of [true, false]) {
    const g = await page.evaluate(({ p, n, c }) => window.__bench.generate(p, n, c), { p: ctx - genNew, n: genNew, c: useCache });
    const steady = g.steps.slice(1); // the first step includes the prompt (prefill)
    const perToken = median(steady);
    res[useCache ? 'kvCache' : 'recompute'] = {
      promptTokens: ctx - genNew,
      newTokens: g.stats.tokens,
      contextAtEnd: ctx - genNew + g.stats.tokens,
      perTokenMs: summary(steady),
      bestPerTokenMs: round(Math.min(...steady), 2),
      tokensPerSecond: perToken ? round(1000 / perToken, 1) : null,
      overallTokensPerSecond: round(g.stats.tokensPerSecond, 1),
    };
  }
  res.speedup =
    res.kvCache.perTokenMs.p50 && res.recompute.perTokenMs.p50 ? round(res.recompute.perTokenMs.p50 / res.kvCache.perTokenMs.p50, 2) : null;
  res.speedupBestOfN =
    res.kvCache.bestPerTokenMs && res.recompute.bestPerTokenMs ? round(res.recompute.bestPerTokenMs / res.kvCache.bestPerTokenMs, 2) : null;
  return res;
}

async function measureOnnx(page, { onnxUrl, config, Ts, reps, ours }) {
  const load = await page.evaluate((u) => window.__bench.ortLoad(u), onnxUrl);
  const check = await page.evaluate((T) => window.__bench.compareLogits(T), Math.min(16, config.ctx));
  const out = {
    loadMs: round(load.ms, 1),
    version: load.version,
    inputs: load.inputs,
    outputs: load.outputs,
    logitsCheck: check,
    forward: {},
  };
  for (const T of Ts) {
    // ours and ort alternate run by run (same load for both); our in-worker ms vs ort's session.run ms
    const r = await page.evaluate(({ T, n }) => window.__bench.interleaved(T, n, 2), { T, n: reps });
    const ms = median(r.ort);
    const oursMs = median(r.ours);
    const oursWall = ours?.forward?.[T]?.roundTripMs.p50 ?? null;
    out.forward[T] = {
      ms: summary(r.ort),
      oursInterleavedMs: summary(r.ours),
      dims: r.dims,
      gflops: round(forwardFlops(config, T) / 1e9 / (ms / 1000)),
      ratioOursOverOrt: oursMs ? round(oursMs / ms, 2) : null,
      // best of n: what each runtime can do when the machine leaves it alone
      ratioBestOfN: round(Math.min(...r.ours) / Math.min(...r.ort), 2),
      ratioRoundTripOverOrt: oursWall ? round(oursWall / ms, 2) : null,
    };
  }
  return out;
}

// ------------------------------------------------------------------ gpt2-small in the essay page
async function loadCheckpointViaUi(page, base, reqs) {
  await page.click('[data-testid=loader-toggle]');
  await page.fill('[data-testid=url-input]', `${base}__bench-models/gpt2-small/`);
  const n0 = reqs.length;
  const t = Date.now();
  await page.click('[data-testid=url-load]');
  await page.waitForFunction(
    () =>
      window.__td?.info?.config?.vocabSize === 50257 &&
      window.__td.status === 'ready' &&
      !!document.querySelector('[data-testid=next-token] li'),
    undefined,
    {
      timeout: 600_000,
      polling: 200,
    },
  );
  const ms = Date.now() - t;
  const bytes = reqs
    .slice(n0)
    .filter((r) => r.kind === 'model')
    .reduce((s, r) => s + r.body, 0);
  return { readyAfterClickMs: ms, modelBytes: bytes };
}

// ------------------------------------------------------------------ main
async function main() {
  const missing = [];
  const errors = [];
  const tiny = await resolveTinyModel(missing);
  const tinyCfg = readConfig(tiny.dir);
  const onnxPath = join(tiny.dir, 'model.onnx');
  const hasOnnx = existsSync(onnxPath);
  if (!hasOnnx) missing.push(`${join(tiny.dir, 'model.onnx')} (the recipe's torch.onnx.export): no onnxruntime-web comparison`);
  const gpt2 = GPT2 ? await resolveGpt2Small() : null;

  await buildAll();
  // the same headers as `vite preview` (CSP), read from vite.config.ts
  const viteCfg = await loadConfigFromFile(
    { command: 'serve', mode: 'production', isPreview: true },
    join(ROOT, 'vite.config.ts'),
    ROOT,
    'silent',
  );
  const previewHeaders = viteCfg?.config.preview?.headers ?? {};
  const csp = previewHeaders['Content-Security-Policy'];
  if (!csp) throw new Error('vite.config.ts has no preview Content-Security-Policy header');
  const { module: chromiumMod } = await runnerImport(join(ROOT, 'tests/browser/chromium.ts'));
  const mounts = { '/__bench-models/tiny-tied/': tiny.dir };
  if (tiny.mounted) mounts['/models/tiny-tied/'] = tiny.dir;
  if (gpt2) mounts['/__bench-models/gpt2-small/'] = gpt2.dir;
  const server = await startServer({ root: DIST, csp, mounts, diskCache: join(CACHE, 'bench-brotli'), brotliQuality: SMOKE ? 5 : 11 });
  const base = server.url;
  const tc = Date.now();
  server.precompress(DIST, (p) => p.includes('__bench') || p.includes('/models/'));
  log(`precompressed the build (brotli ${SMOKE ? 5 : 11}) in ${((Date.now() - tc) / 1000).toFixed(1)} s`);
  log(`serving ${DIST} at ${base} (brotli/gzip), model: ${tiny.source}`);

  const browser = await chromium.launch({ executablePath: chromiumMod.findChromium(), headless: true, args: chromiumMod.CHROMIUM_ARGS });
  const report = {
    schema: 1,
    smoke: SMOKE,
    startedAt: new Date(t0All).toISOString(),
    machine: machine(),
    versions: {
      chromium: browser.version(),
      playwright: pkgVersion('playwright-core'),
      tfjs: pkgVersion('@tensorflow/tfjs-core'),
      'tfjs-backend-wasm': pkgVersion('@tensorflow/tfjs-backend-wasm'),
      onnxruntimeWeb: pkgVersion('onnxruntime-web'),
      vite: pkgVersion('vite'),
      react: pkgVersion('react'),
      app: gitCommit(),
    },
    settings: { ...N, backends: BACKENDS, gpt2: GPT2, phases: [...PHASES] },
    models: {
      'tiny-tied': { source: tiny.source, config: tinyCfg, files: fileSizes(tiny.dir), onnx: hasOnnx },
      ...(gpt2 ? { 'gpt2-small': { source: gpt2.source, config: readConfig(gpt2.dir), files: fileSizes(gpt2.dir) } } : {}),
    },
    missing,
    runs: [],
    errors,
  };
  const phaseTimes = {};
  /** Writes what is measured so far after every phase (a cut-short run still leaves a report). */
  const save = () => {
    try {
      report.phaseSeconds = phaseTimes;
      report.partial = true;
      report.targets = evaluateTargets(report);
      mkdirSync(dirname(OUT), { recursive: true });
      writeFileSync(OUT, JSON.stringify(report, null, 2) + '\n');
    } catch {
      /* best effort */
    }
  };
  const timed = async (name, fn) => {
    const t = Date.now();
    try {
      return await fn();
    } catch (e) {
      errors.push(`${name}: ${String(e?.message ?? e).slice(0, 400)}`);
      log(`  ${name} FAILED: ${String(e?.message ?? e).slice(0, 200)}`);
      return { error: String(e?.message ?? e).slice(0, 400) };
    } finally {
      phaseTimes[name] = round((Date.now() - t) / 1000, 1);
      log(`  ${name}: ${phaseTimes[name]} s`);
      save();
    }
  };

  try {
    for (const backend of BACKENDS) {
      const run = { model: 'tiny-tied', backend };
      report.runs.push(run);
      const gpu = backend !== 'wasm';
      log(`tiny-tied on ${backend}`);
      // 1–3: the essay page
      if (PHASES.has('load') || PHASES.has('edits') || PHASES.has('sliders') || PHASES.has('inputs') || PHASES.has('train')) {
        const loads = [];
        let last = null;
        for (let i = 0; i < (gpu ? N.gpuLoads : N.loads); i++) {
          // the previous page goes first: its service worker precaches the build once the model is ready,
          // and those downloads must not be counted as this load's
          if (last) await last.context.close();
          last = null;
          const r = await timed(`${backend} load ${i + 1}`, () => measureLoad(browser, server, backend, errors));
          if (r.error) break;
          loads.push(r.result);
          last = r;
        }
        if (loads.length) {
          run.load = {
            runs: loads,
            readyMs: summary(loads.map((l) => l.readyMs)),
            firstFigureMs: summary(loads.map((l) => l.firstFigureMs)),
            codeStylesFontsBytes: median(loads.map((l) => l.codeStylesFontsBytes)),
            modelBytes: median(loads.map((l) => l.modelBytes)),
            bytesBeforeFigure: loads[loads.length - 1].bytesBeforeFigure,
            modelFiles: loads[loads.length - 1].modelFiles,
            backend: loads[loads.length - 1].backend,
          };
        }
        if (last) {
          if (PHASES.has('edits'))
            run.edits = await timed(`${backend} edits`, () =>
              measureEdits(last.page, gpu ? N.gpuEdits : N.edits, 60_000, gpu ? N.gpuEditBudgetS * 1000 : Infinity),
            );
          if (PHASES.has('edits') && backend === 'wasm')
            run.viewport = await timed(`${backend} viewport`, () => measureViewport(last.page, N.edits, 60_000));
          if (PHASES.has('sliders'))
            run.sliders = await timed(`${backend} sliders`, () =>
              measureSliders(last.page, N.slider, gpu ? N.gpuSliderBudgetS * 1000 : Infinity),
            );
          if (PHASES.has('inputs') && backend === 'wasm')
            run.inputs = await timed(`${backend} heavy inputs`, () => measureInputs(last.page, { chars: SMOKE ? 10_000 : 100_000 }));
          if (PHASES.has('train') && backend === 'wasm')
            run.training = await timed(`${backend} training lab`, () =>
              measureTraining(
                last.page,
                SMOKE ? { seconds: 3, sliderSteps: 10, resets: 2 } : { seconds: 30, sliderSteps: 200, resets: 20 },
              ),
            );
          await last.context.close();
        }
      }
      // 4–6: the benchmark page
      if (
        PHASES.has('forward') ||
        PHASES.has('generate') ||
        (PHASES.has('onnx') && backend === 'wasm') ||
        (PHASES.has('inspect') && backend === 'wasm')
      ) {
        const bp = await timed(`${backend} bench page`, () => openBenchPage(browser, base, errors));
        if (!bp.error && PHASES.has('inspect') && backend === 'wasm')
          run.inspect = await timed('inspect vs forward', () =>
            measureInspect(bp.page, {
              modelUrl: `${base}__bench-models/tiny-tied/`,
              key: 'tiny-tied',
              Ts: N.Ts.filter((T) => T <= tinyCfg.ctx),
              reps: N.fwdReps,
              warm: N.fwdWarm,
            }),
          );
        if (!bp.error && (PHASES.has('forward') || PHASES.has('generate') || PHASES.has('onnx'))) {
          const rt = await timed(`${backend} forward`, () =>
            measureRuntime(bp.page, {
              backend,
              modelUrl: `${base}__bench-models/tiny-tied/`,
              key: 'tiny-tied',
              config: tinyCfg,
              Ts: N.Ts.filter((T) => T <= tinyCfg.ctx),
              fwdReps: gpu ? N.gpuFwdReps : N.fwdReps,
              fwdWarm: gpu ? 1 : N.fwdWarm,
              matmul: { reps: gpu ? 1 : N.matmulReps },
              budgetS: gpu ? N.gpuRuntimeBudgetS : Infinity,
            }),
          );
          run.runtime = rt;
          if (PHASES.has('generate') && !rt.error)
            run.generation = await timed(`${backend} generate`, () =>
              measureGeneration(bp.page, { ctx: Math.min(128, tinyCfg.ctx), genNew: gpu ? N.gpuGenNew : N.genNew }),
            );
          if (PHASES.has('onnx') && backend === 'wasm' && hasOnnx && !rt.error)
            run.onnx = await timed('onnxruntime-web', () =>
              measureOnnx(bp.page, {
                onnxUrl: `${base}__bench-models/tiny-tied/model.onnx`,
                config: tinyCfg,
                Ts: N.Ts.filter((T) => T <= tinyCfg.ctx),
                reps: N.onnxReps,
                ours: rt,
              }),
            );
          run.workerMemory = await bp.page.evaluate(() => window.__bench.memory()).catch(() => null);
          await bp.context.close();
        }
      }
    }

    if (gpt2) {
      const cfg = readConfig(gpt2.dir);
      const run = { model: 'gpt2-small', backend: 'wasm' };
      report.runs.push(run);
      log('gpt2-small (random) on wasm');
      if (PHASES.has('load') || PHASES.has('edits') || PHASES.has('sliders') || PHASES.has('inspect')) {
        const first = await timed('gpt2 page', () => measureLoad(browser, server, 'wasm', errors));
        if (!first.error) {
          run.load = await timed('gpt2 load via loader UI', () => loadCheckpointViaUi(first.page, base, first.reqs));
          if (!run.load.error) {
            if (PHASES.has('edits'))
              run.edits = await timed('gpt2 edits', () => measureEdits(first.page, N.gpt2Edits, 120_000, N.gpt2EditBudgetS * 1000));
            if (PHASES.has('sliders'))
              run.sliders = await timed('gpt2 sliders', () => measureSliders(first.page, N.slider, N.gpt2SliderBudgetS * 1000));
            // last: it scrolls to chapter 6's grid (and so starts the inspect pass), which the edits above must not pay for
            if (PHASES.has('inspect'))
              run.gridRedraw = await timed('gpt2 pattern grid', () => measureGridRedraw(first.page, { steps: SMOKE ? 6 : 60 }));
          }
          await first.context.close();
        }
      }
      if (PHASES.has('forward') || PHASES.has('generate')) {
        const bp = await timed('gpt2 bench page', () => openBenchPage(browser, base, errors));
        if (!bp.error) {
          const rt = await timed('gpt2 forward', () =>
            measureRuntime(bp.page, {
              backend: 'wasm',
              modelUrl: `${base}__bench-models/gpt2-small/`,
              key: 'gpt2-small',
              config: cfg,
              Ts: N.Ts,
              fwdReps: N.gpt2FwdReps,
              fwdWarm: 1,
              matmul: { reps: N.matmulReps },
            }),
          );
          run.runtime = rt;
          if (PHASES.has('generate') && !rt.error)
            run.generation = await timed('gpt2 generate', () => measureGeneration(bp.page, { ctx: 128, genNew: Math.min(N.genNew, 8) }));
          if (PHASES.has('onnx') && !rt.error) {
            if (gpt2.onnx.ok)
              run.onnx = await timed('gpt2 onnxruntime-web', () =>
                measureOnnx(bp.page, {
                  onnxUrl: `${base}__bench-models/gpt2-small/model.onnx`,
                  config: cfg,
                  Ts: N.Ts,
                  reps: N.gpt2FwdReps,
                  ours: rt,
                }),
              );
            else run.onnx = { error: `not run: ${gpt2.onnx.why}` };
          }
          await bp.context.close();
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }

  report.durationS = round((Date.now() - t0All) / 1000, 1);
  delete report.partial;
  if (MERGE) mergeReports(report, JSON.parse(readFileSync(resolve(MERGE), 'utf8')), MERGE);
  report.phaseSeconds = phaseTimes;
  report.machine.loadavgEnd = os.loadavg().map((x) => round(x, 2));
  report.targets = evaluateTargets(report);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(report, null, 2) + '\n');
  printReport(report);
  log(`report: ${OUT} (${report.durationS} s)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
