// Checks a tokenizer.json with @huggingface/tokenizers (the runtime's tokenizer) against the
// Python encoder's ids (work/tok-cases.json written by check_tokenizer.py), and decode(encode(s)) == s.
// usage: node models/recipe/check_tokenizer.mjs <tokenizer.json> <cases.json>
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';

const [tokPath, casesPath] = process.argv.slice(2);
const tj = JSON.parse(readFileSync(tokPath, 'utf8'));
const cfg = { clean_up_tokenization_spaces: false, add_prefix_space: false };
const tok = new Tokenizer(tj, cfg);
const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
let idMismatch = 0, roundTrip = 0;
for (const c of cases) {
  const ids = tok.encode(c.text, { add_special_tokens: false }).ids;
  if (JSON.stringify(ids) !== JSON.stringify(c.ids)) {
    if (idMismatch < 5) console.log('id mismatch', JSON.stringify(c.text).slice(0, 120), ids.slice(0, 12), c.ids.slice(0, 12));
    idMismatch++;
  }
  if (ids.length) {
    const back = tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    if (back !== c.text) {
      if (roundTrip < 5) console.log('round trip', JSON.stringify(c.text).slice(0, 120), JSON.stringify(back).slice(0, 120));
      roundTrip++;
    }
  }
}
const one = (s) => tok.encode(s, { add_special_tokens: false }).ids;
console.log(JSON.stringify({ cases: cases.length, idMismatch, roundTrip, Mary: one(' Mary'), John: one(' John'), eot: one('<|endoftext|>') }));
process.exit(idMismatch || roundTrip ? 1 : 0);
