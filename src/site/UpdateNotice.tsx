/**
 * Registers the service worker (built by vite-plugin-pwa / Workbox) and shows
 * a quiet "new version — reload" notice when a newer build is waiting. The
 * new worker takes over only when the reader chooses to reload, so an open
 * page never mixes files from two builds and is never silently stale.
 */
/// <reference types="vite-plugin-pwa/client" />
import { useEffect, useState } from 'react';
import { registerSW } from 'virtual:pwa-register';
import { EMBED_ID } from '../kit/export';
import { afterReady } from './after-ready';

type Updater = (reload?: boolean) => Promise<void>;
let updater: Updater | null = null;
const listeners = new Set<() => void>();
let waiting = false;

let scheduled = false;

/**
 * Registers once per page (StrictMode runs effects twice), after the model is ready and the page is
 * idle: installing the worker precaches every build file and the other bundled model, which must not
 * compete with the first visit's own downloads.
 */
function register() {
  // Embeds stay network-only: a cached copy would carry the whole page's (unframable) CSP header.
  if (scheduled || EMBED_ID || !('serviceWorker' in navigator)) return;
  scheduled = true;
  afterReady(registerNow);
}

function registerNow() {
  if (updater) return;
  updater = registerSW({
    immediate: true,
    onNeedRefresh() {
      waiting = true;
      listeners.forEach((l) => l());
    },
    onRegisteredSW(_url, reg) {
      // A page left open for days still learns about a new build.
      if (reg) setInterval(() => void reg.update().catch(() => undefined), 60 * 60 * 1000);
    },
  });
}

/**
 * Activates the waiting worker; the page reloads when it takes control. A page
 * that was never controlled (the very first visit) sees no change of control,
 * so it reloads itself after a moment.
 */
function reload() {
  void updater?.(true);
  setTimeout(() => window.location.reload(), 3000);
}

export function UpdateNotice() {
  const [need, setNeed] = useState(waiting);
  useEffect(() => {
    const l = () => setNeed(true);
    listeners.add(l);
    register();
    return () => {
      listeners.delete(l);
    };
  }, []);
  if (!need) return null;
  return (
    <div className="update-notice" role="status" data-testid="update-notice">
      <p>A new version of this page is ready.</p>
      <button type="button" onClick={reload}>
        Reload
      </button>
      <button type="button" onClick={() => setNeed(false)} aria-label="Dismiss: keep reading this version">
        Later
      </button>
    </div>
  );
}
