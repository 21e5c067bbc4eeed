"""Pick between candidate runs by a validation set of held-out name-copying prompts.

  select_run.py RUN [RUN ...] --phase 6 [--base tiny-tied | --base ../tiny-untied] [--n 500] [--seed 4242] [--out selection.json]

Evaluates ckpt/<RUN>/averaged.pt of each candidate (and of --base, the model they started from) on n prompts
drawn with --seed from the held-out shapes, verbs, places and objects: the validation draw. The reported
figures (evaluate.py) use a different draw (seed 999), so the choice does not see the prompts it is judged on.
It does see the held-out factor lists, which is why the card says a choice was made this way. Prints and writes
{run: accuracy}, and the winner (the base when no candidate beats it), under the key "phase<N>" of the output file (other
phases' entries are kept). The committed selection.json's entries also carry notes added by hand (runs stopped early; what
the phase cost), which cards.py prints in the model card.
"""
import argparse, json, os, sys
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluate  # noqa: E402
from model import GPT  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('runs', nargs='+')
    ap.add_argument('--phase', required=True, help='which continuation phase this choice is for (6, 7, ..., or e.g. 9-untied)')
    ap.add_argument('--base', default='tiny-tied')
    ap.add_argument('--n', type=int, default=500)
    ap.add_argument('--seed', type=int, default=4242)
    ap.add_argument('--ckpt-dir', default=os.path.join(HERE, 'ckpt'))
    ap.add_argument('--out', default=os.path.join(HERE, 'selection.json'))
    ap.add_argument('--set', default='held', choices=['held', 'independent'],
                    help="held: the story generator's held-out lists; independent: indep_eval.py's validation draw")
    a = ap.parse_args()
    torch.set_num_threads(int(os.environ.get('THREADS', '2')))
    tok = evaluate.load_tokenizer(os.path.join(evaluate.WORK, 'tokenizer.json'))
    if a.set == 'independent':
        import indep_eval
        prompts = indep_eval.prompts(tok, evaluate.pool(), a.n, a.seed)
    else:
        prompts = evaluate.ioi_set('held', a.n, a.seed)
    acc = {}
    for r in [a.base] + a.runs:
        if os.path.isdir(r):  # a shipped model folder (the start of the runs)
            from export import load_model_dir
            m = load_model_dir(r)
            r = os.path.basename(os.path.normpath(r)) + ' (shipped)'
        else:
            m = GPT.from_checkpoint(os.path.join(a.ckpt_dir, r, 'averaged.pt'))
        acc[r] = evaluate.ioi_accuracy(m, tok, prompts)['acc']
        print(f'{r}: {acc[r]:.3f}', flush=True)
    best = max(acc, key=lambda r: (acc[r], r == list(acc)[0]))  # a tie keeps the base
    out = json.load(open(a.out)) if os.path.exists(a.out) else {}
    key = f'phase{a.phase}'
    notes = {k: v for k, v in out.get(key, {}).items() if k not in ('validation', 'accuracy', 'winner')}
    out[key] = {'validation': {'split': a.set, 'n': a.n, 'seed': a.seed}, 'accuracy': acc, 'winner': best, **notes}
    json.dump(out, open(a.out, 'w'), indent=1)
    print('winner', best)


if __name__ == '__main__':
    main()
