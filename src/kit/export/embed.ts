/**
 * Embed mode and per-figure links. `?embed=<figure id>` renders that one
 * figure alone (for an <iframe> in someone else's page); every other URL is the
 * whole essay. The links carry the shared state (the query string the store
 * keeps) and the figure's anchor.
 */
import { serializeParams, type AppState } from '../../state/params';

const ID = /^[a-z][a-z0-9-]{0,47}$/;

/** The figure id asked for by `?embed=`, or null (the whole essay). Untrusted input: only a plain id passes. */
export function parseEmbed(search: string): string | null {
  let v: string | null = null;
  try {
    v = new URLSearchParams(search).get('embed');
  } catch {
    return null;
  }
  return v && ID.test(v) ? v : null;
}

/** Read once: embed mode is fixed for the life of the page. */
export const EMBED_ID: string | null = typeof window === 'undefined' ? null : parseEmbed(window.location.search);

/** The page's own address without query or hash (works under any base path). */
function pageBase(): string {
  return `${window.location.origin}${window.location.pathname}`;
}

/** The essay at this state, scrolled to the figure. */
export function figureLink(id: string, state: AppState): string {
  return `${pageBase()}${serializeParams(state)}#${encodeURIComponent(id)}`;
}

/** The figure alone, at this state, for an iframe. */
export function embedLink(id: string, state: AppState): string {
  const q = serializeParams(state);
  return `${pageBase()}${q ? `${q}&` : '?'}embed=${encodeURIComponent(id)}`;
}

/** An <iframe> snippet for the figure, sized to its current frame. */
export function embedSnippet(id: string, state: AppState, title: string, height: number): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${esc(embedLink(id, state))}" title="${esc(title)}" width="100%" height="${Math.ceil(height)}" style="border:0" loading="lazy"></iframe>`;
}

/**
 * True when the whole essay (not embed mode) is inside someone else's frame.
 * The page is rendered by script, so refusing to render it framed keeps its
 * controls out of other sites' frames even where the host cannot send a
 * `frame-ancestors` header (see README, "Framing and CSP").
 */
export function framedOutsideEmbed(): boolean {
  if (EMBED_ID) return false;
  try {
    return window.top !== window.self;
  } catch {
    return true; // cross-origin parent: reading window.top threw
  }
}
