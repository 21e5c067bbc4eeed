/**
 * Live numbers for the prose of chapters 6–10: every number that describes
 * the model is read from the active model, never typed in. While the model
 * loads, a placeholder dash is shown.
 */
import { useMemo, type ReactNode } from 'react';
import { useModel, useForward } from '../../state/model';
import type { ForwardResult, Matrix, ModelConfig } from '../../runtime/types';
import { int } from '../../ui/format';
import { useMatrix } from './hooks';
import './part2.css';

/** A config number of the active model: V, D, L, heads, context. */
export function Cfg({ k }: { k: keyof Pick<ModelConfig, 'vocabSize' | 'nEmbd' | 'nLayer' | 'nHead' | 'nPositions'> }) {
  const { info } = useModel();
  return (
    <span className="p2-live" data-live={k}>
      {info ? int(info.config[k]) : '…'}
    </span>
  );
}

/** The active model's name. */
export function ModelName() {
  const { info } = useModel();
  return <span className="p2-live">{info ? info.label : 'the model'}</span>;
}

/** Renders children(f) with the current forward result, or a dash while there is none. */
export function WithForward({ children }: { children: (f: ForwardResult) => ReactNode }) {
  const f = useForward();
  return <>{f ? children(f) : <span className="p2-live">…</span>}</>;
}

/** Renders children(m) with a weight matrix of the active model, or a dash while it loads. */
export function WithMatrix({ name, children }: { name: Parameters<typeof useMatrix>[0]; children: (m: Matrix) => ReactNode }) {
  const m = useMatrix(name);
  return <>{m ? children(m) : <span className="p2-live">…</span>}</>;
}

/** A memoised number from a matrix, formatted. */
export function MatrixNumber({ name, fn, format }: { name: Parameters<typeof useMatrix>[0]; fn: (m: Matrix) => number; format: (x: number) => string }) {
  const m = useMatrix(name);
  const v = useMemo(() => (m ? fn(m) : null), [m, fn]);
  return <span className="p2-live">{v === null ? '…' : format(v)}</span>;
}
