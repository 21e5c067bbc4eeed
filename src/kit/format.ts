/** Number formatting for figures and prose. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  let s: string;
  if (a >= 1e5 || a < 1e-3) s = x.toExponential(Math.max(0, digits - 1));
  else s = x.toFixed(Math.max(0, digits - Math.max(1, Math.floor(Math.log10(a)) + 1)));
  return s.replace('-', '−');
}
export function pct(p: number, digits = 1): string {
  if (!Number.isFinite(p)) return '—';
  return `${(p * 100).toFixed(digits)}%`;
}
// One formatter, made once: toLocaleString builds a new Intl.NumberFormat on every call.
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
/** A whole number with thousands separators (rounded). */
export function int(n: number): string {
  return INT.format(Math.round(n));
}
