/**
 * CI smoke run of `npm run bench` (scripts/bench/run.mjs --smoke): the harness
 * builds its benchmark page, serves dist/ compressed, drives Chromium through
 * every phase with 2 iterations, and writes a report with every field. Only
 * the shape of the report is checked — never a timing (benchmarks are not tests).
 *
 * The harness builds into its own folder (node_modules/.cache/token-directions/
 * bench-dist) and reuses it when present (--skip-build). With models/tiny-tied
 * absent it measures a random checkpoint of the same shape and says so.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
const out = join(dir, 'report.json');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Summary = { n: number; p50: number | null; p95: number | null };

describe('npm run bench (smoke)', () => {
  it('runs end to end and writes a report with every field', { timeout: 600_000 }, async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => {
      execFile(
        process.execPath,
        ['scripts/bench/run.mjs', '--smoke', '--skip-build', '--out', out],
        { cwd: ROOT, timeout: 540_000, maxBuffer: 16 << 20, env: { ...process.env, SKIP_BUILD: '1' } },
        (err, so, se) =>
          res({
            code: err ? (((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) ?? 1) : 0,
            stdout: so,
            stderr: se,
          }),
      );
    });
    expect(code, `harness failed:\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`).toBe(0);
    expect(stdout).toContain('targets (wasm, bundled model, headless Chromium)');
    expect(existsSync(out)).toBe(true);
    const r = JSON.parse(readFileSync(out, 'utf8'));

    // provenance
    expect(r.smoke).toBe(true);
    expect(r.machine.cpus).toBeGreaterThan(0);
    for (const k of ['chromium', 'tfjs', 'onnxruntimeWeb', 'playwright']) expect(typeof r.versions[k]).toBe('string');
    expect(r.models['tiny-tied'].config.vocab).toBeGreaterThan(0);
    expect(Array.isArray(r.missing)).toBe(true);

    const run = r.runs.find((x: { model: string; backend: string }) => x.model === 'tiny-tied' && x.backend === 'wasm');
    expect(run).toBeTruthy();
    const why = `errors: ${JSON.stringify(r.errors, null, 1)}`;
    for (const phase of ['load', 'edits', 'sliders', 'training', 'runtime', 'generation']) {
      expect(run[phase], `${phase} missing; ${why}`).toBeTruthy();
      expect(run[phase].error, `${phase} failed; ${why}`).toBeUndefined();
    }
    const isSummary = (s: Summary) => {
      expect(s.n).toBeGreaterThan(0);
      expect(typeof s.p50).toBe('number');
      expect(typeof s.p95).toBe('number');
    };
    // 3b. the training lab: it trained, and no tensor leaked in either worker
    expect(run.training.steps).toBeGreaterThan(0);
    expect(run.training.tokensPerSec).toBeGreaterThan(0);
    expect(run.training.tensors.leakedTrainer).toBe(0);
    expect(run.training.tensors.leakedModel).toBe(0);
    // 1. load and bytes
    isSummary(run.load.readyMs);
    expect(run.load.codeStylesFontsBytes).toBeGreaterThan(0);
    expect(run.load.modelBytes).toBeGreaterThan(0);
    // 2. edits
    isSummary(run.edits.updateMs);
    expect(run.edits.settled).toBe(run.edits.edits);
    // 3. sliders
    isSummary(run.sliders.temperature.frameMs);
    isSummary(run.sliders.norm.frameMs);
    // 4. forward and matMul
    isSummary(run.runtime.forward[8].workerMs);
    expect(run.runtime.matmul.n512.gflops).toBeGreaterThan(0);
    expect(typeof run.runtime.forward[8].efficiency).toBe('number');
    // 5. generation
    expect(run.generation.kvCache.tokensPerSecond).toBeGreaterThan(0);
    expect(run.generation.recompute.tokensPerSecond).toBeGreaterThan(0);
    // 6. onnxruntime-web, or the report says the export is missing
    if (r.models['tiny-tied'].onnx) {
      isSummary(run.onnx.forward[8].ms);
      expect(typeof run.onnx.forward[8].ratioOursOverOrt).toBe('number');
    } else expect(r.missing.join(' ')).toMatch(/model\.onnx/);

    // the targets, each judged or marked not measured
    const ids = r.targets.map((t: { id: string }) => t.id);
    for (const id of ['ready', 'bytes', 'edit', 'slider-temp', 'slider-norm', 'ort-8', 'kv', 'efficiency']) expect(ids).toContain(id);
    expect(r.errors.filter((e: string) => !e.startsWith('console:'))).toEqual([]);
  });
});
