/**
 * The experiment: two tiny models with the same seed, corpus, batches and
 * schedule, identical except for one switch, trained in lockstep. tfjs only,
 * no React, no worker API (the worker in worker.ts drives it; tests drive it
 * directly).
 */
import { makeCorpus, PROBES, VOCAB, type Corpus } from './corpus';
import { paramCount, type ModelConfig } from './model';
import { DEFAULT_OPTIM, Trainer, sampleBatch, type OptimConfig, type ProbeReadout } from './trainer';
import { mulberry32 } from '../geometry/random';

/** Which switch differs between the two models. */
export type Switch = 'ln' | 'tied' | 'scale';
export const SWITCHES: readonly Switch[] = ['ln', 'tied', 'scale'];

export interface LabSettings {
  seed: number;
  /** The switch that differs: model A has it on, model B off. */
  diff: Switch;
  /** The shared settings of the switches that do not differ. */
  ln: boolean;
  tied: boolean;
  scale: boolean;
}

export const DEFAULT_SETTINGS: LabSettings = { seed: 1, diff: 'ln', ln: true, tied: true, scale: false };

/** Sizes, chosen by measuring on this machine's wasm backend (see the chapter and the bench). */
export const LAB_SIZES = { context: 24, dModel: 32, layers: 2, heads: 2 } as const;
export const LAB_OPTIM: OptimConfig = { ...DEFAULT_OPTIM, lr: 1e-2, warmup: 20, batch: 16 };
/** Probe read-outs every this many steps. */
export const RECORD_EVERY = 5;
/** Training stops by itself here (a reader who walks away does not keep the CPU busy). */
export const MAX_STEPS = 1500;

export const SWITCH_LABEL: Record<Switch, [string, string]> = {
  ln: ['with LayerNorm', 'without LayerNorm'],
  tied: ['tied (W_U = W_E)', 'untied (own W_U)'],
  scale: ['learned final scale', 'no final scale'],
};

export function pairConfigs(s: LabSettings, vocabSize: number): [ModelConfig, ModelConfig] {
  const base: ModelConfig = { vocabSize, ...LAB_SIZES, layerNorm: s.ln, tied: s.tied, finalScale: s.scale };
  const key = s.diff === 'ln' ? 'layerNorm' : s.diff === 'tied' ? 'tied' : 'finalScale';
  return [
    { ...base, [key]: true },
    { ...base, [key]: false },
  ];
}

export interface LabInfo {
  configs: [ModelConfig, ModelConfig];
  labels: [string, string];
  params: [number, number];
  optim: OptimConfig;
  corpusTokens: number;
  vocabSize: number;
  unigramEntropy: number;
  bigramEntropy: number;
  tokensPerStep: number;
  probes: { text: string; target: string; rival: string }[];
  recordEvery: number;
  maxSteps: number;
}

export interface LabStep {
  step: number;
  loss: [number, number];
  /** Training wall-clock seconds at the end of this step (set by the worker loop; paused time excluded). */
  t?: number;
}

export interface LabRecord {
  step: number;
  a: ProbeReadout;
  b: ProbeReadout;
}

let corpusCache: Corpus | null = null;
export function labCorpus(): Corpus {
  return (corpusCache ??= makeCorpus());
}

export class Lab {
  readonly settings: LabSettings;
  readonly info: LabInfo;
  private models: [Trainer, Trainer];
  private evalIds: number[][];

  constructor(settings: LabSettings, optim: OptimConfig = LAB_OPTIM) {
    this.settings = settings;
    const corpus = labCorpus();
    const configs = pairConfigs(settings, corpus.vocabSize);
    this.models = [new Trainer(configs[0], corpus, settings.seed, optim), new Trainer(configs[1], corpus, settings.seed, optim)];
    // A fixed evaluation batch (independent of the training seed) for the Euclid-vs-dot agreement.
    const ev = sampleBatch(corpus, 8, LAB_SIZES.context, mulberry32(7));
    const V = corpus.vocabSize;
    this.evalIds = [];
    for (let b = 0; b < ev.B; b++) {
      const row: number[] = [];
      for (let t = 0; t < ev.T; t++) row.push(ev.inputs.subarray((b * ev.T + t) * V, (b * ev.T + t + 1) * V).indexOf(1));
      this.evalIds.push(row);
    }
    this.info = {
      configs,
      labels: SWITCH_LABEL[settings.diff],
      params: [paramCount(configs[0]), paramCount(configs[1])],
      optim,
      corpusTokens: corpus.ids.length,
      vocabSize: corpus.vocabSize,
      unigramEntropy: corpus.unigramEntropy,
      bigramEntropy: corpus.bigramEntropy,
      tokensPerStep: optim.batch * LAB_SIZES.context,
      probes: PROBES.map((p) => ({ text: p.text, target: VOCAB[p.target], rival: VOCAB[p.rival] })),
      recordEvery: RECORD_EVERY,
      maxSteps: MAX_STEPS,
    };
  }

  get steps(): number {
    return this.models[0].steps;
  }

  /** One step of each model on the same batch. */
  async step(): Promise<LabStep> {
    const batch = this.models[0].nextBatch();
    this.models[1].nextBatch(); // keep B's sampler in step with A's (same seed, same stream)
    const a = await this.models[0].step(batch);
    const b = await this.models[1].step(batch);
    return { step: a.step, loss: [a.loss, b.loss] };
  }

  async record(): Promise<LabRecord> {
    const [a, b] = await Promise.all(this.models.map((m) => m.readout(PROBES, this.evalIds)));
    return { step: this.steps, a, b };
  }

  dispose() {
    this.models.forEach((m) => m.dispose());
  }
}
