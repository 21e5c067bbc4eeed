/**
 * The page's tokenizer: a thin, checked wrapper around @huggingface/tokenizers.
 *
 *   const tok = loadTokenizer(tokenizerJsonText);        // or tokenizerFromVocabMerges(vocab, merges, { addBos: true })
 *   checkTokenizerAgainstConfig(tok, config);             // vocab fits the model's embedding rows
 *   const ids = [...(tok.bosPrepend !== null ? [tok.bosPrepend] : []), ...tok.encode(sanitizePrompt(text))];
 *
 * Guarantees: encode never adds special tokens (the page prepends
 * `bosPrepend` itself); decode(encode(s)) === s for every well-formed string s
 * when the tokenizer has no normalizer (GPT-2 style byte-level BPE);
 * decode([]) === ''. Lone surrogates are not well-formed: call
 * sanitizePrompt(s) first, which replaces each with U+FFFD (what UTF-8
 * encoding would do anyway), so round trips hold on its output.
 */
import { Tokenizer as HFTokenizer } from '@huggingface/tokenizers';
import { ModelFileError } from '../runtime/formats';
import type { Arch, ModelConfig } from '../runtime/types';
import { familyOf } from '../runtime/families';
import { vocabStringToBytes } from './bytes';
import { byteLevelBpeJson } from './bpe-json';
import { displayBytes, displayString } from './display';

export interface SpecialToken {
  id: number;
  content: string;
}

export interface Tokenizer {
  /** Text → ids. Never adds special tokens (see bosPrepend). Empty string → []. */
  encode(text: string): number[];
  /** Ids → text. [] → ''. Throws RangeError on an id outside [0, vocabSize). */
  decode(ids: readonly number[]): string;
  /** Number of ids the tokenizer can produce (max id + 1, added tokens included). */
  readonly vocabSize: number;
  /** The raw vocabulary string of an id (byte-level BPE: 'Ġthe' for ' the'); undefined if unused. */
  idToToken(id: number): string | undefined;
  /** Inverse of idToToken. */
  tokenToId(token: string): number | undefined;
  /** The bytes this token stands for (byte-level mapping undone; special tokens: UTF-8 of their text). */
  tokenBytes(id: number): Uint8Array;
  /** The token decoded on its own (may contain U+FFFD when it holds part of a character). */
  tokenText(id: number): string;
  /** The token for display, as TEXT (never HTML): '·' spaces, '↵' newlines, escapes for invisibles and broken bytes. */
  displayToken(id: number): string;
  readonly specialTokens: readonly SpecialToken[];
  /** Id the page must put in front of every prompt (OPT: '</s>' = 2), or null (GPT-2). */
  readonly bosPrepend: number | null;
  /** True for GPT-2-style byte-level BPE (every string is representable; no unknown token). */
  readonly byteLevel: boolean;
}

/** The name the page's state code uses. */
export type PageTokenizer = Tokenizer;

export interface LoadTokenizerOptions {
  /** File name for error messages (default 'tokenizer.json'). */
  file?: string;
  /**
   * Prepend a BOS token to prompts? undefined = as the tokenizer.json's
   * TemplateProcessing post-processor says (if any); true = use `bosToken`
   * (default '</s>' if present, else '<|endoftext|>'); false = never.
   */
  addBos?: boolean;
  bosToken?: string;
  /** Model's config vocab_size: if given, checked like checkTokenizerAgainstConfig. */
  vocabSize?: number;
  /** Model architecture: its tokenizer default from the architecture table (OPT: addBos true, '</s>' first). */
  arch?: Arch;
}

/** Largest vocabulary we accept from a tokenizer file. */
export const MAX_TOKENIZER_VOCAB = 300_000;

/** Replaces lone (unpaired) UTF-16 surrogates with U+FFFD; other text unchanged. */
export function sanitizePrompt(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasType(node: unknown, type: string): boolean {
  if (!isPlainObject(node)) return false;
  if (node.type === type) return true;
  for (const key of ['pretokenizers', 'decoders', 'processors']) {
    const list = node[key];
    if (Array.isArray(list) && list.some((n) => hasType(n, type))) return true;
  }
  return false;
}

/** BOS named by a TemplateProcessing post-processor's `single` template, if it starts with a special token. */
function templateBos(post: unknown): string | null {
  if (!isPlainObject(post)) return null;
  if (post.type === 'Sequence' && Array.isArray(post.processors)) {
    for (const p of post.processors) {
      const b = templateBos(p);
      if (b) return b;
    }
    return null;
  }
  if (post.type !== 'TemplateProcessing' || !Array.isArray(post.single)) return null;
  const first = post.single[0];
  if (isPlainObject(first) && isPlainObject(first.SpecialToken) && typeof first.SpecialToken.id === 'string') {
    return first.SpecialToken.id;
  }
  return null;
}

const textEncoder = new TextEncoder();

/**
 * Builds a Tokenizer from the text (or parsed object) of an HF tokenizer.json.
 * Throws ModelFileError('tokenizer.json', …) on anything malformed.
 */
export function loadTokenizer(json: string | ArrayBuffer | Uint8Array | object, opts: LoadTokenizerOptions = {}): Tokenizer {
  const file = opts.file ?? 'tokenizer.json';
  let obj: unknown = json;
  if (typeof json === 'string' || json instanceof ArrayBuffer || json instanceof Uint8Array) {
    let text: string;
    try {
      text = typeof json === 'string' ? json : new TextDecoder('utf-8', { fatal: true }).decode(json);
    } catch {
      throw new ModelFileError(file, 'is not valid UTF-8');
    }
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new ModelFileError(file, `is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isPlainObject(obj)) throw new ModelFileError(file, 'must be a JSON object');
  const model = obj.model;
  if (!isPlainObject(model)) throw new ModelFileError(file, 'has no "model" object (not a tokenizers-library tokenizer.json?)');
  const vocab = model.vocab;
  if (!isPlainObject(vocab) && !Array.isArray(vocab)) throw new ModelFileError(file, 'model has no "vocab"');
  const vocabCount = Array.isArray(vocab) ? vocab.length : Object.keys(vocab).length;
  if (vocabCount === 0) throw new ModelFileError(file, 'vocabulary is empty');
  if (vocabCount > MAX_TOKENIZER_VOCAB) {
    throw new ModelFileError(file, `vocabulary has ${vocabCount} entries, more than the limit of ${MAX_TOKENIZER_VOCAB}`);
  }
  if (isPlainObject(vocab)) {
    for (const [k, v] of Object.entries(vocab)) {
      if (!Number.isSafeInteger(v) || (v as number) < 0 || (v as number) >= MAX_TOKENIZER_VOCAB) {
        throw new ModelFileError(file, `vocabulary entry ${JSON.stringify(k)} has invalid id ${JSON.stringify(v)}`);
      }
    }
  }
  if (model.type === 'BPE' && !Array.isArray(model.merges)) throw new ModelFileError(file, 'BPE model has no "merges" list');
  const added = obj.added_tokens ?? [];
  if (!Array.isArray(added)) throw new ModelFileError(file, '"added_tokens" must be an array');

  let hf: HFTokenizer;
  try {
    hf = new HFTokenizer(
      { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, ...obj, added_tokens: added },
      { clean_up_tokenization_spaces: false },
    );
  } catch (e) {
    throw new ModelFileError(file, `could not be loaded (${(e as Error).message})`);
  }

  // Ids: max + 1 over the model vocabulary and added tokens.
  const fullVocab = hf.get_vocab(true);
  let vocabSize = 0;
  for (const id of fullVocab.values()) if (id + 1 > vocabSize) vocabSize = id + 1;
  const specialTokens: SpecialToken[] = [];
  const addedContent = new Map<number, string>();
  for (const [id, t] of hf.get_added_tokens_decoder()) {
    addedContent.set(id, t.content);
    if (t.special) specialTokens.push({ id, content: t.content });
  }
  specialTokens.sort((a, b) => a.id - b.id);
  const byteLevel = hasType(obj.decoder, 'ByteLevel') || hasType(obj.pre_tokenizer, 'ByteLevel');

  let bosPrepend: number | null = null;
  const addBos = opts.addBos ?? (opts.arch !== undefined && familyOf(opts.arch).tokenizer.addBos ? true : undefined);
  if (addBos !== false) {
    let name: string | null = null;
    if (addBos === true) {
      name = opts.bosToken ?? (fullVocab.has('</s>') ? '</s>' : '<|endoftext|>');
    } else {
      name = templateBos(obj.post_processor);
    }
    if (name !== null) {
      const id = fullVocab.get(name);
      if (id === undefined) throw new ModelFileError(file, `BOS token ${JSON.stringify(name)} is not in the vocabulary`);
      bosPrepend = id;
    }
  }

  const checkId = (id: number) => {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new RangeError(`token id ${id} is outside the vocabulary [0, ${vocabSize})`);
    }
  };
  const tokenBytes = (id: number): Uint8Array => {
    checkId(id);
    const special = addedContent.get(id);
    if (special !== undefined) return textEncoder.encode(special);
    const s = hf.id_to_token(id);
    if (s === undefined) return new Uint8Array(0);
    return (byteLevel ? vocabStringToBytes(s) : null) ?? textEncoder.encode(s);
  };
  const decode = (ids: readonly number[]): string => {
    if (ids.length === 0) return '';
    for (const id of ids) checkId(id);
    return hf.decode(ids as number[], { skip_special_tokens: false, clean_up_tokenization_spaces: false });
  };

  // figures redraw the same few tokens on every slider step: each token's display text is worked out once
  const shown = new Map<number, string>();
  const tok: Tokenizer = {
    encode: (text: string) => (text.length === 0 ? [] : hf.encode(text, { add_special_tokens: false }).ids),
    decode,
    vocabSize,
    idToToken: (id: number) => (Number.isInteger(id) && id >= 0 && id < vocabSize ? hf.id_to_token(id) : undefined),
    tokenToId: (token: string) => hf.token_to_id(token),
    tokenBytes,
    tokenText: (id: number) => decode([id]),
    displayToken: (id: number) => {
      let s = shown.get(id);
      if (s === undefined) {
        const special = addedContent.get(id);
        s = special !== undefined ? displayString(special) : displayBytes(tokenBytes(id));
        shown.set(id, s);
      }
      return s;
    },
    specialTokens,
    bosPrepend,
    byteLevel,
  };
  if (opts.vocabSize !== undefined) checkVocabSizes(tok.vocabSize, opts.vocabSize, file);
  return tok;
}

/** Vocabulary entries treated as special tokens when building from vocab.json + merges.txt. */
const KNOWN_SPECIALS = /^(<s>|<\/s>|<pad>|<unk>|<mask>|<\|[A-Za-z0-9_]+\|>)$/;

/**
 * Builds a byte-level BPE tokenizer.json object (GPT-2 layout) from a
 * vocab.json object and merges.txt text. Exposed for tests and tools.
 */
export function tokenizerJsonFromVocabMerges(vocabJson: string | object, mergesTxt: string): Record<string, unknown> {
  let vocab: unknown = vocabJson;
  if (typeof vocabJson === 'string') {
    try {
      vocab = JSON.parse(vocabJson);
    } catch (e) {
      throw new ModelFileError('vocab.json', `is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isPlainObject(vocab)) throw new ModelFileError('vocab.json', 'must be a JSON object of token → id');
  const merges: string[] = [];
  const lines = mergesTxt.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line === '' || (i === 0 && line.startsWith('#version'))) return;
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new ModelFileError('merges.txt', `line ${i + 1} is not two space-separated tokens: ${JSON.stringify(line.slice(0, 40))}`);
    }
    merges.push(line);
  });
  const added_tokens = Object.entries(vocab)
    .filter(([k]) => KNOWN_SPECIALS.test(k))
    .map(([content, id]) => ({
      id: id as number,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    }));
  return byteLevelBpeJson(vocab as Record<string, number>, merges, added_tokens, null);
}

/**
 * Tokenizer from vocab.json + merges.txt (what GPT-2 and OPT ship besides or
 * instead of tokenizer.json). OPT's tokenizer puts '</s>' (id 2) before every
 * prompt: pass { addBos: true } and prepend `bosPrepend`.
 */
export function tokenizerFromVocabMerges(
  vocabJson: string | object,
  mergesTxt: string,
  opts: { addBos?: boolean; bosToken?: string } = {},
): Tokenizer {
  return loadTokenizer(tokenizerJsonFromVocabMerges(vocabJson, mergesTxt), {
    file: 'vocab.json/merges.txt',
    addBos: opts.addBos ?? false,
    bosToken: opts.bosToken,
  });
}

/**
 * Largest gap allowed between config vocab_size and the tokenizer's
 * vocabulary (embedding rows padded for speed, e.g. OPT 50265 → 50272,
 * nanoGPT 50257 → 50304).
 */
export const MAX_VOCAB_PADDING = 256;

/**
 * The tokenizer must not produce ids the model has no embedding row for
 * (tokenizer vocab ≤ config vocab_size); a much smaller tokenizer means the
 * wrong tokenizer file. Throws ModelFileError('tokenizer.json', …).
 */
export function checkTokenizerAgainstConfig(tok: Tokenizer, config: ModelConfig, file = 'tokenizer.json'): void {
  checkVocabSizes(tok.vocabSize, config.vocabSize, file);
}

function checkVocabSizes(tokVocab: number, modelVocab: number, file: string): void {
  if (tokVocab > modelVocab) {
    throw new ModelFileError(
      file,
      `tokenizer has ${tokVocab} tokens but the model's vocab_size is ${modelVocab}; ids ≥ ${modelVocab} would have no embedding row`,
    );
  }
  if (modelVocab - tokVocab > MAX_VOCAB_PADDING) {
    throw new ModelFileError(
      file,
      `tokenizer has only ${tokVocab} tokens for a model with vocab_size ${modelVocab}; wrong tokenizer for this model?`,
    );
  }
}
