/**
 * The trainer worker's logic, apart from the worker global (so it can run in
 * Node tests): one Lab at a time, Start / Pause / Reset, a training loop that
 * yields to the message queue between steps and posts progress in batches.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_SETTINGS, Lab, MAX_STEPS, RECORD_EVERY, type LabSettings } from './lab';
import type { TrainerProgress, TrainerRequest, TrainerResponse } from './messages';

/** How often progress is posted while training (ms): often enough to look live, rarely enough to stay cheap. */
const POST_EVERY_MS = 150;

export function createTrainerCore(
  post: (m: TrainerResponse) => void,
  startBackend: (name: string) => Promise<{ name: string; note: string }>,
) {
  let settings: LabSettings = DEFAULT_SETTINGS;
  let lab: Lab | null = null;
  let run = 0;
  let running = false;
  let loop: Promise<void> | null = null;
  let backend: { name: string; note: string } | null = null;
  let trainMs = 0;
  const recent: { t: number; step: number }[] = [];
  let pending: Pick<TrainerProgress, 'steps' | 'records'> = { steps: [], records: [] };
  let lastPost = 0;
  let stopped: string | undefined;

  const rate = () => {
    if (recent.length < 2) return 0;
    const a = recent[0],
      b = recent[recent.length - 1];
    return b.t > a.t ? ((b.step - a.step) * 1000) / (b.t - a.t) : 0;
  };

  function flush() {
    const sps = rate();
    post({
      type: 'progress',
      run,
      steps: pending.steps,
      records: pending.records,
      running,
      trainSeconds: trainMs / 1000,
      stepsPerSec: sps,
      tokensPerSec: lab ? sps * 2 * lab.info.tokensPerStep : 0,
      numTensors: tf.memory().numTensors,
      stopped,
    });
    pending = { steps: [], records: [] };
    lastPost = performance.now();
  }

  const yieldNow = () => new Promise<void>((r) => setTimeout(r, 0));
  // Until then the page has asked for the CPU (a slider drag elsewhere, on a machine with few cores): the loop takes no
  // step, checking every WAIT_MS whether the hint has run out or the run was paused. The numbers are unchanged; the
  // waiting is not counted as training time.
  let readerBusyUntil = 0;
  const WAIT_MS = 40;
  const rest = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  async function trainLoop(myRun: number) {
    while (running && lab && run === myRun) {
      if (lab.steps >= MAX_STEPS) {
        running = false;
        stopped = `stopped at ${MAX_STEPS} steps`;
        break;
      }
      const t0 = performance.now();
      const s = await lab.step();
      if (s.step % RECORD_EVERY === 0) pending.records.push(await lab.record());
      const t1 = performance.now();
      trainMs += t1 - t0;
      pending.steps.push({ ...s, t: trainMs / 1000 });
      recent.push({ t: trainMs, step: s.step });
      while (recent.length > 2 && recent[recent.length - 1].t - recent[0].t > 3000) recent.shift();
      if (t1 - lastPost > POST_EVERY_MS) flush();
      await yieldNow();
      while (running && run === myRun && performance.now() < readerBusyUntil)
        await rest(Math.min(WAIT_MS, readerBusyUntil - performance.now()));
    }
    if (run === myRun) flush();
  }

  async function stop() {
    running = false;
    if (loop) await loop;
    loop = null;
  }

  async function rebuild() {
    await stop();
    lab?.dispose();
    lab = null;
    run++;
    trainMs = 0;
    recent.length = 0;
    pending = { steps: [], records: [] };
    stopped = undefined;
    lab = new Lab(settings);
    // Step 0: the untrained models' read-outs, so every curve starts at initialisation.
    pending.records.push(await lab.record());
    post({ type: 'ready', run, backend: backend!.name, note: backend!.note, info: lab.info, numTensors: tf.memory().numTensors });
    flush();
  }

  // Requests are handled one at a time, in order.
  let queue: Promise<void> = Promise.resolve();
  return function handle(msg: TrainerRequest) {
    if (msg.type === 'reader-busy') {
      // not queued: it matters only while the loop runs, and at once
      readerBusyUntil = performance.now() + msg.ms;
      return;
    }
    queue = queue.then(async () => {
      try {
        switch (msg.type) {
          case 'init':
            backend ??= await startBackend(msg.backend);
            await rebuild();
            break;
          case 'configure':
            settings = msg.settings;
            if (backend) await rebuild();
            break;
          case 'start':
            if (!lab || running) break;
            if (lab.steps >= MAX_STEPS) break;
            running = true;
            stopped = undefined;
            flush(); // the page learns that training runs now, not after the first step's synchronous part
            loop = trainLoop(run);
            break;
          case 'pause':
            await stop();
            flush();
            break;
          case 'reset':
            if (backend) await rebuild();
            break;
          case 'memory': {
            const m = tf.memory();
            post({ type: 'memory', id: msg.id, numTensors: m.numTensors, numBytes: m.numBytes });
            break;
          }
        }
      } catch (e) {
        running = false;
        post({ type: 'error', message: (e as Error)?.message ?? String(e) });
      }
    });
  };
}
