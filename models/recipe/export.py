"""Export a trained checkpoint to models/<name>/ in Hugging Face GPT-2 layout, plus the parity fixture.

  export.py --name tiny-tied [--onnx] [--dtype F32|F16]

Writes models/<name>/{config.json, model.safetensors, tokenizer.json, tokenizer_config.json,
training-log.txt} and tests/fixtures/parity/<name>.json. The safetensors file is written by hand
(8-byte little-endian header length, JSON header with "__metadata__": {"format": "pt"}, data with
contiguous offsets). Names carry the "transformer." prefix; Conv1D weights are [in, out].
The parity fixture is computed in float64 from the weights read back from the shipped file.
"""
import argparse, json, os, shutil, struct, sys
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, HERE)
from model import GPT, Config  # noqa: E402
import bpe  # noqa: E402

PARITY_PROMPTS = ['When Mary and John went to the store, John gave a drink to',
                  'Once upon a time, there was a little girl named Lily. She',
                  'The cat went up the stairs.']
CONV1D = ('attn.c_attn.weight', 'attn.c_proj.weight', 'mlp.c_fc.weight', 'mlp.c_proj.weight')


def hf_state(model):
    """torch state dict -> HF GPT-2 names (numpy float32)."""
    out = {}
    for k, v in model.state_dict().items():
        if k.endswith('.mask'):
            continue
        v = v.detach().float().numpy()
        if k == 'lm_head.weight':
            if model.config.tied:
                continue
            out[k] = v
            continue
        if any(k.endswith(s) for s in CONV1D):
            v = v.T
        out['transformer.' + k] = np.ascontiguousarray(v)
    return out


def write_safetensors(path, tensors, dtype='F32'):
    np_dt = {'F32': np.float32, 'F16': np.float16}[dtype]
    header, blobs, off = {'__metadata__': {'format': 'pt'}}, [], 0
    for k in sorted(tensors):
        b = np.ascontiguousarray(tensors[k].astype(np_dt)).astype('<' + np.dtype(np_dt).str[1:]).tobytes()
        header[k] = {'dtype': dtype, 'shape': list(tensors[k].shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b); off += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h))); f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for k, m in header.items():
        if k == '__metadata__':
            continue
        dt = {'F32': '<f4', 'F16': '<f2'}[m['dtype']]
        a, b = m['data_offsets']
        out[k] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=dt).reshape(m['shape']).astype(np.float32)
    return out


def load_model_dir(d):
    """Build a torch GPT from models/<name>/ (config.json + model.safetensors)."""
    c = json.load(open(os.path.join(d, 'config.json')))
    cfg = Config(vocab_size=c['vocab_size'], n_positions=c['n_positions'], n_embd=c['n_embd'], n_layer=c['n_layer'],
                 n_head=c['n_head'], tied=c['tie_word_embeddings'])
    model = GPT(cfg)
    st = read_safetensors(os.path.join(d, 'model.safetensors'))
    sd = {}
    for k, v in st.items():
        kk = k[len('transformer.'):] if k.startswith('transformer.') else k
        if any(kk.endswith(s) for s in CONV1D):
            v = v.T
        sd[kk] = torch.from_numpy(np.ascontiguousarray(v))
    if cfg.tied:
        sd['lm_head.weight'] = sd['wte.weight']
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert not unexpected and all(m.endswith('.mask') for m in missing), (missing, unexpected)
    model.eval()
    return model


def r7(x):
    return [float(f'{v:.7g}') for v in np.asarray(x, dtype=np.float64).ravel()]


def parity_fixture(name, model, enc):
    m = model.double()
    prompts = []
    with torch.no_grad():
        for text in PARITY_PROMPTS:
            ids = enc.encode(text)
            logits, _, resid, xf = m(torch.tensor([ids]), return_resid=True)
            prompts.append({'text': text, 'ids': ids,
                            'logits_last': r7(logits[0, -1]), 'logits_first': r7(logits[0, 0]),
                            'residual_last': [r7(r[0, -1]) for r in resid], 'ln_f_last': r7(xf[0, -1])})
    model.float()
    return {'model': name, 'dtype': 'float64 reference from the shipped weights', 'prompts': prompts}


def base_chain(base_dir):
    """(log text, [run summaries oldest first]) of a shipped model folder, which later runs continue
    (--base-model: its checkpoints need not exist here, its training-log.txt and training-summary.json do)."""
    log = open(os.path.join(base_dir, 'training-log.txt')).read()
    s = json.load(open(os.path.join(base_dir, 'training-summary.json')))
    last = {k: v for k, v in s.items() if k not in ('continued_from', 'run')}
    last.update(s.get('run', {}))
    return log, list(s.get('continued_from', [])) + [last]


def write_log_and_summary(run_dirs, d, base=None):
    """training-log.txt: the runs' logs one after the other; training-summary.json: the last run's summary, with
    steps, tokens and wall time summed over the runs and each earlier run's summary under 'continued_from'.
    base: base_chain() of a shipped model the runs continued (its log and summaries come first)."""
    with open(os.path.join(d, 'training-log.txt'), 'w') as out:
        if base:
            out.write(base[0])
        for r in run_dirs:
            if len(run_dirs) > 1 or base:
                out.write(f'==== run {os.path.basename(r)} ====\n')
            out.write(open(os.path.join(r, 'log.txt')).read())
    summs = (base[1] if base else []) + [json.load(open(os.path.join(r, 'summary.json'))) for r in run_dirs
                                         if os.path.exists(os.path.join(r, 'summary.json'))]
    if not summs:
        return
    summ = dict(summs[-1])
    if len(summs) > 1:
        summ['continued_from'] = summs[:-1]
        summ['run'] = {k: summs[-1][k] for k in ('steps', 'tokens', 'wall_min')}
        for k in ('steps', 'tokens', 'wall_min'):
            summ[k] = sum(x[k] for x in summs)
    json.dump(summ, open(os.path.join(d, 'training-summary.json'), 'w'), indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--name', required=True)
    ap.add_argument('--ckpt', default=None)
    ap.add_argument('--dtype', default='F32')
    ap.add_argument('--onnx', action='store_true')
    ap.add_argument('--out-root', default=os.path.join(ROOT, 'models'))
    ap.add_argument('--ckpt-dir', default=os.path.join(HERE, 'ckpt'))
    ap.add_argument('--runs', default='', help='comma-separated run directories under --ckpt-dir whose logs and summaries '
                    'make up this model, oldest first (a run continued by another started with --init-from); default: --name')
    ap.add_argument('--base-model', default='', help='a shipped model folder (e.g. models/tiny-tied) that --runs continued: '
                    'its training log and summaries are kept in front of theirs')
    ap.add_argument('--fixture-dir', default=os.path.join(ROOT, 'tests', 'fixtures', 'parity'))
    a = ap.parse_args()
    torch.set_num_threads(int(os.environ.get('THREADS', '1')))
    model = GPT.from_checkpoint(a.ckpt or os.path.join(a.ckpt_dir, a.name, 'ckpt.pt'))
    cfg = model.config
    enc = bpe.load(os.path.join(bpe.WORK, 'tokenizer.json'))
    d = os.path.join(a.out_root, a.name)
    base = base_chain(a.base_model) if a.base_model else None  # read before this export overwrites that folder
    os.makedirs(d, exist_ok=True)
    write_safetensors(os.path.join(d, 'model.safetensors'), hf_state(model), a.dtype)
    config = {'model_type': 'gpt2', 'architectures': ['GPT2LMHeadModel'], 'vocab_size': cfg.vocab_size,
              'n_positions': cfg.n_positions, 'n_ctx': cfg.n_positions, 'n_embd': cfg.n_embd, 'n_layer': cfg.n_layer,
              'n_head': cfg.n_head, 'n_inner': None, 'activation_function': 'gelu_new', 'layer_norm_epsilon': 1e-5,
              'resid_pdrop': 0.0, 'embd_pdrop': 0.0, 'attn_pdrop': 0.0, 'initializer_range': 0.02,
              'scale_attn_weights': True, 'tie_word_embeddings': bool(cfg.tied),
              'bos_token_id': enc.eot, 'eos_token_id': enc.eot, 'torch_dtype': 'float32' if a.dtype == 'F32' else 'float16'}
    json.dump(config, open(os.path.join(d, 'config.json'), 'w'), indent=2)
    shutil.copy(os.path.join(bpe.WORK, 'tokenizer.json'), os.path.join(d, 'tokenizer.json'))
    json.dump(bpe.tokenizer_config(), open(os.path.join(d, 'tokenizer_config.json'), 'w'), indent=2)
    runs = a.runs.split(',') if a.runs else [a.name]
    write_log_and_summary([os.path.join(a.ckpt_dir, r) for r in runs], d, base)
    # reload exactly what ships and check it against the checkpoint
    shipped = load_model_dir(d)
    ids = torch.tensor([enc.encode(PARITY_PROMPTS[0])])
    with torch.no_grad():
        err = (shipped(ids)[0] - model(ids)[0]).abs().max().item()
    print(f'{a.name}: {os.path.getsize(os.path.join(d, "model.safetensors"))} bytes, reload max |dlogit| {err:.2e}')
    fx_dir = a.fixture_dir
    os.makedirs(fx_dir, exist_ok=True)
    json.dump(parity_fixture(a.name, shipped, enc), open(os.path.join(fx_dir, a.name + '.json'), 'w'), separators=(',', ':'))
    if a.onnx:
        class Wrap(torch.nn.Module):
            def __init__(self, m):
                super().__init__(); self.m = m

            def forward(self, input_ids):
                return self.m(input_ids)[0]
        p = os.path.join(d, 'model.onnx')
        torch.onnx.export(Wrap(shipped), (ids,), p, input_names=['input_ids'], output_names=['logits'],
                          dynamic_axes={'input_ids': {1: 'seq'}, 'logits': {1: 'seq'}}, opset_version=14)
        print('onnx', os.path.getsize(p), 'bytes')


if __name__ == '__main__':
    main()
