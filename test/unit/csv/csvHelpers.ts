// Shared helpers for the CSV tests: fixtures as AsyncBuffers, batches as arrays of strings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { bufferFromBytes, type AsyncBuffer } from '../../../src/core/formats/asyncBuffer';
import { papaQuoting, type CsvQuoting } from '../../../src/core/formats/csv/dialect';
import { expect } from 'vitest';
import { textAt, type ColumnBatch } from '../../../src/core/formats/columns';
import type { CsvDataset } from '../../../src/core/formats/csv/csvDataset';
import type { ScanOptions } from '../../../src/core/formats/dataset';

export const FIXTURES = join(__dirname, '../../fixtures/csv');

/** papaparse's data rows of `text` in `dialect` (the header row and blank lines dropped, empty cells null): the reference for every reader. */
export function papaDataRows(text: string, dialect: CsvQuoting): (string | null)[][] {
  const res = new Papa.Parser(papaQuoting(dialect)).parse(text, 0, false) as { data: string[][] };
  return res.data.filter(r => !(r.length === 1 && r[0] === '')).slice(1).map(r => r.map(v => (v === '' ? null : v)));
}

export function fixture(path: string): AsyncBuffer {
  return bufferFromBytes(new Uint8Array(readFileSync(join(FIXTURES, path))));
}

export function textBuffer(text: string): AsyncBuffer {
  return bufferFromBytes(new TextEncoder().encode(text));
}

/** Rows of a batch as arrays of cell strings (null for missing). */
export function batchRows(batch: ColumnBatch): (string | null)[][] {
  const out: (string | null)[][] = [];
  for (let i = 0; i < batch.rowCount; i++) {
    out.push(batch.columns.map(c => (c.kind === 'text' ? textAt(c, i) : null)));
  }
  return out;
}

/**
 * Scans byte ranges one after another, checking that each batch continues the row numbering of its range; returns
 * the rows and, per range, the row number after its last row.
 */
export async function scanRangesInOrder(
  ds: CsvDataset, ranges: readonly { from: number; to: number | undefined; firstRow: number }[], options?: ScanOptions,
): Promise<{ rows: (string | null)[][]; ends: number[] }> {
  const rows: (string | null)[][] = [];
  const ends: number[] = [];
  for (const r of ranges) {
    let next = r.firstRow;
    await ds.scanRange(r, undefined, b => {
      expect(b.rowStart).toBe(next);
      next += b.rowCount;
      rows.push(...batchRows(b));
    }, options);
    ends.push(next);
  }
  return { rows, ends };
}

/** An AsyncBuffer that counts the bytes read through it. */
export function countingBuffer(inner: AsyncBuffer): AsyncBuffer & { bytesRead: number } {
  const b = {
    byteLength: inner.byteLength,
    bytesRead: 0,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const r = await inner.slice(start, end);
      b.bytesRead += r.byteLength;
      return r;
    },
  };
  return b;
}
