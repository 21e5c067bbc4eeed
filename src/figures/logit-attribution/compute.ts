/**
 * The maths of figure 6d: direct logit attribution, linearised around one
 * forward pass (pure maths, no tfjs, no React), and the bar chart's layout
 * (slots, running totals, ranges, block labels, cursor moves).
 *
 * The final LayerNorm reads the residual x = Σ_c c (embedding, every head,
 * every attention bias, every MLP) as ln_f(x) = s·g ⊙ (x − mean(x)) + b, with
 * s = 1/sqrt(var(x) + ε). Taking s from the actual pass and holding it fixed,
 * the centring is linear, so with Δu = u_a − u_b and w = g ⊙ Δu,
 *   logit_a − logit_b = ln_f(x)·Δu = Σ_c s · c·(w − mean(w))  +  b·Δu.
 * Each term is one component's contribution; the sum is exact for this pass.
 */
import type { InspectResult } from '../../runtime/types';

export type ComponentKind = 'embed' | 'head' | 'attnBias' | 'mlp' | 'lnBias';

export interface Contribution {
  kind: ComponentKind;
  /** Block index from 0 (−1 for the embedding and the final LayerNorm bias). */
  layer: number;
  /** Head index from 0 (−1 unless kind is 'head'). */
  head: number;
  /** Short name: "E", "3.1" (block 3, head 1), "MLP 3", "b_O", "ln_f b". */
  label: string;
  value: number;
}

export interface Attribution {
  /** In model order: embedding, then per block its heads and its MLP, then all attention biases, then the final LayerNorm bias. */
  items: Contribution[];
  /** Σ of every contribution. */
  sum: number;
  /** The logit difference read straight off the residual this pass produced: ln_f(resid)·Δu. */
  direct: number;
  /** The head with the largest |contribution| (null for a model without heads). */
  topHead: Contribution | null;
}

export function headLabel(layer: number, head: number): string {
  return `${layer}.${head}`;
}

function dot(a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, D: number): number {
  let s = 0;
  for (let i = 0; i < D; i++) s += a[aOff + i] * b[i];
  return s;
}

/**
 * Contributions to logit(a) − logit(b) at the inspected position.
 * wu: W_U rows [V, D]; gain, bias: the final LayerNorm's [D].
 */
export function attribute(
  r: InspectResult,
  wu: ArrayLike<number>,
  a: number,
  b: number,
  gain: ArrayLike<number>,
  bias: ArrayLike<number>,
): Attribution {
  const { D, L, H } = r;
  const du = new Float64Array(D);
  for (let i = 0; i < D; i++) du[i] = wu[a * D + i] - wu[b * D + i];
  // w̄ = g ⊙ Δu minus its mean, times s: c·w̄ is the contribution of c
  const wbar = new Float64Array(D);
  let mean = 0;
  for (let i = 0; i < D; i++) mean += wbar[i] = gain[i] * du[i];
  mean = r.norm === 'rmsnorm' ? 0 : mean / D; // RMSNorm does not centre
  for (let i = 0; i < D; i++) wbar[i] = (wbar[i] - mean) * r.lnScale;

  const items: Contribution[] = [{ kind: 'embed', layer: -1, head: -1, label: 'E', value: dot(r.embed, 0, wbar, D) }];
  let biasSum = 0;
  for (let l = 0; l < L; l++) {
    for (let h = 0; h < H; h++)
      items.push({ kind: 'head', layer: l, head: h, label: headLabel(l, h), value: dot(r.heads, (l * H + h) * D, wbar, D) });
    items.push({ kind: 'mlp', layer: l, head: -1, label: `MLP ${l}`, value: dot(r.mlps, l * D, wbar, D) });
    biasSum += dot(r.attnBias, l * D, wbar, D);
  }
  items.push({ kind: 'attnBias', layer: -1, head: -1, label: 'b_O', value: biasSum });
  items.push({ kind: 'lnBias', layer: -1, head: -1, label: 'ln_f b', value: dot(bias, 0, du, D) });

  let sum = 0;
  let topHead: Contribution | null = null;
  for (const it of items) {
    sum += it.value;
    if (it.kind === 'head' && (!topHead || Math.abs(it.value) > Math.abs(topHead.value))) topHead = it;
  }
  // ln_f(resid)·Δu with the residual as the pass produced it (not rebuilt from the components)
  let m = 0;
  if (r.norm !== 'rmsnorm') {
    for (let i = 0; i < D; i++) m += r.resid[i];
    m /= D;
  }
  let direct = 0;
  for (let i = 0; i < D; i++) direct += (r.lnScale * (r.resid[i] - m) * gain[i] + bias[i]) * du[i];
  return { items, sum, direct, topHead };
}

/** Attention row of head (l, h) from query position q: [T] (zeros past q). Null if that row was not returned. */
export function attentionRow(
  r: Pick<InspectResult, 'attn' | 'attnRow0' | 'attnRows' | 'H' | 'T'>,
  l: number,
  h: number,
  q: number,
): Float32Array | null {
  const row = q - r.attnRow0;
  if (row < 0 || row >= r.attnRows) return null;
  const off = (((l * r.H + h) * r.attnRows + row) * r.T) as number;
  return r.attn.subarray(off, off + r.T);
}

/** A head as block and head index, both from 0. */
export interface HeadRef {
  l: number;
  h: number;
}

/** A component in words, as the chart's readout and text version name it. */
export function describeContribution(c: Contribution): string {
  switch (c.kind) {
    case 'embed':
      return 'token + position embedding';
    case 'head':
      return `head ${c.label} (block ${c.layer}, head ${c.head})`;
    case 'mlp':
      return `the MLP of block ${c.layer}`;
    case 'attnBias':
      return 'the attention output biases of all blocks';
    case 'lnBias':
      return 'the final LayerNorm’s bias';
  }
}

/** Where head (l, h) sits in the bar order, or −1. */
export const headIndex = (items: Contribution[], l: number, h: number): number =>
  items.findIndex((c) => c.kind === 'head' && c.layer === l && c.head === h);

/**
 * The chart's x positions in slot units: one slot per bar, a gap of 1.5 slots
 * between groups (the embedding | each block | the biases). `slots` is the total width.
 */
export function barSlots(items: Contribution[]): { xs: number[]; slots: number } {
  const xs: number[] = [];
  let x = 0;
  let prevGroup = '';
  for (const c of items) {
    const g = c.layer >= 0 ? `b${c.layer}` : c.kind === 'embed' ? 'e' : 'bias';
    if (prevGroup && g !== prevGroup) x += 1.5;
    prevGroup = g;
    xs.push(x);
    x += 1;
  }
  return { xs, slots: x };
}

/** The running total after each bar (the last is the sum). */
export function runningTotals(items: Contribution[]): number[] {
  const run: number[] = [];
  let acc = 0;
  for (const c of items) run.push((acc += c.value));
  return run;
}

/** The y range [lo, hi]: every bar, every running total and the model's own difference, with 0 always inside. */
export function valueExtent(items: Contribution[], run: number[], truth: number | null): [number, number] {
  const lo = Math.min(0, ...items.map((c) => c.value), ...run, truth ?? 0);
  const hi = Math.max(0, ...items.map((c) => c.value), ...run, truth ?? 0);
  return [lo, hi];
}

/** The n contributions of largest magnitude, largest first. */
export const largestContributions = (items: Contribution[], n: number): Contribution[] =>
  [...items].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, n);

/** |sum − truth| / |truth| (the denominator at least 1e-12); null while the model's own difference is not in. */
export const relativeDifference = (sum: number, truth: number | null): number | null =>
  truth === null ? null : Math.abs(sum - truth) / Math.max(Math.abs(truth), 1e-12);

/**
 * The blocks labelled under the axis, with the first and last bar of each:
 * every block up to 8 blocks, else every second (every third on a narrow chart).
 */
export function blockSpans(items: Contribution[], width: number): { layer: number; first: number; last: number }[] {
  const out: { layer: number; first: number; last: number }[] = [];
  const L = Math.max(-1, ...items.map((c) => c.layer)) + 1;
  const every = L > 8 && width < 520 ? 3 : L > 8 ? 2 : 1;
  for (let l = 0; l < L; l += every) {
    const idx = items.map((c, i) => (c.layer === l ? i : -1)).filter((i) => i >= 0);
    if (idx.length) out.push({ layer: l, first: idx[0], last: idx[idx.length - 1] });
  }
  return out;
}

/** The bar a key moves the cursor to among n bars (←/→ one step, Home/End to the ends); null for any other key. */
export function nextCursor(key: string, cursor: number, n: number): number | null {
  if (key === 'ArrowRight') return Math.min(n - 1, cursor + 1);
  if (key === 'ArrowLeft') return Math.max(0, cursor - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return n - 1;
  return null;
}
