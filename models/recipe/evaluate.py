"""Quality evaluation of the shipped models (and helpers used by train.py during training).

main(): loads models/<name>/ (the exported safetensors, i.e. exactly the shipped weights)
and writes models/recipe/results.json with
  * held-out loss (natural English and stories validation documents),
  * name copying (IOI): p(right name) > p(other name), in-distribution (training shapes,
    verbs, places, objects; fresh name pairs) and held-out (shapes, verbs, places and objects
    never used in training name-copying sentences),
  * the Mary/John prompt at T = 0,
  * samples at T = 0.7,
  * direct path W_E[t] -> ln_f -> W_U (top-5 for a few tokens),
  * residual-stream norm per layer, W_E row-norm histogram.
"""
import json, math, os, sys
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
WORK = os.path.join(HERE, 'work')
MARY = 'When Mary and John went to the store, John gave a drink to'


def load_tokenizer(path):
    import bpe
    return bpe.load(path)


_pool = None


def pool():
    global _pool
    if _pool is None:
        _pool = json.load(open(os.path.join(WORK, 'names.json')))
    return _pool


def ioi_set(split, n, seed=None):
    import stories
    return stories.ioi_prompts(split, n, seed if seed is not None else (777 if split == 'train' else 999), pool())


@torch.no_grad()
def val_loss(model, arr, ctx, n_batches=20, bs=16):
    g = np.random.default_rng(0)
    tot = 0.0
    for _ in range(n_batches):
        ix = g.integers(0, len(arr) - ctx - 1, size=bs)
        x = torch.from_numpy(np.stack([arr[i:i + ctx] for i in ix]).astype(np.int64))
        y = torch.from_numpy(np.stack([arr[i + 1:i + 1 + ctx] for i in ix]).astype(np.int64))
        tot += model(x, y)[1].item()
    return tot / n_batches


@torch.no_grad()
def ioi_accuracy(model, tok, prompts, bos=False):
    ok, diffs, top1 = 0, [], 0
    for p in prompts:
        ids = tok.encode(p['prompt'])
        if bos:
            ids = [tok.eot] + ids
        r, w = tok.encode(p['right']), tok.encode(p['wrong'])
        assert len(r) == 1 and len(w) == 1, (p, r, w)
        logits = model(torch.tensor([ids]))[0][0, -1]
        d = (logits[r[0]] - logits[w[0]]).item()
        diffs.append(d)
        ok += d > 0
        top1 += int(logits.argmax().item() == r[0])
    return {'acc': ok / len(prompts), 'top1_right': top1 / len(prompts), 'mean_logit_diff': float(np.mean(diffs)), 'n': len(prompts)}
