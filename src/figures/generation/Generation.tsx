/**
 * Figure 9. Generation, token by token, at the shared temperature, with a
 * stop button (AbortSignal). The same continuation can be produced with and
 * without the key/value cache; each run's tokens per second is shown, and
 * "Compare" runs both in turn. Container: owns the runs (the worker's
 * generate call, the abort controller, the tokens so far) and the notes when
 * the model changes; GenerationView draws.
 */
import { useEffect, useRef, useState } from 'react';
import { useParams } from '../../state/store';
import { useModelState } from '../../state/model';
import type { TokLike } from '../../tokenizer/resolve';
import { clearedNote, generationBudget, safeDecode, switchedNote, type RunResult } from './compute';
import { GenerationView, type Mode } from './GenerationView';

export function Generation() {
  const [state, setState] = useParams(['gen_n', 'gen_seed', 'temp', 'model'] as const);
  const m = useModelState((s) => ({ api: s.api, info: s.info, status: s.status, tokenizer: s.tokenizer, tokens: s.tokens }));
  const tok = m.tokenizer as unknown as TokLike | null;
  const [ids, setIds] = useState<number[]>([]);
  const [running, setRunning] = useState<Mode | null>(null);
  const [results, setResults] = useState<Partial<Record<Mode, RunResult>>>({});
  const [error, setError] = useState<string | null>(null);
  const ctrl = useRef<AbortController | null>(null);
  const prompt = m.tokens.ids;
  const P = m.info?.config.nPositions ?? 0;
  const { room, n } = generationBudget(prompt.length, P, state.gen_n);

  // A new prompt or model invalidates the continuation shown. A continuation cleared because the model changed is
  // not cleared silently: the note names the model that wrote it and the one the page shows now.
  // Both as strings: a reload of the same model hands over a new `info` object, and that must not clear the text.
  const modelKey = m.info?.key ?? null;
  const modelLabel = m.info?.label ?? '';
  const owner = useRef<{ key: string | null; label: string }>({ key: modelKey, label: modelLabel });
  const shown = useRef(false);
  const [note, setNote] = useState<string | null>(null);
  const promptKey = prompt.join(',');
  useEffect(() => {
    ctrl.current?.abort();
    const prev = owner.current;
    if (prev.key !== modelKey) {
      if (shown.current && prev.key !== null && modelKey !== null) {
        setNote(clearedNote(prev.label, modelLabel));
      }
      owner.current = { key: modelKey, label: modelLabel };
    } else setNote(null);
    shown.current = false;
    setIds([]);
    setResults({});
    // promptKey is not read here: a new prompt is what the effect reacts to
  }, [promptKey, modelKey, modelLabel]);
  // Another model was chosen: the provider is loading it and the worker has stopped this model's generation.
  const switching = !!m.info && state.model !== m.info.key;
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
        shown.current = true;
        setIds([...got]);
      },
      signal,
    );
    shown.current = true;
    setResults((r) => ({ ...r, [mode]: { stats, n: got.length } }));
    if (stats.switched) {
      setNote(switchedNote(owner.current.label, got.length));
      return false;
    }
    return !stats.stopped && !signal.aborted;
  }

  async function start(modes: Mode[]) {
    if (running || switching || prompt.length === 0 || n === 0) return;
    const c = new AbortController();
    ctrl.current = c;
    setError(null);
    setNote(null);
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
  // In the render where the model has just changed (before the effect above clears it), the old model's tokens
  // are not shown with the new model's tokenizer and name.
  const shownIds = owner.current.key === modelKey ? ids : [];
  const ready = m.status === 'ready' && !!tok && prompt.length > 0 && !switching;
  return (
    <GenerationView
      genN={state.gen_n}
      temp={state.temp}
      seed={state.gen_seed}
      onGenN={(v) => setState({ gen_n: v })}
      onTemp={(v) => setState({ temp: v })}
      onSeed={(v) => setState({ gen_seed: v })}
      onGenerate={() => start(['cache'])}
      onCompare={() => start(['cache', 'nocache'])}
      onStop={stop}
      ready={ready}
      waiting={ready ? null : m.status !== 'ready' || switching ? 'loading' : 'prompt'}
      running={running}
      count={ids.length}
      n={n}
      room={room}
      P={P}
      note={note}
      error={error}
      promptText={tok && prompt.length ? safeDecode(tok, prompt) : ''}
      text={tok && shownIds.length ? safeDecode(tok, shownIds) : ''}
      shownCount={shownIds.length}
      modelKey={modelKey ?? ''}
      results={results}
    />
  );
}
