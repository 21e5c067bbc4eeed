/** What the page imports from the runtime (no tfjs in here: the worker holds it). */
export { createModelClient, fetchWithProgress } from './client';
export type { ModelApi, ModelSource } from './api';
export type * from './types';
