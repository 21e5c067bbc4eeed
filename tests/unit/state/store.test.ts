import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore, deferredSubscribe, QUIET_MS } from '../../../src/state/store';

describe('out-of-view subscriptions wait for the stores to be quiet', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a burst of changes reaches an out-of-view listener once, QUIET_MS after the last one', () => {
    const store = createStore({ t: 1 });
    const live = vi.fn();
    const late = vi.fn();
    store.subscribe(live);
    const off = deferredSubscribe(store)(late);
    for (let i = 0; i < 8; i++) {
      store.set({ t: 1 + i / 10 + 0.01 });
      vi.advanceTimersByTime(QUIET_MS / 2);
    }
    expect(live).toHaveBeenCalledTimes(8);
    expect(late).not.toHaveBeenCalled();
    vi.advanceTimersByTime(QUIET_MS / 2 - 1);
    expect(late).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(late).toHaveBeenCalledTimes(1);
    off();
  });

  it('waiting listeners are told one per task, and an unsubscribed one is never told', () => {
    const a = createStore({ x: 0 });
    const b = createStore({ y: 0 });
    const calls: string[] = [];
    const offs = [
      deferredSubscribe(a)(() => calls.push('a1')),
      deferredSubscribe(a)(() => calls.push('a2')),
      deferredSubscribe(b)(() => calls.push('b1')),
    ];
    const gone = deferredSubscribe(a)(() => calls.push('gone'));
    a.set({ x: 1 });
    b.set({ y: 1 });
    gone();
    vi.advanceTimersByTime(QUIET_MS);
    // the first is told when the quiet period ends, each later one in a task of its own
    expect(calls).toEqual(['a1']);
    vi.advanceTimersToNextTimer();
    expect(calls).toEqual(['a1', 'a2']);
    vi.runAllTimers();
    expect(calls).toEqual(['a1', 'a2', 'b1']);
    offs.forEach((off) => off());
  });

  it('the same store gives the same subscribe function, so React keeps its subscription across renders', () => {
    const s = createStore({ v: 0 });
    expect(deferredSubscribe(s)).toBe(deferredSubscribe(s));
  });
});
