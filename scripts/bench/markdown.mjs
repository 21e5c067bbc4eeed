#!/usr/bin/env node
/**
 * Renders a bench report (JSON) as Markdown tables.
 *   node scripts/bench/markdown.mjs REPORT.json                 -> prints the tables
 *   node scripts/bench/markdown.mjs REPORT.json --update FILE.md -> replaces the text between
 *        <!-- bench:results:start --> and <!-- bench:results:end --> in FILE.md
 */
import { readFileSync, writeFileSync } from 'node:fs';

const [file, flag, target] = process.argv.slice(2);
const r = JSON.parse(readFileSync(file, 'utf8'));
const f = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '—' : Number(x).toFixed(d));
const kb = (b) => (b === null || b === undefined ? '—' : `${Math.round(b / 1024).toLocaleString('en-US')} KB`);
const L = [];
const nm = (run) => `${run.model} / ${run.backend}${run.fromEarlierRun ? ' †' : ''}${run.earlierPhases ? ' ‡' : ''}`;
const p = (s = '') => L.push(s);

p(
  `Run of ${r.startedAt.replace('T', ' ').replace(/\..*/, '')} UTC, ${r.durationS} s${r.smoke ? ' (SMOKE: numbers meaningless)' : ''}. ` +
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGB} GB, no GPU; load average at start ${r.machine.loadavg.join(' / ')}, at end ${r.machine.loadavgEnd?.join(' / ') ?? '—'}. ` +
    `Chromium ${r.versions.chromium} (headless), Playwright ${r.versions.playwright}, tfjs ${r.versions.tfjs}, onnxruntime-web ${r.versions.onnxruntimeWeb}, Vite ${r.versions.vite}, app ${r.versions.app}.`,
);
if (r.machine.busyProcesses?.length)
  p(`Other busy processes at start: ${r.machine.busyProcesses.map((x) => '`' + x.replace(/`/g, '') + '`').join(', ')}.`);
for (const m of r.missing) p(`- **Missing:** ${m}`);
{
  // which rows / phases come from earlier runs, grouped by the run that measured them
  const when = (x) => x.replace('T', ' ').replace(/\..*/, '');
  const groups = new Map();
  for (const run of r.runs) {
    if (run.fromEarlierRun)
      (groups.get(run.fromEarlierRun.startedAt) ?? groups.set(run.fromEarlierRun.startedAt, []).get(run.fromEarlierRun.startedAt)).push(
        `${run.model}/${run.backend}`,
      );
  }
  for (const [t, rows] of groups) p(`- Rows ${rows.join(', ')} (†) come from the earlier run of ${when(t)} UTC (\`--merge\`).`);
  for (const run of r.runs)
    if (run.earlierPhases && !run.fromEarlierRun)
      p(
        `- ${run.model}/${run.backend}: ${run.earlierPhases.phases.join(', ')} (‡) measured in the earlier run of ${when(run.earlierPhases.startedAt)} UTC (model: ${run.earlierPhases.modelSource ?? '—'}).`,
      );
}
p();
for (const [k, m] of Object.entries(r.models)) {
  const c = m.config;
  p(
    `- \`${k}\`: ${m.source}; vocab ${c?.vocab}, d ${c?.d}, ${c?.layers} layers, ${c?.heads} heads, context ${c?.ctx}${m.onnx ? '; ONNX export present' : ''}.`,
  );
}
p();
p('### Targets');
p();
p('| target | goal | measured | met? | off by |');
p('|---|---|---|---|---|');
for (const t of r.targets)
  p(
    `| ${t.label} | ${t.goal} | ${t.measured ?? '—'} ${t.measured === null ? '' : t.unit} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} | ${t.missBy ? `${t.missBy.absolute} ${t.unit} (${t.missBy.factor}×)` : ''} |`,
  );
p();
p('### Essay page (1–3)');
p();
p(
  '| model / backend | model ready (median) | first figure | code+styles+fonts | model files | edit → figures p50 / p95 | edits | temperature slider p50 / p95 | norm slider p50 / p95 |',
);
p('|---|---|---|---|---|---|---|---|---|');
for (const run of r.runs) {
  const l = run.load ?? {};
  const e = run.edits ?? {};
  const st = run.sliders?.temperature ?? {};
  const sn = run.sliders?.norm ?? {};
  const ready = l.readyMs
    ? `${f(l.readyMs.p50, 0)} ms (n=${l.readyMs.n})`
    : l.readyAfterClickMs !== undefined
      ? `${f(l.readyAfterClickMs / 1000, 1)} s after Load (loader UI)`
      : '—';
  p(
    `| ${nm(run)} | ${ready} | ${l.firstFigureMs ? f(l.firstFigureMs.p50, 0) + ' ms' : '—'} | ${kb(l.codeStylesFontsBytes)} | ${kb(l.modelBytes)} | ` +
      `${e.updateMs ? `${f(e.updateMs.p50, 0)} / ${f(e.updateMs.p95, 0)} ms` : '—'} | ${e.updateMs ? `${e.settled}/${e.requested ?? e.edits}` : '—'} | ` +
      `${st.frameMs ? `${f(st.frameMs.p50)} / ${f(st.frameMs.p95)} ms` : '—'} | ${sn.frameMs ? `${f(sn.frameMs.p50)} / ${f(sn.frameMs.p95)} ms` : '—'} |`,
  );
}
p();
const wl = r.runs.find((x) => x.model === 'tiny-tied' && x.backend === 'wasm' && x.load?.runs?.length);
if (wl) {
  const last = wl.load.runs[wl.load.runs.length - 1];
  p(
    `Load timeline of the last wasm navigation (responses as they finished, ms after navigation start; fonts left out): ` +
      last.timeline
        .filter((t) => t.kind !== 'font')
        .map((t) => `${t.path.replace(/^assets\//, '').replace(/-[A-Za-z0-9_-]{8}\.(m?js|wasm|css)$/, '.$1')} ${t.endMs}`)
        .join(' → ') +
      ` → model ready ${Math.round(last.readyMs)} → first figure ${Math.round(last.firstFigureMs)}.`,
  );
  p();
}
const vp = r.runs.find((x) => x.viewport);
if (vp) {
  const v = vp.viewport;
  p(`What a reader sees (${nm(vp)}): prompt edit -> the figures in the viewport updated, and the forward round trip in the same edits:`);
  p();
  p('| viewport at | edits | updated p50 / p95 | forward round trip p50 / p95 | p95 ratio |');
  p('|---|---|---|---|---|');
  for (const [at, x] of Object.entries(v.positions))
    p(
      x.updateMs
        ? `| ${at} | ${x.edits} | ${f(x.updateMs.p50, 0)} / ${f(x.updateMs.p95, 0)} ms | ${f(x.forwardArrivedMs.p50, 0)} / ${f(x.forwardArrivedMs.p95, 0)} ms | ${f(x.ratioP95, 2)}× |`
        : `| ${at} | — | ${x.error ?? 'no edit settled'} | | |`,
    );
  p();
  p(
    `Keystroke -> next frame: ${v.keystroke?.frameMs ? `p50 ${f(v.keystroke.frameMs.p50)} / p95 ${f(v.keystroke.frameMs.p95)} ms` : '—'}. ` +
      `Scroll to a chapter -> its figures current: ${Object.entries(v.scrollToChapter)
        .map(
          ([c, x]) =>
            `${c} ${x.ms === null || x.ms === undefined ? 'not settled' : `${f(x.ms, 0)} ms${x.allMs != null ? ` (${f(x.allMs, 0)} ms counting figures out of view)` : ''}`}`,
        )
        .join(', ')}. DOM nodes after load: ${v.domNodesAfterLoad?.toLocaleString('en-US') ?? '—'}.`,
  );
  p();
}
p("Main thread per edit / per slider frame (Chromium's own accounting, CDP `Performance.getMetrics`):");
p();
p('| model / backend | what | script | style | layout | all tasks | DOM nodes |');
p('|---|---|---|---|---|---|---|');
for (const run of r.runs) {
  const rows = [
    ['edit', run.edits?.mainThreadPerEdit],
    ['temperature frame', run.sliders?.temperature?.mainThreadPerFrame],
    ['norm frame', run.sliders?.norm?.mainThreadPerFrame],
  ];
  for (const [w, m] of rows)
    if (m)
      p(
        `| ${nm(run)} | ${w} | ${f(m.scriptMs)} ms | ${f(m.recalcStyleMs)} ms | ${f(m.layoutMs)} ms | ${f(m.allTasksMs)} ms | ${m.domNodes?.toLocaleString('en-US') ?? '—'} |`,
      );
}
p();
p('### Runtime (4–6), benchmark page');
p();
p(
  '| model / backend | T | forward in worker (p50; the page default) | round trip | with the logit lens inline | the lens on demand (separate request) | GFLOP/s | matMul 512² / 128² GFLOP/s | efficiency vs 512² / 128² | onnxruntime-web (p50, run alternately with ours) | ours / ort |',
);
p('|---|---|---|---|---|---|---|---|---|---|---|');
for (const run of r.runs) {
  const rt = run.runtime;
  if (!rt || rt.error) {
    if (rt?.error) p(`| ${nm(run)} | — | error: ${rt.error.slice(0, 80)} | | | | | | | | |`);
    continue;
  }
  for (const [T, x] of Object.entries(rt.forward)) {
    const o = run.onnx?.forward?.[T];
    p(
      `| ${nm(run)} | ${T} | ${f(x.workerMs.p50, 2)} ms | ${f(x.roundTripMs.p50, 2)} ms | ${f(x.withLogitLensMs.p50, 2)} ms | ${x.lensOnDemandMs ? f(x.lensOnDemandMs.p50, 2) + ' ms' : '—'} | ${f(x.gflops, 2)} | ` +
        `${f(rt.matmul?.n512.gflops)} / ${f(rt.matmul?.n128.gflops)} | ${x.efficiency === null ? '—' : f(x.efficiency * 100, 0) + '%'} / ${x.efficiencyVs128 == null ? '—' : f(x.efficiencyVs128 * 100, 0) + '%'}${x.efficiencyBestOfN == null ? '' : ` (best of n ${f(x.efficiencyBestOfN * 100, 0)}%)`} | ` +
        `${o ? f(o.ms.p50, 2) + ' ms' : '—'} | ${o ? `${f(o.ratioOursOverOrt, 2)} (best of n ${f(o.ratioBestOfN, 2)})` : '—'} |`,
    );
  }
}
p();
p('| model / backend | generation at context | KV cache ms/token (tok/s) | recompute ms/token (tok/s) | speed-up |');
p('|---|---|---|---|---|');
for (const run of r.runs) {
  const g = run.generation;
  if (!g || g.error) continue;
  p(
    `| ${nm(run)} | ${g.kvCache.promptTokens}→${g.kvCache.contextAtEnd} | ${f(g.kvCache.perTokenMs.p50, 2)} (${f(g.kvCache.tokensPerSecond)}) | ${f(g.recompute.perTokenMs.p50, 2)} (${f(g.recompute.tokensPerSecond)}) | ${f(g.speedup, 2)}× (best of n ${f(g.speedupBestOfN, 2)}×) |`,
  );
}
for (const run of r.runs.filter((x) => x.onnx)) {
  const o = run.onnx;
  p();
  if (o.error) p(`onnxruntime-web on ${nm(run)}: ${o.error}`);
  else
    p(
      `onnxruntime-web ${o.version} on ${nm(run)}, wasm, 1 thread; its last-position logits match ours within ${f(o.logitsCheck.maxAbsDiff, 6)} (max |logit| ${f(o.logitsCheck.maxAbsLogit, 2)}): the same model.`,
    );
}
if (r.errors?.length) {
  p();
  p(
    `Errors logged during the run (${r.errors.length}): ${r.errors
      .slice(0, 5)
      .map((e) => '`' + e.replace(/`/g, '').slice(0, 160) + '`')
      .join('; ')}`,
  );
}

const md = L.join('\n');
if (flag === '--update') {
  const doc = readFileSync(target, 'utf8');
  const a = '<!-- bench:results:start -->';
  const b = '<!-- bench:results:end -->';
  const i = doc.indexOf(a);
  const j = doc.indexOf(b);
  if (i < 0 || j < 0) throw new Error(`${target} lacks the ${a} … ${b} markers`);
  writeFileSync(target, doc.slice(0, i + a.length) + '\n' + md + '\n' + doc.slice(j));
  console.log(`updated ${target}`);
} else console.log(md);
