/** Export, per-figure links and embeds: what a figure frame and a figure use. */
export { FigureFrame, useFigureData, type ExportHelpers } from './frame';
export { FigureTools } from './FigureTools';
export type { FigureData, FigureColumn, Cell } from './data';
export { EMBED_ID, framedOutsideEmbed } from './embed';
