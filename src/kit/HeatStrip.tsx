/** A vector as a strip of coloured cells (canvas), diverging colour map centred on 0. */
import { useEffect, useRef } from 'react';
import { interpolateRdBu } from 'd3';

export function divergingColor(v: number, maxAbs: number): string {
  const t = maxAbs > 0 ? Math.max(-1, Math.min(1, v / maxAbs)) : 0;
  return interpolateRdBu(0.5 + t / 2); // red = negative, blue = positive (colour-blind safe)
}

export function HeatStrip({
  values,
  maxAbs,
  height = 22,
  label,
  testid,
}: {
  values: ArrayLike<number>;
  maxAbs: number;
  height?: number;
  label: string;
  testid?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const n = values.length;
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    c.width = n;
    c.height = 1;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(n, 1);
    for (let i = 0; i < n; i++) writeDivergingRgb(img.data, i * 4, values[i], maxAbs);
    ctx.putImageData(img, 0, 0);
  }, [values, maxAbs, n]);
  return (
    <canvas
      ref={ref}
      className="heat-strip"
      style={{ width: '100%', height, imageRendering: 'pixelated' }}
      role="img"
      aria-label={label}
      data-testid={testid}
    />
  );
}

/** The diverging map sampled at LUT_STEPS + 1 points over t in [-1, 1], as rgb bytes: image buffers read it, since
 * d3's interpolator formats a CSS string per call (a 240 × 128 matrix image took ~100 ms that way). Adjacent
 * entries differ by less than one unit per channel, so a pixel is at most one unit from the exact colour. */
const LUT_STEPS = 1024;
let lut: Uint8Array | null = null;
function divergingLut(): Uint8Array {
  if (lut) return lut;
  lut = new Uint8Array((LUT_STEPS + 1) * 3);
  for (let j = 0; j <= LUT_STEPS; j++) {
    const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(interpolateRdBu(j / LUT_STEPS));
    if (m) lut.set([+m[1], +m[2], +m[3]], j * 3);
  }
  return lut;
}

/** Writes the diverging map's colour of v (opaque rgba) into an image buffer at byte `offset`. */
export function writeDivergingRgb(out: Uint8ClampedArray, offset: number, v: number, maxAbs: number): void {
  const t = maxAbs > 0 ? Math.max(-1, Math.min(1, v / maxAbs)) : 0;
  const j = Math.round(((Number.isNaN(t) ? 0 : t) + 1) * (LUT_STEPS / 2)) * 3;
  const l = divergingLut();
  out[offset] = l[j];
  out[offset + 1] = l[j + 1];
  out[offset + 2] = l[j + 2];
  out[offset + 3] = 255;
}

export function ColorLegend({ maxAbs, label }: { maxAbs: number; label: string }) {
  return (
    <div className="color-legend" aria-hidden="true">
      <span className="num">−{maxAbs.toFixed(2)}</span>
      <span className="ramp" />
      <span className="num">+{maxAbs.toFixed(2)}</span>
      <span className="legend-label">{label}</span>
    </div>
  );
}
