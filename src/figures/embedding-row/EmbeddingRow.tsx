/**
 * Figure 2a: a one-hot vector times W_E picks out one row. The matrix is drawn
 * as an image (rows sampled to fit), the picked row marked, and the row shown
 * as a heat strip.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useModelState } from '../../state/model';
import { EmptyState } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { ColorLegend, HeatStrip, divergingRgb } from '../../kit/HeatStrip';
import { useDerived, useMatrix } from '../../state/matrices';
import { TokenText } from '../../kit/TokenText';
import { TokenPicker, usePickedToken } from '../../kit/TokenPicker';
import { norm } from '../../geometry/vector';
import { fmt, int } from '../../kit/format';
import type { Matrix } from '../../runtime/types';
import '../../kit/kit.css';
import './embedding-row.css';

const IMG_ROWS = 240;

/** 99th percentile of |w| over a sample of entries (a robust colour scale). */
export function robustMaxAbs(m: Matrix): number {
  const n = m.data.length;
  const step = Math.max(1, Math.floor(n / 20000));
  const s: number[] = [];
  for (let i = 0; i < n; i += step) s.push(Math.abs(m.data[i]));
  s.sort((a, b) => a - b);
  return s[Math.floor(0.99 * (s.length - 1))] || 1;
}

function MatrixImage({ m, maxAbs, tokenId }: { m: Matrix; maxAbs: number; tokenId: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const H = Math.min(IMG_ROWS, m.rows);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    c.width = m.cols;
    c.height = H;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(m.cols, H);
    for (let y = 0; y < H; y++) {
      const r = Math.floor((y * m.rows) / H);
      for (let x = 0; x < m.cols; x++) {
        const [R, G, B] = divergingRgb(m.data[r * m.cols + x], maxAbs);
        const o = (y * m.cols + x) * 4;
        img.data[o] = R;
        img.data[o + 1] = G;
        img.data[o + 2] = B;
        img.data[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  }, [m, maxAbs, H]);
  const top = `${((tokenId + 0.5) / m.rows) * 100}%`;
  return (
    <div className="er-matrix">
      <div className="er-onehot" aria-hidden="true">
        <span className="er-one" style={{ top }} />
      </div>
      <div className="er-img-wrap">
        <canvas
          ref={ref}
          className="er-img"
          role="img"
          aria-label={`The embedding matrix: ${m.rows} rows (tokens) by ${m.cols} columns, one row in every ${Math.max(1, Math.round(m.rows / H))} drawn`}
        />
        <span className="er-mark" style={{ top }} aria-hidden="true" />
      </div>
    </div>
  );
}

export function EmbeddingRow() {
  const { info } = useModelState((s) => ({ info: s.info }));
  const wte = useMatrix('wte');
  const picked = usePickedToken();
  const maxAbs = useDerived(wte, 'robustMaxAbs', (m: Matrix) => robustMaxAbs(m));
  const t = picked.id;
  const rowVec = useMemo(() => (wte && t !== null ? wte.data.slice(t * wte.cols, (t + 1) * wte.cols) : null), [wte, t]);
  if (!info) return <EmptyState>Loading the model…</EmptyState>;
  return (
    <div className="embedding-row" data-testid="embedding-row" data-token-id={t ?? ''} data-norm={rowVec ? norm(rowVec) : ''}>
      <TokenPicker idPrefix="er" />
      {!wte || maxAbs === null ? (
        <EmptyState>Reading the embedding matrix…</EmptyState>
      ) : t === null || !rowVec ? (
        <EmptyState>Pick a token to light up its row.</EmptyState>
      ) : (
        <>
          <div className="er-eq">
            <Tex tex={`e_{${t}}^{\\top} W_E = W_E[${t}]`} /> — the one-hot vector of <TokenText id={t} /> has a single 1, at position{' '}
            <span className="num">{int(t)}</span> of <span className="num">{int(wte.rows)}</span>, so the product is just that row.
          </div>
          <div className="er-labels p1-muted">
            left: the one-hot vector; right: <Tex tex="W_E" />, {int(wte.rows)} rows × {int(wte.cols)} columns
          </div>
          <MatrixImage m={wte} maxAbs={maxAbs} tokenId={t} />
          <div className="er-row-label">
            Row <span className="num">{int(t)}</span> (<TokenText id={t} />
            ), the token’s vector: <span className="num">{int(wte.cols)}</span> numbers, length{' '}
            <span className="num" data-testid="er-norm">
              {fmt(norm(rowVec))}
            </span>
          </div>
          <HeatStrip
            values={rowVec}
            maxAbs={maxAbs}
            height={28}
            label={`Heat strip of the ${wte.cols} numbers in row ${t}`}
            testid="er-strip"
          />
          <ColorLegend maxAbs={maxAbs} label="value of each coordinate" />
        </>
      )}
    </div>
  );
}
