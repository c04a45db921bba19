// Shared helpers for the CSV tests: fixtures as AsyncBuffers, batches as arrays of strings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bufferFromBytes, type AsyncBuffer } from '../../../src/core/formats/asyncBuffer';
import { textAt, type ColumnBatch } from '../../../src/core/formats/columns';

export const FIXTURES = join(__dirname, '../../fixtures/csv');

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
