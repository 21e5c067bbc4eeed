/**
 * One model under training: its parameters as plain tensors, Adam's moments,
 * a seeded batch sampler over the toy corpus, one training step, and the
 * probe read-outs the figures draw. tfjs only, no React; every tensor it
 * makes is disposed by the step that made it or by dispose().
 */
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '../geometry/random';
import type { Corpus, Probe } from './corpus';
import { causalMask, hidden, initParams, lossOf, paramShapes, unembedding, type ModelConfig, type Params } from './model';

export interface OptimConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Linear warm-up of the learning rate over this many steps (1 = none). */
  warmup: number;
  batch: number;
}

export const DEFAULT_OPTIM: OptimConfig = { lr: 3e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, warmup: 20, batch: 16 };

/** A batch as one-hot inputs and targets, [B·T, V] each, row-major. */
export interface Batch {
  inputs: Float32Array;
  targets: Float32Array;
  B: number;
  T: number;
}

/** B windows of T+1 tokens at offsets drawn from `rand`; inputs are the first T, targets the next T. */
export function sampleBatch(corpus: Corpus, B: number, T: number, rand: () => number): Batch {
  const V = corpus.vocabSize;
  const inputs = new Float32Array(B * T * V);
  const targets = new Float32Array(B * T * V);
  for (let b = 0; b < B; b++) {
    const o = Math.floor(rand() * (corpus.ids.length - T - 1));
    for (let t = 0; t < T; t++) {
      inputs[(b * T + t) * V + corpus.ids[o + t]] = 1;
      targets[(b * T + t) * V + corpus.ids[o + t + 1]] = 1;
    }
  }
  return { inputs, targets, B, T };
}

export function oneHotRows(ids: ArrayLike<number>, V: number): Float32Array {
  const a = new Float32Array(ids.length * V);
  for (let i = 0; i < ids.length; i++) a[i * V + ids[i]] = 1;
  return a;
}

/** What one step reports: the loss on the batch before the update. */
export interface StepResult {
  step: number;
  loss: number;
}

/** Probe read-outs for one model at one step (plain arrays, ready to post). */
export interface ProbeReadout {
  step: number;
  /** Per probe: |x| of the final hidden state at the last position. */
  norm: number[];
  /** Per probe: cos(x, u_target). */
  cos: number[];
  /** Per probe: the probability of the target. */
  pTarget: number[];
  /** Per probe: whether the dot-product argmax is the target. */
  correct: boolean[];
  /**
   * Over the probes' last positions and a fixed evaluation batch (every
   * position): the share where the Euclidean-nearest row of W_U is also the
   * dot-product argmax (the model's prediction).
   */
  agreement: number;
  agreementN: number;
  /** |u_i| for every row of W_U. */
  rowNorms: number[];
  /**
   * Probe 0's x in the plane of its target row u_a and rival row u_b at this
   * step: coordinates in the orthonormal basis e1 = u_a/|u_a|, e2 ⟂ e1 in the
   * plane; bAngle is the angle of u_b from e1 (radians); frac the share of |x| in the plane.
   */
  plane: { x: [number, number]; bAngle: number; norm: number; frac: number; cosA: number; cosB: number };
}

export class Trainer {
  readonly config: ModelConfig;
  readonly optim: OptimConfig;
  private names: string[];
  private params: tf.Tensor[];
  private m: tf.Tensor[];
  private v: tf.Tensor[];
  private t = 0;
  private rand: () => number;
  private mask: tf.Tensor2D;
  private disposed = false;

  constructor(
    config: ModelConfig,
    private corpus: Corpus,
    seed: number,
    optim: OptimConfig = DEFAULT_OPTIM,
    init?: Map<string, Float32Array>,
  ) {
    if (config.dModel % config.heads !== 0) throw new Error(`d_model ${config.dModel} is not a multiple of ${config.heads} heads`);
    this.config = config;
    this.optim = optim;
    const values = init ?? initParams(config, seed);
    const shapes = paramShapes(config);
    this.names = shapes.map(([n]) => n);
    this.params = shapes.map(([n, s]) => tf.tensor(values.get(n)!, s));
    this.m = shapes.map(([, s]) => tf.zeros(s));
    this.v = shapes.map(([, s]) => tf.zeros(s));
    // The batch order depends on the seed but not on the model: both models of a pair see the same batches.
    this.rand = mulberry32(seed ^ 0x5bd1e995);
    this.mask = causalMask(config.context);
  }

  get steps(): number {
    return this.t;
  }

  private named(ps: tf.Tensor[]): Params {
    const p: Params = {};
    this.names.forEach((n, i) => (p[n] = ps[i]));
    return p;
  }

  nextBatch(): Batch {
    return sampleBatch(this.corpus, this.optim.batch, this.config.context, this.rand);
  }

  /** Loss and gradients for a batch, without updating (for tests). Caller disposes the gradients. */
  lossAndGrads(batch: Batch): { loss: tf.Scalar; grads: Map<string, tf.Tensor> } {
    const { B, T } = batch;
    const V = this.config.vocabSize;
    const r = tf.tidy(() => {
      const x = tf.tensor2d(batch.inputs, [B * T, V]);
      const y = tf.tensor2d(batch.targets, [B * T, V]);
      const mask = T === this.config.context ? this.mask : tf.slice(this.mask, [0, 0], [T, T]);
      const f = (...ps: tf.Tensor[]) => lossOf(this.config, this.named(ps), x, y, B, T, mask);
      const { value, grads } = tf.valueAndGrads(f)(this.params);
      return [value, ...grads];
    });
    return { loss: r[0] as tf.Scalar, grads: new Map(this.names.map((n, i) => [n, r[i + 1]])) };
  }

  /** One Adam step on `batch` (default: the next sampled batch). Returns the batch loss before the update. */
  async step(batch: Batch = this.nextBatch()): Promise<StepResult> {
    if (this.disposed) throw new Error('trainer disposed');
    const { B, T } = batch;
    const V = this.config.vocabSize;
    const o = this.optim;
    this.t += 1;
    const t = this.t;
    const lr = o.lr * Math.min(1, t / Math.max(1, o.warmup));
    const c1 = 1 - o.beta1 ** t;
    const c2 = 1 - o.beta2 ** t;
    const loss = tf.tidy(() => {
      const x = tf.tensor2d(batch.inputs, [B * T, V]);
      const y = tf.tensor2d(batch.targets, [B * T, V]);
      const mask = T === this.config.context ? this.mask : tf.slice(this.mask, [0, 0], [T, T]);
      const f = (...ps: tf.Tensor[]) => lossOf(this.config, this.named(ps), x, y, B, T, mask);
      const { value, grads } = tf.valueAndGrads(f)(this.params);
      // Adam in the form p −= lr·(√c2/c1)·m / (√v + ε√c2), which equals lr·m̂/(√v̂ + ε) with fewer ops.
      const lrT = (lr * Math.sqrt(c2)) / c1;
      const epsT = o.eps * Math.sqrt(c2);
      const next = this.params.map((p, i) => {
        const g = grads[i];
        const m = tf.add(tf.mul(this.m[i], o.beta1), tf.mul(g, 1 - o.beta1));
        const v = tf.add(tf.mul(this.v[i], o.beta2), tf.mul(tf.square(g), 1 - o.beta2));
        return [tf.keep(tf.sub(p, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsT)), lrT))), tf.keep(m), tf.keep(v)];
      });
      tf.dispose([...this.params, ...this.m, ...this.v]);
      this.params = next.map((n) => n[0]);
      this.m = next.map((n) => n[1]);
      this.v = next.map((n) => n[2]);
      return value;
    });
    const l = (await loss.data())[0];
    loss.dispose();
    return { step: t, loss: l };
  }

  /** Current parameter values (copies), by name. */
  async paramValues(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (let i = 0; i < this.names.length; i++) out.set(this.names[i], (await this.params[i].data()) as Float32Array);
    return out;
  }

  /** The final hidden states h [N, D] for rows of T tokens (a JS array out, no tensors left). */
  async hiddenStates(ids: number[][]): Promise<{ h: Float32Array; B: number; T: number }> {
    const B = ids.length;
    const T = ids[0].length;
    const V = this.config.vocabSize;
    if (T > this.config.context) throw new Error(`probe of ${T} tokens is longer than the context ${this.config.context}`);
    const hT = tf.tidy(() => {
      const x = tf.tensor2d(oneHotRows(ids.flat(), V), [B * T, V]);
      const mask = tf.slice(this.mask, [0, 0], [T, T]);
      return hidden(this.config, this.named(this.params), x, B, T, mask);
    });
    const h = (await hT.data()) as Float32Array;
    hT.dispose();
    return { h, B, T };
  }

  async unembeddingValues(): Promise<Float32Array> {
    return (await unembedding(this.config, this.named(this.params)).data()) as Float32Array;
  }

  /** Probe read-outs: see ProbeReadout. `evalIds` are fixed windows of the corpus (every position counts). */
  async readout(probes: Probe[], evalIds: number[][]): Promise<ProbeReadout> {
    const D = this.config.dModel;
    const V = this.config.vocabSize;
    const wu = await this.unembeddingValues();
    const rowNorms = new Array<number>(V);
    const rowSq = new Float64Array(V);
    for (let i = 0; i < V; i++) {
      let s = 0;
      for (let k = 0; k < D; k++) s += wu[i * D + k] ** 2;
      rowSq[i] = s;
      rowNorms[i] = Math.sqrt(s);
    }
    // Per vector x: dot-product argmax, Euclidean nearest (argmin |u|² − 2 x·u; |x|² is common), softmax of the target.
    const judge = (x: Float32Array | Float64Array, o: number, target: number) => {
      let best = -Infinity,
        arg = 0,
        near = Infinity,
        narg = 0;
      const logits = new Float64Array(V);
      for (let i = 0; i < V; i++) {
        let d = 0;
        for (let k = 0; k < D; k++) d += x[o + k] * wu[i * D + k];
        logits[i] = d;
        if (d > best) {
          best = d;
          arg = i;
        }
        const e = rowSq[i] - 2 * d;
        if (e < near) {
          near = e;
          narg = i;
        }
      }
      let z = 0;
      for (let i = 0; i < V; i++) z += Math.exp(logits[i] - best);
      return { arg, narg, p: target >= 0 ? Math.exp(logits[target] - best) / z : NaN, dotT: target >= 0 ? logits[target] : NaN };
    };
    const pr = await this.hiddenStates(probes.map((p) => p.ids));
    const norm: number[] = [],
      cos: number[] = [],
      pTarget: number[] = [],
      correct: boolean[] = [];
    let agree = 0,
      total = 0;
    for (let j = 0; j < probes.length; j++) {
      const o = (j * pr.T + pr.T - 1) * D;
      let s = 0;
      for (let k = 0; k < D; k++) s += pr.h[o + k] ** 2;
      const n = Math.sqrt(s);
      const r = judge(pr.h, o, probes[j].target);
      norm.push(n);
      cos.push(r.dotT / (n * rowNorms[probes[j].target] || 1));
      pTarget.push(r.p);
      correct.push(r.arg === probes[j].target);
      agree += r.arg === r.narg ? 1 : 0;
      total++;
    }
    if (evalIds.length) {
      const ev = await this.hiddenStates(evalIds);
      for (let r = 0; r < ev.B * ev.T; r++) {
        const q = judge(ev.h, r * D, -1);
        agree += q.arg === q.narg ? 1 : 0;
        total++;
      }
    }
    // Probe 0 in the plane of its target and rival rows.
    const a = probes[0].target,
      b = probes[0].rival;
    const o0 = (pr.T - 1) * D;
    const e1 = new Float64Array(D),
      e2 = new Float64Array(D);
    for (let k = 0; k < D; k++) e1[k] = wu[a * D + k] / (rowNorms[a] || 1);
    let ub1 = 0;
    for (let k = 0; k < D; k++) ub1 += wu[b * D + k] * e1[k];
    let n2 = 0;
    for (let k = 0; k < D; k++) {
      e2[k] = wu[b * D + k] - ub1 * e1[k];
      n2 += e2[k] ** 2;
    }
    n2 = Math.sqrt(n2) || 1;
    let x1 = 0,
      x2 = 0,
      ub2 = 0,
      xb = 0;
    for (let k = 0; k < D; k++) {
      e2[k] /= n2;
      x1 += pr.h[o0 + k] * e1[k];
      x2 += pr.h[o0 + k] * e2[k];
      ub2 += wu[b * D + k] * e2[k];
      xb += pr.h[o0 + k] * wu[b * D + k];
    }
    const nx = norm[0] || 1;
    const plane = {
      x: [x1, x2] as [number, number],
      bAngle: Math.atan2(ub2, ub1),
      norm: norm[0],
      frac: Math.hypot(x1, x2) / nx,
      cosA: x1 / nx,
      cosB: xb / (nx * (rowNorms[b] || 1)),
    };
    return { step: this.t, norm, cos, pTarget, correct, agreement: total ? agree / total : NaN, agreementN: total, rowNorms, plane };
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([...this.params, ...this.m, ...this.v, this.mask]);
    this.params = [];
    this.m = [];
    this.v = [];
  }
}
