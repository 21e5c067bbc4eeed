/**
 * An independent float64 reference of the in-page trainer's model and its
 * Adam step, written with plain loops from the architecture's description
 * (not from src/trainer/model.ts): embedding + positions, pre-LN causal
 * self-attention and GELU (tanh) MLP blocks without linear biases, final LN,
 * optional learned scalar, tied or untied unembedding, mean cross-entropy.
 * Gradients are central finite differences in float64, so they do not share
 * any autodiff code with tfjs.
 */
export interface RefConfig {
  vocabSize: number;
  context: number;
  dModel: number;
  layers: number;
  heads: number;
  layerNorm: boolean;
  tied: boolean;
  finalScale: boolean;
}

export type RefParams = Map<string, Float64Array>;

const EPS = 1e-5;

/** y[n, m] = x[n, k] · w[k, m] */
function matmul(x: Float64Array, w: Float64Array, n: number, k: number, m: number): Float64Array {
  const y = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += x[i * k + q] * w[q * m + j];
      y[i * m + j] = s;
    }
  return y;
}

function layerNorm(x: Float64Array, n: number, d: number, g: Float64Array, b: Float64Array): Float64Array {
  const y = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let mu = 0;
    for (let q = 0; q < d; q++) mu += x[i * d + q];
    mu /= d;
    let v = 0;
    for (let q = 0; q < d; q++) v += (x[i * d + q] - mu) ** 2;
    v /= d;
    const r = 1 / Math.sqrt(v + EPS);
    for (let q = 0; q < d; q++) y[i * d + q] = (x[i * d + q] - mu) * r * g[q] + b[q];
  }
  return y;
}

const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

/** Mean cross-entropy over B sequences of T tokens (ids and next-token targets). */
export function refLoss(c: RefConfig, p: RefParams, ids: number[][], targets: number[][]): number {
  const D = c.dModel,
    H = c.heads,
    hd = D / H,
    V = c.vocabSize;
  let total = 0,
    count = 0;
  for (let b = 0; b < ids.length; b++) {
    const T = ids[b].length;
    let x = new Float64Array(T * D);
    const wte = p.get('wte')!,
      wpe = p.get('wpe')!;
    for (let t = 0; t < T; t++) for (let q = 0; q < D; q++) x[t * D + q] = wte[ids[b][t] * D + q] + wpe[t * D + q];
    for (let l = 0; l < c.layers; l++) {
      const P = (n: string) => p.get(`h${l}.${n}`)!;
      const a = c.layerNorm ? layerNorm(x, T, D, P('ln1.g'), P('ln1.b')) : x;
      const Q = matmul(a, P('wq'), T, D, D),
        K = matmul(a, P('wk'), T, D, D),
        Vv = matmul(a, P('wv'), T, D, D);
      const att = new Float64Array(T * D);
      for (let h = 0; h < H; h++)
        for (let i = 0; i < T; i++) {
          // causal: position i attends to 0..i
          const s = new Float64Array(i + 1);
          let mx = -Infinity;
          for (let j = 0; j <= i; j++) {
            let d = 0;
            for (let q = 0; q < hd; q++) d += Q[i * D + h * hd + q] * K[j * D + h * hd + q];
            s[j] = d / Math.sqrt(hd);
            mx = Math.max(mx, s[j]);
          }
          let z = 0;
          for (let j = 0; j <= i; j++) z += s[j] = Math.exp(s[j] - mx);
          for (let j = 0; j <= i; j++) for (let q = 0; q < hd; q++) att[i * D + h * hd + q] += (s[j] / z) * Vv[j * D + h * hd + q];
        }
      const o = matmul(att, P('wo'), T, D, D);
      x = x.map((v, i) => v + o[i]);
      const m = c.layerNorm ? layerNorm(x, T, D, P('ln2.g'), P('ln2.b')) : x;
      const u = matmul(m, P('w1'), T, D, 4 * D).map(gelu);
      const w = matmul(u, P('w2'), T, 4 * D, D);
      x = x.map((v, i) => v + w[i]);
    }
    let h = c.layerNorm ? layerNorm(x, T, D, p.get('lnf.g')!, p.get('lnf.b')!) : x;
    if (c.finalScale) {
      const s = p.get('scale')![0];
      h = h.map((v) => v * s);
    }
    const wu = c.tied ? wte : p.get('wu')!;
    for (let t = 0; t < T; t++) {
      const logits = new Float64Array(V);
      let mx = -Infinity;
      for (let i = 0; i < V; i++) {
        let d = 0;
        for (let q = 0; q < D; q++) d += h[t * D + q] * wu[i * D + q];
        logits[i] = d;
        mx = Math.max(mx, d);
      }
      let z = 0;
      for (let i = 0; i < V; i++) z += Math.exp(logits[i] - mx);
      total += -(logits[targets[b][t]] - mx - Math.log(z));
      count++;
    }
  }
  return total / count;
}

/** Central finite-difference gradient of refLoss with respect to every parameter. */
export function refGrads(c: RefConfig, p: RefParams, ids: number[][], targets: number[][], h = 1e-6): RefParams {
  const out: RefParams = new Map();
  for (const [name, a] of p) {
    const g = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      a[i] = v + h;
      const up = refLoss(c, p, ids, targets);
      a[i] = v - h;
      const dn = refLoss(c, p, ids, targets);
      a[i] = v;
      g[i] = (up - dn) / (2 * h);
    }
    out.set(name, g);
  }
  return out;
}

/** The first Adam step from zero moments (textbook form, with bias correction). */
export function refAdamFirstStep(p: RefParams, g: RefParams, lr: number, beta1: number, beta2: number, eps: number): RefParams {
  const out: RefParams = new Map();
  for (const [name, a] of p) {
    const gr = g.get(name)!;
    out.set(
      name,
      a.map((v, i) => {
        const m = (1 - beta1) * gr[i];
        const s = (1 - beta2) * gr[i] * gr[i];
        const mHat = m / (1 - beta1);
        const sHat = s / (1 - beta2);
        return v - (lr * mHat) / (Math.sqrt(sHat) + eps);
      }),
    );
  }
  return out;
}
