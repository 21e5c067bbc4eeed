/**
 * Work that may wait until the reader has the page: runs once the model has settled (ready, or failed) and the
 * main thread is idle, so it never competes with the first visit's downloads or the first figures. A model that
 * never settles still gets the work, 20 s later. `delayMs` waits that much longer after the model settles (for
 * work that should also miss the first figures' own rendering).
 */
import { modelStore } from '../state/model';

const idle = (f: () => void) =>
  typeof window.requestIdleCallback === 'function' ? window.requestIdleCallback(f, { timeout: 5000 }) : setTimeout(f, 1000);

export function afterReady(f: () => void, delayMs = 0): void {
  const later = () => (delayMs > 0 ? window.setTimeout(() => idle(f), delayMs) : idle(f));
  const settled = () => modelStore.get().status === 'ready' || modelStore.get().status === 'error';
  if (settled()) {
    later();
    return;
  }
  const fallback = window.setTimeout(() => {
    un();
    idle(f);
  }, 20_000);
  const un = modelStore.subscribe(() => {
    if (!settled()) return;
    un();
    window.clearTimeout(fallback);
    later();
  });
}
