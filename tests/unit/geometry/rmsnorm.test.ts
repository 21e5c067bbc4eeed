import { describe, expect, it } from 'vitest';
import { layerNorm, normalize, rmsNormalize } from '../../../src/geometry/layernorm';

describe('RMSNorm (Llama) beside LayerNorm', () => {
  const x = [3, -1, 4, 1, -5, 9];
  it('rmsNormalize keeps the mean direction and gives length √D', () => {
    const y = rmsNormalize(x, 0);
    expect(Math.hypot(...y)).toBeCloseTo(Math.sqrt(x.length), 10);
    const k = y[0] / x[0];
    y.forEach((v, i) => expect(v).toBeCloseTo(x[i] * k, 12)); // a pure rescaling of x
    expect(normalize(x, 0).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12); // LayerNorm centres; RMSNorm does not
    expect(y.reduce((a, b) => a + b, 0)).not.toBeCloseTo(0, 3);
  });
  it('layerNorm with kind rmsnorm = g · rmsNormalize(x) (+ a zero bias)', () => {
    const g = x.map((_, i) => 1 + i / 10);
    const got = layerNorm(x, g, new Array(x.length).fill(0), 1e-5, 'rmsnorm');
    const want = rmsNormalize(x, 1e-5).map((v, i) => v * g[i]);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  });
});
