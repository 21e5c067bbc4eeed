/**
 * Figure 6a. For the final hidden state x (the final LayerNorm output at the
 * last position), three rankings of the whole vocabulary: smallest Euclidean
 * distance |x − u_i|, largest dot product x · u_i (the logits the model
 * actually uses) and largest cosine. The model's prediction is marked in each.
 * Everything is O(V) from the logits and the row norms |u_i| (once per model).
 */
import { memo, useMemo } from 'react';
import { ModelGate } from '../../kit/ModelGate';
import { TokenText } from '../../kit/TokenText';
import { setParams, useParams } from '../../state/store';
import { PARAMS } from '../../state/params';
import { rowNorms } from '../../geometry/vector';
import { type RankKind, type Ranked } from '../../geometry/rankings';
import { lastHidden, lastLogits } from '../../state/forward-readers';
import { distanceColumn, distanceRankCurve, median, rankingsAt } from './compute';
import { line, scaleLinear, scaleLog } from 'd3';
import type { ForwardResult, Matrix } from '../../runtime/types';
import { derived, useMatrix } from '../../state/matrices';
import { fmt, int } from '../../kit/format';
import '../../kit/kit.css';
import './three-rankings.css';

const COLUMNS: { kind: RankKind; title: string; sub: string; unit: string }[] = [
  { kind: 'euclidean', title: 'Nearest point', sub: 'smallest distance |x′ − uᵢ|', unit: 'distance' },
  { kind: 'dot', title: 'Largest dot product', sub: 'x · uᵢ — the logit the model uses', unit: 'logit' },
  { kind: 'cosine', title: 'Closest direction', sub: 'largest cos θ', unit: 'cosine' },
];

export function RankColumn({
  kind,
  title,
  sub,
  list,
  pred,
  predRank,
  norms,
}: {
  kind: RankKind;
  title: string;
  sub: string;
  list: Ranked[];
  pred: number;
  predRank: number;
  norms: Float32Array;
}) {
  const vals = list.map((r) => r.value);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const span = hi - lo || 1;
  return (
    <section className={`rk-col rk-${kind}`} aria-label={title} data-testid={`rank-${kind}`} data-pred-rank={predRank}>
      <h3 className="rk-title">{title}</h3>
      <p className="rk-sub">{sub}</p>
      <ol>
        {list.map((r, i) => {
          // Bar length: better = longer, within the listed range.
          const good = kind === 'euclidean' ? (hi - r.value) / span : (r.value - lo) / span;
          const isPred = r.id === pred;
          return (
            <li key={r.id} className={isPred ? 'rk-pred' : undefined} data-token-id={r.id} data-value={r.value} data-rank={i}>
              <span className="rk-n">{i + 1}</span>
              <TokenText id={r.id} />
              <span className="rk-bar" aria-hidden="true">
                <span style={{ transform: `scaleX(${(8 + 92 * good) / 100})` }} />
              </span>
              <span className="num">{fmt(r.value, 3)}</span>
              <span className="num rk-norm" title="length of this token's row |uᵢ|">
                |u| {fmt(norms[r.id], 2)}
              </span>
              {isPred && (
                <span className="rk-star" aria-label="the model's prediction">
                  ★
                </span>
              )}
            </li>
          );
        })}
      </ol>
      {predRank >= list.length && (
        <p className="rk-missing" data-testid={`rank-${kind}-missing`}>
          The prediction ranks <strong>#{int(predRank + 1)}</strong> here.
        </p>
      )}
    </section>
  );
}

const CURVE_W = 300;
const CURVE_H = 84;

function curveScales(curve: [number, number][]) {
  const maxRank = Math.max(2, ...curve.map((p) => p[1]));
  const x = scaleLinear()
    .domain([PARAMS.rk_len.min, PARAMS.rk_len.max])
    .range([34, CURVE_W - 8]);
  const y = scaleLog()
    .domain([1, maxRank])
    .range([10, CURVE_H - 22])
    .clamp(true);
  return { x, y, maxRank };
}

/** What of the rank curve stays put while the length slider moves: the curve, the axes and the real-length mark. */
const RankCurveStatic = memo(function RankCurveStatic({ curve, real }: { curve: [number, number][]; real: number }) {
  const { x, y, maxRank } = curveScales(curve);
  const h = CURVE_H;
  const d =
    line<[number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]))(curve) ?? '';
  const realIn = real >= PARAMS.rk_len.min && real <= PARAMS.rk_len.max;
  return (
    <>
      <line x1={x(PARAMS.rk_len.min)} x2={x(PARAMS.rk_len.max)} y1={y(1)} y2={y(1)} className="rk-curve-one" />
      <path d={d} className="rk-curve-path" />
      {realIn && <line x1={x(real)} x2={x(real)} y1={6} y2={h - 22} className="rk-curve-real" />}
      {realIn && (
        <text x={x(real)} y={h - 24} textAnchor="end" className="rk-curve-lab" dx={-3}>
          real |x|
        </text>
      )}
      <g className="axis">
        <text x={30} y={y(1) + 4} textAnchor="end">
          #1
        </text>
        <text x={30} y={y(maxRank) + 4} textAnchor="end">
          #{int(maxRank)}
        </text>
        {[-1, 0, 1, 2].map((v) => (
          <text key={v} x={x(v)} y={h - 6} textAnchor="middle">{`${fmt(Math.pow(10, v), 2)}×`}</text>
        ))}
      </g>
      <text x={CURVE_W - 8} y={10} textAnchor="end" className="rk-curve-lab">
        rank of ★ by distance
      </text>
    </>
  );
});

/** The prediction's rank by distance against the length of x′ (log axis), with the current and the real length marked. */
function RankCurve({ curve, now, real, rankNow }: { curve: [number, number][]; now: number; real: number; rankNow: number }) {
  const { x, y } = useMemo(() => curveScales(curve), [curve]);
  return (
    <svg
      width={CURVE_W}
      height={CURVE_H}
      viewBox={`0 0 ${CURVE_W} ${CURVE_H}`}
      className="rk-curve"
      role="img"
      data-testid="rank-curve"
      data-rank-now={rankNow}
      aria-label={`Rank of the prediction among the nearest points: ${rankNow} at the chosen length`}
    >
      <RankCurveStatic curve={curve} real={real} />
      <circle cx={x(now)} cy={y(rankNow)} r={4} className="rk-curve-dot" />
    </svg>
  );
}

/** A column re-renders only when its own list changes (a length step changes the distance column alone). */
const RankColumnMemo = memo(RankColumn);

function Rankings({ f, wu, k, lenLog }: { f: ForwardResult; wu: Matrix; k: number; lenLog: number }) {
  const setState = setParams;
  const norms = derived(wu, 'rowNorms', () => rowNorms(wu.data, wu.rows, wu.cols));
  const med = derived(wu, 'medianRowNorm', () => median(norms));
  const base = useMemo(() => rankingsAt(lastHidden(f), lastLogits(f), norms, k), [f, norms, k]);
  // The distance column measures from x scaled to the chosen length x′ = s·x (the other two columns do not depend on |x|).
  const used = Math.pow(10, lenLog) * med;
  const eu = useMemo(() => distanceColumn(base, norms, used, k), [base, norms, used, k]);
  const realLog = med > 0 && base.xNorm > 0 ? Math.log10(base.xNorm / med) : 0;
  // Rank of the prediction by distance as |x′| sweeps the slider's range (O(V) per sample, once per prompt).
  const curve = useMemo(() => distanceRankCurve(base, norms, med, PARAMS.rk_len.min, PARAMS.rk_len.max), [base, norms, med]);
  // Smallest sampled length from which the prediction stays the nearest point.
  let threshold: number | null = null;
  for (let j = curve.length - 1; j >= 0 && curve[j][1] === 1; j--) threshold = curve[j][0];
  const r = { ...base, euclidean: eu.list, targetRank: { ...base.targetRank, euclidean: eu.rank } };
  const atReal = Math.abs(lenLog - realLog) < 0.01;
  const subs: Record<RankKind, string> = {
    euclidean: `smallest distance |x′ − uᵢ|, |x′| = ${fmt(used, 3)}${atReal ? ' (x as it is)' : ''}`,
    dot: COLUMNS[1].sub,
    cosine: COLUMNS[2].sub,
  };
  return (
    <div>
      <div className="controls rk-lenrow">
        <label>
          Length of x for the distance column
          <input
            type="range"
            min={PARAMS.rk_len.min}
            max={PARAMS.rk_len.max}
            step={0.05}
            value={lenLog}
            onChange={(e) => setState({ rk_len: Number(e.target.value) })}
            aria-valuetext={`${fmt(Math.pow(10, lenLog), 3)} times a typical row's length`}
            data-testid="rank-len"
          />
          <span className="num">{fmt(Math.pow(10, lenLog), 3)}× a typical row</span>
        </label>
        <button type="button" onClick={() => setState({ rk_len: 0 })} data-testid="rank-len-row">
          typical row length
        </button>
        <button
          type="button"
          onClick={() => setState({ rk_len: Math.round(Math.min(PARAMS.rk_len.max, Math.max(PARAMS.rk_len.min, realLog)) * 1000) / 1000 })}
          data-testid="rank-len-real"
        >
          x’s real length
        </button>
      </div>
      <RankCurve curve={curve} now={lenLog} real={realLog} rankNow={r.targetRank.euclidean + 1} />
      <p className="rk-head" data-testid="rank-threshold" data-threshold={threshold ?? ''}>
        {threshold === null
          ? 'At no length in this range is ★ the nearest point. '
          : threshold <= PARAMS.rk_len.min
            ? '★ is the nearest point at every length in this range. '
            : `★ is the nearest point only once x′ is at least ${fmt(Math.pow(10, threshold), 2)}× a typical row. `}
        The prediction after “<TokenText id={f.ids[f.T - 1]} />” is <TokenText id={r.pred} className="rk-pred-tok" /> (★). The real x is{' '}
        <span className="num">{fmt(r.xNorm, 3)}</span> long, {fmt(r.xNorm / med, 3)}× the median row length {fmt(med, 3)}.
      </p>
      <div className="rk-grid" data-testid="three-rankings" data-pred={r.pred} data-x-real={r.xNorm} data-x-used={used} data-median={med}>
        {COLUMNS.map((c) => (
          <RankColumnMemo
            key={c.kind}
            {...c}
            sub={subs[c.kind]}
            list={r[c.kind]}
            pred={r.pred}
            predRank={r.targetRank[c.kind]}
            norms={norms}
          />
        ))}
      </div>
    </div>
  );
}

export function ThreeRankings() {
  const [state, setState] = useParams(['rk_k', 'rk_len'] as const);
  const wu = useMatrix('wu');
  return (
    <ModelGate>
      {(f) =>
        f && (
          <>
            <div className="controls">
              <label>
                List length
                <input
                  type="range"
                  min={3}
                  max={20}
                  step={1}
                  value={state.rk_k}
                  onChange={(e) => setState({ rk_k: Number(e.target.value) })}
                  data-testid="rank-k"
                />
                <span className="num">{state.rk_k}</span>
              </label>
            </div>
            {wu ? (
              <Rankings f={f} wu={wu} k={state.rk_k} lenLog={state.rk_len} />
            ) : (
              <p className="p2-muted">Reading the unembedding matrix…</p>
            )}
          </>
        )
      }
    </ModelGate>
  );
}
