/**
 * Validates a whole model folder (config.json + model.safetensors +
 * tokenizer.json, or vocab.json + merges.txt instead of tokenizer.json) in
 * the order a reader would want the errors: config first, then the weights'
 * header against the config, then the tokenizer against the config.
 * Only the safetensors HEADER is read (Blob slices), so this is cheap even for
 * a 500 MB checkpoint; the worker then reads the tensors.
 * Every failure is a ModelFileError naming the file and the problem.
 */
import { parseConfigText, parseConfigWithNotes, checkTensorsAgainstConfig } from '../runtime/config';
import { ModelFileError } from '../runtime/formats';
import { readSafetensorsHeader, type BlobLike, type SafetensorsReader } from '../runtime/safetensors';
import type { ModelConfig } from '../runtime/types';
import { familyOf } from '../runtime/families';
import { checkTokenizerAgainstConfig, loadTokenizer, tokenizerFromVocabMerges, type Tokenizer } from './tokenizer';

type TextLike = string | ArrayBuffer | Uint8Array;

export interface ModelFolderFiles {
  config?: TextLike | object;
  safetensors?: BlobLike | ArrayBuffer | Uint8Array;
  tokenizer?: TextLike | object;
  /** Alternative to tokenizer.json (OPT ships these). */
  vocab?: TextLike;
  merges?: TextLike;
}

export interface OpenedModelFolder {
  config: ModelConfig;
  /** Approximations made while reading the config (shown to the reader). */
  notes: string[];
  weights: SafetensorsReader;
  tokenizer: Tokenizer;
}

const asText = (t: TextLike) => (typeof t === 'string' ? t : new TextDecoder().decode(t));

export async function openModelFolder(files: ModelFolderFiles): Promise<OpenedModelFolder> {
  if (files.config === undefined) throw new ModelFileError('config.json', 'missing from the model folder');
  let config: ModelConfig;
  let notes: string[] = [];
  if (typeof files.config === 'string' || files.config instanceof ArrayBuffer || files.config instanceof Uint8Array) {
    config = parseConfigText(files.config);
    notes = parseConfigWithNotes(JSON.parse(asText(files.config))).notes;
  } else {
    ({ config, notes } = parseConfigWithNotes(files.config));
  }

  if (files.safetensors === undefined) throw new ModelFileError('model.safetensors', 'missing from the model folder');
  const weights = await readSafetensorsHeader(files.safetensors);
  checkTensorsAgainstConfig(weights, config);

  let tokenizer: Tokenizer;
  if (files.tokenizer !== undefined) {
    tokenizer = loadTokenizer(files.tokenizer, familyOf(config.arch).tokenizer.addBos ? { addBos: true } : {});
    checkTokenizerAgainstConfig(tokenizer, config);
  } else if (files.vocab !== undefined && files.merges !== undefined) {
    tokenizer = tokenizerFromVocabMerges(asText(files.vocab), asText(files.merges), { addBos: familyOf(config.arch).tokenizer.addBos });
    checkTokenizerAgainstConfig(tokenizer, config, 'vocab.json');
  } else {
    throw new ModelFileError('tokenizer.json', 'missing from the model folder (or give vocab.json and merges.txt)');
  }
  return { config, notes, weights, tokenizer };
}
