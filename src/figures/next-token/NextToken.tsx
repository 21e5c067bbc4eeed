/**
 * The model's next-token distribution for the shared prompt: the top tokens
 * after the last position, at the shared temperature. Container: reads the
 * forward result and the temperature; NextTokenView draws.
 */
import { useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { useParam } from '../../state/store';
import { lastLogits } from '../../state/forward-readers';
import type { ForwardResult } from '../../runtime/types';
import { nextTokenRows } from './compute';
import { NextTokenView } from './NextTokenView';

function Rows({ f, temperature, k }: { f: ForwardResult; temperature: number; k: number }) {
  const rows = useMemo(() => nextTokenRows(lastLogits(f), temperature, k), [f, temperature, k]);
  return <NextTokenView rows={rows} />;
}

export function NextToken({ k = 8 }: { k?: number }) {
  const [temperature] = useParam('temp');
  return <ModelGate>{(f) => f && <Rows f={f} temperature={temperature} k={k} />}</ModelGate>;
}
