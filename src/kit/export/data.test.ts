import { describe, expect, it } from 'vitest';
import { csvField, fileName, slug, toCsv, toJson, type ExportMeta, type FigureData } from './data';
import { parseEmbed } from './embed';

const meta: ExportMeta = {
  figureId: 'fig-next',
  title: 'What the model expects next.',
  model: 'tiny-tied',
  prompt: 'He said "hi",\nthen left',
  url: 'http://x/#fig-next',
  exported: '2026-01-01T00:00:00.000Z',
};
const data: FigureData = {
  columns: [
    { key: 'token', label: 'token text' },
    { key: 'p', label: 'probability', unit: 'fraction of 1' },
  ],
  rows: [
    { token: ' the', p: 0.5 },
    { token: 'a,"b"', p: 0.25 },
    { token: null, p: Number.NaN },
  ],
  params: { temperature: 0.7 },
};

describe('figure data export', () => {
  it('quotes CSV fields only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(' lead')).toBe('" lead"');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.POSITIVE_INFINITY)).toBe('');
    expect(csvField(1e-7)).toBe('1e-7');
  });

  it('writes a # preamble (model, prompt on one line, parameters) and a header with units', () => {
    const lines = toCsv(meta, data).split('\r\n');
    expect(lines).toContain('# model: tiny-tied');
    expect(lines).toContain('# prompt: "He said \\"hi\\",\\nthen left"');
    expect(lines).toContain('# parameter temperature: 0.7');
    const body = lines.filter((l) => l && !l.startsWith('#'));
    expect(body).toEqual(['token text,probability [fraction of 1]', '" the",0.5', '"a,""b""",0.25', ',']);
  });

  it('JSON carries the same rows, units and the nested part, typed arrays as lists', () => {
    const j = JSON.parse(toJson(meta, { ...data, nested: { v: new Float32Array([1, 2]) } }));
    expect(j.columns[1]).toEqual({ key: 'p', label: 'probability', unit: 'fraction of 1' });
    expect(j.rows[0]).toEqual({ token: ' the', p: 0.5 });
    expect(j.data.v).toEqual([1, 2]);
    expect(j.parameters).toEqual({ temperature: 0.7 });
  });

  it('file names say figure, model and prompt, in safe characters, cut at a word', () => {
    expect(slug('When Mary and John went to the store, John gave')).toBe('when-mary-and-john-went-to-the');
    expect(slug('…∑∫')).toBe('untitled');
    expect(fileName({ figureId: 'fig-6b', model: 'gpt2/../x', prompt: 'Héllo wörld' }, 'csv')).toBe(
      'token-directions_fig-6b_gpt2-x_hello-world.csv',
    );
  });

  it('accepts only a plain figure id for ?embed=', () => {
    expect(parseEmbed('?embed=fig-6b')).toBe('fig-6b');
    expect(parseEmbed('?embed=<script>')).toBeNull();
    expect(parseEmbed('?embed=')).toBeNull();
    expect(parseEmbed('?temp=2')).toBeNull();
  });
});
