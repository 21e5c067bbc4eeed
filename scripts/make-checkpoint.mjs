#!/usr/bin/env node
/**
 * Writes a random checkpoint folder of any family the runtime reads (GPT-2,
 * GPT-NeoX, Llama, GPT-Neo), in the layout Hugging Face uses: config.json,
 * model.safetensors (F16, BF16 or F32) with the family's tensor names, tokenizer.json.
 * Any size, up to GPT-2-small shape (50,257 × 768, 12 layers) and beyond.
 * The weights are random (GPT-2's init: N(0, 0.02), c_proj scaled by
 * 1/sqrt(2L), LayerNorm gains 1, biases 0), written tensor by tensor so even
 * a 500 MB file never sits in memory whole.
 *
 * CLI:
 *   node scripts/make-checkpoint.mjs --out DIR [--shape tiny|small|gpt2-small]
 *        [--vocab N] [--d N] [--layers N] [--heads N] [--ctx N] [--inner N]
 *        [--dtype f16|bf16|f32] [--seed N] [--tokenizer gpt2|bytes|PATH]
 *        [--untied] [--prefix transformer.] [--family gpt2|gpt_neox|llama|gpt_neo] [--kv-heads N]
 *   --family gpt_neox   Pythia layout: rotary_pct 0.25, parallel residual, exact GELU (untied unless --tied)
 *   --family llama      SmolLM2 layout: RMSNorm, rotary, SwiGLU (inner 8D/3 rounded to 64), kv heads = heads/3
 *                       when divisible else heads/2 (or --kv-heads), tied unless --untied
 *   --family gpt_neo    TinyStories layout: global/local layers (window 256), unscaled attention, tied
 *   --shape tiny        vocab 50257, d 64, 2 layers, 2 heads, ctx 128  (≈ 7 MB at F16)
 *   --shape small       vocab 50257, d 128, 4 layers, 4 heads, ctx 256
 *   --shape gpt2-small  vocab 50257, d 768, 12 layers, 12 heads, ctx 1024 (≈ 250 MB at F16)
 *   --tokenizer gpt2    GPT-2's tokenizer.json (built from gpt-tokenizer's r50k_base ranks by
 *                       src/tokenizer/from-ranks.ts; cached in node_modules/.cache/token-directions/)
 *   --tokenizer bytes   a 257-token byte-level tokenizer (256 bytes + <|endoftext|>), for vocab 257
 *
 * Module: `import { makeCheckpoint } from './scripts/make-checkpoint.mjs'`
 *   await makeCheckpoint({ out, shape: 'tiny', dtype: 'f16' })
 *   → { out, files: { 'config.json': bytes, ... }, parameters, config }
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GPT2_TOKENIZER_CACHE = join(ROOT, 'node_modules/.cache/token-directions/gpt2-tokenizer.json');

export const SHAPES = {
  tiny: { vocab: 50257, d: 64, layers: 2, heads: 2, ctx: 128 },
  small: { vocab: 50257, d: 128, layers: 4, heads: 4, ctx: 256 },
  'gpt2-small': { vocab: 50257, d: 768, layers: 12, heads: 12, ctx: 1024 },
};

// ------------------------------------------------------------ tokenizers

/** GPT-2's tokenizer.json text (50,257 tokens), built once from gpt-tokenizer's ranks and cached. */
export async function gpt2TokenizerJson() {
  if (existsSync(GPT2_TOKENIZER_CACHE)) {
    const t = readFileSync(GPT2_TOKENIZER_CACHE, 'utf8');
    if (t.length > 1000) return t;
  }
  const { runnerImport } = await import('vite');
  const { module: fromRanks } = await runnerImport(join(ROOT, 'src/tokenizer/from-ranks.ts'));
  const { default: ranks } = await import('gpt-tokenizer/bpeRanks/r50k_base');
  const text = JSON.stringify(fromRanks.tokenizerJsonFromRanks(ranks, [{ id: 50256, content: '<|endoftext|>' }]));
  mkdirSync(dirname(GPT2_TOKENIZER_CACHE), { recursive: true });
  writeFileSync(GPT2_TOKENIZER_CACHE, text);
  return text;
}

/** GPT-2's byte → printable-character map (bytes_to_unicode). */
function byteChars() {
  const bs = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const out = new Array(256);
  bs.forEach((b, i) => (out[b] = String.fromCodePoint(cs[i])));
  return out;
}

/** A byte-level tokenizer with no merges: ids 0–255 are bytes, 256 is <|endoftext|>. */
export function bytesTokenizerJson() {
  const chars = byteChars();
  const vocab = {};
  for (let b = 0; b < 256; b++) vocab[chars[b]] = b;
  vocab['<|endoftext|>'] = 256;
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
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
      merges: [],
    },
  });
}

// ------------------------------------------------------------- numbers

/** xorshift128+ → uniform (0, 1); seeded, fast. */
function rng(seed) {
  let s0 = (seed >>> 0) ^ 0x9e3779b9 || 1;
  let s1 = Math.imul(seed >>> 0, 0x85ebca6b) ^ 0xc2b2ae35 || 2;
  return () => {
    let x = s0;
    const y = s1;
    s0 = y;
    x ^= x << 23;
    x ^= x >>> 17;
    x ^= y ^ (y >>> 26);
    s1 = x;
    return ((s0 + s1) >>> 0) / 4294967296 + 1 / 8589934592;
  };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** float32 → IEEE half bits (round to nearest even; subnormals flushed to zero — fine for N(0, 0.02)). */
function toHalf(v) {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  const round = mant & 0x1fff;
  mant >>>= 13;
  let h = sign | (exp << 10) | mant;
  if (round > 0x1000 || (round === 0x1000 && mant & 1)) h++;
  return h;
}
function toBf16(v) {
  f32[0] = v;
  const x = u32[0];
  return (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
}

const DTYPE_BYTES = { F32: 4, F16: 2, BF16: 2 };

// -------------------------------------------------------------- writer

/** [name, shape, init] per family; Linear weights [out, in] as transformers stores them. */
function familyTensorList(c) {
  const { vocab: V, d: D, layers: L, ctx: P } = c;
  const proj = 0.02 / Math.sqrt(2 * L);
  const one = { const: 1 };
  const zero = { const: 0 };
  const w = { std: 0.02 };
  const t = [];
  if (c.family === 'gpt_neox') {
    const I = c.inner ?? 4 * D;
    t.push(['gpt_neox.embed_in.weight', [V, D], w]);
    for (let i = 0; i < L; i++) {
      const h = `gpt_neox.layers.${i}.`;
      t.push(
        [h + 'input_layernorm.weight', [D], one],
        [h + 'input_layernorm.bias', [D], zero],
        [h + 'post_attention_layernorm.weight', [D], one],
        [h + 'post_attention_layernorm.bias', [D], zero],
        [h + 'attention.query_key_value.weight', [3 * D, D], w],
        [h + 'attention.query_key_value.bias', [3 * D], zero],
        [h + 'attention.dense.weight', [D, D], { std: proj }],
        [h + 'attention.dense.bias', [D], zero],
        [h + 'mlp.dense_h_to_4h.weight', [I, D], w],
        [h + 'mlp.dense_h_to_4h.bias', [I], zero],
        [h + 'mlp.dense_4h_to_h.weight', [D, I], { std: proj }],
        [h + 'mlp.dense_4h_to_h.bias', [D], zero],
      );
    }
    t.push(['gpt_neox.final_layer_norm.weight', [D], one], ['gpt_neox.final_layer_norm.bias', [D], zero]);
    if (c.untied) t.push(['embed_out.weight', [V, D], w]);
  } else if (c.family === 'llama') {
    const I = c.inner;
    const kv = c.kvHeads * (D / c.heads);
    t.push(['model.embed_tokens.weight', [V, D], w]);
    for (let i = 0; i < L; i++) {
      const h = `model.layers.${i}.`;
      t.push(
        [h + 'input_layernorm.weight', [D], one],
        [h + 'self_attn.q_proj.weight', [D, D], w],
        [h + 'self_attn.k_proj.weight', [kv, D], w],
        [h + 'self_attn.v_proj.weight', [kv, D], w],
        [h + 'self_attn.o_proj.weight', [D, D], { std: proj }],
        [h + 'post_attention_layernorm.weight', [D], one],
        [h + 'mlp.gate_proj.weight', [I, D], w],
        [h + 'mlp.up_proj.weight', [I, D], w],
        [h + 'mlp.down_proj.weight', [D, I], { std: proj }],
      );
    }
    t.push(['model.norm.weight', [D], one]);
    if (c.untied) t.push(['lm_head.weight', [V, D], w]);
  } else {
    const I = c.inner ?? 4 * D;
    t.push(['transformer.wte.weight', [V, D], w], ['transformer.wpe.weight', [P, D], { std: 0.01 }]);
    for (let i = 0; i < L; i++) {
      const h = `transformer.h.${i}.`;
      t.push(
        [h + 'ln_1.weight', [D], one],
        [h + 'ln_1.bias', [D], zero],
        [h + 'attn.attention.k_proj.weight', [D, D], w],
        [h + 'attn.attention.v_proj.weight', [D, D], w],
        [h + 'attn.attention.q_proj.weight', [D, D], w],
        [h + 'attn.attention.out_proj.weight', [D, D], { std: proj }],
        [h + 'attn.attention.out_proj.bias', [D], zero],
        [h + 'ln_2.weight', [D], one],
        [h + 'ln_2.bias', [D], zero],
        [h + 'mlp.c_fc.weight', [I, D], w],
        [h + 'mlp.c_fc.bias', [I], zero],
        [h + 'mlp.c_proj.weight', [D, I], { std: proj }],
        [h + 'mlp.c_proj.bias', [D], zero],
      );
    }
    t.push(['transformer.ln_f.weight', [D], one], ['transformer.ln_f.bias', [D], zero]);
    if (c.untied) t.push(['lm_head.weight', [V, D], w]);
  }
  return t;
}

/** The family's config.json, as transformers writes it. */
function familyConfig(c, dtype) {
  const torch_dtype = dtype === 'F32' ? 'float32' : dtype === 'F16' ? 'float16' : 'bfloat16';
  const eos = c.vocab - 1;
  if (c.family === 'gpt_neox') {
    return {
      architectures: ['GPTNeoXForCausalLM'],
      model_type: 'gpt_neox',
      vocab_size: c.vocab,
      max_position_embeddings: c.ctx,
      hidden_size: c.d,
      num_hidden_layers: c.layers,
      num_attention_heads: c.heads,
      intermediate_size: c.inner ?? 4 * c.d,
      rotary_pct: 0.25,
      rotary_emb_base: 10000,
      use_parallel_residual: true,
      hidden_act: 'gelu',
      layer_norm_eps: 1e-5,
      tie_word_embeddings: !c.untied,
      bos_token_id: eos,
      eos_token_id: eos,
      torch_dtype,
    };
  }
  if (c.family === 'llama') {
    return {
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      vocab_size: c.vocab,
      max_position_embeddings: c.ctx,
      hidden_size: c.d,
      num_hidden_layers: c.layers,
      num_attention_heads: c.heads,
      num_key_value_heads: c.kvHeads,
      intermediate_size: c.inner,
      rms_norm_eps: 1e-5,
      rope_theta: 100000,
      rope_scaling: null,
      hidden_act: 'silu',
      attention_bias: false,
      mlp_bias: false,
      tie_word_embeddings: !c.untied,
      bos_token_id: eos,
      eos_token_id: eos,
      torch_dtype,
    };
  }
  return {
    architectures: ['GPTNeoForCausalLM'],
    model_type: 'gpt_neo',
    vocab_size: c.vocab,
    max_position_embeddings: c.ctx,
    hidden_size: c.d,
    num_layers: c.layers,
    num_heads: c.heads,
    intermediate_size: c.inner ?? null,
    activation_function: 'gelu_new',
    layer_norm_epsilon: 1e-5,
    window_size: 256,
    // TinyStories alternates global and local layers; an odd last layer is global
    attention_types:
      c.layers % 2 === 0
        ? [[['global', 'local'], c.layers / 2]]
        : [
            [['global', 'local'], (c.layers - 1) / 2],
            [['global'], 1],
          ].filter((x) => x[1] > 0),
    tie_word_embeddings: !c.untied,
    bos_token_id: eos,
    eos_token_id: eos,
    torch_dtype,
  };
}

function tensorList(c, prefix) {
  const { vocab: V, d: D, layers: L, ctx: P } = c;
  const I = c.inner ?? 4 * D;
  const proj = 0.02 / Math.sqrt(2 * L);
  /** [name, shape, init] with init: {std} | {const} */
  const t = [
    [`${prefix}wte.weight`, [V, D], { std: 0.02 }],
    [`${prefix}wpe.weight`, [P, D], { std: 0.01 }],
  ];
  for (let i = 0; i < L; i++) {
    const h = `${prefix}h.${i}.`;
    t.push(
      [h + 'ln_1.weight', [D], { const: 1 }],
      [h + 'ln_1.bias', [D], { const: 0 }],
      [h + 'attn.c_attn.weight', [D, 3 * D], { std: 0.02 }],
      [h + 'attn.c_attn.bias', [3 * D], { const: 0 }],
      [h + 'attn.c_proj.weight', [D, D], { std: proj }],
      [h + 'attn.c_proj.bias', [D], { const: 0 }],
      [h + 'ln_2.weight', [D], { const: 1 }],
      [h + 'ln_2.bias', [D], { const: 0 }],
      [h + 'mlp.c_fc.weight', [D, I], { std: 0.02 }],
      [h + 'mlp.c_fc.bias', [I], { const: 0 }],
      [h + 'mlp.c_proj.weight', [I, D], { std: proj }],
      [h + 'mlp.c_proj.bias', [D], { const: 0 }],
    );
  }
  t.push([`${prefix}ln_f.weight`, [D], { const: 1 }], [`${prefix}ln_f.bias`, [D], { const: 0 }]);
  if (c.untied) t.push(['lm_head.weight', [V, D], { std: 0.02 }]);
  return t;
}

/** Streams a safetensors file to `path`; returns { bytes, parameters }. */
function writeSafetensorsFile(path, tensors, dtype, seed) {
  const bpe = DTYPE_BYTES[dtype];
  const header = { __metadata__: { format: 'pt', note: 'random weights from scripts/make-checkpoint.mjs' } };
  let off = 0;
  let parameters = 0;
  for (const [name, shape] of tensors) {
    const n = shape.reduce((a, b) => a * b, 1);
    parameters += n;
    header[name] = { dtype, shape, data_offsets: [off, off + n * bpe] };
    off += n * bpe;
  }
  const raw = Buffer.from(JSON.stringify(header), 'utf8');
  const hlen = Math.ceil(raw.length / 8) * 8;
  const hb = Buffer.alloc(8 + hlen, 0x20);
  hb.writeUInt32LE(hlen, 0);
  hb.writeUInt32LE(0, 4);
  raw.copy(hb, 8);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, hb);
    const rand = rng(seed);
    const CH = 1 << 20;
    const ab = new ArrayBuffer(CH * 4);
    const buf = new Uint8Array(ab);
    const asF32 = new Float32Array(ab);
    const asU16 = new Uint16Array(ab);
    const conv = dtype === 'F16' ? toHalf : toBf16;
    for (const [, shape, init] of tensors) {
      const n = shape.reduce((a, b) => a * b, 1);
      for (let start = 0; start < n; start += CH) {
        const m = Math.min(CH, n - start);
        for (let i = 0; i < m; i += 2) {
          let a, b;
          if (init.std !== undefined) {
            // Box–Muller: two normals per pair of uniforms.
            const r = Math.sqrt(-2 * Math.log(rand())) * init.std;
            const th = 2 * Math.PI * rand();
            a = r * Math.cos(th);
            b = r * Math.sin(th);
          } else a = b = init.const;
          if (dtype === 'F32') {
            asF32[i] = a;
            if (i + 1 < m) asF32[i + 1] = b;
          } else {
            asU16[i] = conv(a);
            if (i + 1 < m) asU16[i + 1] = conv(b);
          }
        }
        writeSync(fd, buf, 0, m * bpe);
      }
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: 8 + hlen + off, parameters };
}

// ---------------------------------------------------------------- main

/**
 * @param {{ out: string, shape?: keyof SHAPES, vocab?: number, d?: number, layers?: number, heads?: number,
 *           ctx?: number, inner?: number, dtype?: 'f16'|'bf16'|'f32', seed?: number,
 *           tokenizer?: 'gpt2'|'bytes'|string, untied?: boolean, prefix?: string }} opts
 */
export async function makeCheckpoint(opts) {
  const base = SHAPES[opts.shape ?? 'tiny'];
  if (!base) throw new Error(`unknown shape ${opts.shape} (use ${Object.keys(SHAPES).join(', ')})`);
  const tokenizer = opts.tokenizer ?? (opts.vocab !== undefined && opts.vocab < 50257 ? 'bytes' : 'gpt2');
  const c = {
    vocab: opts.vocab ?? (tokenizer === 'bytes' ? 257 : base.vocab),
    d: opts.d ?? base.d,
    layers: opts.layers ?? base.layers,
    heads: opts.heads ?? base.heads,
    ctx: opts.ctx ?? base.ctx,
    inner: opts.inner,
    family: opts.family ?? 'gpt2',
    untied: opts.untied !== undefined ? !!opts.untied : opts.family === 'gpt_neox' && !opts.tied,
  };
  if (!['gpt2', 'gpt_neox', 'llama', 'gpt_neo'].includes(c.family))
    throw new Error(`unknown family ${c.family} (use gpt2, gpt_neox, llama or gpt_neo)`);
  if (c.d % c.heads !== 0) throw new Error(`d (${c.d}) must be divisible by heads (${c.heads})`);
  if (c.family === 'llama') {
    c.kvHeads = opts.kvHeads ?? (c.heads % 3 === 0 ? c.heads / 3 : c.heads % 2 === 0 ? c.heads / 2 : c.heads);
    if (c.heads % c.kvHeads !== 0) throw new Error(`heads (${c.heads}) must be a multiple of kv heads (${c.kvHeads})`);
    c.inner = c.inner ?? Math.ceil((8 * c.d) / 3 / 64) * 64;
  }
  const dtype = (opts.dtype ?? 'f16').toUpperCase();
  if (!(dtype in DTYPE_BYTES)) throw new Error(`dtype must be f16, bf16 or f32, got ${opts.dtype}`);
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });

  const tokText =
    tokenizer === 'gpt2' ? await gpt2TokenizerJson() : tokenizer === 'bytes' ? bytesTokenizerJson() : readFileSync(tokenizer, 'utf8');
  const config =
    c.family !== 'gpt2'
      ? familyConfig(c, dtype)
      : {
          architectures: ['GPT2LMHeadModel'],
          model_type: 'gpt2',
          vocab_size: c.vocab,
          n_positions: c.ctx,
          n_ctx: c.ctx,
          n_embd: c.d,
          n_layer: c.layers,
          n_head: c.heads,
          n_inner: c.inner ?? null,
          activation_function: 'gelu_new',
          layer_norm_epsilon: 1e-5,
          bos_token_id: c.vocab - 1,
          eos_token_id: c.vocab - 1,
          tie_word_embeddings: !c.untied,
          torch_dtype: dtype === 'F32' ? 'float32' : dtype === 'F16' ? 'float16' : 'bfloat16',
        };
  const cfgText = JSON.stringify(config, null, 2) + '\n';
  writeFileSync(join(out, 'config.json'), cfgText);
  writeFileSync(join(out, 'tokenizer.json'), tokText);
  const tensors = c.family === 'gpt2' ? tensorList(c, opts.prefix ?? '') : familyTensorList(c);
  const { bytes, parameters } = writeSafetensorsFile(join(out, 'model.safetensors'), tensors, dtype, opts.seed ?? 1);
  return {
    out,
    config,
    parameters,
    files: { 'config.json': Buffer.byteLength(cfgText), 'model.safetensors': bytes, 'tokenizer.json': Buffer.byteLength(tokText) },
  };
}

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const k = a.slice(2);
    if (k === 'untied') o.untied = true;
    else if (k === 'tied') o.tied = true;
    else if (k === 'help') o.help = true;
    else {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--${k} needs a value`);
      if (k === 'kv-heads') o.kvHeads = Number(v);
      else o[k] = ['vocab', 'd', 'layers', 'heads', 'ctx', 'inner', 'seed'].includes(k) ? Number(v) : v;
    }
  }
  return o;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const o = parseArgs(process.argv.slice(2));
  if (o.help || !o.out) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
    process.exit(o.help ? 0 : 1);
  }
  const t0 = Date.now();
  const r = await makeCheckpoint(o);
  console.log(
    `${r.out}: ${r.parameters.toLocaleString('en-US')} parameters; ` +
      Object.entries(r.files)
        .map(([f, b]) => `${f} ${(b / 1e6).toFixed(2)} MB`)
        .join(', ') +
      `; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}
