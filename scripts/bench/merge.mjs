#!/usr/bin/env node
/**
 * Merging bench reports (`run.mjs --merge`, or by hand):
 *   node scripts/bench/merge.mjs NEW.json EARLIER.json --out OUT.json
 * Runs (model × backend) of NEW win. A phase (load, edits, …) that NEW did not measure for a run is
 * taken from EARLIER and marked (run.earlierPhases); runs only EARLIER has are kept and marked
 * (run.fromEarlierRun), each with the start time and model source of the run that measured it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateTargets } from './report.mjs';

const PHASE_KEYS = ['load', 'edits', 'viewport', 'sliders', 'inputs', 'training', 'runtime', 'generation', 'onnx'];

export function mergeReports(report, prev, file) {
  const key = (r) => `${r.model}|${r.backend}`;
  const mark = (r) =>
    r.fromEarlierRun ?? {
      startedAt: prev.startedAt,
      modelSource: prev.models?.[r.model]?.source ?? null,
      loadavg: prev.machine?.loadavg ?? null,
    };
  for (const run of report.runs) {
    const old = prev.runs.find((r) => key(r) === key(run));
    if (!old) continue;
    const kept = PHASE_KEYS.filter((k) => old[k] !== undefined && run[k] === undefined);
    for (const k of kept) run[k] = old[k];
    if (kept.length) run.earlierPhases = { phases: kept, ...mark(old) };
  }
  const have = new Set(report.runs.map(key));
  const kept = prev.runs.filter((r) => !have.has(key(r))).map((r) => ({ ...r, fromEarlierRun: mark(r) }));
  report.runs.push(...kept);
  for (const [k, m] of Object.entries(prev.models ?? {})) if (!report.models[k]) report.models[k] = m;
  report.mergedFrom = [
    ...(report.mergedFrom ?? []),
    ...(prev.mergedFrom ?? []),
    {
      file,
      startedAt: prev.startedAt,
      durationS: prev.durationS,
      loadavg: prev.machine?.loadavg ?? null,
      runs: kept.map((r) => `${r.model}/${r.backend}`),
      phases: report.runs
        .filter((r) => r.earlierPhases && !r.fromEarlierRun)
        .map((r) => `${r.model}/${r.backend}: ${r.earlierPhases.phases.join(', ')}`),
    },
  ];
  report.errors = [...(report.errors ?? []), ...(prev.errors ?? []).map((e) => (e.startsWith('(earlier run)') ? e : `(earlier run) ${e}`))];
  report.targets = evaluateTargets(report);
  return report;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [a, b] = process.argv.slice(2);
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? process.argv[i + 1] : a;
  const merged = mergeReports(JSON.parse(readFileSync(a, 'utf8')), JSON.parse(readFileSync(b, 'utf8')), b);
  writeFileSync(out, JSON.stringify(merged, null, 2) + '\n');
  console.log(`merged ${b} into ${a} -> ${out}`);
}
