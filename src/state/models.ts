/**
 * Registry of the models the page can show: the two bundled ones and any
 * checkpoint the reader loaded this session (added by the checkpoint loader).
 */
import type { ModelSource } from '../runtime/api';

export interface ModelEntry {
  key: string;
  label: string;
  description: string;
}

export const bundledModels: ModelEntry[] = [
  { key: 'tiny-tied', label: 'Tiny GPT (tied)', description: 'our small GPT-2-architecture model; W_U = W_Eᵀ' },
  { key: 'tiny-untied', label: 'Tiny GPT (untied)', description: 'the same recipe with separate W_E and W_U' },
];

const loaded = new Map<string, { entry: ModelEntry; source: ModelSource }>();
const listeners = new Set<() => void>();

export function registerLoadedModel(entry: ModelEntry, source: ModelSource) {
  loaded.set(entry.key, { entry, source });
  listeners.forEach((l) => l());
}

/** Removes a loaded checkpoint from the list (e.g. the runtime could not start it). */
export function unregisterLoadedModel(key: string) {
  if (loaded.delete(key)) listeners.forEach((l) => l());
}

export function loadedModels(): ModelEntry[] {
  return [...loaded.values()].map((v) => v.entry);
}

export function onModelsChanged(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** True when a model key is bundled or loaded this session. */
export function isKnownModel(key: string): boolean {
  return bundledModels.some((m) => m.key === key) || loaded.has(key);
}

// ---- a model named by the URL that is not loaded yet ----------------------
// The model provider reports it here (and shows a bundled model meanwhile);
// the checkpoint loader offers to load it (or loads it from the cache).

let requested: string | null = null;
const requestListeners = new Set<() => void>();

/** Records that the URL asked for a model the page does not have loaded. */
export function requestUnknownModel(key: string | null) {
  if (requested === key) return;
  requested = key;
  requestListeners.forEach((l) => l());
}

export function requestedModel(): string | null {
  return requested;
}

export function onModelRequested(l: () => void): () => void {
  requestListeners.add(l);
  return () => requestListeners.delete(l);
}

export function findModelSource(key: string): ModelSource | null {
  const b = bundledModels.find((m) => m.key === key);
  if (b) return { kind: 'url', key: b.key, label: b.label, baseUrl: `${import.meta.env.BASE_URL}models/${b.key}/` };
  return loaded.get(key)?.source ?? null;
}
