"""Writes work/tok-cases.json (strings + Python-encoder ids) and runs check_tokenizer.mjs on them.
Strings: corpus lines from every source, generated stories, name prompts, and random ASCII."""
import json, os, random, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bpe

def main(tok_path=os.path.join(bpe.WORK, 'tokenizer.json'), n=3000):
    n = int(n)
    enc = bpe.load(tok_path)
    rng = random.Random(5)
    texts = []
    for f in ('natural.jsonl', 'stories.jsonl'):
        docs = [json.loads(l)['text'] for l in open(os.path.join(bpe.WORK, f))]
        for _ in range(n // 3):
            d = rng.choice(docs); i = rng.randrange(len(d)); texts.append(d[i:i + rng.randint(1, 400)])
    alphabet = 'abcXYZ 019.,;:!?\'"-_()[]{}@#$%&*/\\\n\t  '
    for _ in range(n // 3):
        texts.append(''.join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))))
    texts += ['When Mary and John went to the store, John gave a drink to', ' Mary', ' John', 'Hello<|endoftext|> world',
              "It's 'quoted' isn't it?", 'a  b   c\n\n d', ' what', 'caf\u00e9 \u00fcber \u4e2d\u6587 \U0001F600']
    cases = [{'text': t, 'ids': enc.encode(t)} for t in texts]
    bad = [t for t in texts if enc.decode(enc.encode(t)) != t]
    print('python round-trip failures:', len(bad))
    p = os.path.join(bpe.WORK, 'tok-cases.json')
    json.dump(cases, open(p, 'w'))
    r = subprocess.run(['node', os.path.join(HERE, 'check_tokenizer.mjs'), tok_path, p], cwd=os.path.join(HERE, '..', '..'))
    return r.returncode == 0 and not bad

if __name__ == '__main__':
    sys.exit(0 if main(*sys.argv[1:]) else 1)
