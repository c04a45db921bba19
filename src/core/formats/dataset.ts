// The Dataset interface every format implements: schema, row count, windows of rows, and streamed scans.
import type { ColumnBatch } from './columns';
import { throwIfAborted } from './errors';
import type { NumberFormat } from './numberFormat';

export type DatasetFormat = 'csv' | 'tsv' | 'parquet' | 'arrow' | 'jsonl';

/** Logical types, shared by every format. `json` holds nested values (lists, structs, maps) as JSON text. */
export type LogicalType = 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'time' | 'string' | 'binary' | 'json';

export interface Field {
  name: string;
  type: LogicalType;
  nullable: boolean;
  /** The format's own type name, e.g. `INT96`, `Decimal(10,2)`, `Utf8` (informational). */
  sourceType?: string;
  /**
   * For a `datetime` field whose values are local ("wall clock") times with no time zone, e.g. a Parquet
   * TIMESTAMP with isAdjustedToUTC=false or an Arrow Timestamp without a zone: they are written without
   * the trailing `Z` that UTC instants get. Absent for instants and for text formats (whose cells keep
   * the offset, or none, that the text had).
   */
  wallClock?: boolean;
  /**
   * For a `number` field of delimited text whose values are written with a decimal char other than `.` or with a group
   * char, e.g. `1.234,5` or `1,234.5`: how to read them. Absent for numbers written as `1234.5`.
   */
  numberFormat?: NumberFormat;
  /**
   * For a `date` or `datetime` field of delimited text whose values are written in a layout other than ISO 8601: its
   * strptime pattern, as a Table Schema's `format` (`%d/%m/%Y`, `%m/%d/%Y %H:%M`). Its date-times have no zone. Absent
   * for dates written as `2026-11-25`.
   */
  temporalFormat?: string;
}

export interface RowCount {
  value: number;
  /** False for an estimate (CSV before its row index completes). */
  exact: boolean;
}

/** Problems found while opening or reading that leave the data readable. */
export interface DatasetWarning {
  code: 'ragged-row' | 'encoding' | 'bad-line' | 'unclosed-quote' | 'truncated' | 'preamble' | 'comments' | 'other';
  message: string;
  /** 1-based physical line or 0-based row, when known. */
  line?: number;
  row?: number;
}

export interface ScanProgress {
  rowsDone: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  /** Rows per batch handed to onBatch (a hint). */
  batchRows?: number;
  /**
   * The consumer is done with each batch once onBatch returns (and its promise settles): a CSV scan may then
   * write the next batch into the same buffers, sparing an allocation, its page faults and its collection per
   * batch. A consumer that keeps cells past that copies them. A buffer the consumer transferred is not reused.
   */
  reuseBatches?: boolean;
  /**
   * The scan is one of several running at once, one per core: where the file allows, it reads on its own thread,
   * chunk by chunk (ChunkOptions.inline), rather than ahead on a read thread that would have no idle core.
   */
  parallel?: boolean;
}

export interface Dataset {
  readonly format: DatasetFormat;
  readonly fields: readonly Field[];
  readonly rowCount: RowCount;
  readonly warnings: readonly DatasetWarning[];
  /** Reads `count` rows starting at `start` (0-based, header excluded); `columns` are field indexes. */
  readRows(start: number, count: number, columns?: number[], signal?: AbortSignal): Promise<ColumnBatch>;
  /** Streams every row in batches, in order. */
  scan(columns: number[] | undefined, onBatch: (batch: ColumnBatch) => void | Promise<void>, options?: ScanOptions): Promise<void>;
  /**
   * Streams rows [start, end) in batches, in order, decoding each stored block once (a Parquet row group), where a
   * run of readRows windows would decode a block again for each window it holds. For threads that each take a part.
   */
  scanRows?(start: number, end: number, columns: number[] | undefined, onBatch: (batch: ColumnBatch) => void | Promise<void>, options?: ScanOptions): Promise<void>;
}

/**
 * Streams rows [start, end) of any dataset: by its row-range scan where it has one, else by windows of
 * `batchRows` rows (a JSON Lines file jumps to each through its row index). For threads that each take a part.
 */
export async function scanRowRange(dataset: Dataset, start: number, end: number, columns: number[] | undefined,
  onBatch: (batch: ColumnBatch) => void | Promise<void>, options: ScanOptions = {}): Promise<void> {
  if (dataset.scanRows) {
    await dataset.scanRows(start, end, columns, onBatch, options);
    return;
  }
  const step = Math.max(1, options.batchRows ?? 65_536);
  for (let row = start; row < end;) {
    throwIfAborted(options.signal);
    const batch = await dataset.readRows(row, Math.min(step, end - row), columns, options.signal);
    if (batch.rowCount === 0) { break; }
    await onBatch(batch);
    row += batch.rowCount;
  }
}
