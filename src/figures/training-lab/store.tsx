/**
 * The thin container between the trainer worker and the lab's figures: one
 * TrainerClient (started when the chapter first comes near the viewport),
 * the run's recorded steps and read-outs, and the actions. Figures get plain
 * props from the connected wrappers in Connected.tsx.
 *
 * The worker posts progress every ~150 ms; the arrays and the live numbers
 * grow in refs, and React re-renders at most every 250 ms (1 s under
 * prefers-reduced-motion), and only while the chapter is on screen: a run
 * that trains while the reader is elsewhere costs the main thread nothing but
 * the messages.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { TrainerClient } from '../../trainer/client';
import type { LabInfo, LabRecord, LabSettings, Switch } from '../../trainer/lab';
import type { TrainerResponse } from '../../trainer/messages';
import { setParams, useParams } from '../../state/store';

export interface RunData {
  run: number;
  step: number[];
  lossA: number[];
  lossB: number[];
  /** Training seconds at the end of each step. */
  t: number[];
  records: LabRecord[];
}

export interface LabState {
  status: 'idle' | 'starting' | 'ready' | 'error';
  error: string | null;
  backend: string | null;
  info: LabInfo | null;
  /**
   * The run as of the last redraw: a new object on every redraw (its arrays grow in place in between), so views
   * memoise on `data` itself.
   */
  data: RunData;
  running: boolean;
  trainSeconds: number;
  stepsPerSec: number;
  tokensPerSec: number;
  numTensors: number;
  stopped?: string;
  settings: LabSettings;
  setSettings(s: Partial<LabSettings>): void;
  start(): void;
  pause(): void;
  reset(): void;
  /** Call when the lab is near the viewport: starts the worker (once). */
  activate(): void;
}

const empty = (run = 0): RunData => ({ run, step: [], lossA: [], lossB: [], t: [], records: [] });

const Ctx = createContext<LabState | null>(null);

export function useTrainingLab(): LabState {
  const c = useContext(Ctx);
  if (!c) throw new Error('useTrainingLab outside TrainingLabProvider');
  return c;
}

/** How long the trainer holds its steps after the reader's last drag event elsewhere on the page (ms). */
const READER_BUSY_MS = 300;

function reducedMotion(): boolean {
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export function TrainingLabProvider({ children }: { children: ReactNode }) {
  const [state] = useParams(['tl_seed', 'tl_diff', 'tl_ln', 'tl_tied', 'tl_scale'] as const);
  const setState = setParams;
  const settings: LabSettings = useMemo(
    () => ({ seed: state.tl_seed, diff: state.tl_diff as Switch, ln: state.tl_ln, tied: state.tl_tied, scale: state.tl_scale }),
    [state.tl_seed, state.tl_diff, state.tl_ln, state.tl_tied, state.tl_scale],
  );
  const client = useRef<TrainerClient | null>(null);
  const data = useRef<RunData>(empty());
  const [status, setStatus] = useState<LabState['status']>('idle');
  const [error, setError] = useState<string | null>(null);
  const [backend, setBackend] = useState<string | null>(null);
  const [info, setInfo] = useState<LabInfo | null>(null);
  const liveRef = useRef({
    running: false,
    trainSeconds: 0,
    stepsPerSec: 0,
    tokensPerSec: 0,
    numTensors: 0,
    stopped: undefined as string | undefined,
  });
  const [live, setLive] = useState(liveRef.current);
  // What the views draw: a fresh RunData object per redraw, sharing the growing arrays of data.current.
  const [shown, setShown] = useState<RunData>(data.current);
  const redraw = useRef<{ timer: ReturnType<typeof setTimeout> | null; last: number; visible: boolean; dirty: boolean }>({
    timer: null,
    last: 0,
    visible: false,
    dirty: false,
  });
  const box = useRef<HTMLDivElement | null>(null);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  const scheduleRedraw = useCallback((now = false) => {
    const r = redraw.current;
    if (!r.visible) {
      r.dirty = true;
      return;
    }
    if (r.timer) {
      if (!now) return;
      clearTimeout(r.timer); // an immediate redraw does not wait behind a throttled one
    }
    const gap = reducedMotion() ? 1000 : 250;
    const wait = now ? 0 : Math.max(0, r.last + gap - performance.now());
    r.timer = setTimeout(() => {
      r.timer = null;
      r.last = performance.now();
      r.dirty = false;
      setLive(liveRef.current);
      setShown({ ...data.current });
    }, wait);
  }, []);

  // Redraw only while the chapter is within a screen of the viewport; catch up when it comes back.
  useEffect(() => {
    const el = box.current;
    if (!el || typeof IntersectionObserver === 'undefined') {
      redraw.current.visible = true;
      return;
    }
    const io = new IntersectionObserver(
      (es) => {
        const v = es.some((e) => e.isIntersecting);
        redraw.current.visible = v;
        if (v && redraw.current.dirty) scheduleRedraw(true);
      },
      { rootMargin: '300px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [scheduleRedraw]);

  const onMessage = useCallback(
    (m: TrainerResponse) => {
      if (m.type === 'ready') {
        data.current = empty(m.run);
        setInfo(m.info);
        setBackend(m.backend);
        setStatus('ready');
        setError(null);
        scheduleRedraw(true);
      } else if (m.type === 'progress') {
        const d = data.current;
        if (m.run !== d.run) return;
        for (const s of m.steps) {
          d.step.push(s.step);
          d.lossA.push(s.loss[0]);
          d.lossB.push(s.loss[1]);
          d.t.push(s.t ?? NaN);
        }
        d.records.push(...m.records);
        const toggled = liveRef.current.running !== m.running;
        liveRef.current = {
          running: m.running,
          trainSeconds: m.trainSeconds,
          stepsPerSec: m.stepsPerSec,
          tokensPerSec: m.tokensPerSec,
          numTensors: m.numTensors,
          stopped: m.stopped,
        };
        // at once when training stops, or when it starts or pauses (the button's label); throttled while it runs
        scheduleRedraw(!m.running || toggled);
      } else if (m.type === 'error') {
        setError(m.message);
        setStatus((s) => (s === 'starting' ? 'error' : s));
      }
    },
    [scheduleRedraw],
  );

  const activate = useCallback(() => {
    if (client.current) return;
    let c: TrainerClient;
    try {
      c = new TrainerClient();
    } catch (e) {
      setStatus('error');
      setError(`The trainer could not start: ${(e as Error).message}`);
      return;
    }
    client.current = c;
    c.on(onMessage);
    setStatus('starting');
    const b = new URLSearchParams(location.search).get('backend') ?? 'auto';
    c.send({ type: 'configure', settings: settingsRef.current });
    c.send({ type: 'init', backend: b });
  }, [onMessage]);

  // A change of switches or seed rebuilds both models (paused, at step 0).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    client.current?.send({ type: 'configure', settings });
  }, [settings]);

  useEffect(
    () => () => {
      client.current?.terminate();
      client.current = null;
      if (redraw.current.timer) clearTimeout(redraw.current.timer);
    },
    [],
  );

  // On a machine with few cores the trainer and the page share them: while the reader drags a slider elsewhere (a
  // range input's input events, or a pointer moving with a button down), the trainer takes no step, so that the drag
  // keeps its frame rate; it resumes 300 ms after the last such event. Throttled to one message per 100 ms.
  useEffect(() => {
    if ((navigator.hardwareConcurrency ?? 8) > 4) return;
    let last = 0;
    const busy = (e: Event) => {
      if (!client.current || !liveRef.current.running) return;
      if (box.current && e.target instanceof Node && box.current.contains(e.target)) return;
      if (e.type === 'pointermove' && !(e as PointerEvent).buttons) return;
      if (e.type === 'input' && !(e.target instanceof HTMLInputElement && e.target.type === 'range')) return;
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      client.current.send({ type: 'reader-busy', ms: READER_BUSY_MS });
    };
    document.addEventListener('input', busy, true);
    document.addEventListener('pointermove', busy, true);
    return () => {
      document.removeEventListener('input', busy, true);
      document.removeEventListener('pointermove', busy, true);
    };
  }, []);

  // Tests and the benchmark read the worker's tensor count and the recorded run through this handle.
  useEffect(() => {
    (window as unknown as { __trainlab?: unknown }).__trainlab = {
      memory: () => client.current?.memory() ?? Promise.resolve(null),
      data: () => ({
        run: data.current.run,
        step: data.current.step,
        lossA: data.current.lossA,
        lossB: data.current.lossB,
        t: data.current.t,
        records: data.current.records.length,
      }),
    };
  }, []);

  const value: LabState = {
    status,
    error,
    backend,
    info,
    data: shown,
    ...live,
    settings,
    setSettings: (s) => {
      const patch: Record<string, unknown> = {};
      if (s.seed !== undefined) patch.tl_seed = s.seed;
      if (s.diff !== undefined) patch.tl_diff = s.diff;
      if (s.ln !== undefined) patch.tl_ln = s.ln;
      if (s.tied !== undefined) patch.tl_tied = s.tied;
      if (s.scale !== undefined) patch.tl_scale = s.scale;
      setState(patch);
    },
    start: () => client.current?.send({ type: 'start' }),
    pause: () => client.current?.send({ type: 'pause' }),
    reset: () => client.current?.send({ type: 'reset' }),
    activate,
  };
  return (
    <Ctx.Provider value={value}>
      <div className="chapter-host" ref={box}>
        {children}
      </div>
    </Ctx.Provider>
  );
}
