"""Exports a GPT-2-architecture checkpoint folder (config.json + model.safetensors, F32 or F16, the
layout scripts/make-checkpoint.mjs and export.py write) to ONNX, for the benchmark's side-by-side run
of onnxruntime-web against our runtime on the same weights.

  python3 models/recipe/export_onnx.py DIR [--out DIR/model.onnx] [--opset 14]

For a GPT-2-small-shaped random checkpoint:
  node scripts/make-checkpoint.mjs --out DIR --shape gpt2-small --dtype f16 --tokenizer gpt2 --seed 7
  python3 models/recipe/export_onnx.py DIR

The graph takes input_ids int64 [1, seq] and returns logits float32 [1, seq, vocab] (seq dynamic), as
export.py's --onnx does for the trained models. Weights are exported in float32 (what both runtimes
compute in). Needs PyTorch (Debian's python3-torch 1.13 works; the onnx Python package is not needed).
"""
import argparse, os, sys, time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export import load_model_dir  # noqa: E402


class LogitsOnly(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        return self.m(input_ids)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dir', help='checkpoint folder with config.json and model.safetensors')
    ap.add_argument('--out', default=None, help='default: DIR/model.onnx')
    ap.add_argument('--opset', type=int, default=14)
    a = ap.parse_args()
    torch.set_num_threads(int(os.environ.get('THREADS', '1')))
    t0 = time.time()
    model = load_model_dir(a.dir).float()
    c = model.config
    print(f'{a.dir}: vocab {c.vocab_size}, d {c.n_embd}, {c.n_layer} layers, {c.n_head} heads, ctx {c.n_positions}, tied {c.tied}'
          f' ({time.time() - t0:.1f} s to load)')
    ids = torch.arange(8, dtype=torch.long).unsqueeze(0) % c.vocab_size
    out = a.out or os.path.join(a.dir, 'model.onnx')
    tmp = out + '.part'
    with torch.no_grad():
        torch.onnx.export(LogitsOnly(model), (ids,), tmp, input_names=['input_ids'], output_names=['logits'],
                          dynamic_axes={'input_ids': {1: 'seq'}, 'logits': {1: 'seq'}}, opset_version=a.opset)
    os.replace(tmp, out)  # a half-written file never looks like an export
    print(f'{out}: {os.path.getsize(out)} bytes ({time.time() - t0:.1f} s)')


if __name__ == '__main__':
    main()
