"""Train one model variant. Resumable, seeded, cosine schedule, logs kept.

  train.py config/tiny-tied.py [--option value ...]      (a named run: config/*.py, see config/README.md)
  train.py --name tiny-tied --tied 1 --tokens 15e6 [--deadline-min 80] [--threads 1]
           [--data mix|stories] [--batch 16] [--lr 2e-3] [--seed 1337]

A config file sets the run's options as Python assignments (option names with underscores,
e.g. `init_from = 'ckpt/tiny-tied/averaged.pt'`); its name is the run's name, and options given
on the command line override it (nanoGPT's configurator pattern).

Data: work/train.bin (uint16 ids, natural documents and generated stories shuffled together
by document) sampled as random windows of n_positions+1 tokens; batches are drawn from a
generator seeded by (seed, step), so a resumed run sees the same batches as an unbroken one.
Schedule: linear warm-up, then cosine decay to lr/20 over the planned tokens. With
--deadline-min the schedule also follows wall-clock progress (whichever is further along), so
a run on a slower or busier machine still finishes its decay by the deadline; the log records
how many tokens it actually saw.
Checkpoints: ckpt/<name>/ckpt.pt every --ckpt-sec seconds (atomic), resumed automatically.
"""
import argparse, json, math, os, shutil, sys, time
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import GPT, Config  # noqa: E402
import evaluate  # noqa: E402
import indep_eval  # noqa: E402

WORK = os.environ.get('RECIPE_WORK') or os.path.join(HERE, 'work')


def phase5_progress(step, elapsed, p5, args):
    """Progress (0..1) through phase 5: planned tokens or wall-clock cap, whichever is further along.
    args: the run's arguments as a dict (vars(a) here, ckpt['args'] in average.py)."""
    if p5.get('step0') is None:
        return 0.0
    p = (step - p5['step0']) / max(1, int(args['tokens5'] // (args['batch'] * args['ctx'])))
    if args.get('deadline5_min', 0) > 0:
        p = max(p, (elapsed - p5['elapsed0']) / (args['deadline5_min'] * 60))
    return min(1.0, p)


def schedule_progress(step, elapsed, args):
    """Progress (0..1) through the run's main schedule (phases 1-4, or all of a run without phase 5)."""
    p = step / max(1, int(args['tokens'] // (args['batch'] * args['ctx'])))
    if args.get('deadline_min', 0) > 0:
        p = max(p, elapsed / (args['deadline_min'] * 60))
    return min(1.0, p)


def final_progress(step, elapsed, p5, args):
    """Progress (0..1) through the run's last phase: phase 5 when the run has one, else the whole schedule
    (a run started with --init-from). Snapshots for averaging are kept in the last --avg-last of it."""
    if args.get('data5'):
        return phase5_progress(step, elapsed, p5, args)
    return schedule_progress(step, elapsed, args)


def read_config(path):
    """The option values a config file assigns (its top-level names not starting with '_')."""
    env = {}
    exec(compile(open(path).read(), path, 'exec'), {}, env)
    return {k: v for k, v in env.items() if not k.startswith('_')}


def get_args(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    cfg = {}
    if argv and argv[0].endswith('.py'):
        path = argv.pop(0)
        cfg = {'name': os.path.splitext(os.path.basename(path))[0], **read_config(path)}
    ap = argparse.ArgumentParser()
    ap.add_argument('--name', required=not cfg)
    ap.add_argument('--tied', type=int, default=1)
    ap.add_argument('--tokens', type=float, default=15e6)
    ap.add_argument('--deadline-min', type=float, default=0)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--data', default='mix', help='mix (train.bin), stories (train_stories.bin) or a .bin file in work/')
    ap.add_argument('--init-from', default='', help='start a new run (fresh optimizer, step 0) from these weights')
    ap.add_argument('--distill-from', default='',
                    help='teacher checkpoint: the loss becomes (1-w) CE + w T^2 KL(teacher_T || student_T)')
    ap.add_argument('--distill-weight', type=float, default=0.5)
    ap.add_argument('--distill-temp', type=float, default=1.0)
    ap.add_argument('--name-weight', type=float, default=1.0,
                    help='weight of the loss (CE and KL) at positions whose next token is a first name (names.json); 1 = plain')
    ap.add_argument('--eval-seed', type=int, default=-1,
                    help='seed of the held-out prompts evaluated during training (-1: 999, the first of the reported set)')
    ap.add_argument('--data2', default='', help='token stream to switch to at --switch-step (phase 2)')
    ap.add_argument('--switch-step', type=int, default=0)
    ap.add_argument('--data3', default='', help='token stream to switch to at --switch-step3 (phase 3)')
    ap.add_argument('--switch-step3', type=int, default=0)
    ap.add_argument('--data4', default='', help='token stream to switch to at --switch-step4 (phase 4)')
    ap.add_argument('--switch-step4', type=int, default=0)
    ap.add_argument('--data5', default='', help='phase 5: token stream from --switch-step5 on, with its own schedule')
    ap.add_argument('--switch-step5', type=int, default=-1, help='-1: when phases 1-4 have finished their schedule')
    ap.add_argument('--lr5', type=float, default=1e-3, help='phase 5 peak lr (warm-up 100 steps, cosine to lr5/20)')
    ap.add_argument('--tokens5', type=float, default=30e6, help='phase 5 planned tokens')
    ap.add_argument('--deadline5-min', type=float, default=0, help='phase 5 wall-clock cap (minutes)')
    ap.add_argument('--doc-start-frac', type=float, default=0.0,
                    help='phase 5: fraction of windows that start at a document start (no <|endoftext|> before it), '
                         'as a prompt typed into the page does')
    ap.add_argument('--aux-direct', type=float, default=0.0,
                    help='phase 5 (or the whole of a run that continues another): weight of a next-token loss on the '
                         'direct path W_U ln_f(W_E[t]) (no blocks)')
    ap.add_argument('--freeze-rare', type=int, default=0,
                    help='hold fixed the embedding (and unembedding) rows of tokens seen fewer than this many times '
                         'in the run\'s stream: neither gradient nor weight decay moves them')
    ap.add_argument('--phase', type=int, default=0,
                    help='the recipe phase this run is (for the model card; 0: counted from the chain of runs)')
    ap.add_argument('--cap-rare', type=int, default=0,
                    help='rows of tokens seen fewer than this many times may turn but not grow: after every step a row '
                         'longer than it was at the start is scaled back to its starting length')
    ap.add_argument('--avg-last', type=float, default=0.3,
                    help='keep a copy of every checkpoint in the last part of phase 5 (average.py averages them)')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--ctx', type=int, default=128)
    ap.add_argument('--d', type=int, default=128)
    ap.add_argument('--layers', type=int, default=4)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--wd', type=float, default=0.1)
    ap.add_argument('--warmup', type=int, default=200)
    ap.add_argument('--seed', type=int, default=1337)
    ap.add_argument('--ckpt-sec', type=float, default=180)
    ap.add_argument('--eval-sec', type=float, default=600)
    ap.add_argument('--eval-n', type=int, default=200)
    ap.add_argument('--ckpt-dir', default=os.path.join(HERE, 'ckpt'))
    known = {a.dest for a in ap._actions}
    unknown = set(cfg) - known
    if unknown:
        sys.exit(f'unknown options in the config: {sorted(unknown)}')
    ap.set_defaults(**cfg)
    a = ap.parse_args(argv)
    # --init-from / --distill-from may name an earlier run: its averaged weights in --ckpt-dir
    for k in ('init_from', 'distill_from'):
        v = getattr(a, k)
        if v and not os.path.exists(v) and os.path.exists(os.path.join(HERE, v)):
            setattr(a, k, os.path.join(HERE, v))
        elif v and not os.path.exists(v) and not os.sep in v:
            setattr(a, k, os.path.join(a.ckpt_dir, v, 'averaged.pt'))
    return a


def load_run_weights(path):
    """The model --init-from or --distill-from names, in eval mode: a shipped folder (config.json +
    model.safetensors) or a train.py / average.py checkpoint."""
    if os.path.isdir(path):
        from export import load_model_dir  # only a shipped folder needs the exporter
        return load_model_dir(path).eval()
    return GPT.from_checkpoint(path)


def main():
    a = get_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    out_dir = os.path.join(a.ckpt_dir, a.name)
    os.makedirs(out_dir, exist_ok=True)
    log_f = open(os.path.join(out_dir, 'log.txt'), 'a')

    def log(s):
        line = time.strftime('%H:%M:%S ') + s
        print(line, flush=True)
        log_f.write(line + '\n'); log_f.flush()

    fname = {'mix': 'train.bin', 'stories': 'train_stories.bin'}.get(a.data, a.data)
    data = np.fromfile(os.path.join(WORK, fname), dtype=np.uint16)
    val = {k: np.fromfile(os.path.join(WORK, k + '.bin'), dtype=np.uint16) for k in ('val_natural', 'val_stories')}
    tok = evaluate.load_tokenizer(os.path.join(WORK, 'tokenizer.json'))
    cfg = Config(vocab_size=len(tok.vocab), n_positions=a.ctx, n_embd=a.d, n_layer=a.layers, n_head=a.heads, tied=bool(a.tied))
    model = GPT(cfg)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': a.wd}, {'params': no_decay, 'weight_decay': 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), eps=1e-8)
    tpb = a.batch * a.ctx
    total_steps = int(a.tokens // tpb)
    step, elapsed = 0, 0.0
    p5 = {'step0': None, 'elapsed0': None}  # where phase 5 began (set on crossing --switch-step5)
    ck = os.path.join(out_dir, 'ckpt.pt')
    s_ck = None
    if os.path.exists(ck):
        s = s_ck = torch.load(ck)
        model.load_state_dict(s['model']); opt.load_state_dict(s['opt'])
        step, elapsed = s['step'], s['elapsed']
        p5 = s.get('p5', p5)
        log(f'resumed at step {step}, {elapsed / 60:.1f} min elapsed; args now {json.dumps(vars(a))}')
    else:
        if a.init_from:
            model.load_state_dict(load_run_weights(a.init_from).state_dict())
        log(f'start {a.name}: {json.dumps(vars(a))}')
        log(f'params {model.n_params()} | train tokens available {len(data)} | planned steps {total_steps} ({total_steps * tpb / 1e6:.1f}M tokens)')

    name_w = None
    if a.name_weight != 1.0:
        # per-token loss weights: the positions where a name comes next (the name-copying decisions) count more
        name_w = torch.ones(len(tok.vocab))
        for n in evaluate.pool()['names']:
            ids = tok.encode(' ' + n)
            if len(ids) == 1:
                name_w[ids[0]] = a.name_weight

    # rows of rarely-seen tokens (counted in the run's stream), in W_E and, when untied, W_U
    seen = np.bincount(data, minlength=len(tok.vocab))[:len(tok.vocab)]
    emb_mats = [model.wte.weight] + ([] if a.tied else [model.lm_head.weight])
    frozen = None
    if a.freeze_rare > 0:
        # rows of rare tokens: cross-entropy only ever pushes their logits down, which in a tied model grows them
        # until they capture the direct path of common words (recipe README, phase 8); they are restored after
        # every optimizer step
        rare = torch.from_numpy(np.flatnonzero(seen < a.freeze_rare))
        frozen = [(w, rare, w.detach()[rare].clone()) for w in emb_mats]
        log(f'freeze-rare {a.freeze_rare}: {len(rare)} rows held fixed in {len(emb_mats)} matrices')
    capped = None
    if a.cap_rare > 0:
        # a tied model's rows of tokens that are seldom the target keep lengthening (their logits pushed down at every
        # other position) until a few of them, e.g. '==', win the direct path of most common words; capping their length
        # at the start's lets them turn but not take over
        rows = torch.from_numpy(np.flatnonzero(seen < a.cap_rare))
        n0s = s_ck.get('cap_n0') if s_ck else None  # on resume, the lengths at the run's start (saved in the checkpoint)
        capped = [(w, rows, n0s[j] if n0s else w.detach()[rows].norm(dim=-1, keepdim=True).clone()) for j, w in enumerate(emb_mats)]
        log(f'cap-rare {a.cap_rare}: {len(rows)} rows no longer than at the start, in {len(emb_mats)} matrices')
    rt_counts = evaluate.token_train_counts(len(tok.vocab))  # the round trip's common words (read once)

    teacher = None
    if a.distill_from:
        teacher = load_run_weights(a.distill_from)
        for q in teacher.parameters():
            q.requires_grad_(False)

    in5 = lambda: bool(a.data5) and (step >= a.switch_step5 if a.switch_step5 >= 0 else progress() >= 1.0)

    def progress5():
        return phase5_progress(step, elapsed, p5, vars(a))

    def done():
        if a.data5:
            return in5() and progress5() >= 1.0
        return progress() >= 1.0

    def progress():
        return schedule_progress(step, elapsed, vars(a))

    def lr_at():
        if in5():
            k = step - p5['step0']
            if k < 100:
                return a.lr5 * (k + 1) / 100
            return a.lr5 / 20 + (a.lr5 - a.lr5 / 20) * 0.5 * (1 + math.cos(math.pi * progress5()))
        if step < a.warmup:
            return a.lr * (step + 1) / a.warmup
        p = progress()
        return a.lr / 20 + (a.lr - a.lr / 20) * 0.5 * (1 + math.cos(math.pi * p))

    data1 = data
    data2 = np.fromfile(os.path.join(WORK, a.data2), dtype=np.uint16) if a.data2 else None
    data3 = np.fromfile(os.path.join(WORK, a.data3), dtype=np.uint16) if a.data3 else None
    data4 = np.fromfile(os.path.join(WORK, a.data4), dtype=np.uint16) if a.data4 else None
    data5 = np.fromfile(os.path.join(WORK, a.data5), dtype=np.uint16) if a.data5 else None
    last_data = data5 if data5 is not None else data1  # --doc-start-frac applies to the run's last phase
    starts = None
    if a.doc_start_frac > 0 and (data5 is not None or a.init_from):
        starts = np.flatnonzero(last_data == tok.eot) + 1
        starts = np.concatenate([[0], starts[starts < len(last_data) - a.ctx - 1]])

    def batch(st):
        data = data2 if data2 is not None and st >= a.switch_step else data1
        if data3 is not None and st >= a.switch_step3:
            data = data3
        if data4 is not None and st >= a.switch_step4:
            data = data4
        if data5 is not None and in5():
            data = data5
        g = np.random.default_rng([a.seed, st])
        ix = g.integers(0, len(data) - a.ctx - 1, size=a.batch)
        if starts is not None and data is last_data:
            m = g.random(a.batch) < a.doc_start_frac
            ix = np.where(m, starts[g.integers(0, len(starts), size=a.batch)], ix)
        x = np.stack([data[i:i + a.ctx] for i in ix]).astype(np.int64)
        y = np.stack([data[i + 1:i + 1 + a.ctx] for i in ix]).astype(np.int64)
        return torch.from_numpy(x), torch.from_numpy(y)

    def save():
        tmp = ck + '.tmp'
        torch.save({'model': model.state_dict(), 'opt': opt.state_dict(), 'step': step, 'elapsed': elapsed, 'p5': p5,
                    'config': cfg.to_dict(), 'args': vars(a),
                    'cap_n0': [n0 for _, _, n0 in capped] if capped else None}, tmp)
        os.replace(tmp, ck)
        if final_progress(step, elapsed, p5, vars(a)) >= 1 - a.avg_last and (in5() or not a.data5):
            shutil.copy(ck, os.path.join(out_dir, f'snap-{step:07d}.pt'))

    def run_eval(final=False):
        model.eval()
        r = {k: evaluate.val_loss(model, v, a.ctx, n_batches=(40 if final else 10) if a.eval_n >= 100 else 2) for k, v in val.items()}
        ioi_in = evaluate.ioi_accuracy(model, tok, evaluate.ioi_set('train', a.eval_n if not final else 2 * a.eval_n))
        ioi_out = evaluate.ioi_accuracy(model, tok, evaluate.ioi_set('held', a.eval_n if not final else 2 * a.eval_n,
                                                                     None if a.eval_seed < 0 else a.eval_seed))
        # the independent name-copying set, validation draw (seed 4242; the reported test draw is seed 999)
        ind = indep_eval.ioi(model, tok, indep_eval.prompts(tok, evaluate.pool(), a.eval_n, 4242))
        rt = evaluate.round_trip(model, rt_counts)
        model.train()
        log(f'eval step {step} tokens {step * tpb / 1e6:.2f}M | val_natural {r["val_natural"]:.3f} val_stories {r["val_stories"]:.3f} '
            f'| ioi in-dist {ioi_in["acc"]:.3f} held-out {ioi_out["acc"]:.3f} (logit diff {ioi_out["mean_logit_diff"]:.2f}) '
            f'| independent (val) {ind["all"]["acc"]:.3f} ABA {ind["ABA"]["acc"]:.3f} ABB {ind["ABB"]["acc"]:.3f} '
            f'| round trip via ln_f {rt["via_ln_f"]:.3f} plain {rt["plain"]:.3f}')
        return r, ioi_in, ioi_out

    model.train()
    t_last = time.time()
    t_ck, t_ev = time.time(), time.time()
    loss_acc, n_acc = 0.0, 0
    while not done():
        if in5() and p5['step0'] is None:
            p5.update(step0=step, elapsed0=elapsed)
            log(f'phase 5 from step {step}: {a.data5}, lr5 {a.lr5}, {a.tokens5 / 1e6:.0f}M tokens or {a.deadline5_min} min, '
                f'doc-start windows {a.doc_start_frac}, direct-path loss weight {a.aux_direct}')
        lr = lr_at()
        for gr in opt.param_groups:
            gr['lr'] = lr
        x, y = batch(step)
        logits, _ = model(x)
        cet = torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1), reduction='none').view_as(y)  # [B, T]
        loss = cet.mean()  # the plain next-token loss (logged)
        # wt [B, T]: per-position loss weights, normalised to mean 1 (None: all ones, without --name-weight)
        wt = None if name_w is None else name_w[y] / name_w[y].mean()
        ce = loss if wt is None else (cet * wt).mean()
        if teacher is not None:
            # knowledge distillation: match the teacher's next-token distribution (softened by T)
            T = a.distill_temp
            with torch.no_grad():
                pt = torch.softmax(teacher(x)[0] / T, -1)
            ls = torch.log_softmax(logits / T, -1)
            klt = (pt * (torch.log(pt.clamp_min(1e-12)) - ls)).sum(-1)  # [B, T]
            kl = (klt if wt is None else klt * wt).mean() * T * T
            loss_fit = (1 - a.distill_weight) * ce + a.distill_weight * kl
        else:
            loss_fit = ce
        if a.aux_direct > 0 and (in5() or (a.init_from and not a.data5)):
            # direct path: W_E[t] -> ln_f -> W_U, trained to predict the next token too
            ld = model.lm_head(model.ln_f(model.wte(x)))
            loss_d = torch.nn.functional.cross_entropy(ld.view(-1, ld.size(-1)), y.view(-1))
            loss_total = loss_fit + a.aux_direct * loss_d
        else:
            loss_total = loss_fit
        opt.zero_grad(set_to_none=True)
        loss_total.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if frozen is not None:
            with torch.no_grad():
                for w, rows, v in frozen:
                    w[rows] = v
        if capped is not None:
            with torch.no_grad():
                for w, rows, n0 in capped:
                    r = w[rows]
                    w[rows] = r * torch.clamp(n0 / r.norm(dim=-1, keepdim=True).clamp_min(1e-12), max=1.0)
        step += 1
        now = time.time()
        elapsed += now - t_last
        t_last = now
        loss_acc += loss.item(); n_acc += 1
        if step % 100 == 0:
            log(f'step {step} loss {loss_acc / n_acc:.4f} lr {lr:.2e} tokens {step * tpb / 1e6:.2f}M '
                f'elapsed {elapsed / 60:.1f}min tok/s {step * tpb / max(elapsed, 1e-9):.0f} progress {progress5() if in5() else progress():.3f}')
            loss_acc, n_acc = 0.0, 0
        if now - t_ev > a.eval_sec:
            run_eval(); t_ev = time.time(); t_last = time.time()
        if now - t_ck > a.ckpt_sec:
            save(); t_ck = time.time(); t_last = time.time()
    save()
    r, ioi_in, ioi_out = run_eval(final=True)
    summary = {'name': a.name, 'steps': step, 'tokens': step * tpb, 'wall_min': elapsed / 60, 'params': model.n_params(),
               'val_loss': r, 'ioi_in': ioi_in['acc'], 'ioi_held': ioi_out['acc'], 'args': vars(a), 'phase5': p5,
               'threads': a.threads, 'torch': torch.__version__}
    json.dump(summary, open(os.path.join(out_dir, 'summary.json'), 'w'), indent=1)
    log('done ' + json.dumps(summary))


if __name__ == '__main__':
    main()
