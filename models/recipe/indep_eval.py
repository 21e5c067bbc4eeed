"""Independent evaluation: name copying in sentences the story generator never writes, and bits per
character on held-out plain modern English.

Name copying. A small grammar of its own (frames, verbs, places, objects below), written apart from
stories.py: two people are introduced, one of them is repeated as the subject of a transfer verb, and the
right continuation is the other one. Both orders, balanced:
  ABA  the first-named person repeats  ("Ann met Tom ... Ann passed the jar to" -> " Tom")
  ABB  the second-named person repeats ("Ann met Tom ... Tom passed the jar to" -> " Ann"; the essay's order)
Names are single tokens (with their leading space); no end-of-text token precedes a prompt.
Kept out of training by construction: check_disjoint() asserts that none of this grammar's verbs, places,
objects or frame words occurs in any list the story generator draws from (every version; version 7 also
bans them from the Brown nouns it samples: stories.EVAL_BANNED), and main() re-checks it.
Two draws: seed 4242 (validation: use it to choose runs) and seed 999 (test: the reported figure).

Bits per character: the natural-English validation documents of the Brown corpus (1961 American prose,
the corpus's most modern source; documents chosen by corpus.py's hash split, never trained on), scored
with a sliding window (context 128, stride 64: every token after the first window is predicted from at
least 64 tokens of context), total nats / ln 2 / characters of the text (the end-of-text token after each
document is not scored).
"""
import json, math, os, random, sys
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
WORK = os.environ.get('RECIPE_WORK') or os.path.join(HERE, 'work')

# ---------------------------------------------------------------- the grammar (distinct from stories.py)
# transfer verbs: past form, preposition ("to" or "for"); double-object ones marked below
VERBS = [('slipped', 'to'), ('chucked', 'to'), ('bowled', 'to'), ('ferried', 'to'), ('carted', 'to'),
         ('conveyed', 'to'), ('relayed', 'to'), ('transferred', 'to'), ('surrendered', 'to'), ('dispatched', 'to'),
         ('recommended', 'to'), ('demonstrated', 'to'), ('consigned', 'to'), ('bequeathed', 'to'), ('tendered', 'to'),
         ('brewed', 'for'), ('stitched', 'for'), ('polished', 'for'), ('prepared', 'for'), ('toasted', 'for'),
         ('peeled', 'for'), ('sliced', 'for'), ('reserved', 'for'), ('ironed', 'for'), ('framed', 'for')]
DOUBLE = {'slipped', 'chucked', 'bowled', 'tendered', 'bequeathed', 'brewed', 'stitched', 'peeled'}
PLACES = ['aquarium', 'greenhouse', 'laundromat', 'planetarium', 'boathouse', 'skating rink', 'orchard',
          'bowling alley', 'carousel', 'tennis court', 'ferry dock', 'ice cream parlor', 'campground', 'lighthouse',
          'flea market', 'train platform']
OBJECTS = ['umbrella', 'teapot', 'scarf', 'lantern', 'pillow', 'sweater', 'notebook', 'postcard', 'compass',
           'flashlight', 'puzzle', 'kettle', 'trumpet', 'violin', 'jar of honey', 'pair of socks', 'slice of melon',
           'walnut', 'toothbrush', 'saucepan']
# intros: {X} is named first, {Y} second
INTROS = [
    '{X} and {Y} hurried over to the {P}', '{X} and {Y} strolled through the {P}', '{X} and {Y} wandered into the {P}',
    '{X} and {Y} took a bus to the {P}', '{X} and {Y} met up at the {P}', '{X} and {Y} raced each other to the {P}',
    '{X} bumped into {Y} at the {P}', '{X} phoned {Y} and they agreed to meet at the {P}',
    '{X} invited {Y} to the {P}', '{X} spotted {Y} outside the {P}', '{X} escorted {Y} to the {P}',
    '{X} arrived first at the {P}, and {Y} showed up a little later', '{X} was sweeping the {P} when {Y} stopped in',
    '{X} had a job at the {P}, and {Y} came to visit', '{X} lives close to the {P}, and so does {Y}',
    '{X} was sketching at the {P} while {Y} watched',
]
FRAMES = [  # {I} intro clause, {S} the repeated subject, {VP} the verb phrase ending before the answer
    '{I}. {S} {VP}', '{I}. Without a pause, {S} {VP}', '{I}. A moment later, {S} {VP}',
    '{I}. Feeling generous, {S} {VP}', '{I}, and in no time {S} {VP}', 'Just as {i}, {S} {VP}',
    '{I}. The place was crowded. {S} {VP}', '{I}. It had been a long week. Eventually {S} {VP}',
    'On Tuesday {i}. There {S} {VP}', 'Late that afternoon {i}. {S} {VP}',
]
FRAME_WORDS = set('''hurried strolled wandered bus raced bumped phoned agreed invited spotted escorted first sweeping
job lives sketching watched pause moment generous crowded week eventually tuesday afternoon'''.split())
DETS = ['the', 'a', 'her', 'his', 'an old', 'a new', 'the little']


def names(tok, pool):
    """Cast names that are single tokens with a leading space."""
    return [n for n in pool['cast'] if len(tok.encode(' ' + n)) == 1]


def prompts(tok, pool, n=400, seed=999):
    rng = random.Random(seed)
    cast = names(tok, pool)
    out = []
    for k in range(n):
        order = 'ABB' if k % 2 == 0 else 'ABA'
        X, Y = rng.sample(cast, 2)
        intro = rng.choice(INTROS).replace('{P}', rng.choice(PLACES))
        S, right = (Y, X) if order == 'ABB' else (X, Y)
        v, prep = rng.choice(VERBS)
        obj = rng.choice(OBJECTS)
        det = rng.choice(DETS)
        if det in ('a', 'a new') and obj[0] in 'aeiou':
            det = 'an' if det == 'a' else 'a new'
        if det == 'an old' and obj[0] not in 'aeiou':
            det = 'an old'
        frame = rng.choice(FRAMES)
        if v in DOUBLE and rng.random() < 0.25:
            vp = v  # double object: "... Tom slipped" -> " Ann"
        else:
            vp = f'{v} {det} {obj} {prep}'
        i_low = intro.replace('{X}', X).replace('{Y}', Y)
        text = frame.replace('{I}', i_low[0].upper() + i_low[1:]).replace('{i}', i_low).replace('{S}', S).replace('{VP}', vp)
        text = text[0].upper() + text[1:]
        out.append({'prompt': text, 'right': ' ' + right, 'wrong': ' ' + S, 'order': order})
    return out


def lexicon():
    """Every word this grammar adds that could be a place, object, verb or frame word."""
    words = set(FRAME_WORDS)
    for v, _ in VERBS:
        words |= set(v.split()) - {'up'}
    for p in PLACES + OBJECTS:
        words |= set(p.split()) - {'of', 'pair', 'slice', 'ice', 'cream', 'court', 'market', 'train'}
    return words


def generator_lexicon():
    import stories
    w = set()
    for split in ('train', 'held'):
        w |= set(stories.PLACES[split]) | set(stories.OBJECTS[split]) | {v for v, _ in stories.VERBS[split]}
    w |= set(stories.EXTRA_VERBS) | set(stories.VERBS5) | set(stories.FOR5) | set(getattr(stories, 'VERBS7', []))
    w |= set(getattr(stories, 'FOR7', [])) | set(getattr(stories, 'PLACES7', [])) | set(getattr(stories, 'OBJECTS7', []))
    for s in (stories.SHAPES['train'] + stories.SHAPES['held'] + stories.PAIR_PRED + stories.SINGLE_INTRO + stories.CONJ
              + stories.CONN + stories.MIDDLE + stories.OPENERS5 + list(getattr(stories, 'GRAMMAR7_TEXT', []))):
        w |= set(s.lower().replace(',', ' ').replace('.', ' ').split())
    return w


def check_disjoint():
    """The evaluation's verbs, places, objects and frame words are in no word list of the story generator,
    and (by the ban in stories.EVAL_BANNED) in none of the Brown nouns version 7 draws from.
    Returns the words of the evaluation that occur among the 3,000 Brown nouns (drawn by versions 3-6)."""
    import stories
    ev = lexicon()
    clash = ev & generator_lexicon()
    assert not clash, f'evaluation words used by the story generator: {sorted(clash)}'
    assert not (ev & set(stories.brown_nouns7())), 'version-7 noun list contains evaluation words'
    return sorted(ev & set(stories.brown_nouns(3000)))


# ---------------------------------------------------------------- bits per character
def bpc_docs():
    docs = [json.loads(l) for l in open(os.path.join(WORK, 'natural.jsonl'))]
    out = [d['text'] for d in docs if d['split'] == 'val' and d['src'] == 'brown']
    return out or [d['text'] for d in docs if d['split'] == 'val']  # (a --smoke corpus may hold no Brown validation document)


@torch.no_grad()
def bits_per_char(model, tok, texts, ctx=128, stride=64):
    nats, chars = 0.0, 0
    for t in texts:
        seq = [tok.eot] + tok.encode(t)  # the first token is predicted from <|endoftext|> alone
        chars += len(t)
        scored, s = 1, 0  # scored: the next target index not yet counted
        while scored < len(seq):
            e = min(len(seq), s + ctx + 1)  # inputs seq[s:e-1], targets seq[s+1:e]
            lp = torch.log_softmax(model(torch.tensor([seq[s:e - 1]]))[0][0], -1)
            tgt = torch.tensor(seq[s + 1:e])
            ll = lp[torch.arange(len(tgt)), tgt]
            nats -= float(ll[max(0, scored - s - 1):].sum())
            scored = e
            s += stride
    return nats / math.log(2) / chars, chars


@torch.no_grad()
def ioi(model, tok, ps):
    from evaluate import ioi_accuracy
    res = {'all': ioi_accuracy(model, tok, ps)}
    for o in ('ABA', 'ABB'):
        res[o] = ioi_accuracy(model, tok, [p for p in ps if p['order'] == o])
    return res


def evaluate(model, tok, pool, n=400, seed=999, bpc=True):
    out = {'ioi': ioi(model, tok, prompts(tok, pool, n, seed)), 'seed': seed, 'n': n}
    if bpc:
        b, c = bits_per_char(model, tok, bpc_docs())
        out['bpc_brown_val'] = round(b, 4)
        out['bpc_chars'] = c
    return out


def main():
    import argparse
    from export import load_model_dir
    import bpe
    root = os.path.abspath(os.path.join(HERE, '..', '..'))
    ap = argparse.ArgumentParser()
    ap.add_argument('--models', nargs='*', default=[os.path.join(root, 'models', 'tiny-tied'), os.path.join(root, 'models', 'tiny-untied')])
    ap.add_argument('--ckpt', nargs='*', default=[], help='averaged.pt / ckpt.pt files to evaluate instead')
    ap.add_argument('--seed', type=int, default=999)
    ap.add_argument('--n', type=int, default=400)
    ap.add_argument('--no-bpc', action='store_true')
    ap.add_argument('--show', type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(1)
    overlap_brown = check_disjoint()
    pool = json.load(open(os.path.join(WORK, 'names.json')))
    tok = bpe.load(os.path.join(root, 'models', 'tiny-tied', 'tokenizer.json'))
    for p in prompts(tok, pool, a.show, a.seed):
        print(p)
    from model import GPT
    items = [(d, load_model_dir(d)) for d in a.models] if not a.ckpt else [(c, GPT.from_checkpoint(c)) for c in a.ckpt]
    for name, m in items:
        m.eval()
        r = evaluate(m, tok, pool, a.n, a.seed, not a.no_bpc)
        print(json.dumps({'model': name, **{k: (v['acc'] if isinstance(v, dict) else v) for k, v in r['ioi'].items()},
                          'bpc': r.get('bpc_brown_val')}))
    print('evaluation words among the Brown nouns that versions 3-6 drew from:', overlap_brown)


if __name__ == '__main__':
    main()
