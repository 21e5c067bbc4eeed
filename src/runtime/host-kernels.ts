/**
 * Fused kernels for the backends that keep tensors in host memory (tfjs-wasm's heap, tfjs-cpu's
 * arrays), written in plain JS over Float32Arrays and registered as tfjs kernels.
 *
 * Why: composed from tfjs ops, a LayerNorm is 9 kernels (its broadcast multiply alone is slow on
 * wasm), GPT-2's GELU 7, and a block's attention about 30 (split, transpose, per-head matMuls,
 * concat, mask, softmax), and on small inputs a tfjs-wasm forward spent about a third of its time
 * between kernels. Here the norm is one kernel, the GELU three (its sigmoid and product stay wasm
 * kernels), and attention one kernel or 2H + 5 around XNNPACK's matMuls (see layers.ts,
 * hostAttentionCore); each reads its inputs in place.
 * GPU backends have no such kernels: `hasHostKernel` is false there and layers.ts composes tfjs ops.
 *
 * Each kernel is a pure function (inputs, output, sizes) -> void, so tests can run it on arrays.
 * Sums run in float64 (JS numbers); results are stored as float32.
 */
import * as tf from '@tensorflow/tfjs-core';

export const NORM_KERNEL = 'TdNorm';
export const ATTENTION_KERNEL = 'TdCausalAttention';
export const GELU_ARG_KERNEL = 'TdGeluArg';
export const SPLIT_HEADS_KERNEL = 'TdSplitHeads';
export const MASKED_SCORES_KERNEL = 'TdMaskedScores';
export const SPLIT_ROWS_KERNEL = 'TdSplitRows';
export const JOIN_HEADS_KERNEL = 'TdJoinHeads';

/** LayerNorm (rms = false) or RMSNorm (rms = true) of each row: x [N, D], g [D], b [D] (zeros for RMSNorm) -> out [N, D]. */
export function normRows(
  x: Float32Array,
  g: Float32Array,
  b: Float32Array,
  out: Float32Array,
  N: number,
  D: number,
  eps: number,
  rms: boolean,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * D;
    let mean = 0;
    if (!rms) {
      for (let d = 0; d < D; d++) mean += x[o + d];
      mean /= D;
    }
    let ss = 0;
    for (let d = 0; d < D; d++) {
      const c = x[o + d] - mean;
      ss += c * c;
    }
    const inv = 1 / Math.sqrt(ss / D + eps); // biased variance (PyTorch), or mean square for RMSNorm
    for (let d = 0; d < D; d++) out[o + d] = (x[o + d] - mean) * inv * g[d] + b[d];
  }
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * The sigmoid's argument of GPT-2's gelu_new: 0.5 x (1 + tanh(z)) = x sigmoid(2z), z = sqrt(2/pi) (x + 0.044715 x³);
 * x -> out = 2z. The sigmoid and the product stay tfjs-wasm kernels: Math.exp costs about 15 ns here,
 * the wasm sigmoid about 1.5 ns an element.
 */
export function geluNewArg(x: Float32Array, out: Float32Array): void {
  const a = 2 * SQRT_2_OVER_PI;
  const b = a * 0.044715;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v * (a + b * v * v);
  }
}

/** The first key that query position i sees: 0, or with a window, the oldest of the last `window` keys. */
function firstKey(i: number, window: number): number {
  return window > 0 ? Math.max(0, i - window + 1) : 0;
}

/**
 * Causal multi-head self-attention of T positions on one fused projection:
 * qkv [T, 3D] (q | k | v, head h in columns h hd .. (h+1) hd − 1 of each), queries scaled by `scale`,
 * query i sees keys j <= i (and i − j < window when window > 0) -> out [T, D], heads side by side.
 * Each head's keys and values are first copied into contiguous [T, hd] rows (cache-friendly, simple
 * indexing); the dot products are unrolled by 4 (hd is a multiple of 4 in every supported model).
 */
export function causalAttention(
  qkv: Float32Array,
  out: Float32Array,
  T: number,
  D: number,
  H: number,
  scale: number,
  window: number,
): void {
  const hd = D / H;
  const row = 3 * D;
  const { k, v, q, s, acc } = scratch(T, hd);
  const unrolled = hd % 4 === 0;
  for (let h = 0; h < H; h++) {
    for (let t = 0; t < T; t++) {
      const src = t * row + h * hd;
      for (let d = 0; d < hd; d++) {
        k[t * hd + d] = qkv[src + D + d];
        v[t * hd + d] = qkv[src + 2 * D + d];
      }
    }
    for (let i = 0; i < T; i++) {
      const j0 = firstKey(i, window);
      const qi = i * row + h * hd;
      for (let d = 0; d < hd; d++) q[d] = qkv[qi + d] * scale;
      let max = -Infinity;
      for (let j = j0; j <= i; j++) {
        const kj = j * hd;
        let s0 = 0;
        if (unrolled) {
          let s1 = 0,
            s2 = 0,
            s3 = 0;
          for (let d = 0; d < hd; d += 4) {
            s0 += q[d] * k[kj + d];
            s1 += q[d + 1] * k[kj + d + 1];
            s2 += q[d + 2] * k[kj + d + 2];
            s3 += q[d + 3] * k[kj + d + 3];
          }
          s0 += s1 + s2 + s3;
        } else for (let d = 0; d < hd; d++) s0 += q[d] * k[kj + d];
        s[j] = s0;
        if (s0 > max) max = s0;
      }
      let sum = 0;
      for (let j = j0; j <= i; j++) {
        const e = Math.exp(s[j] - max);
        s[j] = e;
        sum += e;
      }
      acc.fill(0, 0, hd);
      for (let j = j0; j <= i; j++) {
        const p = s[j];
        const vj = j * hd;
        for (let d = 0; d < hd; d++) acc[d] += p * v[vj + d];
      }
      const yo = i * D + h * hd;
      const inv = 1 / sum;
      for (let d = 0; d < hd; d++) out[yo + d] = acc[d] * inv;
    }
  }
}

/**
 * The heads of a fused projection, laid out for untransposed 2-D matMuls: qkv [T, 3D] ->
 * q_h [T, hd] (times scale), kT_h [hd, T], v_h [T, hd] for h < H (outputs in that order: all q, all kT, all v).
 */
export function splitHeads(
  qkv: Float32Array,
  q: Float32Array[],
  kT: Float32Array[],
  v: Float32Array[],
  T: number,
  D: number,
  scale: number,
): void {
  const H = q.length;
  const hd = D / H;
  const row = 3 * D;
  for (let h = 0; h < H; h++) {
    const qh = q[h];
    const kh = kT[h];
    const vh = v[h];
    for (let t = 0; t < T; t++) {
      const src = t * row + h * hd;
      for (let d = 0; d < hd; d++) {
        qh[t * hd + d] = qkv[src + d] * scale;
        kh[d * T + t] = qkv[src + D + d];
        vh[t * hd + d] = qkv[src + 2 * D + d];
      }
    }
  }
}

/**
 * The heads' causal scores stacked for one softmax: s_h [T, T] for h < H -> out [H T, T] (head-major
 * rows), with −1e9 where query i may not see key j (j > i, or, when window > 0, i − j >= window).
 */
export function maskedScores(s: Float32Array[], out: Float32Array, T: number, window: number): void {
  for (let h = 0; h < s.length; h++) {
    const base = h * T * T;
    out.set(s[h].subarray(0, T * T), base);
    for (let i = 0; i < T; i++) {
      const o = base + i * T;
      const j0 = firstKey(i, window);
      for (let j = 0; j < j0; j++) out[o + j] = -1e9;
      for (let j = i + 1; j < T; j++) out[o + j] = -1e9;
    }
  }
}

/** Heads side by side: y_h [T, hd] for h < H -> out [T, H hd]. */
export function joinHeads(y: Float32Array[], out: Float32Array, T: number, hd: number): void {
  const H = y.length;
  const D = H * hd;
  for (let h = 0; h < H; h++) {
    const yh = y[h];
    for (let t = 0; t < T; t++) out.set(yh.subarray(t * hd, (t + 1) * hd), t * D + h * hd);
  }
}

let buf = {
  T: 0,
  hd: 0,
  k: new Float32Array(0),
  v: new Float32Array(0),
  q: new Float64Array(0),
  s: new Float64Array(0),
  acc: new Float64Array(0),
};
/** Scratch arrays for causalAttention, grown as needed and reused (the kernel runs once per block). */
function scratch(T: number, hd: number): typeof buf {
  if (buf.T < T || buf.hd < hd) {
    const t = Math.max(T, buf.T);
    const h = Math.max(hd, buf.hd);
    buf = {
      T: t,
      hd: h,
      k: new Float32Array(t * h),
      v: new Float32Array(t * h),
      q: new Float64Array(h),
      s: new Float64Array(t),
      acc: new Float64Array(h),
    };
  }
  return buf;
}

// ---- registration -------------------------------------------------------------------------------

type Info = tf.TensorInfo;
interface HostBackend {
  /** the input's float32 values, in place */
  values(t: Info): Float32Array;
  /** a new float32 output and a writable view of it; views of inputs taken before may be stale (wasm heap growth) */
  output(shape: number[]): { info: Info; values(): Float32Array };
}

/** tfjs-wasm: tensors live in the module's heap; makeOutput allocates there (and may grow the heap). */
function wasmHost(be: unknown): HostBackend {
  const b = be as { makeOutput(s: number[], d: string): Info; typedArrayFromHeap(t: Info): Float32Array };
  return {
    values: (t) => b.typedArrayFromHeap(t),
    output: (shape) => {
      const info = b.makeOutput(shape, 'float32');
      return { info, values: () => b.typedArrayFromHeap(info) };
    },
  };
}

/** tfjs-cpu: each tensor's values are a typed array in the backend's data map. */
function cpuHost(be: unknown): HostBackend {
  const b = be as { data: { get(id: object): { values: Float32Array } }; makeTensorInfo(s: number[], d: string, v: Float32Array): Info };
  return {
    values: (t) => b.data.get(t.dataId).values,
    output: (shape) => {
      const v = new Float32Array(shape.reduce((a, s) => a * s, 1));
      return { info: b.makeTensorInfo(shape, 'float32', v), values: () => v };
    },
  };
}

const HOSTS: Record<string, (be: unknown) => HostBackend> = { wasm: wasmHost, cpu: cpuHost };

type Kernel = (host: HostBackend, inputs: Record<string, Info>, attrs: Record<string, unknown>) => Info | Info[];

/** A list of tensors as a kernel's named inputs { 0: t0, 1: t1, … } (read back in order by `listed`). */
export function named(ts: tf.Tensor[]): tf.NamedTensorMap {
  const m: tf.NamedTensorMap = {};
  ts.forEach((t, i) => (m[i] = t));
  return m;
}

/** Inputs passed as { 0: t0, 1: t1, … } (a kernel that takes one tensor per head), in order. */
const listed = (inputs: Record<string, Info>): Info[] =>
  Object.keys(inputs)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => inputs[k]);

const KERNELS: Record<string, Kernel> = {
  [NORM_KERNEL]: (host, { x, g, b }, attrs) => {
    const [N, D] = x.shape;
    const out = host.output([N, D]);
    const o = out.values(); // after the allocation: the input views below are current
    normRows(host.values(x), host.values(g), host.values(b), o, N, D, attrs.eps as number, attrs.rms as boolean);
    return out.info;
  },
  [GELU_ARG_KERNEL]: (host, { x }) => {
    const out = host.output(x.shape.slice());
    const o = out.values();
    geluNewArg(host.values(x), o);
    return out.info;
  },
  [SPLIT_HEADS_KERNEL]: (host, { qkv }, attrs) => {
    const [T, D3] = qkv.shape;
    const D = D3 / 3;
    const H = attrs.heads as number;
    const hd = D / H;
    const outs = [
      ...Array.from({ length: H }, () => host.output([T, hd])),
      ...Array.from({ length: H }, () => host.output([hd, T])),
      ...Array.from({ length: H }, () => host.output([T, hd])),
    ];
    const a = outs.map((o) => o.values()); // after every allocation
    splitHeads(host.values(qkv), a.slice(0, H), a.slice(H, 2 * H), a.slice(2 * H), T, D, attrs.scale as number);
    return outs.map((o) => o.info);
  },
  [MASKED_SCORES_KERNEL]: (host, inputs, attrs) => {
    const ins = listed(inputs);
    const T = ins[0].shape[0];
    const out = host.output([ins.length * T, T]);
    const o = out.values();
    maskedScores(
      ins.map((t) => host.values(t)),
      o,
      T,
      attrs.window as number,
    );
    return out.info;
  },
  [SPLIT_ROWS_KERNEL]: (host, { x }, attrs) => {
    const [R, C] = x.shape;
    const n = attrs.parts as number;
    const outs = Array.from({ length: n }, () => host.output([R / n, C]));
    const a = outs.map((o) => o.values());
    const xv = host.values(x);
    const size = (R / n) * C;
    a.forEach((o, i) => o.set(xv.subarray(i * size, (i + 1) * size)));
    return outs.map((o) => o.info);
  },
  [JOIN_HEADS_KERNEL]: (host, inputs) => {
    const ins = listed(inputs);
    const [T, hd] = ins[0].shape;
    const out = host.output([T, hd * ins.length]);
    const o = out.values();
    joinHeads(
      ins.map((t) => host.values(t)),
      o,
      T,
      hd,
    );
    return out.info;
  },
  [ATTENTION_KERNEL]: (host, { qkv }, attrs) => {
    const [T, D3] = qkv.shape;
    const D = D3 / 3;
    const out = host.output([T, D]);
    const o = out.values();
    causalAttention(host.values(qkv), o, T, D, attrs.heads as number, attrs.scale as number, attrs.window as number);
    return out.info;
  },
};

for (const [backendName, host] of Object.entries(HOSTS)) {
  for (const [kernelName, k] of Object.entries(KERNELS)) {
    if (tf.getKernel(kernelName, backendName)) continue; // already registered (module loaded twice, e.g. in tests)
    tf.registerKernel({
      kernelName,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) =>
        k(host(backend), inputs as Record<string, Info>, (attrs ?? {}) as Record<string, unknown>),
    });
  }
}

/** Host kernels can be switched off (tests compare them with the composed tfjs ops). */
let enabled = true;
export function setHostKernels(on: boolean): void {
  enabled = on;
}

/** Whether the active backend runs `kernelName` as a host kernel. */
export function hasHostKernel(kernelName: string): boolean {
  return enabled && tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}
