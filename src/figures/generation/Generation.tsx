/**
 * Figure 9. Generation, token by token, at the shared temperature, with a
 * stop button (AbortSignal). The same continuation can be produced with and
 * without the key/value cache; each run's tokens per second is shown, and
 * "Compare" runs both in turn.
 */
import { useEffect, useRef, useState } from 'react';
import { useParams } from '../../state/store';
import { useModelState } from '../../state/model';
import { PARAMS } from '../../state/params';
import type { GenerateStats } from '../../runtime/types';
import type { TokLike } from '../../tokenizer/resolve';
import { fmt, int } from '../../kit/format';
import '../../kit/kit.css';
import './generation.css';

type Mode = 'cache' | 'nocache';
interface RunResult {
  stats: GenerateStats;
  n: number;
}

export function Generation() {
  const [state, setState] = useParams(['gen_n', 'gen_seed', 'temp'] as const);
  const m = useModelState((s) => ({ api: s.api, info: s.info, status: s.status, tokenizer: s.tokenizer, tokens: s.tokens }));
  const tok = m.tokenizer as unknown as TokLike | null;
  const [ids, setIds] = useState<number[]>([]);
  const [running, setRunning] = useState<Mode | null>(null);
  const [results, setResults] = useState<Partial<Record<Mode, RunResult>>>({});
  const [error, setError] = useState<string | null>(null);
  const ctrl = useRef<AbortController | null>(null);
  const prompt = m.tokens.ids;
  const P = m.info?.config.nPositions ?? 0;
  const room = Math.max(0, P - prompt.length);
  const n = Math.min(state.gen_n, room);

  // A new prompt or model invalidates the continuation shown.
  const promptKey = `${m.info?.key}|${prompt.join(',')}`;
  useEffect(() => {
    ctrl.current?.abort();
    setIds([]);
    setResults({});
  }, [promptKey]);
  useEffect(() => () => ctrl.current?.abort(), []);

  async function run(mode: Mode, signal: AbortSignal): Promise<boolean> {
    const got: number[] = [];
    setIds([]);
    setRunning(mode);
    if (!m.api) return false;
    const stats = await m.api.generate(
      prompt,
      { temperature: state.temp, maxNewTokens: n, useCache: mode === 'cache', seed: state.gen_seed },
      (s) => {
        got.push(s.id);
        setIds([...got]);
      },
      signal,
    );
    setResults((r) => ({ ...r, [mode]: { stats, n: got.length } }));
    return !stats.stopped && !signal.aborted;
  }

  async function start(modes: Mode[]) {
    if (running || prompt.length === 0 || n === 0) return;
    const c = new AbortController();
    ctrl.current = c;
    setError(null);
    try {
      for (const mode of modes) {
        const done = await run(mode, c.signal);
        if (!done) break;
      }
    } catch (e) {
      if (!c.signal.aborted) setError(String((e as Error)?.message ?? e));
    } finally {
      setRunning(null);
    }
  }

  const stop = () => ctrl.current?.abort();
  const text = tok && ids.length ? safeDecode(tok, ids) : '';
  const promptText = tok && prompt.length ? safeDecode(tok, prompt) : '';
  const ready = m.status === 'ready' && !!tok && prompt.length > 0;
  const rc = results.cache;
  const rn = results.nocache;
  return (
    <div className="gen">
      <div className="controls">
        <label>
          Tokens
          <input
            type="range"
            min={1}
            max={PARAMS.gen_n.max}
            step={1}
            value={state.gen_n}
            onChange={(e) => setState({ gen_n: Number(e.target.value) })}
            data-testid="gen-n"
          />
          <span className="num">{state.gen_n}</span>
        </label>
        <label>
          Temperature
          <input
            type="range"
            min={0}
            max={3}
            step={0.05}
            value={Math.min(3, state.temp)}
            onChange={(e) => setState({ temp: Number(e.target.value) })}
            data-testid="gen-temp"
          />
          <span className="num">{state.temp === 0 ? '0 (argmax)' : fmt(state.temp, 3)}</span>
        </label>
        <label>
          Seed
          <input
            type="number"
            min={0}
            max={1e9}
            step={1}
            value={state.gen_seed}
            onChange={(e) => setState({ gen_seed: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
            className="gen-seed"
            data-testid="gen-seed"
          />
        </label>
      </div>
      <div className="controls">
        <button type="button" onClick={() => start(['cache'])} disabled={!ready || !!running || n === 0} data-testid="gen-go">
          Generate
        </button>
        <button
          type="button"
          onClick={() => start(['cache', 'nocache'])}
          disabled={!ready || !!running || n === 0}
          data-testid="gen-compare"
        >
          Compare with and without the cache
        </button>
        <button type="button" onClick={stop} disabled={!running} data-testid="gen-stop">
          Stop
        </button>
        <span className="p2-muted" aria-live="polite" data-testid="gen-status" data-running={running ?? ''}>
          {running ? `generating ${running === 'cache' ? 'with' : 'without'} the cache… ${ids.length}/${n}` : ''}
        </span>
      </div>
      {!ready && (
        <p className="p2-muted">{m.status !== 'ready' ? 'Loading the model…' : 'Type a prompt at the top of the page to continue it.'}</p>
      )}
      {ready && room === 0 && (
        <p className="p2-note">The prompt already fills the model’s {int(P)}-token context; shorten it to leave room.</p>
      )}
      {ready && room > 0 && state.gen_n > room && (
        <p className="p2-note">
          Only {int(room)} more tokens fit in the {int(P)}-token context.
        </p>
      )}
      <p className="gen-out" data-testid="gen-text" data-count={ids.length}>
        <span className="gen-prompt">{promptText}</span>
        <span className="gen-new">{text}</span>
        {running && <span className="gen-caret" aria-hidden="true" />}
      </p>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <table className="gen-speed">
        <caption className="visually-hidden">Generation speed</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">run</span>
            </th>
            <th scope="col">tokens</th>
            <th scope="col">time</th>
            <th scope="col">tokens / s</th>
          </tr>
        </thead>
        <tbody>
          <SpeedRow label="with key/value cache" r={rc} testid="gen-tps-cache" />
          <SpeedRow label="without cache" r={rn} testid="gen-tps-nocache" />
        </tbody>
      </table>
      {rc && rn && rc.stats.tokens > 0 && rn.stats.tokens > 0 && (
        <p className="gen-ratio" data-testid="gen-ratio">
          The cache made generation {fmt(rc.stats.tokensPerSecond / rn.stats.tokensPerSecond, 3)}× as fast here.
        </p>
      )}
    </div>
  );
}

function SpeedRow({ label, r, testid }: { label: string; r?: RunResult; testid: string }) {
  return (
    <tr
      data-testid={testid}
      data-tps={r ? r.stats.tokensPerSecond : ''}
      data-tokens={r ? r.stats.tokens : ''}
      data-stopped={r ? (r.stats.stopped ? 1 : 0) : ''}
    >
      <th scope="row">{label}</th>
      <td className="num">{r ? int(r.stats.tokens) : '—'}</td>
      <td className="num">{r ? `${fmt(r.stats.ms / 1000, 3)} s` : '—'}</td>
      <td className="num">
        {r ? fmt(r.stats.tokensPerSecond, 3) : '—'}
        {r?.stats.stopped ? ' (stopped)' : ''}
      </td>
    </tr>
  );
}

function safeDecode(tok: TokLike, ids: number[]): string {
  try {
    return tok.decode(ids);
  } catch {
    return ids.map((i) => tok.displayToken(i)).join('');
  }
}
