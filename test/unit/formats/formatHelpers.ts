// Test helpers for the format readers: fixtures as AsyncBuffers (with a read log), rows as JSON text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AsyncBuffer, bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { cellJson, stringifyJson } from '../../../src/core/formats/cellValue';
import type { ColumnBatch } from '../../../src/core/formats/columns';
import type { Dataset } from '../../../src/core/formats/dataset';
import { isDatasetError } from '../../../src/core/formats/errors';

export const FIXTURES = join(__dirname, '../../fixtures');

export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, path)));
}

export interface LoggedBuffer extends AsyncBuffer {
  reads: { start: number; end: number }[];
  bytesRead(): number;
}

/** An in-memory AsyncBuffer that records every slice asked of it. */
export function loggedBuffer(bytes: Uint8Array): LoggedBuffer {
  const inner = bufferFromBytes(bytes);
  const reads: { start: number; end: number }[] = [];
  return {
    byteLength: inner.byteLength,
    reads,
    bytesRead: () => reads.reduce((s, r) => s + (r.end - r.start), 0),
    slice(start: number, end = inner.byteLength) {
      reads.push({ start, end: Math.min(end, inner.byteLength) });
      return inner.slice(start, end);
    },
  };
}

/** Each row of a batch as one JSON text line (exact digits kept), as `strata head --json` writes them. */
export function rowsAsJson(dataset: Dataset, batch: ColumnBatch): string[] {
  const out: string[] = [];
  for (let i = 0; i < batch.rowCount; i++) {
    out.push(stringifyJson(batch.columns.map((c, k) => cellJson(c, i, dataset.fields[batch.fieldIndexes[k]]))));
  }
  return out;
}

/** Every row, through scan(). */
export async function scanAsJson(dataset: Dataset, batchRows?: number): Promise<string[]> {
  const out: string[] = [];
  let next = 0;
  await dataset.scan(undefined, batch => {
    if (batch.rowStart !== next) { throw new Error(`batch starts at ${batch.rowStart}, expected ${next}`); }
    next += batch.rowCount;
    out.push(...rowsAsJson(dataset, batch));
  }, { batchRows });
  return out;
}

/** The DatasetError code a promise rejects with ('ok' when it resolves); any other error fails the test. */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isDatasetError(e)) { return e.code; }
    throw e;
  }
}
