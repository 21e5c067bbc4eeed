/**
 * Figure 9 as plain props: the token-count, temperature and seed controls,
 * the Generate / Compare / Stop buttons with the live status, the prompt and
 * its continuation, and the speed of each run with and without the cache.
 */
import { PARAMS } from '../../state/params';
import { fmt, int } from '../../kit/format';
import { cacheSpeedup, type RunResult } from './compute';
import '../../kit/kit.css';
import './generation.css';

export type Mode = 'cache' | 'nocache';

export interface GenerationViewProps {
  /** The slider values: tokens asked for, temperature, seed. */
  genN: number;
  temp: number;
  seed: number;
  onGenN(n: number): void;
  onTemp(t: number): void;
  onSeed(s: number): void;
  onGenerate(): void;
  onCompare(): void;
  onStop(): void;
  /** The model is loaded, its tokenizer known and the prompt not empty. */
  ready: boolean;
  /** Why the figure is not ready: the model is still loading, or there is no prompt yet. */
  waiting: 'loading' | 'prompt' | null;
  running: Mode | null;
  /** Tokens generated so far in the current run, and the number it asks for. */
  count: number;
  n: number;
  /** Free positions after the prompt, and the context length. */
  room: number;
  P: number;
  note: string | null;
  error: string | null;
  promptText: string;
  /** The continuation as text, and its number of tokens. */
  text: string;
  shownCount: number;
  modelKey: string;
  results: Partial<Record<Mode, RunResult>>;
}

export function GenerationView(v: GenerationViewProps) {
  const rc = v.results.cache;
  const rn = v.results.nocache;
  const speedup = cacheSpeedup(rc, rn);
  const disabled = !v.ready || !!v.running || v.n === 0;
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
            value={v.genN}
            onChange={(e) => v.onGenN(Number(e.target.value))}
            data-testid="gen-n"
          />
          <span className="num">{v.genN}</span>
        </label>
        <label>
          Temperature
          <input
            type="range"
            min={0}
            max={3}
            step={0.05}
            value={Math.min(3, v.temp)}
            onChange={(e) => v.onTemp(Number(e.target.value))}
            data-testid="gen-temp"
          />
          <span className="num">{v.temp === 0 ? '0 (argmax)' : fmt(v.temp, 3)}</span>
        </label>
        <label>
          Seed
          <input
            type="number"
            min={0}
            max={1e9}
            step={1}
            value={v.seed}
            onChange={(e) => v.onSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
            className="gen-seed"
            data-testid="gen-seed"
          />
        </label>
      </div>
      <div className="controls">
        <button type="button" onClick={v.onGenerate} disabled={disabled} data-testid="gen-go">
          Generate
        </button>
        <button type="button" onClick={v.onCompare} disabled={disabled} data-testid="gen-compare">
          Compare with and without the cache
        </button>
        <button type="button" onClick={v.onStop} disabled={!v.running} data-testid="gen-stop">
          Stop
        </button>
        <span className="p2-muted" aria-live="polite" data-testid="gen-status" data-running={v.running ?? ''}>
          {v.running ? `generating ${v.running === 'cache' ? 'with' : 'without'} the cache… ${v.count}/${v.n}` : ''}
        </span>
      </div>
      {!v.ready && (
        <p className="p2-muted">
          {v.waiting === 'loading' ? 'Loading the model…' : 'Type a prompt at the top of the page to continue it.'}
        </p>
      )}
      {v.ready && v.room === 0 && (
        <p className="p2-note">The prompt already fills the model’s {int(v.P)}-token context; shorten it to leave room.</p>
      )}
      {v.ready && v.room > 0 && v.genN > v.room && (
        <p className="p2-note">
          Only {int(v.room)} more tokens fit in the {int(v.P)}-token context.
        </p>
      )}
      {v.note && (
        <p className="p2-note" role="status" data-testid="gen-note">
          {v.note}
        </p>
      )}
      <p className="gen-out" data-testid="gen-text" data-count={v.shownCount} data-model={v.modelKey}>
        <span className="gen-prompt">{v.promptText}</span>
        <span className="gen-new">{v.text}</span>
        {v.running && <span className="gen-caret" aria-hidden="true" />}
      </p>
      {v.error && (
        <p className="notice error" role="alert">
          {v.error}
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
      {speedup !== null && (
        <p className="gen-ratio" data-testid="gen-ratio">
          The cache made generation {fmt(speedup, 3)}× as fast here.
        </p>
      )}
    </div>
  );
}

export function SpeedRow({ label, r, testid }: { label: string; r?: RunResult; testid: string }) {
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
