/**
 * The rules of hooks hold everywhere in src/: ESLint runs react-hooks/exhaustive-deps as an error, and no
 * comment in src/ switches it (or the other react-hooks rules) off. ESLint cannot forbid its own disable
 * comments short of refusing every inline comment, so this test reads the sources instead: it fails on any
 * `eslint-disable…` comment that names a react-hooks rule or names no rule at all (which disables every rule),
 * and on an inline `/* eslint react-hooks/…: off *\/` configuration comment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SRC = join(ROOT, 'src');

/** An ESLint directive comment: its kind and the text after it (the rule list, possibly with a `-- reason`). */
const DIRECTIVE = /(?:\/\/|\/\*)\s*(eslint-disable(?:-next-line|-line)?|eslint)(?=\s|\*\/|$)([^\n]*?)(?:\*\/|$)/gm;

/** What is wrong with each directive in `text` that turns a react-hooks rule off; empty when none does. */
function hookDisables(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(DIRECTIVE)) {
    const kind = m[1];
    const rules = m[2].split('--')[0].trim();
    if (kind === 'eslint') {
      if (/react-hooks\//.test(rules)) out.push(`inline configuration of a react-hooks rule: ${m[0].trim()}`);
    } else if (rules === '') out.push(`${kind} without a rule list (disables every rule): ${m[0].trim()}`);
    else if (/react-hooks\//.test(rules)) out.push(`${kind} of a react-hooks rule: ${m[0].trim()}`);
  }
  return out;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx|js|jsx|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('react-hooks rules stay on', () => {
  it('recognises every way of turning the rule off, and leaves other comments alone', () => {
    const bad = [
      '  }, [a]); // eslint-disable-line react-hooks/exhaustive-deps',
      '    // eslint-disable-next-line react-hooks/exhaustive-deps',
      '    // eslint-disable-next-line no-console, react-hooks/exhaustive-deps -- reasons',
      '/* eslint-disable react-hooks/rules-of-hooks */',
      '// eslint-disable-next-line',
      '/* eslint-disable */',
      '/* eslint react-hooks/exhaustive-deps: "off" */',
    ];
    for (const b of bad) expect(hookDisables(b), b).toHaveLength(1);
    const fine = [
      '// eslint-disable-next-line no-console',
      '/* eslint-disable no-control-regex */',
      '// the effect depends on the key string, so eslint has nothing to disable',
      "const s = 'react-hooks/exhaustive-deps';",
      '/* eslint-enable */',
    ];
    for (const f of fine) expect(hookDisables(f), f).toEqual([]);
  });

  it('no file in src/ disables a react-hooks rule', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => hookDisables(readFileSync(f, 'utf8')).map((w) => `${relative(ROOT, f)}: ${w}`));
    expect(found).toEqual([]);
  });

  it('ESLint runs exhaustive-deps and rules-of-hooks as errors on src/', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    for (const f of ['src/state/inspect.ts', 'src/figures/training-lab/Connected.tsx']) {
      const cfg = await eslint.calculateConfigForFile(join(ROOT, f));
      const level = (r: unknown) => (Array.isArray(r) ? r[0] : r);
      expect([2, 'error'], f).toContain(level(cfg.rules['react-hooks/exhaustive-deps']));
      expect([2, 'error'], f).toContain(level(cfg.rules['react-hooks/rules-of-hooks']));
    }
  });
});
