/**
 * Figure 2a drawn from plain arrays: the equation e_t^T W_E = W_E[t], the
 * one-hot vector beside W_E as an image (rows sampled to fit) with the picked
 * row marked, and the row as a heat strip. The token picker comes in as a
 * ready element (`picker`).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { EmptyState } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { ColorLegend, HeatStrip, writeDivergingRgb } from '../../kit/HeatStrip';
import { TokenText } from '../../kit/TokenText';
import { fmt, int } from '../../kit/format';
import { imageRows, rowMarkTop, sampledRow } from './compute';

/** A row-major matrix [rows, cols]. */
export interface MatrixData {
  rows: number;
  cols: number;
  data: Float32Array;
}

export function MatrixImage({ m, maxAbs, tokenId }: { m: MatrixData; maxAbs: number; tokenId: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const H = imageRows(m.rows);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    c.width = m.cols;
    c.height = H;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(m.cols, H);
    for (let y = 0; y < H; y++) {
      const r = sampledRow(y, m.rows, H);
      for (let x = 0; x < m.cols; x++) writeDivergingRgb(img.data, (y * m.cols + x) * 4, m.data[r * m.cols + x], maxAbs);
    }
    ctx.putImageData(img, 0, 0);
  }, [m, maxAbs, H]);
  const top = `${rowMarkTop(tokenId, m.rows)}%`;
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

export interface EmbeddingRowViewProps {
  /** The token picker, rendered above the figure. */
  picker: ReactNode;
  /** W_E [V, D]; null while it is read. */
  wte: MatrixData | null;
  /** The colour scale (robustMaxAbs of W_E); null while it is computed. */
  maxAbs: number | null;
  /** The picked token, or null. */
  t: number | null;
  /** W_E[t] [D], or null. */
  row: Float32Array | null;
  /** |W_E[t]|, or null without a row. */
  rowNorm: number | null;
}

export function EmbeddingRowView({ picker, wte, maxAbs, t, row, rowNorm }: EmbeddingRowViewProps) {
  return (
    <div className="embedding-row" data-testid="embedding-row" data-token-id={t ?? ''} data-norm={rowNorm ?? ''}>
      {picker}
      {!wte || maxAbs === null ? (
        <EmptyState>Reading the embedding matrix…</EmptyState>
      ) : t === null || !row || rowNorm === null ? (
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
              {fmt(rowNorm)}
            </span>
          </div>
          <HeatStrip
            values={row}
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
