/**
 * Turns a folder URL or a set of files from disk into a registered model
 * source. Order matters: config.json first (validated, memory estimated,
 * refused up front if too large), then the tokenizer, then the weights;
 * the safetensors header is checked against the config before the model is
 * handed to the runtime. Nothing is put in the cache until every file has
 * arrived whole and checked out. No React, no tfjs.
 */
import type { ModelSource } from '../runtime/api';
import type { ModelConfig } from '../runtime/types';
import { parseConfigWithNotes, checkTensorsAgainstConfig } from '../runtime/config';
import { readSafetensorsHeader } from '../runtime/safetensors';
import { ModelFileError } from '../runtime/formats';
import { familyOf } from '../runtime/families';
import type { ModelEntry } from '../state/models';
import { LoadError, cachedResponse, commitStaged, discardStaged, downloadFile, mb, type FileProgress } from './download';
import { estimateMemory, type MemoryEstimate } from './memory';
import { findPreset, type Preset } from './presets';
import { MAX_VOCAB_PADDING, tokenizerJsonFromVocabMerges } from '../tokenizer';
import { plainError, plainWords } from '../state/plain-error';

export const README_CONVERSION =
  "python -c \"import torch; from safetensors.torch import save_file; sd = torch.load('pytorch_model.bin', map_location='cpu', weights_only=True); save_file({k: v.clone().contiguous() for k, v in sd.items()}, 'model.safetensors')\"";

export interface Checkpoint {
  entry: ModelEntry;
  source: Extract<ModelSource, { kind: 'bytes' }>;
  config: ModelConfig;
  estimate: MemoryEstimate;
  notes: string[];
  /** Bytes of model.safetensors. */
  weightBytes: number;
}

export interface OverallProgress {
  /** The file being fetched now. */
  file: FileProgress;
  /** Sum over files so far (bytes) and the expected total (0 = unknown). */
  loaded: number;
  total: number;
}

// ---------------------------------------------------------------- keys

const KEY_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Lowercase slug that matches the `model` URL parameter. */
export function slug(s: string, prefix = ''): string {
  let t = s
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
  if (!t) t = 'model';
  const out = (prefix + t).slice(0, 64).replace(/[-._]+$/, '');
  return KEY_RE.test(out) ? out : 'checkpoint';
}

// ---------------------------------------------------------------- URLs

/**
 * Accepts a folder URL, a file URL inside it, a Hugging Face page URL
 * (…/tree/main, …/blob/main/x) or a bare repo id ('gpt2', 'facebook/opt-125m'),
 * and returns the folder URL ending in '/'.
 */
export function normaliseBaseUrl(input: string): string {
  const s = input.trim();
  if (!s) throw new LoadError('invalid', 'Type the address of a folder that holds config.json, model.safetensors and tokenizer.json.');
  if (/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(s) && !s.includes('://') && !/\.(json|safetensors|txt)$/.test(s)) {
    return `https://huggingface.co/${s}/resolve/main/`;
  }
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new LoadError('invalid', `“${s.slice(0, 80)}” is not a web address (expected e.g. https://huggingface.co/gpt2/resolve/main/).`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new LoadError('invalid', 'Only http and https addresses can be loaded.');
  u.search = '';
  u.hash = '';
  let p = u.pathname;
  if (u.hostname === 'huggingface.co') {
    // /repo[/name][/(tree|blob|resolve)/rev/...] → /repo[/name]/resolve/rev/
    const seg = p.split('/').filter(Boolean);
    const kinds = ['tree', 'blob', 'resolve'];
    if (seg.length > 0 && !['api', 'spaces', 'datasets'].includes(seg[0])) {
      const at = kinds.includes(seg[1]) ? 1 : kinds.includes(seg[2]) ? 2 : -1;
      const repo =
        at > 0
          ? seg.slice(0, at).join('/')
          : seg.slice(0, Math.min(2, seg.filter((x) => !/\.(json|safetensors|txt|bin)$/.test(x)).length)).join('/');
      const rev = at > 0 && seg[at + 1] ? seg[at + 1] : 'main';
      if (repo) p = `/${repo}/resolve/${rev}/`;
    }
  }
  if (/\.(json|safetensors|txt|bin)$/.test(p)) p = p.slice(0, p.lastIndexOf('/') + 1);
  if (!p.endsWith('/')) p += '/';
  u.pathname = p;
  return u.toString();
}

/** A short readable label for a folder URL: the Hugging Face repo, or host + path. */
export function labelForUrl(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    const m = /^\/(.+?)\/resolve\/[^/]+\/$/.exec(u.pathname);
    if (u.hostname === 'huggingface.co' && m) return m[1];
    const path = u.pathname.replace(/\/+$/, '');
    return `${u.host}${path}`;
  } catch {
    return baseUrl;
  }
}

// ------------------------------------------------- remembered URL sources

const REMEMBER_KEY = 'td-checkpoint-sources-v1';

export interface RememberedSource {
  key: string;
  label: string;
  description: string;
  baseUrl: string;
  downloadBytes: number;
}

export function rememberedSources(): Record<string, RememberedSource> {
  try {
    const raw = localStorage.getItem(REMEMBER_KEY);
    const o = raw ? (JSON.parse(raw) as unknown) : {};
    return typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, RememberedSource>) : {};
  } catch {
    return {};
  }
}

function remember(s: RememberedSource) {
  try {
    const all = rememberedSources();
    all[s.key] = s;
    localStorage.setItem(REMEMBER_KEY, JSON.stringify(all));
  } catch {
    /* private mode: reload will offer the download again */
  }
}

/** Where a model key can be downloaded from: a preset or a folder URL loaded before on this browser. */
export function sourceForKey(key: string): RememberedSource | null {
  const p = findPreset(key);
  if (p) return { key: p.key, label: p.label, description: p.description, baseUrl: p.baseUrl, downloadBytes: p.downloadBytes };
  const r = rememberedSources()[key];
  return r && typeof r.baseUrl === 'string' ? r : null;
}

/** True when every file of the folder needed to load it is in the cache (no network needed). */
export async function fullyCached(baseUrl: string): Promise<boolean> {
  const has = async (f: string) => (await cachedResponse(baseUrl + f)) !== null;
  if (!(await has('config.json')) || !(await has('model.safetensors'))) return false;
  return (await has('tokenizer.json')) || ((await has('vocab.json')) && (await has('merges.txt')));
}

// ------------------------------------------------------------- checks

function checkConfig(text: string): { config: ModelConfig; notes: string[]; estimate: MemoryEstimate } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new LoadError('invalid', `config.json is not valid JSON (${plainWords((e as Error).message)}).`);
  }
  let parsed;
  try {
    parsed = parseConfigWithNotes(json);
  } catch (e) {
    throw new LoadError('invalid', e instanceof ModelFileError ? `${e.message}.` : `${plainError(e, 'config.json')}.`);
  }
  const estimate = estimateMemory(parsed.config);
  if (!estimate.fits) throw new LoadError('too-large', estimate.reason!);
  return { config: parsed.config, notes: parsed.notes, estimate };
}

async function checkWeights(blob: Blob, config: ModelConfig, fileLabel = 'model.safetensors'): Promise<void> {
  try {
    const r = await readSafetensorsHeader(blob, fileLabel);
    checkTensorsAgainstConfig(r, config);
  } catch (e) {
    throw new LoadError('invalid', `${plainError(e, fileLabel)}.`.replace(/\.\.$/, '.'));
  }
}

/**
 * A quick look at the tokenizer before the weights are fetched: a BPE model
 * whose ids fit the model's vocabulary (the same rule as the tokenizer
 * module's checkTokenizerAgainstConfig: never more tokens than embedding
 * rows, at most MAX_VOCAB_PADDING fewer). Deliberately cheap (no BPE tables
 * built, which takes seconds for GPT-2 on a slow machine); the model provider
 * builds the real tokenizer once and reports anything deeper.
 */
function checkTokenizer(text: string, config: ModelConfig, file = 'tokenizer.json'): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new LoadError('invalid', `${file} is not valid JSON (${plainWords((e as Error).message)}).`);
  }
  const model = (json as { model?: { type?: unknown; vocab?: unknown } } | null)?.model;
  if (!model || typeof model.vocab !== 'object' || model.vocab === null || Array.isArray(model.vocab)) {
    throw new LoadError('invalid', `${file} has no model.vocab; the page reads byte-level BPE tokenizers (GPT-2, OPT).`);
  }
  if (model.type !== undefined && model.type !== 'BPE') {
    throw new LoadError('invalid', `${file} is a ${String(model.type)} tokenizer; the page reads byte-level BPE tokenizers (GPT-2, OPT).`);
  }
  const added = (json as { added_tokens?: unknown }).added_tokens ?? [];
  if (!Array.isArray(added))
    throw new LoadError('invalid', `${file}: “added_tokens” should be a list of tokens, but it is ${kindOf(added)}.`);
  const badAdded = added.findIndex(
    (t) =>
      typeof t !== 'object' ||
      t === null ||
      typeof (t as { id?: unknown }).id !== 'number' ||
      typeof (t as { content?: unknown }).content !== 'string',
  );
  if (badAdded >= 0)
    throw new LoadError('invalid', `${file}: added token ${badAdded + 1} should have a numeric “id” and a text “content”.`);
  const merges = (model as { merges?: unknown }).merges;
  if (merges !== undefined) {
    if (!Array.isArray(merges))
      throw new LoadError('invalid', `${file}: “model.merges” should be a list of merges, but it is ${kindOf(merges)}.`);
    const badMerge = merges.findIndex(
      (x) => !(typeof x === 'string' || (Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string')),
    );
    if (badMerge >= 0) throw new LoadError('invalid', `${file}: merge ${badMerge + 1} should be two pieces of text (“a b” or ["a", "b"]).`);
  }
  // The pipeline parts are read recursively by the tokenizer library: refuse absurd nesting here, in words.
  for (const part of ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder'] as const) {
    if (depthOver((json as Record<string, unknown>)[part], 32))
      throw new LoadError('invalid', `${file}: “${part}” is nested more than 32 levels deep; a real tokenizer has a few.`);
  }
  let maxId = -1;
  for (const id of Object.values(model.vocab as Record<string, unknown>)) if (typeof id === 'number' && id > maxId) maxId = id;
  for (const t of added as { id: number }[]) if (t.id > maxId) maxId = t.id;
  const tokVocab = maxId + 1;
  if (tokVocab > config.vocabSize) {
    throw new LoadError(
      'invalid',
      `${file}: the tokenizer has ${tokVocab} tokens but config.json says vocab_size = ${config.vocabSize}; ids ≥ ${config.vocabSize} would have no embedding row. The files do not belong together.`,
    );
  }
  if (config.vocabSize - tokVocab > MAX_VOCAB_PADDING) {
    throw new LoadError(
      'invalid',
      `${file}: the tokenizer has only ${tokVocab} tokens for a model with vocab_size ${config.vocabSize}; wrong tokenizer for this model?`,
    );
  }
}

/** "a list", "an object", "a number" … for messages. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** True when a parsed JSON value nests deeper than `max` (iterative: no recursion on hostile input). */
function depthOver(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  let seen = 0;
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > max) return true;
    if (x && typeof x === 'object')
      for (const c of Object.values(x)) if (c && typeof c === 'object' && ++seen < 100_000) stack.push([c, d + 1]);
  }
  return false;
}

/** vocab.json + merges.txt → tokenizer.json text. */
function fromVocabMerges(vocab: string, merges: string): string {
  try {
    return JSON.stringify(tokenizerJsonFromVocabMerges(vocab, merges));
  } catch (e) {
    throw new LoadError('invalid', `${plainError(e, 'vocab.json')}.`.replace(/\.\.$/, '.'));
  }
}

const enc = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;

function describe(config: ModelConfig, est: MemoryEstimate): string {
  return `${familyOf(config.arch).label} architecture: ${config.nLayer} layers, d = ${config.nEmbd}, ${config.vocabSize.toLocaleString('en-US')} tokens, ${(est.parameters / 1e6).toFixed(1)}M parameters${config.tied ? ', tied' : ', untied'}`;
}

// ------------------------------------------------------------- from a URL

export interface UrlLoadOptions {
  key?: string;
  label?: string;
  signal?: AbortSignal;
  onProgress?: (p: OverallProgress) => void;
  /** Put the files in the Cache Storage once complete (default true). */
  cache?: boolean;
}

/** Downloads (or reads from the cache) a checkpoint folder. Rejects with a LoadError. */
export async function checkpointFromUrl(input: string, opts: UrlLoadOptions = {}): Promise<Checkpoint> {
  const baseUrl = normaliseBaseUrl(input);
  const preset: Preset | undefined = opts.key ? findPreset(opts.key) : undefined;
  const key = opts.key ?? slug(labelForUrl(baseUrl).replace(/^.*\//, ''), baseUrl.startsWith('https://huggingface.co/') ? 'hf-' : 'url-');
  const label = opts.label ?? preset?.label ?? labelForUrl(baseUrl);
  const { signal } = opts;
  const got: { url: string; blob: Blob }[] = [];
  let done = 0;
  let expected = preset?.downloadBytes ?? 0;
  const fetchOne = async (file: string, optional = false): Promise<Blob | null> => {
    try {
      const blob = await downloadFile(baseUrl + file, {
        signal,
        into: opts.cache === false ? 'memory' : undefined,
        onProgress: (p) => opts.onProgress?.({ file: p, loaded: done + p.loaded, total: Math.max(expected, done + p.total) }),
      });
      done += blob.size;
      got.push({ url: baseUrl + file, blob });
      return blob;
    } catch (e) {
      if (optional && e instanceof LoadError && e.kind === 'http' && /HTTP 404/.test(e.message)) return null;
      throw e;
    }
  };

  await discardStaged(); // leftovers of an earlier, interrupted visit
  let cfgText: string, tokText: string, config: ModelConfig, notes: string[], estimate: MemoryEstimate, weights: Blob;
  try {
    // 1. config.json: validate and estimate memory before anything large.
    cfgText = await (await fetchOne('config.json'))!.text();
    ({ config, notes, estimate } = checkConfig(cfgText));
    if (!preset) expected = 0;

    // 2. The tokenizer: tokenizer.json, else vocab.json + merges.txt (OPT's Hub folder has only these).
    const cachedTok = await cachedResponse(baseUrl + 'tokenizer.json');
    const cachedVm =
      !cachedTok && (await cachedResponse(baseUrl + 'vocab.json')) !== null && (await cachedResponse(baseUrl + 'merges.txt')) !== null;
    const tryVm = preset?.tokenizer === 'vocab+merges' || cachedVm;
    const tj = tryVm ? null : await fetchOne('tokenizer.json', true);
    if (tj) tokText = await tj.text();
    else {
      const v = await fetchOne('vocab.json', true);
      const m = v ? await fetchOne('merges.txt', true) : null;
      if (!v || !m) {
        throw new LoadError(
          'missing',
          `${labelForUrl(baseUrl)} has no tokenizer.json (nor vocab.json + merges.txt); the page needs one to turn text into tokens.`,
        );
      }
      tokText = fromVocabMerges(await v.text(), await m.text());
    }
    checkTokenizer(tokText, config, tj ? 'tokenizer.json' : 'vocab.json');

    // 3. The weights (the big one), then its header against the config.
    const w = await fetchOne('model.safetensors', true);
    if (!w) {
      throw new LoadError(
        'missing',
        `${labelForUrl(baseUrl)} has no model.safetensors. If it only has pytorch_model.bin, convert it once with Python (see the README): ${README_CONVERSION}`,
      );
    }
    weights = w;
    await checkWeights(weights, config);
    if (signal?.aborted) throw new LoadError('aborted', 'Cancelled. Nothing was stored; the current model is unchanged.');
  } catch (e) {
    await discardStaged(got.map((g) => g.url));
    if (e instanceof LoadError) throw e;
    const last = got.length ? got[got.length - 1].url.slice(baseUrl.length) : 'config.json';
    throw new LoadError('invalid', `${plainError(e, last)}.`.replace(/\.\.$/, '.'));
  }

  // 4. Everything arrived and checks out: keep it (staging → the checkpoint cache).
  if (opts.cache !== false) {
    const kept = await commitStaged(got.map((g) => g.url));
    weights = kept.get(baseUrl + 'model.safetensors') ?? weights;
  }
  const entry: ModelEntry = { key, label, description: `${describe(config, estimate)}; from ${labelForUrl(baseUrl)}` };
  if (!preset) remember({ key, label, description: entry.description, baseUrl, downloadBytes: done });
  return {
    entry,
    source: { kind: 'bytes', key, label, config: enc(cfgText), tokenizer: enc(tokText), safetensors: weights },
    config,
    estimate,
    notes,
    weightBytes: weights.size,
  };
}

// ------------------------------------------------------------ from disk

/** The name of a picked or dropped file, without folders. */
const base = (f: File) => f.name.replace(/^.*[\\/]/, '');

/** The folder the files came from (folder picker or drop of a folder), if any. */
function folderName(files: File[]): string | null {
  for (const f of files) {
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath;
    if (rel && rel.includes('/')) {
      const parts = rel.split('/');
      return parts[parts.length - 2] || parts[0];
    }
  }
  return null;
}

export interface PickedFiles {
  config?: File;
  weights?: File;
  tokenizer?: File;
  vocab?: File;
  merges?: File;
  bin: File[];
  shards: File[];
  /** Every single-file .safetensors given (when several and none is model.safetensors, none is chosen). */
  safes: File[];
}

export function classifyFiles(files: File[]): PickedFiles {
  const safes: File[] = [];
  const out: PickedFiles = { bin: [], shards: [], safes };
  for (const f of files) {
    const n = base(f).toLowerCase();
    if (n === 'config.json') out.config = f;
    else if (n === 'tokenizer.json') out.tokenizer = f;
    else if (n === 'vocab.json') out.vocab = f;
    else if (n === 'merges.txt') out.merges = f;
    else if (n.endsWith('.safetensors')) {
      if (/-\d+-of-\d+\.safetensors$/.test(n)) out.shards.push(f);
      else safes.push(f);
    } else if (n.endsWith('.bin') || n.endsWith('.pt') || n.endsWith('.pth') || n.endsWith('.ckpt')) out.bin.push(f);
  }
  out.weights = safes.find((f) => base(f).toLowerCase() === 'model.safetensors') ?? (safes.length === 1 ? safes[0] : undefined);
  return out;
}

/** What is missing from a set of picked files, as a sentence; null when complete. */
export function missingMessage(p: PickedFiles): string | null {
  if (!p.weights && p.shards.length > 0) {
    return `These weights are split into ${p.shards.length} shards (${p.shards.map(base).join(', ')}); the page reads a single model.safetensors. Merge them with Python first.`;
  }
  if (!p.weights && p.bin.length > 0) {
    return (
      `${p.bin.map(base).join(', ')} is a PyTorch pickle file, which can run code when it is read, so the browser does not open it. ` +
      `Convert it once to model.safetensors (see the README): ${README_CONVERSION}`
    );
  }
  if (!p.weights && p.safes.length > 1) {
    return `${p.safes.length} weight files were given (${p.safes.map(base).join(', ')}) and none is named model.safetensors, so the page cannot tell which to load. Give only one of them, or name the one to load model.safetensors.`;
  }
  const missing: string[] = [];
  if (!p.config) missing.push('config.json');
  if (!p.weights) missing.push('model.safetensors');
  if (!p.tokenizer && !(p.vocab && p.merges)) {
    if (p.vocab) missing.push('merges.txt (or tokenizer.json)');
    else if (p.merges) missing.push('vocab.json (or tokenizer.json)');
    else missing.push('tokenizer.json (or vocab.json + merges.txt)');
  }
  if (missing.length === 0) return null;
  return `Missing ${missing.join(', ')}. A checkpoint needs config.json, model.safetensors and a tokenizer.`;
}

/** Reads a checkpoint from files the reader picked or dropped. Rejects with a LoadError. */
export async function checkpointFromFiles(
  files: File[],
  taken: (key: string) => boolean = () => false,
  folderHint: string | null = null,
): Promise<Checkpoint> {
  const p = classifyFiles(files);
  const miss = missingMessage(p);
  if (miss) throw new LoadError(p.bin.length && !p.weights ? 'unsupported' : 'missing', miss);
  // Any exception that is not one of the page's own messages is put in plain words naming the file being read.
  let reading = 'config.json';
  const plain = (e: unknown): never => {
    if (e instanceof LoadError) throw e;
    throw new LoadError('invalid', `${plainError(e, reading)}.`.replace(/\.\.$/, '.'));
  };
  let cfgText: string, config: ModelConfig, notes: string[], estimate: MemoryEstimate, tokText: string;
  try {
    cfgText = await p.config!.text();
    ({ config, notes, estimate } = checkConfig(cfgText));
    reading = p.tokenizer ? 'tokenizer.json' : 'vocab.json';
    if (p.tokenizer) tokText = await p.tokenizer.text();
    else {
      tokText = fromVocabMerges(await p.vocab!.text(), await p.merges!.text());
    }
    checkTokenizer(tokText, config, p.tokenizer ? 'tokenizer.json' : 'vocab.json');
    reading = base(p.weights!);
    await checkWeights(p.weights!, config, base(p.weights!));
  } catch (e) {
    return plain(e);
  }
  const folder = folderHint ?? folderName(files);
  const name =
    folder ??
    (base(p.weights!).toLowerCase() === 'model.safetensors'
      ? `${config.arch}-${config.nLayer}l-${config.nEmbd}d`
      : base(p.weights!).replace(/\.safetensors$/i, ''));
  let key = slug(name, 'local-');
  for (let i = 2; taken(key); i++) key = slug(`${name}-${i}`, 'local-');
  const label = `${folder ?? name} (from disk)`;
  return {
    entry: { key, label, description: `${describe(config, estimate)}; from files on this computer` },
    source: { kind: 'bytes', key, label, config: enc(cfgText), tokenizer: enc(tokText), safetensors: p.weights! },
    config,
    estimate,
    notes,
    weightBytes: p.weights!.size,
  };
}

export { mb };
