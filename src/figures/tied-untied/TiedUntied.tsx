/**
 * Figure 8. Tied and untied embeddings. (a) The histogram of
 * cos(W_E[t], W_U[t]) over the vocabulary for the active model; results are
 * kept per model key, so after switching both models are shown side by side.
 * (b) The direct path: a typed token's embedding straight through the final
 * LayerNorm and W_U, no blocks — what the model would predict if attention
 * and the MLPs did nothing. Also kept per model for comparison.
 */
import { useEffect, useMemo, useState } from 'react';
import { scaleLinear } from 'd3';
import { useParams } from '../../state/store';
import { useModelState } from '../../state/model';
import { bundledModels } from '../../state/models';
import { rememberForModel, rememberedFor, useRemembered } from '../../state/per-model';
import { rowwiseCosines } from '../../geometry/readout';
import { BINS, directSummary, summariseCosines, type CosSummary, type DirectSummary } from './compute';
import { derived, useMatrix } from '../../state/matrices';
import { resolveToken, type TokLike } from '../../tokenizer/resolve';
import { useWidth } from '../../kit/hooks';
import { TokenField } from '../../kit/TokenField';
import { fmt, pct } from '../../kit/format';
import '../../kit/kit.css';
import './tied-untied.css';

export function Histogram({ s, width }: { s: CosSummary; width: number }) {
  const w = Math.max(220, Math.min(440, width));
  const h = 150;
  const x = scaleLinear()
    .domain([-1, 1])
    .range([34, w - 10]);
  const maxC = Math.max(1, ...s.counts);
  const y = scaleLinear()
    .domain([0, maxC])
    .range([h - 24, 8]);
  const bw = (x(1) - x(-1)) / BINS;
  return (
    <figure className="tu-hist" data-testid={`tu-hist-${s.modelKey}`} data-mean={s.mean} data-median={s.median} data-tied={s.tied ? 1 : 0}>
      <figcaption>
        <strong>{s.label}</strong>
      </figcaption>
      <svg
        width={w}
        height={h}
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-label={`${s.label}: histogram of the cosine between each token's input and output rows; mean ${fmt(s.mean, 3)}`}
      >
        {s.counts.map((c, i) => (
          <rect
            key={i}
            x={x(-1) + i * bw + 0.5}
            width={Math.max(0.5, bw - 1)}
            y={y(c)}
            height={y(0) - y(c)}
            className={s.tied ? 'tu-bar tied' : 'tu-bar'}
          >
            <title>{`cos in [${fmt(-1 + (2 * i) / BINS, 2)}, ${fmt(-1 + (2 * (i + 1)) / BINS, 2)}): ${c} tokens`}</title>
          </rect>
        ))}
        <line x1={x(0)} x2={x(0)} y1={8} y2={h - 24} className="tu-zero" />
        <g className="axis">
          {[-1, -0.5, 0, 0.5, 1].map((v) => (
            <text key={v} x={x(v)} y={h - 8} textAnchor="middle">
              {fmt(v, 2)}
            </text>
          ))}
          <text x={30} y={14} textAnchor="end">
            {maxC}
          </text>
        </g>
      </svg>
      <ul className="p2-stats">
        <li>
          mean <strong className="num">{fmt(s.mean, 3)}</strong>
        </li>
        <li>
          median <strong className="num">{fmt(s.median, 3)}</strong>
        </li>
        <li>
          cos &gt; 0.9: <strong className="num">{pct(s.above09)}</strong>
        </li>
      </ul>
    </figure>
  );
}

export function DirectList({ d }: { d: DirectSummary }) {
  const max = d.top[0]?.p || 1;
  return (
    <figure
      className="tu-direct"
      data-testid={`tu-direct-${d.modelKey}`}
      data-top={d.top[0]?.id}
      data-token={d.tokenId}
      data-self-rank={d.selfRank}
    >
      <figcaption>
        <strong>{d.label}</strong>: after <span className="tok">{d.text}</span> with no blocks
      </figcaption>
      <ol>
        {d.top.map((t) => (
          <li key={t.id} data-token-id={t.id} data-p={t.p} className={t.id === d.tokenId ? 'tu-self' : undefined}>
            <span className="tok">{t.text}</span>
            <span className="tu-pbar" aria-hidden="true">
              <span style={{ width: `${(t.p / max) * 100}%` }} />
            </span>
            <span className="num">{pct(t.p)}</span>
          </li>
        ))}
      </ol>
      <p className="p2-note">
        <span className="tok">{d.text}</span> itself ranks #{d.selfRank + 1} here ({pct(d.selfP)}).
      </p>
    </figure>
  );
}

const SUGGESTIONS = [' the', ' what', ' Mary', ' might', ' of'];

export function TiedUntied() {
  const [state, setState] = useParams(['tu_tok'] as const);
  const m = useModelState((s) => ({ api: s.api, info: s.info, status: s.status, tokenizer: s.tokenizer }));
  const cosByModel = useRemembered<CosSummary>('tied-untied:cos');
  const directByModel = useRemembered<DirectSummary>('tied-untied:direct');
  const wte = useMatrix('wte');
  const wu = useMatrix('wu');
  const [histRef, width] = useWidth<HTMLDivElement>(600);
  const info = m.info;
  const tok = m.tokenizer as unknown as TokLike | null;
  const key = info?.key ?? '';

  // (a) cosine histogram for the active model, once per model (O(V·D)).
  useEffect(() => {
    if (!info || !wte || !wu || wte.rows !== wu.rows) return;
    if (rememberedFor('tied-untied:cos', info.key)) return;
    const id = window.setTimeout(() => {
      const cos = derived(wu, 'cos-wte', () => rowwiseCosines(wte.data, wu.data, wu.rows, wu.cols));
      rememberForModel('tied-untied:cos', info.key, summariseCosines(cos, info.key, info.label, info.config.tied));
    }, 0);
    return () => window.clearTimeout(id);
  }, [info, wte, wu]);

  // (b) direct path for the typed token.
  const resolved = useMemo(() => resolveToken(tok, state.tu_tok, info?.config.vocabSize ?? 0), [tok, state.tu_tok, info]);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    if (!info || !tok || resolved.id === null || m.status !== 'ready' || !m.api) return;
    const id = resolved.id;
    let alive = true;
    m.api
      .directPath(id)
      .then((logits) => {
        if (!alive) return;
        rememberForModel<DirectSummary>(
          'tied-untied:direct',
          info.key,
          directSummary(logits, id, info, (i) => tok.displayToken(i)),
        );
        setErr(null);
      })
      .catch((e: unknown) => alive && setErr(String((e as Error)?.message ?? e)));
    return () => {
      alive = false;
    };
  }, [m.api, m.status, info, tok, resolved.id]);

  const order = (k: string) => {
    const i = bundledModels.findIndex((b) => b.key === k);
    return i < 0 ? 99 : i;
  };
  const hists = [...cosByModel.values()].sort((a, b) => order(a.modelKey) - order(b.modelKey));
  const directs = [...directByModel.values()].sort((a, b) => order(a.modelKey) - order(b.modelKey));
  const others = bundledModels.filter((b) => b.key !== key);
  const shownText = tok && resolved.id !== null ? tok.displayToken(resolved.id) : '';
  return (
    <div className="tu">
      <div className="controls" role="group" aria-label="Active model">
        {bundledModels.map((b) => (
          <button
            key={b.key}
            type="button"
            aria-pressed={key === b.key}
            className={key === b.key ? 'p2-btn-on' : undefined}
            onClick={() => setState({ model: b.key })}
            data-testid={`tu-switch-${b.key}`}
          >
            {b.label}
          </button>
        ))}
        <span className="p2-muted" data-testid="tu-active" data-model={key} data-tied={info ? (info.config.tied ? 1 : 0) : ''}>
          {info
            ? `active: ${info.label}${info.config.tied ? ' — W_U = W_Eᵀ' : ' — W_U learned separately'}`
            : m.status === 'loading'
              ? 'loading…'
              : ''}
          {m.status === 'loading' && info ? ' (switching…)' : ''}
        </span>
      </div>
      <h3 className="tu-h">How far does each token’s output row point from its input row?</h3>
      <div className="tu-hists" ref={histRef}>
        {hists.length === 0 && <p className="p2-muted">Computing the cosines…</p>}
        {hists.map((s) => (
          <Histogram key={s.modelKey} s={s} width={hists.length > 1 ? (width - 16) / 2 : width} />
        ))}
        {hists.length === 1 && others.length > 0 && (
          <p className="p2-muted tu-hint">Switch to {others[0].label} above to add its histogram here.</p>
        )}
      </div>
      <h3 className="tu-h">The direct path: one token, no blocks</h3>
      <div className="controls">
        <TokenField label="Token" value={state.tu_tok} onChange={(v) => setState({ tu_tok: v })} resolved={resolved} testid="tu-tok" />
        <span className="tu-suggest" role="group" aria-label="Try a token">
          {SUGGESTIONS.map((t) => (
            <button key={t} type="button" onClick={() => setState({ tu_tok: t })} aria-pressed={state.tu_tok === t}>
              {t.replace(/^ /, '·')}
            </button>
          ))}
        </span>
      </div>
      {err && <p className="notice error">{err}</p>}
      <div className="tu-directs">
        {directs.map((d) => (
          <DirectList key={d.modelKey} d={d} />
        ))}
      </div>
      {directs.some((d) => d.text !== shownText) && (
        <p className="p2-note">A column computed for a different token is kept until its model is active again.</p>
      )}
    </div>
  );
}
