/**
 * Pictures of a figure, made in the browser (loaded on first use).
 *
 * SVG: the figure's main chart (its largest <svg>) with every computed style
 * written inline, so the file looks as on screen in any viewer and stays vector.
 * PNG: the whole figure body (HTML, SVG and canvas alike) copied with its
 * computed styles into an SVG <foreignObject>, drawn onto a canvas at `scale`×.
 * Canvases become images of their current pixels. The web fonts the page has
 * loaded are embedded (an SVG image cannot reach the page's fonts), so text
 * wraps and measures as on screen.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

/** The presentation properties that decide how SVG content looks. */
const SVG_PROPS = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'alignment-baseline',
  'letter-spacing',
  'visibility',
  'display',
  'paint-order',
  'color',
  'shape-rendering',
  'mix-blend-mode',
  'transform-origin',
];

/** The panel colour behind the figure (its frame's background, else the page's). */
function backgroundOf(el: HTMLElement): string {
  for (let e: HTMLElement | null = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) return c;
  }
  return '#ffffff';
}

/** Pairs of (original, clone) elements, walked in document order. */
function* pairs(a: Element, b: Element): Generator<[Element, Element]> {
  yield [a, b];
  const ac = a.children;
  const bc = b.children;
  for (let i = 0; i < ac.length && i < bc.length; i++) yield* pairs(ac[i], bc[i]);
}

function inlineSvgStyles(src: Element, dst: Element) {
  for (const [s, d] of pairs(src, dst)) {
    const cs = getComputedStyle(s);
    const parts: string[] = [];
    for (const p of SVG_PROPS) {
      const v = cs.getPropertyValue(p);
      if (v) parts.push(`${p}:${v}`);
    }
    d.setAttribute('style', parts.join(';'));
    d.removeAttribute('class');
  }
}

/** The figure's largest SVG, self-contained, as text. */
export function figureSvg(body: HTMLElement): string {
  const svgs = [...body.querySelectorAll('svg')].filter((s) => !s.parentElement?.closest('svg') && s.getBoundingClientRect().width > 0);
  if (!svgs.length) throw new Error('this figure has no vector drawing');
  const area = (s: SVGSVGElement) => {
    const r = s.getBoundingClientRect();
    return r.width * r.height;
  };
  const src = svgs.reduce((a, b) => (area(b) > area(a) ? b : a));
  const r = src.getBoundingClientRect();
  const clone = src.cloneNode(true) as SVGSVGElement;
  inlineSvgStyles(src, clone);
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(Math.ceil(r.width)));
  clone.setAttribute('height', String(Math.ceil(r.height)));
  if (!clone.getAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${Math.ceil(r.width)} ${Math.ceil(r.height)}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', backgroundOf(src.parentElement ?? body));
  clone.insertBefore(bg, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

/** Computed styles of an element with no author CSS (the UA defaults), per tag, read in a shadow root. */
const defaults = new Map<string, CSSStyleDeclaration>();
let sandbox: ShadowRoot | null = null;
function uaDefaults(el: Element): CSSStyleDeclaration {
  const key = `${el.namespaceURI}|${el.localName}`;
  let d = defaults.get(key);
  if (d) return d;
  if (!sandbox) {
    const host = document.createElement('div');
    host.style.cssText = 'all:initial;position:absolute;left:-9999px;top:0;visibility:hidden';
    document.body.appendChild(host);
    sandbox = host.attachShadow({ mode: 'open' });
  }
  const probe = document.createElementNS(el.namespaceURI ?? XHTML_NS, el.localName);
  sandbox.appendChild(probe);
  const cs = getComputedStyle(probe);
  const copy = {} as Record<string, string>;
  for (let i = 0; i < cs.length; i++) copy[cs[i]] = cs.getPropertyValue(cs[i]);
  probe.remove();
  d = { getPropertyValue: (p: string) => copy[p] ?? '' } as unknown as CSSStyleDeclaration;
  defaults.set(key, d);
  return d;
}

/** Copies every computed property that differs from the UA default onto the clone. */
function inlineAllStyles(src: Element, dst: Element) {
  for (const [s, d] of pairs(src, dst)) {
    const cs = getComputedStyle(s);
    const base = uaDefaults(s);
    const parts: string[] = [];
    for (let i = 0; i < cs.length; i++) {
      const p = cs[i];
      const v = cs.getPropertyValue(p);
      if (v !== base.getPropertyValue(p)) parts.push(`${p}:${v}`);
    }
    d.setAttribute('style', parts.join(';'));
    d.removeAttribute('class');
  }
}

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

let fontCssCache: Promise<string> | null = null;
/** @font-face rules for every face the page has loaded, with the font files inlined as data: URLs. */
function loadedFontCss(): Promise<string> {
  fontCssCache ??= (async () => {
    const key = (family: string, weight: string, style: string, range: string) =>
      `${family.replace(/["']/g, '').trim()}|${weight || '400'}|${style || 'normal'}|${range || 'U+0-10FFFF'}`;
    const loaded = new Set(
      [...document.fonts].filter((f) => f.status === 'loaded').map((f) => key(f.family, f.weight, f.style, f.unicodeRange)),
    );
    const out: Promise<string>[] = [];
    for (const sheet of document.styleSheets) {
      let rules: CSSRuleList;
      try {
        rules = sheet.cssRules;
      } catch {
        continue;
      }
      for (const r of rules) {
        if (!(r instanceof CSSFontFaceRule)) continue;
        const st = r.style;
        const fam = st.getPropertyValue('font-family');
        const w = st.getPropertyValue('font-weight');
        const s = st.getPropertyValue('font-style');
        const range = st.getPropertyValue('unicode-range');
        if (!loaded.has(key(fam, w, s, range))) continue;
        const url = /url\(["']?([^"')]+\.woff2)["']?\)/.exec(st.getPropertyValue('src'))?.[1];
        if (!url) continue;
        out.push(
          fetch(new URL(url, sheet.href ?? document.baseURI))
            .then((res) => res.blob())
            .then(dataUrl)
            .then(
              (d) =>
                `@font-face{font-family:${fam};font-weight:${w || 400};font-style:${s || 'normal'};${range ? `unicode-range:${range};` : ''}src:url(${d}) format("woff2")}`,
            )
            .catch(() => ''),
        );
      }
    }
    return (await Promise.all(out)).join('\n');
  })();
  return fontCssCache;
}

/** The figure body as an SVG image (foreignObject), with canvases frozen to images. */
function bodyAsSvg(body: HTMLElement, fontCss: string): { svg: string; width: number; height: number } {
  const width = Math.ceil(Math.max(body.scrollWidth, body.getBoundingClientRect().width));
  const height = Math.ceil(Math.max(body.scrollHeight, body.getBoundingClientRect().height));
  const clone = body.cloneNode(true) as HTMLElement;
  inlineAllStyles(body, clone);
  const srcCanvases = body.querySelectorAll('canvas');
  clone.querySelectorAll('canvas').forEach((c, i) => {
    const img = document.createElement('img');
    img.setAttribute('src', srcCanvases[i].toDataURL('image/png'));
    img.setAttribute('style', c.getAttribute('style') ?? '');
    img.setAttribute('width', String(srcCanvases[i].getBoundingClientRect().width));
    img.setAttribute('height', String(srcCanvases[i].getBoundingClientRect().height));
    img.setAttribute('alt', '');
    c.replaceWith(img);
  });
  // Form controls: keep their current values visible.
  const srcInputs = body.querySelectorAll('input, select, textarea');
  clone.querySelectorAll('input, select, textarea').forEach((c, i) => {
    const s = srcInputs[i] as HTMLInputElement;
    if (s.type === 'checkbox' || s.type === 'radio') {
      if (s.checked) c.setAttribute('checked', '');
    } else c.setAttribute('value', s.value);
  });
  clone.style.margin = '0';
  clone.style.overflow = 'visible';
  clone.style.width = `${width}px`;
  clone.style.background = backgroundOf(body);
  clone.setAttribute('xmlns', XHTML_NS);
  const html = new XMLSerializer().serializeToString(clone);
  const style = fontCss ? `<style>${fontCss}</style>` : '';
  const svg = `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${style}<foreignObject x="0" y="0" width="100%" height="100%">${html}</foreignObject></svg>`;
  return { svg, width, height };
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the browser could not draw the figure'));
    img.src = src;
  });
}

/** A PNG of the whole figure body at `scale`× its size on screen. */
export async function figurePng(body: HTMLElement, scale = 2): Promise<Blob> {
  const { svg, width, height } = bodyAsSvg(body, await loadedFontCss());
  const img = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
  await img.decode().catch(() => undefined);
  const pad = 16; // the frame's own padding, so nothing touches the image's edge
  const canvas = document.createElement('canvas');
  canvas.width = Math.round((width + 2 * pad) * scale);
  canvas.height = Math.round((height + 2 * pad) * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas');
  ctx.fillStyle = backgroundOf(body);
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(scale, scale);
  ctx.drawImage(img, pad, pad, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
  );
}
