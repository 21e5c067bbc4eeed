/**
 * Files from a drop: plain files, or a whole folder (read through the
 * File and Directory Entries API, one level of subfolders is enough for a
 * checkpoint folder but we walk them all, up to a bound).
 */
export interface Dropped {
  files: File[];
  folder: string | null;
}

type Entry = FileSystemEntry;

function readAll(dir: FileSystemDirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const out: Entry[] = [];
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(out);
        else {
          out.push(...batch);
          if (out.length > 1000) resolve(out);
          else next();
        }
      }, reject);
    next();
  });
}

const fileOf = (e: FileSystemFileEntry) => new Promise<File>((res, rej) => e.file(res, rej));

async function walk(e: Entry, out: File[], depth: number): Promise<void> {
  if (out.length > 1000) return;
  if (e.isFile) out.push(await fileOf(e as FileSystemFileEntry));
  else if (e.isDirectory && depth < 3) for (const c of await readAll(e as FileSystemDirectoryEntry)) await walk(c, out, depth + 1);
}

export async function filesFromDrop(dt: DataTransfer): Promise<Dropped> {
  const entries: Entry[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    const e = item.kind === 'file' ? item.webkitGetAsEntry?.() : null;
    if (e) entries.push(e);
  }
  if (entries.length === 0) return { files: Array.from(dt.files ?? []), folder: null };
  const files: File[] = [];
  let folder: string | null = null;
  for (const e of entries) {
    if (e.isDirectory && folder === null) folder = e.name;
    await walk(e, files, 0);
  }
  return { files, folder };
}
