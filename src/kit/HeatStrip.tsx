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
    for (let i = 0; i < n; i++) {
      const col = divergingColor(values[i], maxAbs);
      const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(col);
      img.data[i * 4] = m ? +m[1] : 0;
      img.data[i * 4 + 1] = m ? +m[2] : 0;
      img.data[i * 4 + 2] = m ? +m[3] : 0;
      img.data[i * 4 + 3] = 255;
    }
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

/** rgb triple of the diverging map, for image buffers. */
export function divergingRgb(v: number, maxAbs: number): [number, number, number] {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(divergingColor(v, maxAbs));
  return m ? [+m[1], +m[2], +m[3]] : [0, 0, 0];
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
