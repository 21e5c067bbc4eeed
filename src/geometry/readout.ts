/** Row-wise comparisons of two matrices (pure maths). */
/** cos(A[r], B[r]) for every row r of two row-major [rows, cols] matrices → [rows]. */
export function rowwiseCosines(A: ArrayLike<number>, B: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let ab = 0,
      aa = 0,
      bb = 0;
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const a = A[o + c];
      const b = B[o + c];
      ab += a * b;
      aa += a * a;
      bb += b * b;
    }
    out[r] = aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
  }
  return out;
}
