// The validator's input port: header labels and records of cell texts (with their text ranges when known), in batches.
import type { Field, LogicalType } from '../formats/dataset';
import type { TextRange } from './tableIssues';

export interface SourceRecord {
  /** 0-based data row; -1 for the header record. */
  row: number;
  /** Cell texts as written; null where the format itself holds a null (Parquet, Arrow, JSON Lines). */
  cells: readonly (string | null)[];
  /** Each cell's range in the text file (same length as `cells`), when the source is text. */
  ranges?: readonly TextRange[];
  /** Where the record's text starts and ends (for blank rows, and missing cells placed at the row's end). */
  span?: TextRange;
}

/**
 * Faults of the text found while reading, reported as Strata's own issue types. A `format-error` at a row says the
 * row could not be read at all: its cells (given as missing) are not checked. The notices of a batch concern its rows
 * or earlier ones.
 */
export interface SourceNotice {
  type: 'unclosed-quote' | 'encoding-error' | 'format-error' | 'mixed-line-endings';
  message: string;
  /** 0-based data row when known. */
  row?: number;
  /** 0-based column of the cell concerned, so that a source reading positions on demand can place it. */
  cell?: number;
  range?: TextRange;
}

/** Positions of one record, read on demand. */
export interface RecordRanges {
  cells: readonly TextRange[];
  span?: TextRange;
}

/**
 * A batch holds `records` (with positions, or rows numbered one by one), or, in the compact form a fast
 * reader uses, `rows` of cells numbered from `firstRow` (-1 when the first is the header).
 */
export interface SourceBatch {
  records?: readonly SourceRecord[];
  rows?: readonly (readonly (string | null)[])[];
  firstRow?: number;
  notices?: readonly SourceNotice[];
  /** Bytes of the file read so far, for progress. */
  bytesDone?: number;
}

export interface BatchOptions {
  /**
   * Whether the reader of the batches still to come reads the text of column `col` (0-based), asked again for each
   * batch. Where it does not, a source of typed values (Parquet, Arrow) may give `PRESENT` for a value of the
   * column's type in its plain form (any number or boolean; a date that is a whole day of the years 0000-9999)
   * instead of its text, the text of any other value, and null for a missing one, so that it does not format values
   * nobody reads. A text source gives the text anyway.
   */
  needsText?: (col: number) => boolean;
}

/** A cell's stand-in where the reader said it needs no text (see BatchOptions): a value is there. */
export const PRESENT = '(value)';

export interface TableSource {
  /** The file or resource name, for messages. */
  readonly name: string;
  /** True when the first record (row -1) holds the labels; false when names come from the schema. */
  readonly hasHeader: boolean;
  /** Lines of the file above the table (a title, comments) that were skipped; Frictionless row numbers count them. */
  readonly linesAbove?: number;
  /** The character starting comment lines of delimited text, which are skipped (no records). */
  readonly commentChar?: string;
  /** Total bytes, for progress (0 when unknown). */
  readonly bytesTotal: number;
  /** For a source of typed values: each column's logical type (its cells are the values as Strata writes them). */
  readonly valueTypes?: readonly LogicalType[];
  /**
   * For a source over a Dataset (Parquet, Arrow, JSON Lines): the dataset's own fields, one per column (JSON Lines
   * types come from a sample of its rows; a `json` column's cells are JSON text).
   */
  readonly fields?: readonly Field[];
  /** Streams the records in order, in batches; stops early when the signal aborts. */
  batches(signal?: AbortSignal, options?: BatchOptions): AsyncIterable<SourceBatch>;
  /**
   * Positions of the given records (row -1: the header), for a text source whose fast path leaves
   * `ranges` out: the validator asks only for the rows of the issues it reports.
   */
  rangesOf?(rows: readonly number[], signal?: AbortSignal): Promise<Map<number, RecordRanges>>;
}

/** A source over rows already in memory (tests, small tables, samples); the first row is the header when `hasHeader`. */
export function memoryTableSource(
  rows: readonly (readonly (string | null)[])[],
  options: { name?: string; hasHeader?: boolean; ranges?: readonly (readonly TextRange[])[]; notices?: SourceNotice[]; batchRows?: number } = {},
): TableSource {
  const hasHeader = options.hasHeader ?? true;
  const batchRows = options.batchRows ?? 1000;
  return {
    name: options.name ?? '<memory>',
    hasHeader,
    bytesTotal: 0,
    async *batches(signal?: AbortSignal): AsyncIterable<SourceBatch> {
      let notices = options.notices;
      for (let start = 0; start < rows.length || (start === 0 && notices); start += batchRows) {
        if (signal?.aborted) { return; }
        const end = Math.min(rows.length, start + batchRows);
        if (options.ranges) {
          const records: SourceRecord[] = [];
          for (let i = start; i < end; i++) { records.push({ row: hasHeader ? i - 1 : i, cells: rows[i], ranges: options.ranges[i] }); }
          yield { records, notices };
        } else {
          yield { rows: rows.slice(start, end), firstRow: hasHeader ? start - 1 : start, notices };
        }
        notices = undefined;
      }
    },
  };
}

/** Calls `visit(row, cells, record)` for each record of a batch in order (record null in the compact form); false stops. */
export function visitBatch(
  batch: SourceBatch, visit: (row: number, cells: readonly (string | null)[], record: SourceRecord | null) => boolean | void,
): boolean {
  const rows = batch.rows;
  if (rows) {
    const first = batch.firstRow ?? 0;
    for (let i = 0; i < rows.length; i++) { if (visit(first + i, rows[i], null) === false) { return false; } }
  }
  const records = batch.records;
  if (records) {
    for (let i = 0; i < records.length; i++) { if (visit(records[i].row, records[i].cells, records[i]) === false) { return false; } }
  }
  return true;
}

/** The data row after the batch's last (for progress), or undefined for an empty batch. */
export function batchEndRow(batch: SourceBatch): number | undefined {
  if (batch.rows?.length) { return (batch.firstRow ?? 0) + batch.rows.length; }
  const r = batch.records;
  return r?.length ? r[r.length - 1].row + 1 : undefined;
}
