/**
 * vocab.json + merges.txt (the older Hugging Face GPT-2/OPT tokenizer files)
 * → tokenizer.json text for the page's tokenizer. Byte-level BPE as GPT-2
 * and OPT use it; tokens written like <s>, </s>, <pad>, <unk> or
 * <|endoftext|> become special (added) tokens.
 */
export function tokenizerJsonFromVocabMerges(vocabJson: string, mergesTxt: string): string {
  let vocab: unknown;
  try {
    vocab = JSON.parse(vocabJson);
  } catch (e) {
    throw new Error(`vocab.json is not valid JSON (${(e as Error).message})`);
  }
  if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab)) throw new Error('vocab.json must map tokens to ids');
  const v = vocab as Record<string, unknown>;
  for (const [t, id] of Object.entries(v)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new Error(`vocab.json: token ${JSON.stringify(t)} has id ${JSON.stringify(id)}`);
  }
  const merges = mergesTxt
    .split(/\r?\n/)
    .filter((l) => l.length > 0 && !l.startsWith('#version'))
    .map((l) => {
      const parts = l.split(' ');
      if (parts.length !== 2) throw new Error(`merges.txt: line ${JSON.stringify(l.slice(0, 40))} is not two tokens`);
      return l;
    });
  const special = Object.entries(v)
    .filter(([t]) => /^<\|?\/?[a-z_]+\|?>$/.test(t))
    .map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special,
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
      vocab: v,
      merges,
    },
  });
}
