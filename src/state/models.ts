/**
 * Registry of the models the page can show: the two bundled ones and any
 * checkpoint the reader loaded this session (added by the checkpoint loader),
 * plus a model the URL named that is not loaded yet. Kept in a store
 * (`store.ts`) so that the loader and the model controller subscribe to it.
 */
import type { ModelSource } from '../runtime/api';
import { createStore } from './store';

export interface ModelEntry {
  key: string;
  label: string;
  description: string;
}

export const bundledModels: ModelEntry[] = [
  { key: 'tiny-tied', label: 'Tiny GPT (tied)', description: 'our small GPT-2-architecture model; W_U = W_Eᵀ' },
  { key: 'tiny-untied', label: 'Tiny GPT (untied)', description: 'the same recipe with separate W_E and W_U' },
];

interface Registry {
  loaded: ReadonlyMap<string, { entry: ModelEntry; source: ModelSource }>;
  /** A model key the URL asked for that the page does not have loaded (the loader offers to load it). */
  requested: string | null;
}

export const modelRegistry = createStore<Registry>({ loaded: new Map(), requested: null });

export function registerLoadedModel(entry: ModelEntry, source: ModelSource) {
  const loaded = new Map(modelRegistry.get().loaded);
  loaded.set(entry.key, { entry, source });
  modelRegistry.set({ loaded });
}

/** Removes a loaded checkpoint from the list (e.g. the runtime could not start it). */
export function unregisterLoadedModel(key: string) {
  if (!modelRegistry.get().loaded.has(key)) return;
  const loaded = new Map(modelRegistry.get().loaded);
  loaded.delete(key);
  modelRegistry.set({ loaded });
}

export function loadedModels(): ModelEntry[] {
  return [...modelRegistry.get().loaded.values()].map((v) => v.entry);
}

export function onModelsChanged(l: () => void): () => void {
  let last = modelRegistry.get().loaded;
  return modelRegistry.subscribe(() => {
    if (modelRegistry.get().loaded !== last) {
      last = modelRegistry.get().loaded;
      l();
    }
  });
}

/** True when a model key is bundled or loaded this session. */
export function isKnownModel(key: string): boolean {
  return bundledModels.some((m) => m.key === key) || modelRegistry.get().loaded.has(key);
}

/** Records that the URL asked for a model the page does not have loaded (null: none). */
export function requestUnknownModel(key: string | null) {
  modelRegistry.set({ requested: key });
}

export function requestedModel(): string | null {
  return modelRegistry.get().requested;
}

export function onModelRequested(l: () => void): () => void {
  let last = modelRegistry.get().requested;
  return modelRegistry.subscribe(() => {
    if (modelRegistry.get().requested !== last) {
      last = modelRegistry.get().requested;
      l();
    }
  });
}

export function findModelSource(key: string): ModelSource | null {
  const b = bundledModels.find((m) => m.key === key);
  if (b) return { kind: 'url', key: b.key, label: b.label, baseUrl: `${import.meta.env.BASE_URL}models/${b.key}/` };
  return modelRegistry.get().loaded.get(key)?.source ?? null;
}
