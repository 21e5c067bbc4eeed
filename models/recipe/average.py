"""Average the weights of the checkpoints kept over the last part of phase 5 (stochastic weight averaging).

  average.py --name tiny-tied [--last 0.3]  ->  ckpt/<name>/averaged.pt (same layout as ckpt.pt)

train.py keeps a copy of every checkpoint it writes once phase 5 is past 1 - --avg-last of its schedule
(ckpt/<name>/snap-*.pt, one every --ckpt-sec seconds) and of the final one. Their plain mean is what
export.py ships. Averaging the end of a run smooths out the step-to-step wobble of a small model trained
at a still-sizeable learning rate; the choice (last 30% of phase 5) was fixed before looking at the result.
"""
import argparse, glob, json, os, sys
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from train import final_progress  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--name', required=True)
    ap.add_argument('--last', type=float, default=0.3)
    ap.add_argument('--ckpt-dir', default=os.path.join(HERE, 'ckpt'))
    a = ap.parse_args()
    d = os.path.join(a.ckpt_dir, a.name)
    files = sorted(glob.glob(os.path.join(d, 'snap-*.pt'))) + [os.path.join(d, 'ckpt.pt')]
    picked, seen = [], set()
    for f in files:
        ck = torch.load(f)
        if ck['step'] in seen or final_progress(ck['step'], ck['elapsed'], ck.get('p5') or {}, ck['args']) < 1 - a.last:
            continue
        seen.add(ck['step'])
        picked.append((ck['step'], f, ck))
    if not picked:
        sys.exit(f'no checkpoint of {a.name} in the last {a.last:.0%} of phase 5')
    picked.sort(key=lambda x: x[0])
    last = picked[-1][2]
    avg = {k: torch.zeros_like(v, dtype=torch.float64) for k, v in last['model'].items()}
    for _, _, ck in picked:
        for k, v in ck['model'].items():
            avg[k] += v.double()
    out = dict(last)
    out['model'] = {k: (v / len(picked)).to(last['model'][k].dtype) for k, v in avg.items()}
    out['averaged_steps'] = [s for s, _, _ in picked]
    out.pop('opt', None)
    torch.save(out, os.path.join(d, 'averaged.pt'))
    sp = os.path.join(d, 'summary.json')
    if os.path.exists(sp):
        summ = json.load(open(sp))
        summ['averaged_steps'] = out['averaged_steps']
        json.dump(summ, open(sp, 'w'), indent=1)
    print(f'{a.name}: averaged {len(picked)} checkpoints, steps {picked[0][0]}-{picked[-1][0]}')


if __name__ == '__main__':
    main()
