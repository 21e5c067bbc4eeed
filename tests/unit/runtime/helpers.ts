/** Shared test helpers: build a tiny checkpoint, load it into tfjs, and a float64 view for the reference. */
import { parseSafetensors } from '../../../src/runtime/safetensors';
import { parseConfig } from '../../../src/runtime/config';
import { fromSafetensors, loadWeights, type GptWeights } from '../../../src/runtime/weights';
import type { ModelConfig } from '../../../src/runtime/types';
import { makeTinyCheckpoint, type TinySpec } from './checkpoint';
import type { Get } from './reference';

export interface Tiny {
  config: ModelConfig;
  weights: GptWeights;
  get: Get;
  bytes: Uint8Array;
}

const PREFIXES = ['transformer.', 'model.decoder.', 'decoder.', 'gpt_neox.', 'model.'];

/** name without its architecture prefix -> float64 values, as stored in the file. */
export function float64View(bytes: Uint8Array): Get {
  const file = parseSafetensors(bytes);
  const map = new Map<string, string>();
  for (const name of file.entries.keys()) {
    const p = PREFIXES.find((x) => name.startsWith(x));
    map.set(p ? name.slice(p.length) : name, name);
  }
  return (name: string) => {
    const full = map.get(name);
    if (!full) throw new Error(`reference: no tensor ${name}`);
    return Float64Array.from(file.getFloat32(full));
  };
}

export async function loadTiny(spec: TinySpec): Promise<Tiny> {
  const ck = makeTinyCheckpoint(spec);
  const config = parseConfig(ck.hfConfig);
  const weights = await loadWeights(fromSafetensors(parseSafetensors(ck.bytes)), config);
  return { config, weights, get: float64View(ck.bytes), bytes: ck.bytes };
}

export function randomIds(n: number, V: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(s % V);
  }
  return out;
}
