/**
 * Live numbers for the prose: every number that describes the model is read
 * from the active model (its config, its weights or the current forward
 * pass), never typed in. While the model loads, a placeholder dash is shown.
 */
import { useMemo, type ReactNode } from 'react';
import { useShownForward, useInfo } from '../state/model';
import { useMatrix } from '../state/matrices';
import type { ForwardResult, Matrix, MatrixName } from '../runtime/types';
import { int } from './format';
import './kit.css';

export function useFacts() {
  const info = useInfo();
  const c = info?.config;
  return {
    ready: !!c,
    V: c?.vocabSize ?? 0,
    D: c?.nEmbd ?? 0,
    L: c?.nLayer ?? 0,
    H: c?.nHead ?? 0,
    P: c?.nPositions ?? 0,
    eps: c?.eps ?? 1e-5,
    tied: c?.tied ?? true,
    label: info?.label ?? '',
    params: info?.parameterCount ?? 0,
  };
}

export type FactName = 'vocab' | 'dmodel' | 'layers' | 'heads' | 'positions' | 'params' | 'label' | 'tied';

/**
 * Inline model fact: <Fact n="vocab" /> → "4,096" (or "…" while loading).
 * `className` sets how it is typeset (the prose of chapters 6–10 sets numbers
 * in the sans face: `p2-live`).
 */
export function Fact({ n, className = 'fact' }: { n: FactName; className?: string }): ReactNode {
  const f = useFacts();
  if (!f.ready) return <span className={`${className} loading`}>…</span>;
  const v =
    n === 'vocab'
      ? int(f.V)
      : n === 'dmodel'
        ? int(f.D)
        : n === 'layers'
          ? int(f.L)
          : n === 'heads'
            ? int(f.H)
            : n === 'positions'
              ? int(f.P)
              : n === 'params'
                ? int(f.params)
                : n === 'tied'
                  ? f.tied
                    ? 'tied'
                    : 'untied'
                  : f.label;
  return (
    <span className={className} data-fact={n}>
      {v}
    </span>
  );
}

/** The active model's name. */
export function ModelName() {
  const info = useInfo();
  return <span className="p2-live">{info ? info.label : 'the model'}</span>;
}

/** Renders children(f) with the forward result shown (see useShownForward), or a dash while there is none. */
export function WithForward({ children }: { children: (f: ForwardResult) => ReactNode }) {
  const f = useShownForward();
  return <>{f ? children(f) : <span className="p2-live">…</span>}</>;
}

/** Renders children(m) with a weight matrix of the active model, or a dash while it loads. */
export function WithMatrix({ name, children }: { name: MatrixName; children: (m: Matrix) => ReactNode }) {
  const m = useMatrix(name);
  return <>{m ? children(m) : <span className="p2-live">…</span>}</>;
}

/** A memoised number from a matrix, formatted. */
export function MatrixNumber({ name, fn, format }: { name: MatrixName; fn: (m: Matrix) => number; format: (x: number) => string }) {
  const m = useMatrix(name);
  const v = useMemo(() => (m ? fn(m) : null), [m, fn]);
  return <span className="p2-live">{v === null ? '…' : format(v)}</span>;
}
