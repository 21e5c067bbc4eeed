/** Messages between the page and the trainer worker (plain data only). */
import type { LabInfo, LabRecord, LabSettings, LabStep } from './lab';

export type TrainerRequest =
  | { type: 'init'; backend: string }
  | { type: 'configure'; settings: LabSettings }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'reset' }
  | { type: 'memory'; id: number }
  /** The reader is dragging a control elsewhere on the page: take no step for the next `ms` (0: resume now). */
  | { type: 'reader-busy'; ms: number };

export interface TrainerProgress {
  type: 'progress';
  /** Increments on every reset or reconfiguration; the page drops progress from an older run. */
  run: number;
  steps: LabStep[];
  records: LabRecord[];
  running: boolean;
  /** Wall-clock seconds spent training in this run (paused time excluded). */
  trainSeconds: number;
  /** Steps per second (each step trains both models) over the last few seconds of training. */
  stepsPerSec: number;
  /** Training tokens per second, both models together. */
  tokensPerSec: number;
  numTensors: number;
  /** Why training stopped by itself, if it did. */
  stopped?: string;
}

export type TrainerResponse =
  | { type: 'ready'; run: number; backend: string; note: string; info: LabInfo; numTensors: number }
  | TrainerProgress
  | { type: 'memory'; id: number; numTensors: number; numBytes: number }
  | { type: 'error'; message: string };
