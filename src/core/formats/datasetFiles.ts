// Which file names are datasets, and of which format: the one list the explorer, watcher and readers share.
import type { DatasetFormat } from './dataset';

/** Known dataset endings (lower case, longest first so `.csv.gz` wins over `.gz`). */
export const DATASET_EXTENSIONS: readonly { ext: string; format: DatasetFormat; gzip?: boolean }[] = [
  { ext: '.csv.gz', format: 'csv', gzip: true },
  { ext: '.tsv.gz', format: 'tsv', gzip: true },
  { ext: '.jsonl.gz', format: 'jsonl', gzip: true },
  { ext: '.ndjson.gz', format: 'jsonl', gzip: true },
  { ext: '.csv', format: 'csv' },
  { ext: '.tsv', format: 'tsv' },
  { ext: '.tab', format: 'tsv' },
  { ext: '.psv', format: 'csv' },
  { ext: '.parquet', format: 'parquet' },
  { ext: '.arrow', format: 'arrow' },
  { ext: '.feather', format: 'arrow' },
  { ext: '.arrows', format: 'arrow' },
  { ext: '.ipc', format: 'arrow' },
  { ext: '.jsonl', format: 'jsonl' },
  { ext: '.ndjson', format: 'jsonl' },
];

/** The format a file name implies, honouring extra endings the user configured (read as delimited text). */
export function datasetFormatOf(name: string, extraExtensions: readonly string[] = []): DatasetFormat | undefined {
  const lower = name.toLowerCase();
  for (const e of DATASET_EXTENSIONS) {
    if (lower.endsWith(e.ext)) { return e.format; }
  }
  for (const raw of extraExtensions) {
    const ext = normalizeExtension(raw);
    if (ext && lower.endsWith(ext)) { return 'csv'; }
  }
  return undefined;
}

export function isGzipName(name: string): boolean {
  return name.toLowerCase().endsWith('.gz');
}

/** `txt`, `.txt` and `*.txt` all mean `.txt`. */
export function normalizeExtension(raw: string): string | undefined {
  const t = raw.trim().toLowerCase().replace(/^\*/, '');
  if (!t) { return undefined; }
  const ext = t.startsWith('.') ? t : `.${t}`;
  return /^[.\w-]+$/.test(ext) ? ext : undefined;
}

/** A glob matching every dataset file, e.g. `**\/*.{csv,tsv,...}`. */
export function datasetGlob(extraExtensions: readonly string[] = []): string {
  const exts = new Set(DATASET_EXTENSIONS.map(e => e.ext.slice(1)));
  for (const raw of extraExtensions) {
    const ext = normalizeExtension(raw);
    if (ext) { exts.add(ext.slice(1)); }
  }
  return `**/*.{${[...exts].sort().join(',')}}`;
}

/** Human size: 0 B, 241 B, 1.2 KB, 3.4 MB, 1.0 GB (decimal units, as file managers show). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) { return '?'; }
  if (bytes < 1000) { return `${bytes} B`; }
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
