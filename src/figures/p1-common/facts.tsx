/**
 * Numbers about the active model, for the prose. Every one is read from the
 * model (its config or its weights), never typed in.
 */
import type { ReactNode } from 'react';
import { useModel } from '../../state/model';
/** One cached formatter (toLocaleString builds a new one per call). */
const NF = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const int = (n: number) => NF.format(Math.round(n));

export type FactName = 'vocab' | 'dmodel' | 'layers' | 'heads' | 'positions' | 'params' | 'label' | 'tied';

export function useFacts() {
  const { info } = useModel();
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

/** Inline model fact: <Fact n="vocab" /> → "4,096" (or "…" while loading). */
export function Fact({ n }: { n: FactName }): ReactNode {
  const f = useFacts();
  if (!f.ready) return <span className="fact loading">…</span>;
  const v =
    n === 'vocab' ? int(f.V)
    : n === 'dmodel' ? int(f.D)
    : n === 'layers' ? int(f.L)
    : n === 'heads' ? int(f.H)
    : n === 'positions' ? int(f.P)
    : n === 'params' ? int(f.params)
    : n === 'tied' ? (f.tied ? 'tied' : 'untied')
    : f.label;
  return (
    <span className="fact" data-fact={n}>
      {v}
    </span>
  );
}
