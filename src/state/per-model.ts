/**
 * Results remembered per model key for the rest of the page session, so a
 * figure can show the models it has seen side by side after a switch
 * (chapter 8 compares the tied and the untied model this way). A store like
 * the others: a figure re-renders when its slot changes.
 */
import { createStore, useSelector } from './store';

const perModel = createStore<Record<string, ReadonlyMap<string, unknown>>>({});

const EMPTY: ReadonlyMap<string, unknown> = new Map();

/** Records `value` as the result of `slot` for the model `modelKey`. */
export function rememberForModel<T>(slot: string, modelKey: string, value: T): void {
  const m = new Map(perModel.get()[slot] ?? EMPTY);
  m.set(modelKey, value);
  perModel.set({ [slot]: m });
}

/** The remembered result of `slot` for one model (or undefined). */
export function rememberedFor<T>(slot: string, modelKey: string): T | undefined {
  return perModel.get()[slot]?.get(modelKey) as T | undefined;
}

/** Every remembered result of `slot`, by model key. */
export function useRemembered<T>(slot: string): ReadonlyMap<string, T> {
  return useSelector(perModel, (s) => (s[slot] ?? EMPTY) as ReadonlyMap<string, T>);
}
