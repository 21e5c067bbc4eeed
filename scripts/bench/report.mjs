/**
 * The benchmark report: the issue's targets checked against a report object
 * (met / missed and by how much), and the table printed to the terminal.
 * Targets are judged on wasm with the bundled model (and the slider target
 * also with the 50,257-token checkpoint), as the issue states them.
 */

const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '—' : typeof x === 'number' ? x.toFixed(d) : String(x));
const mt = (m) =>
  `script ${fmt(m.scriptMs)} ms, style ${fmt(m.recalcStyleMs)} ms, layout ${fmt(m.layoutMs)} ms, all tasks ${fmt(m.allTasksMs)} ms; ${m.domNodes} DOM nodes`;
const kb = (b) => (b === null || b === undefined ? '—' : `${(b / 1024).toFixed(0)} KB`);

/** One target: `cmp` '<=' or '>='. */
function target(id, label, measured, cmp, goal, unit) {
  if (measured === null || measured === undefined || Number.isNaN(measured))
    return { id, label, goal: `${cmp} ${goal} ${unit}`.trim(), unit, measured: null, met: null, note: 'not measured' };
  const met = cmp === '<=' ? measured <= goal : measured >= goal;
  const factor = cmp === '<=' ? measured / goal : goal / measured;
  const round = (x) => Math.round(x * 1000) / 1000;
  return {
    id,
    label,
    goal: `${cmp} ${goal} ${unit}`.trim(),
    measured: round(measured),
    unit,
    met,
    // how far off: absolute and as a factor (1 = on target)
    missBy: met ? null : { absolute: round(Math.abs(measured - goal)), factor: round(factor) },
  };
}

import { printAttribution } from './attribution.mjs';
export function evaluateTargets(report) {
  const wasm = report.runs.find((r) => r.model === 'tiny-tied' && r.backend === 'wasm') ?? {};
  const g2 = report.runs.find((r) => r.model === 'gpt2-small') ?? {};
  const out = [
    target('ready', 'model ready after navigation (wasm, median)', wasm.load?.readyMs?.p50, '<=', 1000, 'ms'),
    target('bytes', 'code, styles and fonts before the first figure (compressed)', wasm.load?.codeStylesFontsBytes, '<=', 700_000, 'bytes'),
    // Figures near the screen but out of view catch up once the stores have been quiet for 150 ms (QUIET_MS in
    // src/state/store.ts): this row is that period plus 50 ms for the catch-up. The issue's 50 ms is for the
    // figures in the viewport (the rows at top, ch6 and ch8 below).
    target(
      'edit',
      'prompt edit -> every figure near the viewport settled, p95 (wasm, viewport at the top; out-of-view ones wait 150 ms of quiet)',
      wasm.edits?.updateMs?.p95,
      '<=',
      200,
      'ms',
    ),
    target('slider-temp', 'temperature slider frame, p95 (wasm, bundled model)', wasm.sliders?.temperature?.frameMs?.p95, '<=', 16, 'ms'),
    target('slider-norm', 'norm slider frame, p95 (wasm, bundled model)', wasm.sliders?.norm?.frameMs?.p95, '<=', 16, 'ms'),
    target(
      'slider-temp-50k',
      'temperature slider frame, p95 (50,257-token checkpoint)',
      g2.sliders?.temperature?.frameMs?.p95,
      '<=',
      16,
      'ms',
    ),
    ...['top', 'ch6', 'ch8'].flatMap((at) => [
      target(
        `viewport-${at}`,
        `prompt edit -> figures in the viewport updated at ${at}, p95 (wasm)`,
        wasm.viewport?.positions?.[at]?.updateMs?.p95,
        '<=',
        50,
        'ms',
      ),
      target(
        `viewport-${at}-ratio`,
        `... as a multiple of the forward round trip at ${at}, p95 / p95`,
        wasm.viewport?.positions?.[at]?.ratioP95,
        '<=',
        2.5,
        '×',
      ),
    ]),
    target('keystroke', 'keystroke -> next frame painted, p95 (wasm)', wasm.viewport?.keystroke?.frameMs?.p95, '<=', 16, 'ms'),
    target(
      'scroll-chapter',
      'scroll to a chapter -> its figures current, worst chapter (wasm)',
      wasm.viewport ? Math.max(...Object.values(wasm.viewport.scrollToChapter).map((x) => (x.ms === null ? Infinity : x.ms))) : null,
      '<=',
      100,
      'ms',
    ),
    target('dom-nodes', 'DOM nodes after load (wasm)', wasm.viewport?.domNodesAfterLoad, '<=', 6000, 'nodes'),
    target('slider-length', 'length slider (6a) frame, p95 (wasm, bundled model)', wasm.sliders?.length?.frameMs?.p95, '<=', 16, 'ms'),
    target(
      'slider-length-50k',
      'length slider (6a) frame, p95 (50,257-token checkpoint)',
      g2.sliders?.length?.frameMs?.p95,
      '<=',
      16,
      'ms',
    ),
    target('slider-norm-50k', 'norm slider frame, p95 (50,257-token checkpoint)', g2.sliders?.norm?.frameMs?.p95, '<=', 16, 'ms'),
    target(
      'inspect',
      'inspect request / default forward, worker ms (wasm, bundled model, 32 tokens; 8 in a smoke run)',
      wasm.inspect?.byT?.[32]?.ratio ?? wasm.inspect?.byT?.[8]?.ratio,
      '<=',
      2,
      '×',
    ),
    target(
      'grid-redraw',
      'attention-pattern grid: key -> React update + canvas redraw moving between heads, p95 (GPT-2-shaped checkpoint)',
      g2.gridRedraw?.keyUpdateMs?.p95,
      '<=',
      16,
      'ms',
    ),
  ];
  out.push(
    target(
      'input-longtask',
      'longest main-thread task while pasting 100,000 characters, typing, switching model and back, inserting 4,000 CJK characters (wasm)',
      wasm.inputs?.worstMs /* 0 when no task passed 50 ms */,
      '<=',
      100,
      'ms',
    ),
  );
  const tr = wasm.training ?? {};
  out.push(
    target(
      'train-learned',
      'training lab: seconds until model A is 1 nat below the unigram entropy (wasm)',
      tr.learnedA?.seconds,
      '<=',
      30,
      's',
    ),
  );
  out.push(
    target(
      'train-slider',
      'temperature slider frame p95 while the lab trains (wasm)',
      tr.sliderWhileTraining?.frameMs?.p95,
      '<=',
      16,
      'ms',
    ),
  );
  out.push(
    target(
      'train-longtask',
      'longest main-thread long task (> 50 ms) while the lab trains (wasm)',
      tr.longTasks?.maxMs /* 0 when no task passed 50 ms */,
      '<=',
      50,
      'ms',
    ),
  );
  out.push(
    target(
      'train-leak',
      'tensors leaked over Start/Pause/Reset cycles, both workers',
      tr.tensors ? Math.abs(tr.tensors.leakedTrainer) + Math.abs(tr.tensors.leakedModel) : undefined,
      '<=',
      0,
      'tensors',
    ),
  );
  for (const T of [8, 32, 128])
    out.push(
      target(`ort-${T}`, `forward ours / onnxruntime-web at ${T} tokens (wasm)`, wasm.onnx?.forward?.[T]?.ratioOursOverOrt, '<=', 1.0, '×'),
    );
  out.push(target('kv', 'KV cache speed-up per generated token at context 128 (wasm)', wasm.generation?.speedup, '>=', 8, '×'));
  out.push(
    target(
      'efficiency',
      'forward efficiency at 128 tokens (share of matMul GFLOP/s, wasm)',
      wasm.runtime?.forward?.[128]?.efficiency,
      '>=',
      0.8,
      '',
    ),
  );
  for (const T of [8, 32, 128])
    out.push(
      target(
        `gpt2-ort-${T}`,
        `GPT-2-shaped checkpoint: forward ours / onnxruntime-web at ${T} tokens (wasm)`,
        g2.onnx?.forward?.[T]?.ratioOursOverOrt,
        '<=',
        1.0,
        '×',
      ),
    );
  for (const T of [32, 128]) {
    const f = g2.runtime?.forward?.[T];
    // the page's default forward: no lens (a separate request, ModelApi.lens), the last position's logits only
    out.push(
      target(
        `gpt2-page-${T}`,
        `GPT-2-shaped checkpoint: page default forward / forward without lens at ${T} tokens`,
        f?.pageDefaultMs?.p50 && f?.workerMs?.p50 ? f.pageDefaultMs.p50 / f.workerMs.p50 : null,
        '<=',
        1.3,
        '×',
      ),
    );
  }
  return out;
}

export function printReport(r) {
  const lines = [];
  const p = (s = '') => lines.push(s);
  p('');
  p(`token-directions benchmark ${r.smoke ? '(SMOKE run: tiny iteration counts, numbers meaningless)' : ''}`);
  p(
    `machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGB} GB; load ${r.machine.loadavg.join(' ')}; ${r.versions.chromium}; tfjs ${r.versions.tfjs}; onnxruntime-web ${r.versions.onnxruntimeWeb}`,
  );
  if (r.machine.busyProcesses?.length) p(`other busy processes at start: ${r.machine.busyProcesses.join(' | ')}`);
  for (const m of r.missing) p(`MISSING: ${m}`);
  for (const run of r.runs) {
    p('');
    p(`== ${run.model} on ${run.backend} ==${run.fromEarlierRun ? ` (from the earlier run of ${run.fromEarlierRun.startedAt})` : ''}`);
    if (run.load) {
      const L = run.load;
      if (L.readyMs)
        p(
          `  load: model ready ${fmt(L.readyMs.p50, 0)} ms (median of ${L.readyMs.n}), first figure ${fmt(L.firstFigureMs.p50, 0)} ms; code+styles+fonts ${kb(L.codeStylesFontsBytes)} + model files ${kb(L.modelBytes)} (backend ${L.backend})`,
        );
      if (L.readyAfterClickMs !== undefined)
        p(
          `  load via the checkpoint loader: ready ${fmt(L.readyAfterClickMs / 1000, 1)} s after clicking Load; ${kb(L.modelBytes)} of model files`,
        );
      if (L.error) p(`  load: ERROR ${L.error}`);
    }
    printAttribution(run, p);
    if (run.edits) {
      const e = run.edits;
      if (e.error) p(`  edits: ERROR ${e.error}`);
      else {
        p(
          `  prompt edit -> figures updated: p50 ${fmt(e.updateMs.p50)} ms, p95 ${fmt(e.updateMs.p95)} ms (${e.settled}/${e.edits} edits${e.edits < e.requested ? ` of ${e.requested} asked: ${e.budgetS} s budget spent` : ''}, ${e.tokens.min}–${e.tokens.max} tokens; forward in worker p50 ${fmt(e.workerForwardMs.p50)} ms)`,
        );
        if (e.mainThreadPerEdit) p(`    main thread per edit: ${mt(e.mainThreadPerEdit)}`);
      }
    }
    if (run.inputs) {
      if (run.inputs.error) p(`  heavy inputs: ERROR ${run.inputs.error}`);
      else
        for (const [k, v] of Object.entries(run.inputs.steps))
          p(`  ${k}: longest task ${v.maxMs ? `${v.maxMs} ms` : 'under 50 ms'} (${v.longTasks} over 50 ms; settled after ${v.wallMs} ms)`);
    }
    if (run.training) {
      const t = run.training;
      if (t.error) p(`  training lab: ERROR ${t.error}`);
      else {
        p(
          `  training lab: ${t.steps} steps in ${fmt(t.trainSeconds)} s, ${fmt(t.stepsPerSec, 2)} steps/s, ${fmt(t.tokensPerSec, 0)} tokens/s (both models); loss after: A ${fmt(t.lossAfter.a, 3)}, B ${fmt(t.lossAfter.b, 3)} (unigram entropy ${fmt(t.unigramEntropy, 3)})`,
        );
        p(
          `    learned (20-step mean loss < ${fmt(t.learnedThreshold, 2)}): A ${t.learnedA ? `${t.learnedA.seconds} s (step ${t.learnedA.step})` : 'not reached'}, B ${t.learnedB ? `${t.learnedB.seconds} s (step ${t.learnedB.step})` : 'not reached'}`,
        );
        if (t.sliderWhileTraining?.frameMs)
          p(
            `    while training: temperature slider frame p50 ${fmt(t.sliderWhileTraining.frameMs.p50)} ms, p95 ${fmt(t.sliderWhileTraining.frameMs.p95)} ms; long tasks ${t.longTasks.count} (over 50 ms: ${t.longTasks.over50}, longest ${fmt(t.longTasks.maxMs)} ms)`,
          );
        p(
          `    tensors over ${t.tensors.resets} resets: trainer worker ${t.tensors.before.trainer} -> ${t.tensors.after.trainer}, model worker ${t.tensors.before.model} -> ${t.tensors.after.model}`,
        );
      }
    }
    if (run.sliders) {
      if (run.sliders.error) p(`  sliders: ERROR ${run.sliders.error}`);
      else
        for (const [k, s] of Object.entries(run.sliders))
          p(
            s.error
              ? `  ${k} slider: ${s.error}`
              : `  ${k} slider: frame p50 ${fmt(s.frameMs.p50)} ms, p95 ${fmt(s.frameMs.p95)} ms, max ${fmt(s.frameMs.max)} ms over ${s.steps} steps${s.requested && s.steps < s.requested ? ` (of ${s.requested} asked: time budget spent)` : ''}` +
                  (s.mainThreadPerFrame ? `\n    main thread per frame: ${mt(s.mainThreadPerFrame)}` : ''),
          );
    }
    if (run.runtime) {
      const rt = run.runtime;
      if (rt.error) p(`  runtime: ERROR ${rt.error}`);
      else {
        if (rt.skipped) p(`  skipped: ${rt.skipped.join('; ')}`);
        if (rt.matmul) p(`  matMul: 512² ${fmt(rt.matmul.n512.gflops)} GFLOP/s, 128² ${fmt(rt.matmul.n128.gflops)} GFLOP/s`);
        for (const [T, f] of Object.entries(rt.forward))
          p(
            `  forward T=${T}: ${fmt(f.workerMs.p50)} ms in worker (round trip ${fmt(f.roundTripMs.p50)} ms; with the logit lens inline ${fmt(f.withLogitLensMs.p50)} ms; the lens on demand ${fmt(f.lensOnDemandMs?.p50)} ms; the page's default, last row of logits only, ${fmt(f.pageDefaultMs?.p50)} ms), ${fmt(f.gflops)} GFLOP/s, efficiency ${fmt(f.efficiency === null ? null : f.efficiency * 100, 0)}% of matMul 512² (${fmt(f.efficiencyVs128 === null ? null : f.efficiencyVs128 * 100, 0)}% of 128²; best of n ${fmt(f.efficiencyBestOfN == null ? null : f.efficiencyBestOfN * 100, 0)}%)`,
          );
      }
    }
    if (run.generation) {
      const g = run.generation;
      if (g.error) p(`  generation: ERROR ${g.error}`);
      else
        p(
          `  generation at context ${g.kvCache.contextAtEnd}: KV cache ${fmt(g.kvCache.tokensPerSecond)} tok/s (${fmt(g.kvCache.perTokenMs.p50)} ms/token), recompute ${fmt(g.recompute.tokensPerSecond)} tok/s (${fmt(g.recompute.perTokenMs.p50)} ms/token): ${fmt(g.speedup)}× (best of n ${fmt(g.speedupBestOfN)}×)`,
        );
    }
    if (run.onnx) {
      const o = run.onnx;
      if (o.error) p(`  onnxruntime-web: ERROR ${o.error}`);
      else {
        p(
          `  onnxruntime-web ${o.version} (wasm, 1 thread): last-position logits differ from ours by ≤ ${fmt(o.logitsCheck.maxAbsDiff, 5)} (max |logit| ${fmt(o.logitsCheck.maxAbsLogit, 2)})`,
        );
        for (const [T, f] of Object.entries(o.forward))
          p(
            `  ort forward T=${T}: ${fmt(f.ms.p50)} ms, ${fmt(f.gflops)} GFLOP/s; ours/ort ${fmt(f.ratioOursOverOrt, 2)} (run alternately; best of n ${fmt(f.ratioBestOfN, 2)}; our round trip ${fmt(f.ratioRoundTripOverOrt, 2)})`,
          );
      }
    }
  }
  p('');
  p('targets (wasm, bundled model, headless Chromium):');
  for (const t of r.targets) {
    const status = t.met === null ? 'n/a ' : t.met ? 'MET ' : 'MISS';
    const by = t.missBy ? ` (off by ${t.missBy.absolute} ${t.unit}, ${t.missBy.factor}×)` : '';
    p(`  [${status}] ${t.label}: ${t.measured ?? '—'} ${t.unit} (goal ${t.goal})${by}`);
  }
  if (r.errors.length) {
    p('');
    p(`errors (${r.errors.length}):`);
    for (const e of r.errors.slice(0, 20)) p(`  ${e}`);
  }
  console.log(lines.join('\n'));
}
