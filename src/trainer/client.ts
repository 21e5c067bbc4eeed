/**
 * The page's side of the trainer worker (no tfjs here): starts the worker,
 * sends requests, hands every response to the listeners.
 */
import type { TrainerRequest, TrainerResponse } from './messages';

export class TrainerClient {
  private worker: Worker;
  private listeners = new Set<(m: TrainerResponse) => void>();
  private memoryWaits = new Map<number, (m: { numTensors: number; numBytes: number }) => void>();
  private nextId = 1;

  constructor() {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
    this.worker.addEventListener('message', (e: MessageEvent<TrainerResponse>) => {
      const m = e.data;
      if (m.type === 'memory') {
        this.memoryWaits.get(m.id)?.(m);
        this.memoryWaits.delete(m.id);
        return;
      }
      this.listeners.forEach((l) => l(m));
    });
    this.worker.addEventListener('error', (e) => {
      this.listeners.forEach((l) => l({ type: 'error', message: e.message || 'the trainer worker failed' }));
    });
  }

  send(msg: TrainerRequest) {
    this.worker.postMessage(msg);
  }

  on(l: (m: TrainerResponse) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** tf.memory() in the trainer worker (answered after every request sent before it). */
  memory(): Promise<{ numTensors: number; numBytes: number }> {
    const id = this.nextId++;
    return new Promise((r) => {
      this.memoryWaits.set(id, r);
      this.send({ type: 'memory', id });
    });
  }

  terminate() {
    this.worker.terminate();
    this.listeners.clear();
  }
}
