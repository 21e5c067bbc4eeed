/**
 * The lab's controls (plain props): which switch differs, the shared
 * switches, the seed, Start / Pause / Reset, and the live readout.
 */
import { useId, useState, useEffect } from 'react';
import type { LabSettings, Switch } from '../../trainer/lab';
import { fmt, int } from '../../kit/format';

const SWITCH_TEXT: Record<Switch, string> = {
  ln: 'LayerNorm (on in A, off in B)',
  tied: 'tied embeddings (tied in A, untied in B)',
  scale: 'a learned final scale (in A, not in B)',
};

export interface ControlsProps {
  settings: LabSettings;
  onSettings(s: Partial<LabSettings>): void;
  ready: boolean;
  running: boolean;
  step: number;
  maxSteps: number;
  trainSeconds: number;
  stepsPerSec: number;
  tokensPerSec: number;
  backend: string | null;
  stopped?: string;
  onStart(): void;
  onPause(): void;
  onReset(): void;
}

export function Controls(p: ControlsProps) {
  const id = useId();
  const [seedText, setSeedText] = useState(String(p.settings.seed));
  useEffect(() => setSeedText(String(p.settings.seed)), [p.settings.seed]);
  const seedOk = /^\d{1,6}$/.test(seedText.trim());
  const shared = (['ln', 'tied', 'scale'] as Switch[]).filter((s) => s !== p.settings.diff);
  const sharedLabel: Record<Switch, string> = { ln: 'LayerNorm', tied: 'tied embeddings', scale: 'learned final scale' };
  return (
    <div className="tl-controls">
      <fieldset className="tl-diff">
        <legend>The one difference between A and B</legend>
        {(['ln', 'tied', 'scale'] as Switch[]).map((s) => (
          <label key={s}>
            <input
              type="radio"
              name={`${id}-diff`}
              value={s}
              checked={p.settings.diff === s}
              onChange={() => p.onSettings({ diff: s })}
              data-testid={`tl-diff-${s}`}
            />
            <span>{SWITCH_TEXT[s]}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="tl-shared">
        <legend>Shared by both</legend>
        {shared.map((s) => (
          <label key={s}>
            <input
              type="checkbox"
              checked={p.settings[s]}
              onChange={(e) => p.onSettings({ [s]: e.target.checked })}
              data-testid={`tl-shared-${s}`}
            />
            <span>{sharedLabel[s]}</span>
          </label>
        ))}
        <label>
          <span>seed</span>
          <input
            type="text"
            inputMode="numeric"
            size={7}
            value={seedText}
            aria-invalid={!seedOk}
            aria-describedby={seedOk ? undefined : `${id}-seed-err`}
            onChange={(e) => {
              setSeedText(e.target.value);
              const t = e.target.value.trim();
              if (/^\d{1,6}$/.test(t)) p.onSettings({ seed: Number(t) });
            }}
            data-testid="tl-seed"
          />
        </label>
        {!seedOk && (
          <span id={`${id}-seed-err`} className="tl-error">
            The seed is a whole number from 0 to 999999.
          </span>
        )}
      </fieldset>
      <div className="tl-buttons">
        <button
          type="button"
          onClick={p.running ? p.onPause : p.onStart}
          disabled={!p.ready || (!p.running && p.step >= p.maxSteps)}
          data-testid="tl-start"
          aria-pressed={p.running}
        >
          {p.running ? 'Pause' : p.step > 0 ? 'Resume' : 'Start training'}
        </button>
        <button
          type="button"
          onClick={p.onReset}
          disabled={!p.ready || (!p.running && p.step === 0)} // nothing to reset before the first step
          data-testid="tl-reset"
        >
          Reset
        </button>
        <span
          className="tl-readout"
          data-testid="tl-readout"
          data-step={p.step}
          data-running={p.running ? 1 : 0}
          data-seconds={p.trainSeconds}
        >
          step <strong className="num">{int(p.step)}</strong> · {fmt(p.trainSeconds, 3)} s ·{' '}
          <strong className="num">{fmt(p.stepsPerSec, 3)}</strong> steps/s · <span className="num">{int(p.tokensPerSec)}</span> tokens/s
          {p.backend && <> · {p.backend}</>}
          {p.stopped && <> · {p.stopped}</>}
        </span>
      </div>
    </div>
  );
}
