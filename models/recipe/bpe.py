"""Byte-level BPE (GPT-2 style) trained on the corpus, with first names forced to single tokens.

  * pre-tokenisation: GPT-2's regex (case-sensitive; a leading space is folded into the token)
  * bytes -> printable unicode with GPT-2's bytes_to_unicode table (so " Mary" is "ĠMary")
  * vocabulary: 256 bytes + merges + <|endoftext|> (last id) = VOCAB entries
  * the names from stories.names() (with a leading space) are guaranteed single tokens: they
    enter training with an overwhelming count, so their merges come first.
main(): builds work/stories.jsonl, trains the tokenizer, writes work/tokenizer.json and the
token streams work/{train,val_natural,val_stories}.bin (uint16, documents separated by EOT).
"""
import json, os, re, sys, time, random
from collections import Counter, defaultdict
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.environ.get('RECIPE_WORK') or os.path.join(HERE, 'work')
EOT = '<|endoftext|>'
VOCAB = 4096

# GPT-2: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
# Python's re lacks \p{..}; [^\W\d_] = letters, \d = digits. Identical on ASCII text
# (the corpus is ASCII-normalised); the JS runtime uses the real GPT-2 pattern.
PAT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")
GPT2_REGEX = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def bytes_to_unicode():
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('\xa1'), ord('\xac') + 1)) + list(range(ord('\xae'), ord('\xff') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b); cs.append(256 + n); n += 1
    return dict(zip(bs, map(chr, cs)))


B2U = bytes_to_unicode()
U2B = {v: k for k, v in B2U.items()}


def pretok(text):
    return PAT.findall(text)


def to_sym(word):
    return ''.join(B2U[b] for b in word.encode('utf-8'))


def train(word_counts, n_merges, forced=(), log=print):
    """word_counts: Counter of pre-tokens. Returns list of merges (a, b) in order."""
    counts = Counter(word_counts)
    for w in forced:
        counts[w] += 10 ** 9
    words = [list(to_sym(w)) for w in counts]
    freqs = list(counts.values())
    pair_counts = defaultdict(int)
    where = defaultdict(set)
    for i, (syms, f) in enumerate(zip(words, freqs)):
        for a, b in zip(syms, syms[1:]):
            pair_counts[(a, b)] += f
            where[(a, b)].add(i)
    merges = []
    t0 = time.time()
    for m in range(n_merges):
        if not pair_counts:
            break
        best = max(pair_counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        a, b = best
        new = a + b
        merges.append(best)
        for i in list(where[best]):
            syms, f = words[i], freqs[i]
            # remove old pairs of this word
            for p in zip(syms, syms[1:]):
                pair_counts[p] -= f
                if pair_counts[p] <= 0:
                    del pair_counts[p]
            j, out = 0, []
            while j < len(syms):
                if j < len(syms) - 1 and syms[j] == a and syms[j + 1] == b:
                    out.append(new); j += 2
                else:
                    out.append(syms[j]); j += 1
            words[i] = out
            for p in zip(out, out[1:]):
                pair_counts[p] += f
                where[p].add(i)
        where.pop(best, None)
        pair_counts.pop(best, None)
        if m % 500 == 0:
            log(f'  merge {m} {new!r} ({time.time() - t0:.1f}s)')
    return merges


class Encoder:
    def __init__(self, merges):
        self.ranks = {tuple(m): i for i, m in enumerate(merges)}
        vocab = [B2U[b] for b in range(256)]  # GPT-2 orders bytes by their byte value? (see below)
        vocab = [B2U[b] for b in sorted(B2U)]
        for a, b in merges:
            vocab.append(a + b)
        vocab.append(EOT)
        self.vocab = vocab
        self.ids = {t: i for i, t in enumerate(vocab)}
        assert len(self.ids) == len(vocab), 'duplicate tokens'
        self.eot = self.ids[EOT]
        self.cache = {}

    def bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        syms = list(to_sym(word))
        while len(syms) > 1:
            best, bi = None, -1
            for k in range(len(syms) - 1):
                r = self.ranks.get((syms[k], syms[k + 1]))
                if r is not None and (best is None or r < best):
                    best, bi = r, k
            if best is None:
                break
            a, b = syms[bi], syms[bi + 1]
            out, j = [], 0
            while j < len(syms):
                if j < len(syms) - 1 and syms[j] == a and syms[j + 1] == b:
                    out.append(a + b); j += 2
                else:
                    out.append(syms[j]); j += 1
            syms = out
        ids = [self.ids[s] for s in syms]
        self.cache[word] = ids
        return ids

    def encode(self, text):
        out = []
        parts = text.split(EOT)
        for k, part in enumerate(parts):
            if k:
                out.append(self.eot)
            for w in pretok(part):
                out.extend(self.bpe(w))
        return out

    def decode(self, ids):
        s = ''.join(self.vocab[i] for i in ids)
        # EOT is plain text here
        out, buf = [], bytearray()
        i = 0
        toks = [self.vocab[i] for i in ids]
        for t in toks:
            if t == EOT:
                out.append(buf.decode('utf-8', 'replace')); buf = bytearray(); out.append(EOT)
            else:
                buf.extend(U2B[c] for c in t)
        out.append(buf.decode('utf-8', 'replace'))
        return ''.join(out)

    def to_json(self):
        vocab = {t: i for i, t in enumerate(self.vocab)}
        merges = [a + ' ' + b for (a, b) in sorted(self.ranks, key=self.ranks.get)]
        return {
            'version': '1.0', 'truncation': None, 'padding': None,
            'added_tokens': [{'id': self.eot, 'content': EOT, 'single_word': False, 'lstrip': False,
                              'rstrip': False, 'normalized': True, 'special': True}],
            'normalizer': None,
            'pre_tokenizer': {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': True},
            'post_processor': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': False, 'use_regex': True},
            'decoder': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': True, 'use_regex': True},
            'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': '',
                      'end_of_word_suffix': '', 'fuse_unk': False, 'byte_fallback': False, 'ignore_merges': False,
                      'vocab': vocab, 'merges': merges},
        }


def load(path):
    j = json.load(open(path))
    merges = [tuple(m.split(' ')) if isinstance(m, str) else tuple(m) for m in j['model']['merges']]
    return Encoder(merges)


def tokenizer_config():
    return {'model_max_length': 128, 'bos_token': EOT, 'eos_token': EOT, 'unk_token': EOT,
            'add_prefix_space': False, 'clean_up_tokenization_spaces': False, 'tokenizer_class': 'GPT2Tokenizer'}


def write_v2(enc, nat, pool, story_chars, version=2, seed=None, name=None):
    """Phase-2 training stream: the same natural documents plus stories of version 2 (compositional
    name-copying shapes), new seed. The tokenizer is the phase-1 one (trained on version-1 stories).
    Also writes the later streams: version 3-5 stories, and with seed/name a fresh sample of a version."""
    import stories
    st = stories.generate(story_chars, seed=4321 + version if seed is None else seed, pool=pool, version=version)
    docs = [d['text'] for d in nat if d['split'] == 'train'] + [s for i, s in enumerate(st) if i % 50]
    arrs = [np.array(enc.encode(t) + [enc.eot], dtype=np.uint16) for t in docs]
    random.Random(1).shuffle(arrs)
    arr = np.concatenate(arrs)
    name = name or f'train_v{version}.bin'
    arr.tofile(os.path.join(WORK, name))
    print(name, len(arr), 'tokens')
    return arr


def main():
    sys.path.insert(0, HERE)
    import stories
    if '--v2-only' in sys.argv:
        nat = [json.loads(l) for l in open(os.path.join(WORK, 'natural.jsonl'))]
        pool = json.load(open(os.path.join(WORK, 'names.json')))
        nat_chars = sum(len(d['text']) for d in nat)
        write_v2(load(os.path.join(WORK, 'tokenizer.json')), nat, pool, int(nat_chars * float(os.environ.get('STORY_RATIO', '1.2'))),
                 int(os.environ.get('STORY_VERSION', '2')),
                 int(os.environ['STORY_SEED']) if os.environ.get('STORY_SEED') else None, os.environ.get('STORY_OUT'))
        return
    if '--v7' in sys.argv:
        return main_v7('--smoke' in sys.argv)
    if '--phase1-streams' in sys.argv:
        return phase1_streams()
    smoke = '--smoke' in sys.argv
    t0 = time.time()
    nat = [json.loads(l) for l in open(os.path.join(WORK, 'natural.jsonl'))]
    pool = stories.names([d['text'] for d in nat])
    json.dump(pool, open(os.path.join(WORK, 'names.json'), 'w'))
    nat_chars = sum(len(d['text']) for d in nat)
    # generated share: stories get about as many characters as the natural text
    story_chars = int(nat_chars * float(os.environ.get('STORY_RATIO', '1.2')))
    st = stories.generate(story_chars, seed=1234, pool=pool)
    with open(os.path.join(WORK, 'stories.jsonl'), 'w') as f:
        for i, s in enumerate(st):
            f.write(json.dumps({'src': 'stories', 'id': f'story/{i}', 'split': 'val' if i % 50 == 0 else 'train', 'text': s}) + '\n')
    docs = nat + [{'src': 'stories', 'split': 'val' if i % 50 == 0 else 'train', 'text': s} for i, s in enumerate(st)]
    print(f'{len(nat)} natural docs ({nat_chars} chars), {len(st)} stories ({sum(map(len, st))} chars) [{time.time() - t0:.0f}s]')
    wc = Counter()
    for d in docs:
        if d['split'] == 'train':
            wc.update(pretok(d['text']))
    print(f'{len(wc)} distinct pre-tokens [{time.time() - t0:.0f}s]')
    forced = [' ' + n for n in pool['names']]
    n_merges = (VOCAB if not smoke else 1024) - 256 - 1
    merges = train(wc, n_merges, forced)
    enc = Encoder(merges)
    tj = enc.to_json()
    json.dump(tj, open(os.path.join(WORK, 'tokenizer.json'), 'w'), ensure_ascii=False)
    json.dump(tokenizer_config(), open(os.path.join(WORK, 'tokenizer_config.json'), 'w'), indent=1)
    single = [n for n in forced if len(enc.bpe(n)) == 1]
    print(f'vocab {len(enc.vocab)}; forced names single: {len(single)}/{len(forced)} [{time.time() - t0:.0f}s]')
    assert len(single) == len(forced)
    # encode
    streams = {'train': [], 'val_natural': [], 'val_stories': []}
    stats = Counter()
    for d in docs:
        ids = enc.encode(d['text']) + [enc.eot]
        key = d['split'] if d['split'] == 'train' else ('val_stories' if d['src'] == 'stories' else 'val_natural')
        streams[key].append(np.array(ids, dtype=np.uint16))
        stats[(d['src'], d['split'])] += len(ids)
    rng = random.Random(0)
    for k, v in streams.items():
        if k == 'train':
            rng.shuffle(v)  # interleave stories and natural documents throughout
        arr = np.concatenate(v)
        arr.tofile(os.path.join(WORK, k + '.bin'))
        print(k, len(arr), 'tokens')
    # stories-only stream for the gate run (name-copying-heavy data)
    np.concatenate([np.array(enc.encode(d['text']) + [enc.eot], dtype=np.uint16) for d in docs
                    if d['src'] == 'stories' and d['split'] == 'train']).tofile(os.path.join(WORK, 'train_stories.bin'))
    write_v2(enc, nat, pool, story_chars, 2)
    write_v2(enc, nat, pool, story_chars, 3)
    write_v2(enc, nat, pool, story_chars, 4)
    write_v2(enc, nat, pool, story_chars, 5)
    write_v2(enc, nat, pool, story_chars, 5, seed=5555, name='train_v5b.bin')  # fresh version-5 stories (phase 6 candidate)
    write_v2(enc, nat, pool, story_chars, 6)  # version 6 (phase 6 candidate)
    st_json = {f'{a}/{b}': c for (a, b), c in sorted(stats.items())}
    st_json['chars_per_token_natural'] = nat_chars / max(1, sum(c for (a, b), c in stats.items() if a != 'stories'))
    json.dump(st_json, open(os.path.join(WORK, 'token-stats.json'), 'w'), indent=1)
    print(json.dumps(st_json, indent=1), f'[{time.time() - t0:.0f}s]')


def phase1_streams():
    """Rebuild, with the existing work/tokenizer.json, what main() writes besides the tokenizer and the later
    streams: train.bin, val_natural.bin and val_stories.bin (version-1 stories, seed 1234) and token-stats.json,
    exactly as main() does (the evaluation counts token frequencies in train.bin; the cards print token-stats.json)."""
    import stories
    t0 = time.time()
    enc = load(os.path.join(WORK, 'tokenizer.json'))
    nat = [json.loads(l) for l in open(os.path.join(WORK, 'natural.jsonl'))]
    pool = stories.names([d['text'] for d in nat])
    nat_chars = sum(len(d['text']) for d in nat)
    st = stories.generate(int(nat_chars * float(os.environ.get('STORY_RATIO', '1.2'))), seed=1234, pool=pool)
    docs = nat + [{'src': 'stories', 'split': 'val' if i % 50 == 0 else 'train', 'text': s} for i, s in enumerate(st)]
    streams = {'train': [], 'val_natural': [], 'val_stories': []}
    stats = Counter()
    for d in docs:
        ids = enc.encode(d['text']) + [enc.eot]
        key = d['split'] if d['split'] == 'train' else ('val_stories' if d['src'] == 'stories' else 'val_natural')
        streams[key].append(np.array(ids, dtype=np.uint16))
        stats[(d['src'], d['split'])] += len(ids)
    random.Random(0).shuffle(streams['train'])
    for k, v in streams.items():
        np.concatenate(v).tofile(os.path.join(WORK, k + '.bin'))
    st_json = {f'{a}/{b}': c for (a, b), c in sorted(stats.items())}
    st_json['chars_per_token_natural'] = nat_chars / max(1, sum(c for (a, b), c in stats.items() if a != 'stories'))
    json.dump(st_json, open(os.path.join(WORK, 'token-stats.json'), 'w'), indent=1)
    print(json.dumps(st_json), f'[{time.time() - t0:.0f}s]')


def main_v7(smoke=False):
    """Version-7 data with an existing tokenizer (TOKENIZER, default the shipped models'): names.json, the
    validation streams, and train_v7.bin = the natural training documents + version-7 stories
    (STORY_RATIO x the natural characters, default 0.8: more of the stream is plain text than before)."""
    import shutil, stories
    t0 = time.time()
    src = os.environ.get('TOKENIZER') or os.path.join(HERE, '..', 'tiny-tied', 'tokenizer.json')
    if os.path.abspath(src) != os.path.abspath(os.path.join(WORK, 'tokenizer.json')):
        shutil.copy(src, os.path.join(WORK, 'tokenizer.json'))
    enc = load(os.path.join(WORK, 'tokenizer.json'))
    nat = [json.loads(l) for l in open(os.path.join(WORK, 'natural.jsonl'))]
    pool = stories.names([d['text'] for d in nat])
    json.dump(pool, open(os.path.join(WORK, 'names.json'), 'w'))
    nat_chars = sum(len(d['text']) for d in nat)
    st = stories.generate(int(nat_chars * float(os.environ.get('STORY_RATIO', '0.8'))), seed=int(os.environ.get('STORY_SEED', '7007')),
                          pool=pool, version=7)
    print(f'{len(st)} version-7 stories ({sum(map(len, st))} chars) [{time.time() - t0:.0f}s]')
    enc_doc = lambda t: np.array(enc.encode(t) + [enc.eot], dtype=np.uint16)
    np.concatenate([enc_doc(d['text']) for d in nat if d['split'] == 'val']).tofile(os.path.join(WORK, 'val_natural.bin'))
    np.concatenate([enc_doc(s) for i, s in enumerate(st) if i % 50 == 0]).tofile(os.path.join(WORK, 'val_stories_v7.bin'))
    if not os.path.exists(os.path.join(WORK, 'val_stories.bin')):  # train.py logs a stories loss; the phase-1 one is --phase1-streams'
        shutil.copy(os.path.join(WORK, 'val_stories_v7.bin'), os.path.join(WORK, 'val_stories.bin'))
    arrs = [enc_doc(d['text']) for d in nat if d['split'] == 'train'] + [enc_doc(s) for i, s in enumerate(st) if i % 50]
    random.Random(7).shuffle(arrs)
    arr = np.concatenate(arrs)
    arr.tofile(os.path.join(WORK, 'train_v7.bin'))
    n_nat = sum(len(enc.encode(d['text'])) + 1 for d in nat if d['split'] == 'train')
    stats = {'train_v7_tokens': int(len(arr)), 'natural_train_tokens': int(n_nat), 'story_train_tokens': int(len(arr) - n_nat)}
    json.dump(stats, open(os.path.join(WORK, 'token-stats-v7.json'), 'w'), indent=1)
    print(stats, f'[{time.time() - t0:.0f}s]')


if __name__ == '__main__':
    main()
