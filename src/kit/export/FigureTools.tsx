/**
 * The export control on a figure frame: a small "Share" menu with PNG (2×),
 * SVG (when the figure draws with SVG), CSV and JSON of its data (when it hands
 * its numbers over with `useFigureData`), a link to the figure in its current
 * state and an <iframe> snippet. Everything is made in the browser; the
 * drawing code is loaded on first use, so the menu costs the page almost nothing.
 */
import { useRef, useState } from 'react';
import { getParams } from '../../state/store';
import { modelStore } from '../../state/model';
import { fileName, toCsv, toJson, type ExportMeta } from './data';
import { embedSnippet, figureLink, EMBED_ID } from './embed';
import { useFrame } from './frame';

/** Saves a blob under a file name (an <a download> click; nothing is uploaded). */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The figure's title: the first sentence of its caption. */
function titleOf(fig: HTMLElement | null): string {
  const t = fig?.querySelector('figcaption')?.textContent?.trim() ?? '';
  const first = /^(.{8,160}?[.!?])(\s|$)/.exec(t)?.[1] ?? t.slice(0, 160);
  return first || 'Figure';
}

export function FigureTools() {
  const frame = useFrame();
  // read when the reader exports or copies a link, so the tools never re-render on an edit
  const state = {
    get current() {
      return getParams();
    },
  };
  const m = {
    get info() {
      return modelStore.get().info;
    },
    get tokenizer() {
      return modelStore.get().tokenizer;
    },
  };
  const [status, setStatus] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDetailsElement>(null);
  const id = frame?.id;
  if (!frame || !id || EMBED_ID) return null;

  const figure = () => root.current?.closest('figure') as HTMLElement | null;
  const body = () => figure()?.querySelector('.figure-body') as HTMLElement | null;
  const meta = (): ExportMeta => ({
    figureId: id,
    title: titleOf(figure()),
    model: m.info ? `${m.info.key}` : state.current.model,
    prompt: state.current.prompt,
    url: figureLink(id, state.current),
    exported: new Date().toISOString(),
  });
  const hasSvg = () => !!body()?.querySelector('svg');
  const act = async (what: string, fn: () => Promise<string>) => {
    setStatus(`${what}…`);
    try {
      setStatus(await fn());
    } catch (e) {
      setStatus(`Could not ${what.toLowerCase()}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const data = () => {
    const d = frame.data.current?.({ tokenText: (t) => m.tokenizer?.tokenText(t) ?? `#${t}` });
    if (!d) throw new Error('this figure has no numbers to export yet');
    return d;
  };

  const png = () =>
    act('Making the PNG', async () => {
      const el = body();
      if (!el) throw new Error('the figure is not on the page');
      const { figurePng } = await import('./snapshot');
      const name = fileName(meta(), 'png');
      saveBlob(await figurePng(el, 2), name);
      return `Saved ${name}`;
    });
  const svg = () =>
    act('Making the SVG', async () => {
      const el = body();
      if (!el) throw new Error('the figure is not on the page');
      const { figureSvg } = await import('./snapshot');
      const name = fileName(meta(), 'svg');
      saveBlob(new Blob([figureSvg(el)], { type: 'image/svg+xml' }), name);
      return `Saved ${name}`;
    });
  const csv = () =>
    act('Writing the CSV', async () => {
      const mt = meta();
      const name = fileName(mt, 'csv');
      saveBlob(new Blob([toCsv(mt, data())], { type: 'text/csv;charset=utf-8' }), name);
      return `Saved ${name}`;
    });
  const json = () =>
    act('Writing the JSON', async () => {
      const mt = meta();
      const name = fileName(mt, 'json');
      saveBlob(new Blob([toJson(mt, data())], { type: 'application/json' }), name);
      return `Saved ${name}`;
    });
  const copyLink = () =>
    act('Copying the link', async () => {
      const url = figureLink(id, state.current);
      setLink(url);
      return (await copyText(url))
        ? 'Link copied (it opens this figure in this state).'
        : 'Copy the link below (the clipboard was not available).';
    });
  const copyEmbed = () =>
    act('Copying the embed code', async () => {
      const fig = figure();
      const snippet = embedSnippet(id, state.current, titleOf(fig), (fig?.getBoundingClientRect().height ?? 480) + 40);
      setLink(snippet);
      return (await copyText(snippet))
        ? 'Embed code copied: paste it into your page.'
        : 'Copy the embed code below (the clipboard was not available).';
    });

  // Read when the menu opens (the figure registers its data after this component renders).
  const withData = open && !!frame.data.current;
  return (
    <details className="fig-tools" ref={root} data-testid={`tools-${id}`} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary aria-label="Export or link to this figure">Share</summary>
      {open && (
        <div className="fig-tools-menu" role="group" aria-label="Export this figure">
          <button type="button" onClick={png} data-testid="export-png">
            PNG (2×)
          </button>
          {open && hasSvg() && (
            <button type="button" onClick={svg} data-testid="export-svg">
              SVG
            </button>
          )}
          {withData && (
            <button type="button" onClick={csv} data-testid="export-csv">
              CSV
            </button>
          )}
          {withData && (
            <button type="button" onClick={json} data-testid="export-json">
              JSON
            </button>
          )}
          <button type="button" onClick={copyLink} data-testid="copy-link">
            Copy link
          </button>
          <button type="button" onClick={copyEmbed} data-testid="copy-embed">
            Embed
          </button>
          <p className="fig-tools-status" role="status" aria-live="polite" data-testid="export-status">
            {status}
          </p>
          {link && (
            <input
              className="fig-tools-link"
              readOnly
              value={link}
              aria-label="Link to this figure"
              onFocus={(e) => e.currentTarget.select()}
              data-testid="figure-link"
            />
          )}
        </div>
      )}
    </details>
  );
}
