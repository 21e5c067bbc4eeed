#!/usr/bin/env node
/**
 * Generates malformed model folders (config.json + model.safetensors +
 * tokenizer.json), each broken in exactly one way, plus two valid ones, for
 * the loader's rejection tests (tests/unit/formats/malformed.test.ts) and for
 * trying the page's "open a model folder" by hand.
 *
 *   node scripts/make-malformed.mjs [outDir]     (default tests/fixtures/malformed)
 *
 * Writes outDir/<case>/{config.json, model.safetensors, tokenizer.json} and
 * outDir/cases.json ([{ name, what, file, expect }]: the file the error must
 * name and a substring its message must contain). Plain Node (no TypeScript),
 * deterministic output. The unit test builds the same cases in memory.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ------------------------------------------------------------------ tiny model

/** Tiny GPT-2: V = 256 bytes + 3 merges + <|endoftext|>. */
export const TINY = { V: 260, P: 16, D: 8, L: 1, H: 2 };

/** GPT-2's bytes_to_unicode. */
function byteChars() {
  const printable = (b) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out = [];
  let n = 0;
  for (let b = 0; b < 256; b++) out.push(String.fromCharCode(printable(b) ? b : 256 + n++));
  return out;
}

/** A byte-level BPE tokenizer.json with 256 + merges.length + 1 tokens (+ `extra` dummy tokens). */
export function tinyTokenizerJson(extra = 0) {
  const vocab = {};
  byteChars().forEach((c, i) => (vocab[c] = i));
  const merges = ['Ġ t', 'h e', 'Ġt he'];
  for (const m of merges) vocab[m.replace(' ', '')] = Object.keys(vocab).length;
  for (let i = 0; i < extra; i++) vocab[`<extra_${i}>`] = Object.keys(vocab).length;
  const eot = Object.keys(vocab).length;
  vocab['<|endoftext|>'] = eot;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: eot, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

export function gpt2Config(over = {}) {
  const { V, P, D, L, H } = TINY;
  return {
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    vocab_size: V,
    n_positions: P,
    n_embd: D,
    n_layer: L,
    n_head: H,
    n_inner: null,
    activation_function: 'gelu_new',
    layer_norm_epsilon: 1e-5,
    tie_word_embeddings: true,
    bos_token_id: V - 1,
    eos_token_id: V - 1,
    ...over,
  };
}

export function optConfig(over = {}) {
  const { V, P, D, L, H } = TINY;
  return {
    model_type: 'opt',
    architectures: ['OPTForCausalLM'],
    vocab_size: V,
    max_position_embeddings: P,
    hidden_size: D,
    word_embed_proj_dim: D,
    num_hidden_layers: L,
    num_attention_heads: H,
    ffn_dim: 4 * D,
    do_layer_norm_before: true,
    activation_function: 'relu',
    tie_word_embeddings: true,
    bos_token_id: 2,
    eos_token_id: 2,
    pad_token_id: 1,
    ...over,
  };
}

/** [{name, shape}] of a GPT-2 checkpoint in HF layout (Conv1D weights [in, out]). */
export function gpt2Tensors({
  V = TINY.V,
  P = TINY.P,
  D = TINY.D,
  L = TINY.L,
  F = 4 * TINY.D,
  prefix = 'transformer.',
  lmHead = false,
} = {}) {
  const t = [
    { name: `${prefix}wte.weight`, shape: [V, D] },
    { name: `${prefix}wpe.weight`, shape: [P, D] },
  ];
  for (let i = 0; i < L; i++) {
    const h = `${prefix}h.${i}.`;
    t.push(
      { name: h + 'ln_1.weight', shape: [D] },
      { name: h + 'ln_1.bias', shape: [D] },
      { name: h + 'attn.bias', shape: [1, 1, P, P] }, // causal-mask buffer: present in old exports, ignored
      { name: h + 'attn.c_attn.weight', shape: [D, 3 * D] },
      { name: h + 'attn.c_attn.bias', shape: [3 * D] },
      { name: h + 'attn.c_proj.weight', shape: [D, D] },
      { name: h + 'attn.c_proj.bias', shape: [D] },
      { name: h + 'ln_2.weight', shape: [D] },
      { name: h + 'ln_2.bias', shape: [D] },
      { name: h + 'mlp.c_fc.weight', shape: [D, F] },
      { name: h + 'mlp.c_fc.bias', shape: [F] },
      { name: h + 'mlp.c_proj.weight', shape: [F, D] },
      { name: h + 'mlp.c_proj.bias', shape: [D] },
    );
  }
  t.push({ name: `${prefix}ln_f.weight`, shape: [D] }, { name: `${prefix}ln_f.bias`, shape: [D] });
  if (lmHead) t.push({ name: 'lm_head.weight', shape: [V, D] });
  return t;
}

/** [{name, shape}] of an OPT checkpoint in HF layout (Linear weights [out, in]). */
export function optTensors({ V = TINY.V, P = TINY.P, D = TINY.D, L = TINY.L, F = 4 * TINY.D, prefix = 'model.decoder.' } = {}) {
  const t = [
    { name: `${prefix}embed_tokens.weight`, shape: [V, D] },
    { name: `${prefix}embed_positions.weight`, shape: [P + 2, D] },
  ];
  for (let i = 0; i < L; i++) {
    const l = `${prefix}layers.${i}.`;
    for (const p of ['k_proj', 'v_proj', 'q_proj', 'out_proj']) {
      t.push({ name: `${l}self_attn.${p}.weight`, shape: [D, D] }, { name: `${l}self_attn.${p}.bias`, shape: [D] });
    }
    t.push(
      { name: l + 'self_attn_layer_norm.weight', shape: [D] },
      { name: l + 'self_attn_layer_norm.bias', shape: [D] },
      { name: l + 'fc1.weight', shape: [F, D] },
      { name: l + 'fc1.bias', shape: [F] },
      { name: l + 'fc2.weight', shape: [D, F] },
      { name: l + 'fc2.bias', shape: [D] },
      { name: l + 'final_layer_norm.weight', shape: [D] },
      { name: l + 'final_layer_norm.bias', shape: [D] },
    );
  }
  t.push({ name: `${prefix}final_layer_norm.weight`, shape: [D] }, { name: `${prefix}final_layer_norm.bias`, shape: [D] });
  return t;
}

const ITEM = { F32: 4, F16: 2, BF16: 2, I64: 8 };

/** Header object + data bytes for [{name, shape, dtype?}] with deterministic float32 values. */
export function layout(tensors) {
  const header = {};
  let off = 0;
  for (const t of tensors) {
    const dtype = t.dtype ?? 'F32';
    const n = t.shape.reduce((a, b) => a * b, 1) * ITEM[dtype];
    header[t.name] = { dtype, shape: t.shape, data_offsets: [off, off + n] };
    off += n;
  }
  const data = new Uint8Array(off);
  const f = new Float32Array(data.buffer, 0, Math.floor(off / 4));
  for (let i = 0; i < f.length; i++) f[i] = Math.sin(i * 0.37) * 0.1;
  return { header, data };
}

/** [u64 LE length][header][data]; `header` may be an object, a string or raw bytes. `lengthOverride` forges the length field. */
export function rawSafetensors(header, data = new Uint8Array(0), lengthOverride) {
  let hb;
  if (header instanceof Uint8Array) hb = header;
  else {
    const raw = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
    hb = new Uint8Array(Math.ceil(raw.length / 8) * 8).fill(0x20);
    hb.set(raw);
  }
  const out = new Uint8Array(8 + hb.length + data.length);
  const dv = new DataView(out.buffer);
  const len = lengthOverride ?? BigInt(hb.length);
  dv.setBigUint64(0, BigInt(len), true);
  out.set(hb, 8);
  out.set(data, 8 + hb.length);
  return out;
}

export function safetensorsOf(tensors) {
  const { header, data } = layout(tensors);
  return rawSafetensors(header, data);
}

const json = (o) => JSON.stringify(o, null, 1);

/** A valid folder: { 'config.json': string, 'model.safetensors': Uint8Array, 'tokenizer.json': string }. */
export function validFolder(arch = 'gpt2') {
  return {
    'config.json': json(arch === 'gpt2' ? gpt2Config() : optConfig()),
    'model.safetensors': safetensorsOf(arch === 'gpt2' ? gpt2Tensors() : optTensors()),
    'tokenizer.json': json(tinyTokenizerJson()),
  };
}

// ------------------------------------------------------------------ cases

/**
 * Each case: { name, what, files, file, expect } — `file` is the file the
 * error must name, `expect` a substring of its message. Every `expect` is
 * distinct, so each case is rejected for its own reason.
 */
export function makeMalformedCases() {
  const cases = [];
  const add = (name, what, patch, file, expect) => {
    const files = { ...validFolder(patch.arch ?? 'gpt2'), ...patch };
    delete files.arch;
    for (const k of Object.keys(files)) if (files[k] === undefined) delete files[k];
    cases.push({ name, what, files, file, expect });
  };
  const ST = 'model.safetensors';
  const base = () => layout(gpt2Tensors());
  const withHeader = (mutate) => {
    const { header, data } = base();
    const d = mutate(header, data) ?? data;
    return rawSafetensors(header, d);
  };
  const first = (h) => h['transformer.wte.weight'];

  // --- safetensors container
  add('empty-file', 'model.safetensors is 0 bytes', { [ST]: new Uint8Array(0) }, ST, 'file is empty');
  add(
    'truncated-header',
    'file shorter than the 8-byte length prefix',
    { [ST]: new Uint8Array([16, 0, 0, 0, 0]) },
    ST,
    'too short for a safetensors header',
  );
  add(
    'header-past-eof',
    'header length larger than the file',
    { [ST]: rawSafetensors('{}', new Uint8Array(0), 1000n) },
    ST,
    'runs past the end of the file',
  );
  add(
    'huge-header-length',
    'header length 2^60 (must fail before allocating)',
    { [ST]: rawSafetensors('{}', new Uint8Array(0), 1n << 60n) },
    ST,
    'exceeds the 100 MB limit',
  );
  add(
    'header-not-utf8',
    'header bytes are not UTF-8',
    { [ST]: rawSafetensors(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d, 0x20, 0x20, 0x20, 0x20])) },
    ST,
    'header is not valid UTF-8',
  );
  add('header-not-json', 'header is not JSON', { [ST]: rawSafetensors('{"wte": {"dtype": "F32",') }, ST, 'header is not valid JSON');
  add(
    'header-json-array',
    'header is a JSON array',
    { [ST]: rawSafetensors('[1, 2, 3]') },
    ST,
    'header must be a JSON object, got an array',
  );
  add(
    'metadata-not-strings',
    '__metadata__ value is a number',
    { [ST]: withHeader((h) => void (h.__metadata__ = { format: 1 })) },
    ST,
    '__metadata__["format"] must be a string',
  );
  add(
    'dtype-i64',
    'a tensor stored as I64',
    {
      [ST]: (() => {
        const t = gpt2Tensors();
        t[1] = { ...t[1], dtype: 'I64', shape: [TINY.P, TINY.D / 2] };
        return safetensorsOf(t);
      })(),
    },
    ST,
    'unsupported dtype I64',
  );
  add('dtype-unknown', 'a made-up dtype', { [ST]: withHeader((h) => void (first(h).dtype = 'Q4_K')) }, ST, 'unknown dtype Q4_K');
  add(
    'shape-bytes-mismatch',
    'shape does not match the byte range',
    { [ST]: withHeader((h) => void (h['transformer.ln_f.bias'].shape = [TINY.D + 2])) },
    ST,
    'needs 40 bytes but data_offsets give 32',
  );
  add(
    'negative-shape',
    'a negative dimension',
    { [ST]: withHeader((h) => void (first(h).shape = [-1, TINY.D])) },
    ST,
    'invalid shape [-1,8]',
  );
  add(
    'nan-shape',
    'a NaN dimension (JSON null)',
    { [ST]: withHeader((h) => void (first(h).shape = [NaN, TINY.D])) },
    ST,
    'invalid shape [null,8]',
  );
  add(
    'fractional-offsets',
    'data_offsets not integers',
    { [ST]: withHeader((h) => void (first(h).data_offsets = [0.5, 8320.5])) },
    ST,
    'invalid data_offsets [0.5,8320.5]',
  );
  add(
    'begin-after-end',
    'data_offsets [begin, end] reversed',
    { [ST]: withHeader((h) => void h['transformer.ln_f.bias'].data_offsets.reverse()) },
    ST,
    'with begin > end',
  );
  add(
    'overlapping-offsets',
    'two tensors share bytes',
    {
      [ST]: withHeader((h) => {
        // shift ln_f.weight 4 bytes back, over the end of h.0.mlp.c_proj.bias
        const w = h['transformer.ln_f.weight'];
        w.data_offsets = [w.data_offsets[0] - 4, w.data_offsets[1] - 4];
      }),
    },
    ST,
    "'transformer.h.0.mlp.c_proj.bias' [13312, 13344] and 'transformer.ln_f.weight' [13340, 13372] overlap",
  );
  add(
    'gap-between-tensors',
    'unused bytes between two tensors',
    {
      [ST]: withHeader((h, data) => {
        const keys = Object.keys(h);
        let seen = false;
        for (const k of keys) {
          if (k === 'transformer.wpe.weight') seen = true;
          if (seen) h[k].data_offsets = h[k].data_offsets.map((o) => o + 16);
        }
        const d = new Uint8Array(data.length + 16);
        d.set(data);
        return d;
      }),
    },
    ST,
    "gap of 16 bytes between tensors 'transformer.wte.weight' and 'transformer.wpe.weight'",
  );
  add(
    'offsets-past-end',
    'last tensor runs past the data (file truncated)',
    {
      [ST]: (() => {
        const { header, data } = base();
        return rawSafetensors(header, data.subarray(0, data.length - 8));
      })(),
    },
    ST,
    'past the end of the data section',
  );
  add(
    'trailing-bytes',
    'data section longer than the tensors',
    {
      [ST]: (() => {
        const { header, data } = base();
        const d = new Uint8Array(data.length + 12);
        d.set(data);
        return rawSafetensors(header, d);
      })(),
    },
    ST,
    '12 trailing bytes after the last tensor',
  );

  // --- tensors vs config
  add(
    'missing-wte',
    'no token embedding',
    {
      [ST]: safetensorsOf(
        gpt2Tensors()
          .filter((t) => !t.name.endsWith('wte.weight'))
          .concat([{ name: 'pad', shape: [0] }]),
      ),
    },
    ST,
    "missing tensor 'wte'",
  );
  add(
    'wrong-wte-shape',
    'wte has D/2 columns',
    {
      [ST]: safetensorsOf(gpt2Tensors().map((t) => (t.name.endsWith('wte.weight') ? { ...t, shape: [TINY.V, TINY.D / 2] } : t))),
    },
    ST,
    "tensor 'transformer.wte.weight' has shape [260, 4] but the config needs [260, 8]",
  );
  add(
    'untied-without-lm-head',
    'tie_word_embeddings false, no lm_head.weight',
    { 'config.json': json(gpt2Config({ tie_word_embeddings: false })) },
    ST,
    'tie_word_embeddings: false but the file has no lm_head.weight',
  );
  add(
    'lm-head-wrong-shape',
    'tied, with an lm_head of the wrong shape',
    {
      [ST]: safetensorsOf(gpt2Tensors().concat([{ name: 'lm_head.weight', shape: [TINY.V - 4, TINY.D] }])),
    },
    ST,
    "tensor 'lm_head.weight' has shape [256, 8] but the config needs [260, 8]",
  );
  add(
    'transposed-mlp',
    'c_fc stored as nn.Linear [out, in]',
    {
      [ST]: safetensorsOf(gpt2Tensors().map((t) => (t.name.endsWith('mlp.c_fc.weight') ? { ...t, shape: [4 * TINY.D, TINY.D] } : t))),
    },
    ST,
    '(transposed? GPT-2 Conv1D weights are [in, out]',
  );
  add(
    'more-layers-than-config',
    'weights for 2 layers, config says 1',
    { [ST]: safetensorsOf(gpt2Tensors({ L: 2 })) },
    ST,
    'belongs to layer 1 but the config has only 1 layers',
  );
  add(
    'opt-weights-gpt2-config',
    'OPT tensor names under a gpt2 config',
    { [ST]: safetensorsOf(optTensors()) },
    ST,
    'no GPT-2 weights found',
  );

  // --- config.json
  add(
    'config-not-json',
    'config.json is not JSON',
    { 'config.json': '{"model_type": "gpt2",' },
    'config.json',
    'config.json: is not valid JSON',
  );
  add('config-not-object', 'config.json is a JSON string', { 'config.json': '"gpt2"' }, 'config.json', 'must be a JSON object, got string');
  add(
    'unknown-model-type',
    'model_type mamba',
    { 'config.json': json(gpt2Config({ model_type: 'mamba' })) },
    'config.json',
    'model_type "mamba" is not supported',
  );
  add(
    'missing-model-type',
    'no model_type',
    { 'config.json': json(gpt2Config({ model_type: undefined })) },
    'config.json',
    'missing required key "model_type"',
  );
  add(
    'missing-n-layer',
    'no n_layer',
    { 'config.json': json(gpt2Config({ n_layer: undefined })) },
    'config.json',
    'missing required key "n_layer"',
  );
  add(
    'heads-do-not-divide',
    'n_embd 8, n_head 3',
    { 'config.json': json(gpt2Config({ n_head: 3 })) },
    'config.json',
    '"n_embd" (8) must be divisible by "n_head" (3)',
  );
  add(
    'negative-vocab',
    'vocab_size -5',
    { 'config.json': json(gpt2Config({ vocab_size: -5 })) },
    'config.json',
    '"vocab_size" must be a positive integer, got -5',
  );
  add(
    'fractional-layers',
    'n_layer 1.5',
    { 'config.json': json(gpt2Config({ n_layer: 1.5 })) },
    'config.json',
    '"n_layer" must be an integer, got 1.5',
  );
  add(
    'huge-embd',
    'n_embd 1e6',
    { 'config.json': json(gpt2Config({ n_embd: 1_000_000 })) },
    'config.json',
    '"n_embd" = 1000000 exceeds the limit of 8192',
  );
  add(
    'bad-epsilon',
    'layer_norm_epsilon 0',
    { 'config.json': json(gpt2Config({ layer_norm_epsilon: 0 })) },
    'config.json',
    '"layer_norm_epsilon" must be a number in (0, 0.1]',
  );
  add(
    'bad-activation',
    'activation_function swish',
    { 'config.json': json(gpt2Config({ activation_function: 'swish' })) },
    'config.json',
    'activation_function "swish" is not supported for gpt2',
  );
  add(
    'opt-projection',
    'OPT with word_embed_proj_dim ≠ hidden_size (opt-350m)',
    { arch: 'opt', 'config.json': json(optConfig({ word_embed_proj_dim: 4 })) },
    'config.json',
    '"word_embed_proj_dim" (4) differs from "hidden_size" (8)',
  );
  add(
    'opt-post-layernorm',
    'OPT with do_layer_norm_before false',
    { arch: 'opt', 'config.json': json(optConfig({ do_layer_norm_before: false })) },
    'config.json',
    '"do_layer_norm_before": false',
  );

  // --- tokenizer
  add(
    'tokenizer-not-json',
    'tokenizer.json is not JSON',
    { 'tokenizer.json': '{"model": ' },
    'tokenizer.json',
    'tokenizer.json: is not valid JSON',
  );
  add(
    'tokenizer-no-model',
    'tokenizer.json without a model',
    { 'tokenizer.json': json({ version: '1.0', added_tokens: [] }) },
    'tokenizer.json',
    'has no "model" object',
  );
  add(
    'tokenizer-bigger-than-vocab',
    'tokenizer has 270 ids, config vocab_size 260',
    { 'tokenizer.json': json(tinyTokenizerJson(10)) },
    'tokenizer.json',
    "tokenizer has 270 tokens but the model's vocab_size is 260",
  );
  add(
    'tokenizer-much-smaller',
    'tokenizer (260) far smaller than vocab_size (1000)',
    {
      'config.json': json(gpt2Config({ vocab_size: 1000 })),
      [ST]: safetensorsOf(gpt2Tensors({ V: 1000 })),
    },
    'tokenizer.json',
    'tokenizer has only 260 tokens for a model with vocab_size 1000',
  );
  add(
    'tokenizer-missing',
    'no tokenizer.json in the folder',
    { 'tokenizer.json': undefined },
    'tokenizer.json',
    'missing from the model folder',
  );
  return cases;
}

// ------------------------------------------------------------------ main

function main() {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const out = resolve(process.argv[2] ?? join(root, 'tests/fixtures/malformed'));
  rmSync(out, { recursive: true, force: true });
  const cases = makeMalformedCases();
  const all = [
    ...cases,
    { name: 'valid-gpt2', what: 'valid (control)', files: validFolder('gpt2'), file: null, expect: null },
    { name: 'valid-opt', what: 'valid (control)', files: validFolder('opt'), file: null, expect: null },
  ];
  for (const c of all) {
    const dir = join(out, c.name);
    mkdirSync(dir, { recursive: true });
    for (const [f, content] of Object.entries(c.files)) writeFileSync(join(dir, f), content);
  }
  writeFileSync(
    join(out, 'cases.json'),
    JSON.stringify(
      all.map(({ name, what, file, expect }) => ({ name, what, file, expect })),
      null,
      1,
    ) + '\n',
  );
  console.log(`wrote ${cases.length} malformed + 2 valid model folders to ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
