import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { embeddingRow, imageRows, IMG_ROWS, robustMaxAbs, rowMarkTop, sampledRow } from '../../../src/figures/embedding-row/compute';
import { EmbeddingRowView } from '../../../src/figures/embedding-row/EmbeddingRowView';

// W_E of a toy model: V = 4 tokens, D = 4; row 1 has length 5.
const W = { rows: 4, cols: 4, data: Float32Array.from([1, 0, 0, 0, 3, -4, 0, 0, 0, 0, 2, 0, 0, 0, 0, -1]) };

describe('embedding-row compute', () => {
  it('the colour scale is the 99th percentile of |w|, not the largest outlier', () => {
    const ramp = Float32Array.from({ length: 100 }, (_, i) => (i % 2 ? -i : i));
    expect(robustMaxAbs(ramp)).toBe(98);
    const spiky = new Float32Array(1000).fill(0.5);
    spiky[17] = -1e6;
    expect(robustMaxAbs(spiky)).toBe(0.5);
    // nothing to scale: 1, never 0 or NaN
    expect(robustMaxAbs(new Float32Array(50))).toBe(1);
    expect(robustMaxAbs(new Float32Array(0))).toBe(1);
    // a large matrix is sampled (every 5th of 100,000 entries here)
    const big = Float32Array.from({ length: 100000 }, (_, i) => (i % 5 === 0 ? 2 : 100));
    expect(robustMaxAbs(big)).toBe(2);
  });

  it('takes the picked row as a copy', () => {
    const r = embeddingRow(W.data, W.cols, 1);
    expect(Array.from(r)).toEqual([3, -4, 0, 0]);
    r[0] = 99;
    expect(W.data[4]).toBe(3);
    expect(embeddingRow(W.data, W.cols, 3)).toHaveLength(4);
  });

  it('samples at most IMG_ROWS rows, in order, and marks the picked one', () => {
    expect(imageRows(50257)).toBe(IMG_ROWS);
    expect(imageRows(10)).toBe(10);
    for (let y = 0; y < 10; y++) expect(sampledRow(y, 10, 10)).toBe(y);
    const H = imageRows(50257);
    expect(sampledRow(0, 50257, H)).toBe(0);
    expect(sampledRow(H - 1, 50257, H)).toBeLessThan(50257);
    for (let y = 1; y < H; y++) expect(sampledRow(y, 50257, H)).toBeGreaterThan(sampledRow(y - 1, 50257, H));
    expect(rowMarkTop(0, 4)).toBe(12.5);
    expect(rowMarkTop(3, 4)).toBe(87.5);
  });
});

describe('embedding-row view', () => {
  const picker = <div data-testid="picker" />;

  it('draws the picked row: equation, image mark, length and strip', () => {
    const row = embeddingRow(W.data, W.cols, 1);
    const html = renderToStaticMarkup(
      <EmbeddingRowView picker={picker} wte={W} maxAbs={robustMaxAbs(W.data)} t={1} row={row} rowNorm={5} />,
    );
    expect(html).toContain('data-testid="embedding-row" data-token-id="1" data-norm="5"');
    expect(html.indexOf('data-testid="picker"')).toBeLessThan(html.indexOf('er-eq'));
    expect(html).toContain('<span class="num" data-testid="er-norm">5.00</span>');
    expect(html).toContain('4 rows (tokens) by 4 columns, one row in every 1 drawn');
    expect(html.match(/top:37.5%/g)).toHaveLength(2);
    expect(html).toContain('data-testid="er-strip"');
    expect(html).toContain('Heat strip of the 4 numbers in row 1');
    // without a tokenizer the token shows as its id
    expect(html).toContain('#1');
  });

  it('says what it waits for', () => {
    const reading = renderToStaticMarkup(<EmbeddingRowView picker={picker} wte={null} maxAbs={null} t={1} row={null} rowNorm={null} />);
    expect(reading).toContain('Reading the embedding matrix…');
    expect(reading).toContain('data-token-id="1" data-norm=""');
    const none = renderToStaticMarkup(<EmbeddingRowView picker={picker} wte={W} maxAbs={3} t={null} row={null} rowNorm={null} />);
    expect(none).toContain('Pick a token to light up its row.');
    expect(none).toContain('data-token-id="" data-norm=""');
    expect(none).not.toContain('<canvas');
  });
});
