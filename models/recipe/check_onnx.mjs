// Runs models/<name>/model.onnx with onnxruntime-web (wasm, Node) on the parity prompts and compares
// its last-position logits with the float64 PyTorch fixture.  usage: node check_onnx.mjs <model.onnx> <fixture.json>
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

const [onnxPath, fxPath] = process.argv.slice(2);
ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(readFileSync(onnxPath), { executionProviders: ['wasm'] });
const fx = JSON.parse(readFileSync(fxPath, 'utf8'));
let worst = 0;
for (const p of fx.prompts) {
  const ids = BigInt64Array.from(p.ids.map(BigInt));
  const out = await session.run({ input_ids: new ort.Tensor('int64', ids, [1, ids.length]) });
  const lg = out.logits.data; const V = out.logits.dims[2];
  const last = lg.subarray((ids.length - 1) * V, ids.length * V);
  let num = 0, den = 0;
  for (let i = 0; i < V; i++) { num = Math.max(num, Math.abs(last[i] - p.logits_last[i])); den = Math.max(den, Math.abs(p.logits_last[i])); }
  worst = Math.max(worst, num / den);
  console.log(`seq ${ids.length}: max |dlogit| ${num.toExponential(2)} (relative to max |logit| ${(num / den).toExponential(2)})`);
}
process.exit(worst < 1e-4 ? 0 : 1);
