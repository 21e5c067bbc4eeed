/** Builders for a family's ModelLayout from the tensor names it uses. */
import type { ModelConfig } from '../types';
import type { BlockSource, LinearSource, NormSource, QkvSource } from './types';

/** The norm module `name`: gain `name.weight` and, when `bias`, `name.bias`. */
export const norm = (name: string, bias = true): NormSource => ({ weight: `${name}.weight`, bias: bias ? `${name}.bias` : null });

/** The linear module `name`: `name.weight` stored as `layout` and, when `bias`, `name.bias`. */
export const linear = (name: string, layout: 'io' | 'oi', inDim: number, outDim: number, bias: boolean): LinearSource => ({
  weight: `${name}.weight`,
  layout,
  inDim,
  outDim,
  bias: bias ? `${name}.bias` : null,
});

/** A family's module names inside one block, relative to the block's prefix. */
export interface BlockNames {
  /** Block i's names start `${prefix}.${i}.` ('h' or 'layers'). */
  prefix: string;
  /** How every linear of the block is stored. */
  layout: 'io' | 'oi';
  ln1: string;
  ln2: string;
  qkv: { kind: 'fused' | 'fused-per-head'; name: string } | { kind: 'separate'; q: string; k: string; v: string };
  o: string;
  up: string;
  /** The SwiGLU gate, or null for a plain MLP. */
  gate: string | null;
  down: string;
  /** Which modules carry a bias; each is true when not given. */
  bias?: { norms?: boolean; qkv?: boolean; o?: boolean; mlp?: boolean };
}

/**
 * The BlockSource of each of the c.nLayer blocks: fused q | k | v is [D, 3D]; separate
 * k and v have c.nKvHead heads; the MLP is D → nInner → D.
 */
export function blocks(c: ModelConfig, n: BlockNames): BlockSource[] {
  const { nEmbd: D, nInner: I } = c;
  const KV = c.nKvHead * (D / c.nHead);
  const { norms = true, qkv: qkvBias = true, o: oBias = true, mlp = true } = n.bias ?? {};
  return Array.from({ length: c.nLayer }, (_, i) => {
    const p = `${n.prefix}.${i}.`;
    const l = (name: string, inDim: number, outDim: number, bias: boolean) => linear(p + name, n.layout, inDim, outDim, bias);
    const qkv: QkvSource =
      n.qkv.kind === 'separate'
        ? { kind: 'separate', q: l(n.qkv.q, D, D, qkvBias), k: l(n.qkv.k, D, KV, qkvBias), v: l(n.qkv.v, D, KV, qkvBias) }
        : { kind: n.qkv.kind, lin: l(n.qkv.name, D, 3 * D, qkvBias) };
    return {
      ln1: norm(p + n.ln1, norms),
      qkv,
      o: l(n.o, D, D, oBias),
      ln2: norm(p + n.ln2, norms),
      up: l(n.up, D, I, mlp),
      gate: n.gate === null ? null : l(n.gate, D, I, mlp),
      down: l(n.down, I, D, mlp),
    };
  });
}
