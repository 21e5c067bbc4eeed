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
WORK = os.environ.get('RECIPE_WORK') or os.path.join(HERE, 'work')
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
def ioi_accuracy(model, tok, prompts, bos=False, bs=64):
    """p(right name) > p(other name) at the last prompt position. Prompts are right-padded and
    batched (causal attention: padding after the last real token cannot change its logits)."""
    ok, diffs, top1 = 0, [], 0
    for s in range(0, len(prompts), bs):
        chunk = prompts[s:s + bs]
        seqs = [([tok.eot] if bos else []) + tok.encode(p['prompt']) for p in chunk]
        L = max(map(len, seqs))
        x = torch.tensor([q + [0] * (L - len(q)) for q in seqs])
        logits = model(x)[0]
        for q, p, lg in zip(seqs, chunk, logits):
            r, w = tok.encode(p['right']), tok.encode(p['wrong'])
            assert len(r) == 1 and len(w) == 1, (p, r, w)
            l = lg[len(q) - 1]
            d = (l[r[0]] - l[w[0]]).item()
            diffs.append(d)
            ok += d > 0
            top1 += int(l.argmax().item() == r[0])
    n = len(prompts)
    return {'acc': ok / n, 'top1_right': top1 / n, 'mean_logit_diff': float(np.mean(diffs)), 'n': n}


# ------------------------------------------------------------------ full evaluation
@torch.no_grad()
def full_val_loss(model, arr, ctx, max_windows=400):
    n = min((len(arr) - 1) // ctx, max_windows)
    tot, cnt = 0.0, 0
    for s in range(0, n, 16):
        idx = list(range(s, min(n, s + 16)))
        x = torch.from_numpy(np.stack([arr[i * ctx:i * ctx + ctx] for i in idx]).astype(np.int64))
        y = torch.from_numpy(np.stack([arr[i * ctx + 1:i * ctx + ctx + 1] for i in idx]).astype(np.int64))
        tot += model(x, y)[1].item() * len(idx); cnt += len(idx)
    return tot / cnt


@torch.no_grad()
def generate(model, tok, prompt, n=40, temperature=0.7, seed=0, ctx=128):
    g = torch.Generator().manual_seed(seed)
    ids = tok.encode(prompt)
    for _ in range(n):
        logits = model(torch.tensor([ids[-ctx:]]))[0][0, -1]
        if temperature == 0:
            nxt = int(logits.argmax())
        else:
            p = torch.softmax(logits / temperature, -1)
            nxt = int(torch.multinomial(p, 1, generator=g))
        if nxt == tok.eot:
            break
        ids.append(nxt)
    return tok.decode(ids)[len(prompt):]


@torch.no_grad()
def topk(model_or_logits, tok, k=5):
    p = torch.softmax(model_or_logits, -1)
    v, i = p.topk(k)
    return [[tok.vocab[j].replace('\u0120', ' ').replace('\u010a', '\\n'), round(float(x), 4)] for x, j in zip(v, i)]


@torch.no_grad()
def direct_path(model, tok, word):
    t = tok.encode(word)
    assert len(t) == 1, word
    x = model.wte.weight[t[0]][None]
    return topk(model.lm_head(model.ln_f(x))[0], tok)


SAMPLE_PROMPTS = ['Once upon a time, there was a little girl named Lily.', 'One day, Tom went to the park.',
                  'The old man looked at the sea and', 'It was a cold morning, and', 'Mary said to John,',
                  'It is a truth universally acknowledged that', 'The best way to learn a new language is']
MARY_VARIANTS = [('When Mary and John went to the store, John gave a drink to', ' Mary', ' John'),
                 ('When John and Mary went to the store, Mary gave a drink to', ' John', ' Mary'),
                 ('When Mary and John went to the store, Mary gave a drink to', ' John', ' Mary'),
                 ('When Tom and Anna went to the park, Anna gave a ball to', ' Tom', ' Anna')]


FACTOR_COMBOS = [('train', 'train', 'train', 'train'), ('held', 'train', 'train', 'train'), ('train', 'held', 'train', 'train'),
                 ('train', 'train', 'held', 'train'), ('train', 'train', 'train', 'held'), ('held', 'held', 'held', 'held')]


def factor_set(shape_split, verb_split, place_split, obj_split, n=200, seed=5):
    """Name-copying prompts with each factor (shape, verb, place, object) from the training or the held-out list."""
    import random, stories
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        A, B = rng.sample(pool()['cast'], 2)
        s = rng.choice(stories.SHAPES[shape_split])
        P = rng.choice(stories.PLACES[place_split])
        v, prep = rng.choice(stories.VERBS[verb_split])
        o = rng.choice(stories.SPECIAL[v]) if v in stories.SPECIAL else rng.choice(stories.OBJECTS[obj_split])
        text = s.replace('{VP}', f'{v} the {o} {prep}').replace('{A}', A).replace('{B}', B).replace('{P}', P)
        out.append({'prompt': text, 'right': ' ' + A, 'wrong': ' ' + B})
    return out


def token_train_counts(V):
    """How often each token occurs in the phase-1 training stream (train.bin), or, where only the version-7
    stream was built (bpe.py --v7), in train_v7.bin: the natural text is the same in both."""
    f = os.path.join(WORK, 'train.bin')
    arr = np.fromfile(f if os.path.exists(f) else os.path.join(WORK, 'train_v7.bin'), dtype=np.uint16)
    return np.bincount(arr, minlength=V)


@torch.no_grad()
def round_trip(model, counts, min_count=1000):
    """Share of the common tokens (seen min_count+ times in training) whose own row comes back as the top token
    through the direct path W_U ln_f(W_E[t]) and through the plain product W_U W_E[t] (chapter 8's round trip)."""
    E = model.wte.weight
    common = torch.from_numpy(np.flatnonzero(counts[:E.shape[0]] >= min_count))
    x = E[common]  # [n, D]
    via_ln = model.lm_head(model.ln_f(x)).argmax(-1)
    plain = model.lm_head(x).argmax(-1)
    return {'tokens': int(len(common)), 'via_ln_f': round(float((via_ln == common).float().mean()), 4),
            'plain': round(float((plain == common).float().mean()), 4)}


@torch.no_grad()
def evaluate_model(d, n=500, counts=None):
    from export import load_model_dir
    model = load_model_dir(d)
    tok = load_tokenizer(os.path.join(d, 'tokenizer.json'))
    cfg = model.config
    res = {'model': os.path.basename(d), 'params': model.n_params()}
    res['val_loss'] = {k: round(full_val_loss(model, np.fromfile(os.path.join(WORK, k + '.bin'), dtype=np.uint16), cfg.n_positions), 4)
                       for k in ('val_natural', 'val_stories')}
    res['ioi_in_distribution'] = ioi_accuracy(model, tok, ioi_set('train', n))
    held = ioi_set('held', n)
    res['ioi_held_out'] = ioi_accuracy(model, tok, held)
    res['ioi_held_out_with_bos'] = ioi_accuracy(model, tok, held, bos=True)
    by_shape = {}
    for p in held:
        by_shape.setdefault(p['shape'], []).append(p)
    import stories
    res['ioi_held_out_by_shape'] = {stories.SHAPES['held'][s]: round(ioi_accuracy(model, tok, ps)['acc'], 3) for s, ps in sorted(by_shape.items())}
    res['ioi_held_out_factors'] = {'+'.join(k for k, v in zip(('shape', 'verb', 'place', 'object'), combo) if v == 'held') or 'none':
                                   round(ioi_accuracy(model, tok, factor_set(*combo))['acc'], 3) for combo in FACTOR_COMBOS}
    # the independent name-copying set (own grammar, both orders; test draw) and bits per character on Brown validation documents
    import indep_eval
    res['independent'] = indep_eval.evaluate(model, tok, pool(), 400, 999)
    res['independent']['brown_nouns_overlap'] = indep_eval.check_disjoint()
    mary = []
    for prompt, right, wrong in MARY_VARIANTS:
        logits = model(torch.tensor([tok.encode(prompt)]))[0][0, -1]
        top = topk(logits, tok)
        mary.append({'prompt': prompt, 'right': right, 'greedy': top[0][0], 'top5': top,
                     'p_right': round(float(torch.softmax(logits, -1)[tok.encode(right)[0]]), 4),
                     'p_wrong': round(float(torch.softmax(logits, -1)[tok.encode(wrong)[0]]), 4),
                     'greedy_continuation': generate(model, tok, prompt, n=12, temperature=0)})
    res['mary'] = mary
    res['samples_T0.7'] = [{'prompt': p, 'continuation': generate(model, tok, p, n=48, temperature=0.7, seed=i)}
                           for i, p in enumerate(SAMPLE_PROMPTS)]
    res['direct_path_top5'] = {w: direct_path(model, tok, w) for w in [' what', ' the', ' Mary', ' said', ' of', ' went', ' very']
                               if len(tok.encode(w)) == 1}
    # residual stream norm per layer (mean over positions of validation windows)
    arr = np.fromfile(os.path.join(WORK, 'val_natural.bin'), dtype=np.uint16)
    x = torch.from_numpy(np.stack([arr[i * 128:(i + 1) * 128] for i in range(32)]).astype(np.int64))
    _, _, resid, xf = model(x, return_resid=True)
    res['residual_norm_by_layer'] = [round(float(r.norm(dim=-1).mean()), 3) for r in resid]
    res['residual_norm_by_layer_note'] = 'index 0 = embedding (block 0 input), i = after block i; mean L2 norm over 32x128 validation positions'
    # W_E row norms
    norms = model.wte.weight.norm(dim=-1).numpy()
    hist, edges = np.histogram(norms, bins=20)
    res['wte_norm'] = {'mean': round(float(norms.mean()), 4), 'median': round(float(np.median(norms)), 4),
                       'p1': round(float(np.percentile(norms, 1)), 4), 'p99': round(float(np.percentile(norms, 99)), 4),
                       'min': round(float(norms.min()), 4), 'max': round(float(norms.max()), 4),
                       'hist_counts': hist.tolist(), 'hist_edges': [round(float(e), 4) for e in edges]}
    if counts is not None:
        unseen = counts[:len(norms)] == 0
        rare = (counts[:len(norms)] > 0) & (counts[:len(norms)] < 50)
        common = counts[:len(norms)] >= 1000
        res['wte_norm']['by_train_frequency'] = {
            'unseen_tokens': int(unseen.sum()), 'unseen_mean_norm': round(float(norms[unseen].mean()), 4) if unseen.any() else None,
            'rare_lt50_tokens': int(rare.sum()), 'rare_mean_norm': round(float(norms[rare].mean()), 4) if rare.any() else None,
            'common_ge1000_tokens': int(common.sum()), 'common_mean_norm': round(float(norms[common].mean()), 4)}
        res['round_trip'] = round_trip(model, counts)
        order = np.argsort(norms)
        res['wte_norm']['smallest'] = [[tok.vocab[i], round(float(norms[i]), 3), int(counts[i])] for i in order[:8]]
        res['wte_norm']['largest'] = [[tok.vocab[i], round(float(norms[i]), 3), int(counts[i])] for i in order[-8:][::-1]]
    return res


def main():
    import argparse
    root = os.path.abspath(os.path.join(HERE, '..', '..'))
    ap = argparse.ArgumentParser()
    ap.add_argument('--models', nargs='*', default=[os.path.join(root, 'models', 'tiny-tied'), os.path.join(root, 'models', 'tiny-untied')])
    ap.add_argument('--out', default=os.path.join(HERE, 'results.json'))
    ap.add_argument('--n', type=int, default=500)
    a = ap.parse_args()
    torch.set_num_threads(int(os.environ.get('THREADS', '2')))
    counts = None
    out = {}
    for d in a.models:
        if counts is None:
            V = json.load(open(os.path.join(d, 'config.json')))['vocab_size']
            counts = token_train_counts(V)
        r = evaluate_model(d, a.n, counts)
        out[r['model']] = r
        print(json.dumps({k: r[k] for k in ('model', 'val_loss', 'ioi_in_distribution', 'ioi_held_out', 'residual_norm_by_layer')}))
        print('independent:', {k: v['acc'] for k, v in r['independent']['ioi'].items()}, 'bpc', r['independent']['bpc_brown_val'])
        print('mary:', [(m['greedy'], m['p_right'], m['p_wrong']) for m in r['mary']])
        print('direct what:', r['direct_path_top5'].get(' what'))
        for s in r['samples_T0.7']:
            print('  ', s['prompt'], '|', s['continuation'].replace('\n', ' / '))
    json.dump(out, open(a.out, 'w'), indent=1)


if __name__ == '__main__':
    main()
