// The datasetSummary job through the production worker bundle: rows × columns per format, exact CSV rows, cancel, bad input.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatasetError } from '../../../src/core/formats/errors';
import type { JobProgress } from '../../../src/node/jobs/jobTypes';
import { DatasetSummaryCache } from '../../../src/node/summaryCache';
import { WorkerPool } from '../../../src/node/workerPool';
import { buildWorker, PRODUCTION_WORKER_ENTRY, type BuiltWorker } from './support/buildWorker';

const FIXTURES = resolve(__dirname, '../../fixtures');
let worker: BuiltWorker;
let pool: WorkerPool;
let dir: string;
/** 300,000 rows (about 8 MB): more than one index chunk, and past what opening alone counts exactly. */
let big: Promise<string>;

beforeAll(async () => {
  worker = await buildWorker(PRODUCTION_WORKER_ENTRY);
  pool = new WorkerPool({ workerPath: worker.path, maxThreads: 1 });
  dir = await mkdtemp(join(tmpdir(), 'strata-summary-'));
  big = bigCsv('big.csv', 300_000);
});

afterAll(async () => {
  await pool?.dispose();
  await worker?.dispose();
  if (dir) { await rm(dir, { recursive: true, force: true }); }
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try { await p; } catch (e) { return e; }
  throw new Error('expected a failure');
}

/** A CSV whose every 10th row has a quoted line break, so physical lines and rows differ. */
async function bigCsv(name: string, rows: number): Promise<string> {
  const parts = ['id,label,value\n'];
  for (let i = 0; i < rows; i++) {
    parts.push(i % 10 === 0 ? `${i},"two\nlines, quoted",${i * 0.5}\n` : `${i},plain ${i},${i * 0.5}\n`);
  }
  const path = join(dir, name);
  await writeFile(path, parts.join(''));
  return path;
}

describe('datasetSummary job', () => {
  it('summarizes a CSV with quoted commas, newlines and escaped quotes', async () => {
    const s = await pool.run('datasetSummary', { path: join(FIXTURES, 'node/quoted.csv') });
    expect(s).toMatchObject({ format: 'csv', rows: 4, rowsExact: true, columns: 4, warnings: [] });
    expect(s.fields.map(f => f.name)).toEqual(['id', 'name', 'note', 'amount']);
    expect(s.fields.map(f => f.type)).toEqual(['integer', 'string', 'string', 'number']);
    expect(s.version.size).toBe((await readFile(join(FIXTURES, 'node/quoted.csv'))).length);
  });

  it('reports ragged rows as warnings, still counting every row', async () => {
    const s = await pool.run('datasetSummary', { path: join(FIXTURES, 'node/ragged.csv') });
    expect(s).toMatchObject({ rows: 4, rowsExact: true, columns: 2 });
    // ragged.csv: data row 2 has 3 fields, data row 3 has 1
    expect(s.warnings).toHaveLength(2);
    expect(s.warnings[0]).toMatch(/^row 2 has 3 fields/);
    expect(s.warnings[1]).toMatch(/^row 3 has 1 field/);
  });

  it('lists at most 20 warnings and counts the rest', async () => {
    const path = join(dir, 'very-ragged.csv');
    // every other row has an extra cell: 25 ragged rows
    const rows = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? `${i},${i},extra` : `${i},${i}`));
    await writeFile(path, ['a,b', ...rows].join('\n') + '\n');
    const s = await pool.run('datasetSummary', { path });
    expect(s.rows).toBe(50);
    expect(s.warnings).toHaveLength(21);
    expect(s.warnings[0]).toMatch(/^row 1 has 3 fields/);
    expect(s.warnings[19]).toMatch(/^row 39 has 3 fields/);
    expect(s.warnings[20]).toBe('… and 5 more warnings');
  });

  it('summarizes Parquet (alltypes_plain: 8 rows, 11 columns)', async () => {
    const s = await pool.run('datasetSummary', { path: join(FIXTURES, 'node/alltypes_plain.parquet') });
    expect(s).toMatchObject({ format: 'parquet', rows: 8, rowsExact: true, columns: 11 });
    expect(s.fields.map(f => f.name)).toEqual([
      'id', 'bool_col', 'tinyint_col', 'smallint_col', 'int_col', 'bigint_col',
      'float_col', 'double_col', 'date_string_col', 'string_col', 'timestamp_col',
    ]);
    expect(s.fields.find(f => f.name === 'bool_col')?.type).toBe('boolean');
  });

  it('summarizes Arrow IPC and JSON Lines', async () => {
    const expected = JSON.parse(await readFile(join(FIXTURES, 'arrow/types.expected.json'), 'utf8')) as
      { fields: string[]; types: string[]; rows: unknown[] };
    const arrow = await pool.run('datasetSummary', { path: join(FIXTURES, 'arrow/types.arrow') });
    expect(arrow).toMatchObject({ format: 'arrow', rows: expected.rows.length, rowsExact: true, columns: expected.fields.length });
    expect(arrow.fields.map(f => f.type)).toEqual(expected.types);

    const jsonl = await pool.run('datasetSummary', { path: join(FIXTURES, 'workspace/data/raw/events.jsonl') });
    expect(jsonl).toMatchObject({ format: 'jsonl', rows: 2, columns: 4 });
    expect(jsonl.fields.map(f => f.name)).toEqual(['ts', 'user', 'event', 'props']);
  });

  it('makes a large CSV\'s row count exact by building the row index, with progress', async () => {
    const path = await big;
    const quick = await pool.run('datasetSummary', { path, exactRows: false });
    expect(quick.rowsExact).toBe(false);
    expect(quick.rows).toBeGreaterThan(0);
    const progress: JobProgress[] = [];
    const exact = await pool.run('datasetSummary', { path }, { onProgress: p => progress.push(p) });
    expect(exact).toMatchObject({ format: 'csv', rows: 300_000, rowsExact: true, columns: 3 });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every(p => p.phase === 'indexing' && p.unit === 'bytes')).toBe(true);
    const last = progress[progress.length - 1];
    expect(last.done).toBe(last.total); // the data after the header, in full
    expect(last.total).toBe(exact.version.size - 'id,label,value\n'.length);
  });

  it('makes a JSON Lines file\'s row count exact past its sample, by counting lines', async () => {
    const path = join(dir, 'many.jsonl');
    await writeFile(path, Array.from({ length: 50_000 }, (_, i) => JSON.stringify({ id: i, note: i % 3 ? null : `n${i}` })).join('\n') + '\n');
    const quick = await pool.run('datasetSummary', { path, exactRows: false });
    expect(quick.rowsExact).toBe(false);
    const progress: JobProgress[] = [];
    const exact = await pool.run('datasetSummary', { path }, { onProgress: p => progress.push(p) });
    expect(exact).toMatchObject({ format: 'jsonl', rows: 50_000, rowsExact: true, columns: 2 });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every(p => p.phase === 'indexing' && p.unit === 'bytes')).toBe(true);
  });

  it('cancels while indexing', async () => {
    const path = await big;
    const controller = new AbortController();
    const err = await rejection(pool.run('datasetSummary', { path }, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }));
    expect(isDatasetError(err) && err.code).toBe('cancelled');
    expect(pool.stats().killed).toBe(0);
  });

  it('bad input comes back as a typed DatasetError', async () => {
    const encrypted = await rejection(pool.run('datasetSummary', { path: join(FIXTURES, 'node/uniform_encryption.parquet.encrypted') }));
    expect(isDatasetError(encrypted) && encrypted.code).toBe('encrypted');

    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    const e = await rejection(pool.run('datasetSummary', { path: empty }));
    expect(isDatasetError(e) && e.code).toBe('empty');

    const binary = join(dir, 'binary.csv');
    await writeFile(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
    const b = await rejection(pool.run('datasetSummary', { path: binary }));
    expect(isDatasetError(b) && b.code).toBe('binary');

    const missing = await rejection(pool.run('datasetSummary', { path: join(dir, 'missing.parquet') }));
    expect(isDatasetError(missing) && missing.code).toBe('io');
  });

  it('behind DatasetSummaryCache, an unchanged file is read by one job only', async () => {
    let jobs = 0;
    const cache = new DatasetSummaryCache({
      compute: (path, signal) => { jobs++; return pool.run('datasetSummary', { path }, { signal }); },
    });
    const path = join(dir, 'cached.csv');
    await writeFile(path, 'a,b\n1,2\n');
    const first = await cache.get(path);
    expect(first.rows).toBe(1);
    expect(await cache.get(path)).toBe(first);
    expect(jobs).toBe(1);
    await writeFile(path, 'a,b\n1,2\n3,4\n');
    expect((await cache.get(path)).rows).toBe(2);
    expect(jobs).toBe(2);
  });
});
