// Opens any dataset file: picks the reader by the name's extension, confirmed or overridden by the file's magic bytes.
import type { AsyncBuffer } from './asyncBuffer';
import { openArrow } from './arrow/arrowDataset';
import { CsvDataset, openCsv, type OpenCsvOptions } from './csv/csvDataset';
import type { Dataset, DatasetFormat } from './dataset';
import { DATASET_EXTENSIONS, datasetFormatOf } from './datasetFiles';
import { DatasetError, throwIfAborted } from './errors';
import { hasGzipMagic } from './csv/encoding';
import { openGunzipped } from './gunzippedBuffer';
import { JsonlDataset, openJsonl } from './jsonl/jsonlDataset';
import { openParquet } from './parquet/parquetDataset';

export interface OpenDatasetOptions {
  /** File name or path: its extension chooses the reader. */
  name: string;
  /** Forces the format instead of guessing it from the name. */
  format?: DatasetFormat;
  /** How delimited text is written where it is declared (a data package's Table Dialect), instead of sniffed. */
  csv?: CsvReadingOptions;
  signal?: AbortSignal;
}

/** The parts of a CSV's reading a Table Dialect can declare. */
export type CsvReadingOptions = Pick<OpenCsvOptions, 'delimiter' | 'header' | 'isHeader' | 'skipLines' | 'escapeChar' | 'commentChar' | 'fieldNames'>;

export async function openDataset(buffer: AsyncBuffer, options: OpenDatasetOptions): Promise<Dataset> {
  const { name, signal } = options;
  const format = options.format ?? await formatOf(buffer, name);
  throwIfAborted(signal);
  switch (format) {
    case 'csv': case 'tsv': return openCsv(buffer, { ...options.csv, name, signal });
    case 'parquet': return openParquet(buffer, { signal });
    case 'arrow': return openArrow(buffer, { signal });
    case 'jsonl': return openJsonl(await isGzip(buffer) ? await openGunzipped(buffer, name, signal) : buffer, { signal });
  }
}

/**
 * Makes a dataset's row count exact where it is an estimate: a CSV builds its row index, JSON Lines counts its lines
 * past the sample (a newline scan, no parsing); Parquet and Arrow know theirs already.
 */
export async function countAllRows(dataset: Dataset, options: { signal?: AbortSignal; onProgress?: (p: { bytesDone: number; bytesTotal: number }) => void } = {}): Promise<void> {
  if (dataset.rowCount.exact) { return; }
  if (dataset instanceof CsvDataset) { await dataset.buildIndex(options); }
  if (dataset instanceof JsonlDataset) { await dataset.buildRowIndex(options); }
}

/**
 * The format of a file: its magic bytes when they are unmistakable (a Parquet or Arrow file under any
 * name, checked at both ends so a text file that happens to start with `PAR1` is not taken for one),
 * else its extension.
 */
export async function formatOf(buffer: AsyncBuffer, name: string): Promise<DatasetFormat> {
  const magic = await magicFormat(buffer);
  if (magic) { return magic; }
  const byName = datasetFormatOf(name);
  if (byName) { return byName; }
  if (buffer.byteLength === 0) { throw new DatasetError('empty', `${name} is empty`); }
  const known = DATASET_EXTENSIONS.map(e => e.ext).join(' ');
  throw new DatasetError('unknown-format', `${name}: not a dataset format Strata knows (by extension: ${known})`);
}

async function magicFormat(buffer: AsyncBuffer): Promise<DatasetFormat | undefined> {
  const size = buffer.byteLength;
  if (size < 12) { return undefined; }
  const head = ascii(new Uint8Array(await buffer.slice(0, 6)));
  const tail = ascii(new Uint8Array(await buffer.slice(size - 6, size)));
  const parquetEnd = tail.slice(2);
  if ((head.startsWith('PAR1') && parquetEnd === 'PAR1') || (head.startsWith('PARE') && parquetEnd === 'PARE')) { return 'parquet'; }
  if (head === 'ARROW1' && tail === 'ARROW1') { return 'arrow'; }
  return undefined;
}

async function isGzip(buffer: AsyncBuffer): Promise<boolean> {
  return buffer.byteLength >= 2 && hasGzipMagic(new Uint8Array(await buffer.slice(0, 2)));
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
