/**
 * Numeric checks on a checkpoint's weights, run in the worker as each tensor
 * is read (before it is uploaded). A file can be well-formed in every way the
 * format checks look at and still hold values no figure can draw: NaN or
 * ±Infinity spread through every result they touch (softmax, norms, angles).
 * `checkedSource` wraps a TensorSource so that reading a tensor with a
 * non-finite value fails with a ModelFileError naming the tensor, its role
 * and the first bad position. One pass over the floats already decoded (a
 * few ms per million values), so every tensor is checked, not only the
 * matrices the figures read.
 *
 * What is not rejected, because real checkpoints have it and the maths is
 * defined: all-zero rows (unused or padding tokens), constant matrices, zero
 * LayerNorm gains. The figures and src/geometry handle those explicitly
 * (a zero vector has no direction: see geometry/vector.ts).
 */
import { ModelFileError } from './formats';
import type { TensorSource } from './weights';

const FILE = 'model.safetensors';

/** What a tensor is, in the essay's words, from its name (GPT-2 and OPT layouts). */
export function tensorRole(name: string): string | null {
  if (/(^|\.)(wte|embed_tokens)\.weight$/.test(name)) return 'the token embeddings W_E';
  if (/(^|\.)lm_head\.weight$/.test(name)) return 'the unembedding W_U';
  if (/(^|\.)(wpe|embed_positions)\.weight$/.test(name)) return 'the position embeddings';
  if (/(ln_f|decoder\.final_layer_norm)\.(weight|bias)$/.test(name)) return 'the final LayerNorm';
  if (/(ln_\d|layer_norm)\.(weight|bias)$/.test(name)) return 'a LayerNorm';
  return null;
}

export interface NonFinite {
  count: number;
  /** index of the first non-finite value */
  first: number;
  value: number;
}

/** Counts NaN and ±Infinity in a Float32Array (null when all are finite). */
export function findNonFinite(data: Float32Array): NonFinite | null {
  let count = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    // x - x is 0 for finite x and NaN for NaN and ±Infinity: one comparison per value
    if (x - x !== 0) {
      if (count === 0) first = i;
      count++;
    }
  }
  return count === 0 ? null : { count, first, value: data[first] };
}

/** The message for a tensor with non-finite values ("… row 5, column 2 …" for matrices). */
export function nonFiniteMessage(name: string, shape: number[] | undefined, bad: NonFinite): string {
  const role = tensorRole(name);
  const cols = shape && shape.length >= 2 ? shape[shape.length - 1] : 0;
  const where = cols > 0 ? `row ${Math.floor(bad.first / cols)}, column ${bad.first % cols}` : `position ${bad.first}`;
  const what = Number.isNaN(bad.value) ? 'NaN' : bad.value > 0 ? '+Infinity' : '−Infinity';
  return (
    `tensor '${name}'${role ? ` (${role})` : ''} holds ${bad.count.toLocaleString('en-US')} value${bad.count === 1 ? '' : 's'} that ${bad.count === 1 ? 'is' : 'are'} not a finite number ` +
    `(the first, ${what}, at ${where}); nothing can be computed from it. The checkpoint is damaged or was saved after training diverged`
  );
}

/** A TensorSource whose reads fail with a ModelFileError when a tensor holds NaN or ±Infinity. */
export function checkedSource(src: TensorSource): TensorSource {
  const check = (name: string, data: Float32Array): Float32Array => {
    const bad = findNonFinite(data);
    if (bad) throw new ModelFileError(FILE, nonFiniteMessage(name, src.shape(name), bad));
    return data;
  };
  return {
    names: () => src.names(),
    shape: (name) => src.shape(name),
    getFloat32: (name) => {
      const d = src.getFloat32(name);
      return d instanceof Promise ? d.then((x) => check(name, x)) : check(name, d);
    },
  };
}
