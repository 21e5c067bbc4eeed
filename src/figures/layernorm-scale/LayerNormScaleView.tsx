/**
 * Figure 4a drawn from plain arrays: the layer select and the scale slider,
 * the scaled input s·x and LayerNorm's output as heat strips, their lengths
 * as bars on one log scale, and the largest change in the output.
 */
import { TokenText } from '../../kit/TokenText';
import { ColorLegend, HeatStrip } from '../../kit/HeatStrip';
import { Tex } from '../../kit/Tex';
import { fmt } from '../../kit/format';
import { barPercent, layerLabel, type ScaleReadout } from './compute';

export interface LayerNormScaleViewProps {
  /** Number of blocks; the select offers residual streams 0..L. */
  L: number;
  /** The residual stream shown (0..L). */
  l: number;
  D: number;
  /** The token at the position shown (the last). */
  tokenId: number;
  /** The slider's value, log10 of the scale, in [scaleMin, scaleMax]. */
  scaleLog: number;
  scaleMin: number;
  scaleMax: number;
  /** 10^scaleLog. */
  s: number;
  /** s·x [D] and its normalisation [D]. */
  sx: ArrayLike<number>;
  ns: ArrayLike<number>;
  /** Colour scales: of x (at × 1) and of normalize(x). */
  xMax: number;
  nMax: number;
  readout: ScaleReadout;
  /** The bars' log scale (barRange). */
  bar: { lo: number; hi: number };
  onLayer: (l: number) => void;
  onScale: (scaleLog: number) => void;
}

export function LayerNormScaleView({
  L,
  l,
  D,
  tokenId,
  scaleLog,
  scaleMin,
  scaleMax,
  s,
  sx,
  ns,
  xMax,
  nMax,
  readout,
  bar,
  onLayer,
  onScale,
}: LayerNormScaleViewProps) {
  const { nsx, nln, diff } = readout;
  const barW = (v: number) => `${barPercent(v, bar.lo, bar.hi)}%`;
  return (
    <div className="ln-scale" data-testid="ln-scale" data-scale={s} data-xnorm={nsx} data-lnnorm={nln} data-diff={diff} data-layer={l}>
      <div className="controls">
        <label>
          Residual stream{' '}
          <select value={l} onChange={(e) => onLayer(Number(e.target.value))} data-testid="ln-layer">
            {Array.from({ length: L + 1 }, (_, i) => (
              <option key={i} value={i}>
                {layerLabel(i, L)}
              </option>
            ))}
          </select>
        </label>
        <span>
          at the last position, <TokenText id={tokenId} />
        </span>
      </div>
      <div className="p1-slider-row">
        <label htmlFor="ln-scale-input">Scale the vector by</label>
        <input
          id="ln-scale-input"
          type="range"
          min={scaleMin}
          max={scaleMax}
          step={0.01}
          value={scaleLog}
          onChange={(e) => onScale(Number(e.target.value))}
          aria-valuetext={`times ${fmt(s)}`}
          data-testid="ln-scale-input"
        />
        <output htmlFor="ln-scale-input" className="num">
          × {fmt(s)}
        </output>
      </div>
      <div className="ln-strips">
        <div className="ln-strip-label">
          input <Tex tex="s\,x" />: length{' '}
          <strong className="num" data-testid="ln-xnorm">
            {fmt(nsx)}
          </strong>
        </div>
        <HeatStrip values={sx} maxAbs={xMax} label={`The scaled residual vector, ${D} numbers`} testid="ln-in-strip" />
        <div className="ln-bar-track" aria-hidden="true">
          <span className="ln-bar in" style={{ width: barW(nsx) }} />
        </div>
        <div className="ln-strip-label">
          LayerNorm output before gain and bias: length{' '}
          <strong className="num" data-testid="ln-lnnorm">
            {fmt(nln)}
          </strong>{' '}
          (<Tex tex="\sqrt{D}" /> = {fmt(Math.sqrt(D))})
        </div>
        <HeatStrip values={ns} maxAbs={nMax} label="The LayerNorm output, unchanged by the scale" testid="ln-out-strip" />
        <div className="ln-bar-track" aria-hidden="true">
          <span className="ln-bar out" style={{ width: barW(nln) }} />
        </div>
        <div className="p1-muted ln-note">
          Bars: length on a logarithmic scale. Colours: the input keeps the scale it has at × 1, so it fades or saturates as you scale it.
        </div>
        <ColorLegend maxAbs={xMax} label="colour scale of the input at × 1" />
      </div>
      <p className="ln-diff">
        Largest change in any output coordinate compared with × 1:{' '}
        <strong className="num" data-testid="ln-diff">
          {fmt(diff, 2)}
        </strong>
        {diff > 1e-3 ? ' (the small ε inside LayerNorm shows up only when the input gets very short)' : ''}
      </p>
    </div>
  );
}
