/** Tokenizer: loading tokenizer.json / vocab+merges, checks, and token display. */
export {
  loadTokenizer,
  tokenizerFromVocabMerges,
  tokenizerJsonFromVocabMerges,
  checkTokenizerAgainstConfig,
  sanitizePrompt,
  MAX_VOCAB_PADDING,
  MAX_TOKENIZER_VOCAB,
} from './tokenizer';
export type { Tokenizer, PageTokenizer, SpecialToken, LoadTokenizerOptions } from './tokenizer';
export { displayString, displayBytes, splitUtf8 } from './display';
export { BYTE_TO_CHAR, CHAR_TO_BYTE, bytesToVocabString, vocabStringToBytes } from './bytes';
export { tokenizerJsonFromRanks } from './from-ranks';
export { openModelFolder } from './model-folder';
export type { ModelFolderFiles, OpenedModelFolder } from './model-folder';
