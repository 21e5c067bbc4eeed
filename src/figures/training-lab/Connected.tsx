/**
 * The lab's figures wired to the container (store.tsx): each reads the run
 * from context and passes plain props to a view. `lab.data` is a new object
 * on every redraw while its arrays grow in place, so the memos below depend
 * on `lab.data` itself, never on one of its arrays.
 */
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useWidth } from '../../kit/hooks';
import { fmt } from '../../kit/format';
import type { LabInfo } from '../../trainer/lab';
import { Controls } from './Controls';
import { useTrainingLab } from './store';
import { smoothed } from './summary';
import { mean } from './compute';
import { Legend, LineChart, PlanePath, RowNormHistogram } from './views';
import './training-lab.css';

/** Starts the trainer worker when this element first comes within a screen or so of the viewport. */
function useActivateNear() {
  const { activate } = useTrainingLab();
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') {
      activate();
      return;
    }
    const io = new IntersectionObserver(
      (es) => {
        if (es.some((e) => e.isIntersecting)) {
          activate();
          io.disconnect();
        }
      },
      { rootMargin: '800px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [activate]);
  return ref;
}

function Gate({ children }: { children: React.ReactNode }) {
  const lab = useTrainingLab();
  if (lab.status === 'error')
    return (
      <p className="tl-error" role="alert">
        {lab.error}
      </p>
    );
  if (!lab.info)
    return (
      <p className="p2-muted" role="status">
        {lab.status === 'idle' ? 'The lab starts its worker when you scroll here.' : 'Starting the trainer…'}
      </p>
    );
  return <>{children}</>;
}

/**
 * The frame of each chart: a measured box (its width goes to `draw`), the
 * gate's status lines until the lab has started, then the legend (unless
 * `legend` is false) above what `draw` returns. When `draw` returns null
 * (nothing recorded yet), neither is shown.
 */
function LabPanel({ legend = true, draw }: { legend?: boolean; draw: (info: LabInfo, width: number) => ReactNode }) {
  const lab = useTrainingLab();
  const [ref, width] = useWidth<HTMLDivElement>(600);
  const body = lab.info ? draw(lab.info, width) : null;
  return (
    <div ref={ref}>
      <Gate>
        {lab.info && body && (
          <>
            {legend && <Legend labels={lab.info.labels} />}
            {body}
          </>
        )}
      </Gate>
    </div>
  );
}

export function LabControls() {
  const lab = useTrainingLab();
  const ref = useActivateNear();
  const step = lab.data.step[lab.data.step.length - 1] ?? 0;
  return (
    <div ref={ref} data-testid="training-lab" data-status={lab.status}>
      <Controls
        settings={lab.settings}
        onSettings={lab.setSettings}
        ready={lab.status === 'ready'}
        running={lab.running}
        step={step}
        maxSteps={lab.info?.maxSteps ?? Infinity}
        trainSeconds={lab.trainSeconds}
        stepsPerSec={lab.stepsPerSec}
        tokensPerSec={lab.tokensPerSec}
        backend={lab.backend}
        stopped={lab.stopped}
        onStart={lab.start}
        onPause={lab.pause}
        onReset={lab.reset}
      />
      {lab.error && lab.status !== 'error' && (
        <p className="tl-error" role="alert">
          {lab.error}
        </p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {lab.running ? 'Training.' : step > 0 ? `Paused at step ${step}.` : ''}
      </p>
    </div>
  );
}

export function LabLoss() {
  const d = useTrainingLab().data;
  const series = useMemo(() => {
    const a = smoothed(d.lossA, 5),
      b = smoothed(d.lossB, 5);
    return [
      { label: 'A', points: d.step.map((s, i) => [s, a[i]] as [number, number]) },
      { label: 'B', points: d.step.map((s, i) => [s, b[i]] as [number, number]) },
    ] as const;
  }, [d]);
  return (
    <LabPanel
      draw={(info, width) => (
        <LineChart
          width={width}
          height={200}
          series={[series[0], series[1]]}
          yLabel="loss (nats)"
          hlines={[
            { y: info.unigramEntropy, label: `unigram entropy ${fmt(info.unigramEntropy, 3)}` },
            { y: info.bigramEntropy, label: `bigram ${fmt(info.bigramEntropy, 3)}` },
          ]}
          testid="tl-loss"
          ariaLabel={`Training loss against step. ${d.step.length ? `At step ${d.step[d.step.length - 1]}: A ${fmt(mean(d.lossA.slice(-20)), 3)}, B ${fmt(mean(d.lossB.slice(-20)), 3)} nats (mean of the last 20 steps).` : 'No steps yet.'}`}
        />
      )}
    />
  );
}

export function LabProbes() {
  const d = useTrainingLab().data;
  const rs = d.records;
  const norm = useMemo(
    () => [
      d.records.map((r) => [r.step, mean(r.a.norm)] as [number, number]),
      d.records.map((r) => [r.step, mean(r.b.norm)] as [number, number]),
    ],
    [d],
  );
  const cos = useMemo(
    () => [
      d.records.map((r) => [r.step, mean(r.a.cos)] as [number, number]),
      d.records.map((r) => [r.step, mean(r.b.cos)] as [number, number]),
    ],
    [d],
  );
  const last = rs[rs.length - 1];
  return (
    <LabPanel
      draw={(info, width) => {
        const w = width >= 620 ? Math.floor((width - 16) / 2) : width;
        return (
          <div className="tl-pair">
            <LineChart
              width={w}
              series={[
                { label: 'A', points: norm[0] },
                { label: 'B', points: norm[1] },
              ]}
              yLabel="|x|"
              testid="tl-norm"
              ariaLabel={`Length of the final hidden state x at the probes, mean of ${info.probes.length}. ${last ? `At step ${last.step}: A ${fmt(mean(last.a.norm), 3)}, B ${fmt(mean(last.b.norm), 3)}.` : ''}`}
            />
            <LineChart
              width={w}
              series={[
                { label: 'A', points: cos[0] },
                { label: 'B', points: cos[1] },
              ]}
              yLabel="cos(x, u_correct)"
              yDomain={[-0.2, 1]}
              testid="tl-cos"
              ariaLabel={`Cosine between x and the correct token’s row at the probes, mean of ${info.probes.length}. ${last ? `At step ${last.step}: A ${fmt(mean(last.a.cos), 3)}, B ${fmt(mean(last.b.cos), 3)}.` : ''}`}
            />
          </div>
        );
      }}
    />
  );
}

export function LabAgreement() {
  const d = useTrainingLab().data;
  const rs = d.records;
  const pts = useMemo(
    () => [
      d.records.map((r) => [r.step, r.a.agreement] as [number, number]),
      d.records.map((r) => [r.step, r.b.agreement] as [number, number]),
    ],
    [d],
  );
  const last = rs[rs.length - 1];
  return (
    <LabPanel
      draw={(_info, width) => (
        <LineChart
          width={width}
          height={170}
          series={[
            { label: 'A', points: pts[0] },
            { label: 'B', points: pts[1] },
          ]}
          yLabel="nearest = argmax"
          yDomain={[0, 1]}
          yFormat={(v) => `${Math.round(v * 100)}%`}
          testid="tl-agree"
          ariaLabel={`Share of ${last?.a.agreementN ?? 0} positions where the Euclidean-nearest row is also the model’s prediction. ${last ? `At step ${last.step}: A ${fmt(last.a.agreement * 100, 3)}%, B ${fmt(last.b.agreement * 100, 3)}%.` : ''}`}
        />
      )}
    />
  );
}

export function LabRowNorms() {
  const d = useTrainingLab().data;
  const last = d.records[d.records.length - 1];
  return (
    <LabPanel
      draw={(info, width) =>
        last && (
          <>
            <RowNormHistogram width={width} norms={[last.a.rowNorms, last.b.rowNorms]} labels={info.labels} step={last.step} />
            <p className="tl-note">
              Step {last.step}. A: mean {fmt(mean(last.a.rowNorms), 3)}, range {fmt(Math.min(...last.a.rowNorms), 3)}–
              {fmt(Math.max(...last.a.rowNorms), 3)}; B: mean {fmt(mean(last.b.rowNorms), 3)}, range {fmt(Math.min(...last.b.rowNorms), 3)}–
              {fmt(Math.max(...last.b.rowNorms), 3)}.
            </p>
          </>
        )
      }
    />
  );
}

export function LabPlane() {
  const d = useTrainingLab().data;
  const a = useMemo(() => d.records.map((r) => r.a), [d]);
  const b = useMemo(() => d.records.map((r) => r.b), [d]);
  return (
    <LabPanel
      legend={false}
      draw={(info, width) => {
        const p = info.probes[0];
        if (!p) return null;
        const size = Math.min(340, width >= 560 ? Math.floor((width - 16) / 2) : width);
        return (
          <>
            <p className="tl-note">
              Probe: <q>{p.text}</q> → <span className="tok">{p.target}</span> (rival <span className="tok">{p.rival}</span>).
            </p>
            <div className="tl-pair tl-planes">
              <PlanePath size={size} readouts={a} label={info.labels[0]} target={p.target} rival={p.rival} testid="tl-plane-a" k={0} />
              <PlanePath size={size} readouts={b} label={info.labels[1]} target={p.target} rival={p.rival} testid="tl-plane-b" k={1} />
            </div>
          </>
        );
      }}
    />
  );
}
