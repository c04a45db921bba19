// Test builder: an in-memory Dataset over column arrays, scanned in batches like a real reader.
import { bigintColumn, numberColumn, textColumn, type ColumnBatch, type ColumnData } from '../../../src/core/formats/columns';
import type { Dataset, Field, LogicalType, ScanOptions } from '../../../src/core/formats/dataset';
import { throwIfAborted } from '../../../src/core/formats/errors';
import type { NumberFormat } from '../../../src/core/formats/numberFormat';

export type CellArray = (number | null)[] | (bigint | null)[] | (string | null)[];

export interface MemoryColumn {
  name: string;
  type: LogicalType;
  /** How cells are stored: numbers (Float64), bigints, or text (as a CSV reader hands them over). */
  storage: 'number' | 'bigint' | 'text';
  values: CellArray;
  /** A datetime field of wall-clock times (as a Parquet TIMESTAMP with isAdjustedToUTC=false declares). */
  wallClock?: boolean;
  /** A number field whose text is written with a decimal comma (`1.234,5`), as a `;`-delimited CSV may be. */
  numberFormat?: NumberFormat;
  /** A date or datetime field whose text is written in a strptime layout (`%d/%m/%Y`), as a CSV file may be. */
  temporalFormat?: string;
}

function slice(col: MemoryColumn, start: number, end: number): ColumnData {
  const part = col.values.slice(start, end);
  switch (col.storage) {
    case 'number': return numberColumn(part as (number | null)[]);
    case 'bigint': return bigintColumn(part as (bigint | null)[]);
    case 'text': return textColumn(part as (string | null)[]);
  }
}

export function memoryDataset(columns: MemoryColumn[], batchRows = 1000): Dataset & { scans: number } {
  const rows = columns.length ? columns[0].values.length : 0;
  const fields: Field[] = columns.map(c => ({
    name: c.name, type: c.type, nullable: true, ...(c.wallClock ? { wallClock: true } : {}), ...(c.numberFormat ? { numberFormat: c.numberFormat } : {}),
    ...(c.temporalFormat !== undefined ? { temporalFormat: c.temporalFormat } : {}),
  }));
  const batch = (start: number, count: number, idx: number[]): ColumnBatch => {
    const end = Math.min(rows, start + count);
    return { rowStart: start, rowCount: Math.max(0, end - start), fieldIndexes: idx, columns: idx.map(i => slice(columns[i], start, Math.max(start, end))) };
  };
  const ds = {
    format: 'csv' as const,
    fields,
    rowCount: { value: rows, exact: true },
    warnings: [],
    scans: 0,
    async readRows(start: number, count: number, cols?: number[], signal?: AbortSignal): Promise<ColumnBatch> {
      throwIfAborted(signal);
      return batch(start, count, cols ?? fields.map((_, i) => i));
    },
    async scan(cols: number[] | undefined, onBatch: (b: ColumnBatch) => void | Promise<void>, options: ScanOptions = {}): Promise<void> {
      ds.scans++;
      const idx = cols ?? fields.map((_, i) => i);
      const step = options.batchRows ?? batchRows;
      for (let s = 0; s < rows; s += step) {
        throwIfAborted(options.signal);
        await onBatch(batch(s, step, idx));
        options.onProgress?.({ rowsDone: Math.min(rows, s + step), bytesDone: Math.min(rows, s + step), bytesTotal: rows });
      }
    },
  };
  return ds;
}

/** Text column helper: cells as a CSV reader gives them (empty string → missing). */
export function csvColumn(name: string, type: LogicalType, cells: (string | null)[]): MemoryColumn {
  return { name, type, storage: 'text', values: cells.map(c => (c === '' ? null : c)) };
}

/** A seeded generator (mulberry32), so test data is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
