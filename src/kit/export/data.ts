/**
 * The numbers a figure shows, in the form the export control writes them:
 * a table (columns with units, rows) plus the parameters it depends on, and
 * optionally a nested structure for JSON. Pure functions, no React.
 */

export interface FigureColumn {
  /** Property name in each row object. */
  key: string;
  /** Column heading; defaults to the key. */
  label?: string;
  /** Unit written after the label, e.g. "fraction of 1", "L2 norm". */
  unit?: string;
}

export type Cell = string | number | boolean | null;

export interface FigureData {
  columns: FigureColumn[];
  rows: Record<string, Cell>[];
  /** Parameter values the figure depends on (beyond model and prompt), written into the file header. */
  params?: Record<string, Cell>;
  /** Extra notes for the header, one line each (e.g. "probabilities at T = 1"). */
  notes?: string[];
  /** A nested structure for the JSON file (when the table alone loses structure). */
  nested?: unknown;
}

/** What the frame adds around a figure's own data. */
export interface ExportMeta {
  figureId: string;
  title: string;
  model: string;
  prompt: string;
  url: string;
  /** ISO date-time of the export. */
  exported: string;
}

/** One CSV field: quoted when it holds a comma, quote, newline or leading/trailing space. */
export function csvField(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The heading of one column: "label [unit]". */
export function columnHeading(c: FigureColumn): string {
  const label = c.label ?? c.key;
  return c.unit ? `${label} [${c.unit}]` : label;
}

/** One header line, with newlines flattened so each stays a single '#' comment. */
function headerLine(key: string, value: Cell | undefined): string {
  return `# ${key}: ${String(value ?? '').replace(/[\r\n]+/g, ' ')}`;
}

/**
 * CSV with a '#'-comment preamble (figure, model, prompt, parameters, notes;
 * read it with e.g. pandas `read_csv(f, comment='#')`) and then one header row
 * naming every column with its unit.
 */
export function toCsv(meta: ExportMeta, data: FigureData): string {
  const lines = [
    headerLine('essay', 'Token directions'),
    headerLine('figure', `${meta.figureId} — ${meta.title}`),
    headerLine('model', meta.model),
    headerLine('prompt', JSON.stringify(meta.prompt)),
  ];
  for (const [k, v] of Object.entries(data.params ?? {})) lines.push(headerLine(`parameter ${k}`, v));
  for (const n of data.notes ?? []) lines.push(headerLine('note', n));
  lines.push(headerLine('url', meta.url), headerLine('exported', meta.exported));
  lines.push(data.columns.map((c) => csvField(columnHeading(c))).join(','));
  for (const r of data.rows) lines.push(data.columns.map((c) => csvField(r[c.key])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** The same content as JSON, with the nested structure when the figure gives one. */
export function toJson(meta: ExportMeta, data: FigureData): string {
  const out: Record<string, unknown> = {
    essay: 'Token directions',
    figure: meta.figureId,
    title: meta.title,
    model: meta.model,
    prompt: meta.prompt,
    parameters: data.params ?? {},
    notes: data.notes ?? [],
    columns: data.columns.map((c) => ({ key: c.key, label: c.label ?? c.key, unit: c.unit ?? null })),
    rows: data.rows,
    url: meta.url,
    exported: meta.exported,
  };
  if (data.nested !== undefined) out.data = data.nested;
  return JSON.stringify(
    out,
    (_k, v) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v),
    2,
  );
}

/** A file-name-safe slug: lower case ASCII words joined by '-', at most `max` characters. */
export function slug(s: string, max = 32): string {
  const out = s
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (out.length <= max) return out || 'untitled';
  const cut = out.slice(0, max + 1);
  const word = cut.lastIndexOf('-');
  return (word > max / 2 ? cut.slice(0, word) : out.slice(0, max)).replace(/-+$/, '') || 'untitled';
}

/** "token-directions_fig-next_tiny-tied_when-mary-and-john.csv": what, for which model and prompt. */
export function fileName(meta: Pick<ExportMeta, 'figureId' | 'model' | 'prompt'>, ext: string): string {
  return `token-directions_${slug(meta.figureId, 40)}_${slug(meta.model, 40)}_${slug(meta.prompt, 32)}.${ext}`;
}
