/**
 * The toy corpus the in-page trainer learns from: a word-level vocabulary of a
 * few hundred tokens and a stream of generated sentences, all fixed (the same
 * on every machine; the training seed changes the initial weights and the
 * batch order, never the text).
 *
 * Two kinds of sentence, so a small model has something to learn at two depths:
 * - bigram structure: "the <adj> <noun> <verb> the <noun> ." where each
 *   adjective prefers a few nouns and each noun a few verbs, so the next word
 *   is partly predictable from the previous one alone;
 * - name copying: "when mary and john went to the park , john gave a ball to
 *   mary ." where the last name can only be predicted by looking back (the
 *   name that was mentioned once), which needs attention.
 *
 * Pure TypeScript (no tfjs), shared by the worker, the tests and the prose.
 */
import { mulberry32 } from '../geometry/random';

export const NAMES = [
  'mary',
  'john',
  'anna',
  'peter',
  'lucy',
  'tom',
  'emma',
  'jack',
  'sara',
  'paul',
  'kate',
  'mark',
  'lily',
  'sam',
  'rose',
  'ben',
  'amy',
  'dan',
  'eve',
  'max',
  'ivy',
  'leo',
  'zoe',
  'ray',
  'alice',
  'bob',
  'clara',
  'david',
  'ella',
  'frank',
  'grace',
  'henry',
  'iris',
  'james',
  'kim',
  'liam',
  'mia',
  'noah',
  'olga',
  'ruth',
];
const PLACES = [
  'store',
  'park',
  'school',
  'beach',
  'lake',
  'farm',
  'market',
  'zoo',
  'library',
  'garden',
  'river',
  'station',
  'castle',
  'forest',
  'harbour',
  'museum',
  'bakery',
  'island',
  'village',
  'office',
  'church',
  'square',
];
const OBJECTS = [
  'drink',
  'ball',
  'book',
  'cake',
  'letter',
  'flower',
  'kite',
  'hat',
  'apple',
  'coin',
  'map',
  'toy',
  'cup',
  'key',
  'pen',
  'bag',
  'shell',
  'drum',
  'card',
  'ring',
  'sock',
  'lamp',
  'bowl',
  'note',
];
const GIVE = ['gave', 'handed', 'passed', 'sent', 'showed', 'threw'];
const NOUNS = [
  'cat',
  'dog',
  'bird',
  'fish',
  'horse',
  'cow',
  'fox',
  'owl',
  'frog',
  'bear',
  'mouse',
  'duck',
  'goat',
  'wolf',
  'sheep',
  'pig',
  'tree',
  'house',
  'boat',
  'car',
  'door',
  'wall',
  'hill',
  'road',
  'bridge',
  'cloud',
  'stone',
  'field',
  'window',
  'bell',
  'lion',
  'tiger',
  'snake',
  'crow',
  'deer',
  'hen',
  'ant',
  'bee',
  'crab',
  'seal',
  'swan',
  'mole',
  'hare',
  'lamb',
  'yak',
  'ox',
  'barn',
  'gate',
  'tower',
  'ship',
];
const ADJS = [
  'big',
  'small',
  'red',
  'old',
  'young',
  'happy',
  'sad',
  'quick',
  'slow',
  'green',
  'tall',
  'dark',
  'bright',
  'quiet',
  'loud',
  'brown',
  'little',
  'white',
  'black',
  'warm',
  'cold',
  'wet',
  'dry',
  'soft',
  'grey',
  'gentle',
  'wild',
  'clever',
  'lazy',
  'proud',
  'shy',
  'brave',
  'tiny',
  'huge',
  'pale',
  'busy',
  'calm',
  'fat',
  'thin',
  'odd',
];
const VERBS = [
  'saw',
  'liked',
  'chased',
  'found',
  'heard',
  'watched',
  'followed',
  'helped',
  'pushed',
  'touched',
  'left',
  'met',
  'loved',
  'fed',
  'missed',
  'called',
  'passed',
  'reached',
  'crossed',
  'painted',
];
const GLUE = ['the', 'a', 'when', 'and', 'went', 'to', ',', '.', 'then', 'at'];

/** The vocabulary, one word per id; deterministic order. */
export const VOCAB: readonly string[] = Array.from(
  new Set([...GLUE, ...NAMES, ...PLACES, ...OBJECTS, ...GIVE, ...NOUNS, ...ADJS, ...VERBS]),
);
const ID = new Map(VOCAB.map((w, i) => [w, i]));

export function wordId(w: string): number {
  const i = ID.get(w);
  if (i === undefined) throw new Error(`"${w}" is not in the toy vocabulary`);
  return i;
}
export function encode(text: string): number[] {
  return text.trim().split(/\s+/).map(wordId);
}
export function decode(ids: ArrayLike<number>): string {
  return Array.from(ids, (i) => VOCAB[i] ?? '?').join(' ');
}

/** Each word's preferred followers: `k` of the candidates, chosen once by a fixed generator. */
function preferences(from: readonly string[], to: readonly string[], k: number, rand: () => number): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const w of from) {
    const pool = [...to];
    const pick: string[] = [];
    for (let j = 0; j < k && pool.length; j++) pick.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
    m.set(w, pick);
  }
  return m;
}

const pick = <T>(xs: readonly T[], rand: () => number): T => xs[Math.floor(rand() * xs.length)];

/** The fixed generator seed of the text (not the training seed). */
const CORPUS_SEED = 20240613;

export interface Corpus {
  ids: Int32Array;
  vocabSize: number;
  /** Unigram entropy of the stream in nats: the loss of the best model that ignores context. */
  unigramEntropy: number;
  /** Conditional entropy of the next word given the previous one, in nats (the best bigram model's loss). */
  bigramEntropy: number;
  nameSentences: number;
  sentences: number;
}

/** Generates `nTokens` (about) of text; `nameShare` of the sentences are name-copying ones. */
export function makeCorpus(nTokens = 40_000, nameShare = 0.4): Corpus {
  const rand = mulberry32(CORPUS_SEED);
  const adjNoun = preferences(ADJS, NOUNS, 3, rand);
  const nounVerb = preferences(NOUNS, VERBS, 3, rand);
  const verbNoun = preferences(VERBS, NOUNS, 4, rand);
  const out: number[] = [];
  let nameSentences = 0;
  let sentences = 0;
  while (out.length < nTokens) {
    sentences++;
    if (rand() < nameShare) {
      nameSentences++;
      const a = pick(NAMES, rand);
      let b = pick(NAMES, rand);
      while (b === a) b = pick(NAMES, rand);
      // The giver is one of the two; the receiver is the other one.
      const [giver, receiver] = rand() < 0.5 ? [a, b] : [b, a];
      const s = `when ${a} and ${b} went to the ${pick(PLACES, rand)} , ${giver} ${pick(GIVE, rand)} a ${pick(OBJECTS, rand)} to ${receiver} .`;
      out.push(...encode(s));
    } else {
      const adj = pick(ADJS, rand);
      // Mostly the preferred follower, sometimes any: structure a bigram model can learn but not perfectly.
      const noun = rand() < 0.85 ? pick(adjNoun.get(adj)!, rand) : pick(NOUNS, rand);
      const verb = rand() < 0.85 ? pick(nounVerb.get(noun)!, rand) : pick(VERBS, rand);
      const obj = rand() < 0.85 ? pick(verbNoun.get(verb)!, rand) : pick(NOUNS, rand);
      const s =
        rand() < 0.5
          ? `the ${adj} ${noun} ${verb} the ${obj} .`
          : `then the ${adj} ${noun} ${verb} a ${obj} at the ${pick(PLACES, rand)} .`;
      out.push(...encode(s));
    }
  }
  const ids = Int32Array.from(out);
  const V = VOCAB.length;
  return { ids, vocabSize: V, unigramEntropy: unigramEntropy(ids, V), bigramEntropy: bigramEntropy(ids, V), nameSentences, sentences };
}

export function unigramEntropy(ids: Int32Array, V: number): number {
  const c = new Float64Array(V);
  for (const i of ids) c[i]++;
  let h = 0;
  for (const n of c) if (n > 0) h -= (n / ids.length) * Math.log(n / ids.length);
  return h;
}

export function bigramEntropy(ids: Int32Array, V: number): number {
  const pair = new Map<number, number>();
  const first = new Float64Array(V);
  for (let t = 0; t + 1 < ids.length; t++) {
    first[ids[t]]++;
    const k = ids[t] * V + ids[t + 1];
    pair.set(k, (pair.get(k) ?? 0) + 1);
  }
  const n = ids.length - 1;
  let h = 0;
  for (const [k, c] of pair) h -= (c / n) * Math.log(c / first[Math.floor(k / V)]);
  return h;
}

/** A fixed probe: a prompt whose next word is certain, and a rival word for the two-token plane. */
export interface Probe {
  text: string;
  ids: number[];
  target: number;
  rival: number;
}

/**
 * Name-copying prompts built from the corpus's own templates (a sentence the
 * model may or may not have seen): the answer is the name mentioned once, the
 * rival is the name just repeated.
 */
export const PROBES: Probe[] = [
  ['mary', 'john', 'store', 'drink'],
  ['anna', 'peter', 'park', 'ball'],
  ['lucy', 'tom', 'lake', 'book'],
  ['emma', 'jack', 'zoo', 'kite'],
].map(([a, b, place, obj]) => {
  const text = `when ${a} and ${b} went to the ${place} , ${b} gave a ${obj} to`;
  return { text, ids: encode(text), target: wordId(a), rival: wordId(b) };
});
