/**
 * The one cache of per-model data: weight matrices fetched from the worker,
 * and values derived from them (row norms, cosines, ...), keyed by
 * (model key + version, name). A model or backend change starts a new
 * generation and drops the old one, so no figure ever pairs the new model
 * with the old model's weights.
 */
import { useEffect, useState } from 'react';
import type { Matrix, MatrixName } from '../runtime/types';
import { modelStore, useModelState, type ModelState } from './model';

interface Entry {
  promise: Promise<unknown>;
  /** Set once the promise resolved, so a re-mounting figure reads it synchronously. */
  done?: { value: unknown };
}

let generation = '';
let entries = new Map<string, Entry>();

/** The cache key of the active model: key and version (a backend switch re-fetches). */
export function modelTag(s: Pick<ModelState, 'info' | 'modelVersion'>): string | null {
  return s.info ? `${s.info.key}#${s.modelVersion}` : null;
}

function slot(tag: string): Map<string, Entry> {
  if (tag !== generation) {
    generation = tag;
    entries = new Map();
  }
  return entries;
}

/**
 * Returns the cached value for (tag, name), computing it once with `make`; null when `tag` is not the active model's.
 * A figure far off screen keeps reading the model it last drew (OffScreen), and it may render (a value it waited for
 * arrived); were its old tag to start a generation, it would drop the active model's entries, the figures in view
 * would fetch them again and drop its entries in turn, round and round. `make` reads the active model, too.
 */
export function cached<T>(tag: string, name: string, make: () => Promise<T> | T): (Entry & { promise: Promise<T> }) | null {
  if (tag !== modelTag(modelStore.get())) return null;
  const m = slot(tag);
  let e = m.get(name);
  if (!e) {
    const entry: Entry = { promise: Promise.resolve().then(make) };
    entry.promise.then(
      (value) => (entry.done = { value }),
      () => m.get(name) === entry && m.delete(name), // a failure is retried by the next reader
    );
    m.set(name, entry);
    e = entry;
  }
  return e as Entry & { promise: Promise<T> };
}

/** Fetches a weight matrix from the worker (callers go through the cache). */
function fetchMatrix(name: MatrixName): Promise<Matrix> {
  const api = modelStore.get().api;
  return api ? api.matrix(name) : Promise.reject(new Error('no model loaded'));
}

/** A weight matrix of the active model (a promise; fetched once per model). */
export function matrix(name: MatrixName): Promise<Matrix> {
  const tag = modelTag(modelStore.get());
  if (!tag) return Promise.reject(new Error('no model loaded'));
  return cached(tag, `matrix:${name}`, () => fetchMatrix(name))!.promise; // tag is the active model's
}

/**
 * A value of the active model, computed once per (model, name) and cached:
 * `useModelData('wte:norms', async () => rowNorms(await matrix('wte')))`.
 * Returns null until ready (or when `name` is null). `compute` may be async
 * (chunked, so that typing never waits); it must depend only on the model and
 * on what `name` says.
 */
export function useModelData<T>(name: string | null, compute: () => Promise<T> | T): T | null {
  const tag = useModelState(modelTag);
  const [got, setGot] = useState<{ tag: string; name: string; v: T } | null>(null);
  const e = tag && name ? cached(tag, name, compute) : null;
  // Subscribed even when the value is there: it may have arrived between the render that missed it and this effect.
  useEffect(() => {
    if (!e || !tag || !name) return;
    let alive = true;
    e.promise.then((v) => alive && setGot({ tag, name, v: v as T })).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [e, tag, name]);
  if (e?.done) return e.done.value as T;
  return tag && name && got && got.tag === tag && got.name === name ? got.v : null;
}

/** A weight matrix of the active model, or null while it is being fetched. */
export function useMatrix(name: MatrixName | null): Matrix | null {
  return useModelData(name && `matrix:${name}`, () => fetchMatrix(name as MatrixName));
}

const byObject = new WeakMap<object, Map<string, unknown>>();
/**
 * A value derived from a matrix (or a forward result) computed once per
 * object and name: `derived(wu, 'norms', () => rowNorms(wu))`. The object is
 * itself per model (see above), so this is per-model data too.
 */
export function derived<T>(src: object, name: string, fn: () => T): T {
  let m = byObject.get(src);
  if (!m) byObject.set(src, (m = new Map()));
  if (!m.has(name)) m.set(name, fn());
  return m.get(name) as T;
}

const asyncByObject = new WeakMap<object, Map<string, Entry>>();
/**
 * The async form of `derived`: a value computed (possibly chunked) once per
 * source object and name; null until ready.
 */
export function useDerived<T>(src: object | null, name: string, compute: (src: never) => Promise<T> | T): T | null {
  const [got, setGot] = useState<{ src: object; name: string; v: T } | null>(null);
  let e: Entry | undefined;
  if (src) {
    let m = asyncByObject.get(src);
    if (!m) asyncByObject.set(src, (m = new Map()));
    e = m.get(name);
    if (!e) {
      const entry: Entry = { promise: Promise.resolve().then(() => compute(src as never)) };
      const slot = m;
      entry.promise.then(
        (value) => (entry.done = { value }),
        () => slot.delete(name),
      );
      slot.set(name, entry);
      e = entry;
    }
  }
  useEffect(() => {
    if (!e || !src) return;
    let alive = true;
    e.promise.then((v) => alive && setGot({ src, name, v: v as T })).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [e, src, name]);
  if (!e || !src) return null;
  if (e.done) return e.done.value as T;
  return got && got.src === src && got.name === name ? got.v : null;
}
