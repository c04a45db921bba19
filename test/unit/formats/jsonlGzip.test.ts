import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { datasetFormatOf } from '../../../src/core/formats/datasetFiles';
import { isDatasetError } from '../../../src/core/formats/errors';
import { openGunzipped } from '../../../src/core/formats/gunzippedBuffer';
import type { JsonlDataset } from '../../../src/core/formats/jsonl/jsonlDataset';
import { openDataset } from '../../../src/core/formats/openDataset';
import { datasetSummary } from '../../../src/node/jobs/datasetSummary';
import type { JobContext } from '../../../src/node/jobs/jobTypes';
import { batchRows } from '../csv/csvHelpers';
import { runCliIn } from '../helpers/cliLines';

/** JSON Lines of `n` events, some with nested values, a blank line and a line that is not JSON. */
function events(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(i === 700 ? '{"id": 700, "broken": ' : JSON.stringify({ id: i, user: `u${i % 97}`, amount: (i % 1000) / 4, tags: i % 5 === 0 ? ['a', 'b'] : null }));
    if (i === 300) { lines.push(''); }
  }
  return lines.join('\n') + '\n';
}

const tmp = mkdtempSync(join(tmpdir(), 'strata-jsonl-gz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ctx = (): JobContext => ({ signal: new AbortController().signal, progress: () => undefined });

describe('gzip JSON Lines (.jsonl.gz, .ndjson.gz)', () => {
  it('read as an AsyncBuffer: its length found at open, reads in order and back again give the data', async () => {
    const data = new TextEncoder().encode(events(20_000));
    const gz = await openGunzipped(bufferFromBytes(gzipSync(data)), 'e.jsonl.gz');
    expect(gz.byteLength).toBe(data.length);
    expect(gz.sequential).toBe(true);
    expect(new Uint8Array(await gz.slice(0, 100))).toEqual(data.subarray(0, 100));
    expect(new Uint8Array(await gz.slice(500_000, 600_000))).toEqual(data.subarray(500_000, 600_000));
    // back to the top, then past the end
    expect(new Uint8Array(await gz.slice(10, 20))).toEqual(data.subarray(10, 20));
    expect(new Uint8Array(await gz.slice(data.length - 5, data.length + 100))).toEqual(data.subarray(data.length - 5));
    const target = new Uint8Array(4096);
    expect(await gz.readInto!(target, 123_456)).toBe(4096);
    expect(target).toEqual(data.subarray(123_456, 127_552));
  });

  it('opens as JSON Lines by its name and gzip bytes: fields, exact rows, windows anywhere, a bad line reported', async () => {
    const text = events(20_000);
    expect(datasetFormatOf('logs/events.jsonl.gz')).toBe('jsonl');
    expect(datasetFormatOf('x.NDJSON.GZ')).toBe('jsonl');
    const ds = await openDataset(bufferFromBytes(gzipSync(text)), { name: 'events.jsonl.gz' }) as JsonlDataset;
    expect(ds.format).toBe('jsonl');
    expect(ds.fields.map(f => [f.name, f.type])).toEqual([['id', 'integer'], ['user', 'string'], ['amount', 'number'], ['tags', 'json']]);
    await ds.buildRowIndex();
    expect(ds.rowCount).toEqual({ value: 20_000, exact: true });
    const far = await ds.readRows(19_990, 5, [0, 1]);
    expect(batchRows(far)).toEqual([19_990, 19_991, 19_992, 19_993, 19_994].map(i => [String(i), `u${i % 97}`]));
    // parts for threads: one, as every part would decompress from the top
    expect(await ds.splitRows(2)).toHaveLength(1);
    expect(ds.warnings.map(w => [w.code, w.line])).toEqual([['bad-line', 702]]);
  });

  it('refuses a truncated gzip file with a message naming it', async () => {
    const gz = gzipSync(events(5_000));
    const e = await openDataset(bufferFromBytes(gz.subarray(0, gz.length - 5_000)), { name: 'cut.jsonl.gz' }).catch((x: unknown) => x);
    expect(isDatasetError(e) && e.code).toBe('corrupt');
    expect((e as Error).message).toMatch(/^cut\.jsonl\.gz is not valid gzip data or is truncated/);
  });

  it('strata head and the Dataset Explorer read it', async () => {
    writeFileSync(join(tmp, 'events.jsonl.gz'), gzipSync(events(3_000)));
    const head = await runCliIn(tmp, ['head', 'events.jsonl.gz', '-n', '2', '--offset', '2500', '--json']);
    expect(head.code).toBe(0);
    expect(JSON.parse(head.out.join('\n'))).toMatchObject({ format: 'jsonl', rows: [[2500, 'u75', 125, '["a","b"]'], [2501, 'u76', 125.25, null]] });
    const summary = await datasetSummary({ path: join(tmp, 'events.jsonl.gz') }, ctx());
    expect([summary.format, summary.rows, summary.rowsExact, summary.columns]).toEqual(['jsonl', 3_000, true, 4]);
  });
});
