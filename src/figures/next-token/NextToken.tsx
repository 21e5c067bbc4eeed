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
import { nextTokenIds, nextTokenRows } from './compute';
import { NextTokenView } from './NextTokenView';
import { useFigureData } from '../../kit/export';

function Rows({ f, temperature, k }: { f: ForwardResult; temperature: number; k: number }) {
  const z = lastLogits(f);
  const ids = useMemo(() => nextTokenIds(z, k), [z, k]);
  const rows = useMemo(() => nextTokenRows(z, temperature, ids), [z, temperature, ids]);
  useFigureData(({ tokenText }) => ({
    columns: [{ key: 'rank' }, { key: 'token', label: 'token text' }, { key: 'token_id' }, { key: 'probability', unit: 'fraction of 1' }],
    rows: rows.map((r, i) => ({ rank: i + 1, token: tokenText(r.id), token_id: r.id, probability: r.p })),
    params: { temperature, top_k: k, position: 'after the last prompt token' },
  }));
  return <NextTokenView rows={rows} />;
}

export function NextToken({ k = 8 }: { k?: number }) {
  const [temperature] = useParam('temp');
  return <ModelGate>{(f) => f && <Rows f={f} temperature={temperature} k={k} />}</ModelGate>;
}
