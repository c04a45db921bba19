// The validator's input port: header labels and records of cell texts (with their text ranges when known), in batches.
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

/** Faults of the text found while reading, reported as Strata's own issue types. */
export interface SourceNotice {
  type: 'unclosed-quote' | 'encoding-error' | 'mixed-line-endings';
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

export interface SourceBatch {
  records: readonly SourceRecord[];
  notices?: readonly SourceNotice[];
  /** Bytes of the file read so far, for progress. */
  bytesDone?: number;
}

export interface TableSource {
  /** The file or resource name, for messages. */
  readonly name: string;
  /** True when the first record (row -1) holds the labels; false when names come from the schema. */
  readonly hasHeader: boolean;
  /** Total bytes, for progress (0 when unknown). */
  readonly bytesTotal: number;
  /** Streams the records in order, in batches; stops early when the signal aborts. */
  batches(signal?: AbortSignal): AsyncIterable<SourceBatch>;
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
        const records: SourceRecord[] = [];
        for (let i = start; i < Math.min(rows.length, start + batchRows); i++) {
          records.push({ row: hasHeader ? i - 1 : i, cells: rows[i], ranges: options.ranges?.[i] });
        }
        yield { records, notices };
        notices = undefined;
      }
    },
  };
}
