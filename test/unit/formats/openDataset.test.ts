import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openDataset } from '../../../src/core/formats/openDataset';
import { errorCode, fixtureBytes, rowsAsJson } from './formatHelpers';

const csv = new TextEncoder().encode('id,name\n1,a\n2,b\n');
const tsv = new TextEncoder().encode('id\tname\n1\ta\n2\tb\n');
const jsonl = new TextEncoder().encode('{"id": 1, "name": "a"}\n{"id": 2, "name": "b"}\n');
const parquet = fixtureBytes('parquet/alltypes_plain.parquet');
const arrowFile = fixtureBytes('arrow/types.arrow');
const arrowStream = fixtureBytes('arrow/types.arrows');

async function formatOf(bytes: Uint8Array, name: string): Promise<string> {
  return (await openDataset(bufferFromBytes(bytes), { name })).format;
}

describe('openDataset', () => {
  it('picks the reader by extension', async () => {
    expect(await formatOf(csv, 'data.csv')).toBe('csv');
    expect(await formatOf(csv, 'DATA.CSV')).toBe('csv');
    expect(await formatOf(tsv, 'data.tsv')).toBe('tsv');
    expect(await formatOf(tsv, 'data.tab')).toBe('tsv');
    expect(await formatOf(gzipSync(csv), 'data.csv.gz')).toBe('csv');
    expect(await formatOf(parquet, 'data.parquet')).toBe('parquet');
    for (const name of ['data.arrow', 'data.feather', 'data.ipc']) { expect(await formatOf(arrowFile, name)).toBe('arrow'); }
    for (const name of ['data.arrows', 'data.ipc']) { expect(await formatOf(arrowStream, name)).toBe('arrow'); }
    for (const name of ['data.jsonl', 'data.ndjson']) { expect(await formatOf(jsonl, name)).toBe('jsonl'); }
  });

  it('the same rows come back whatever the format', async () => {
    for (const [bytes, name] of [[csv, 'a.csv'], [tsv, 'a.tsv'], [jsonl, 'a.jsonl']] as const) {
      const ds = await openDataset(bufferFromBytes(bytes), { name });
      expect(ds.fields.map(f => `${f.name}:${f.type}`)).toEqual(['id:integer', 'name:string']);
      expect(rowsAsJson(ds, await ds.readRows(0, 5))).toEqual(['[1,"a"]', '[2,"b"]']);
    }
  });

  it('magic bytes at both ends override a misleading name', async () => {
    expect(await formatOf(parquet, 'export.bin')).toBe('parquet');
    expect(await formatOf(parquet, 'mislabelled.csv')).toBe('parquet');
    expect(await formatOf(arrowFile, 'table.dat')).toBe('arrow');
  });

  it('an explicit format wins', async () => {
    expect((await openDataset(bufferFromBytes(jsonl), { name: 'notes.txt', format: 'jsonl' })).rowCount.value).toBe(2);
  });

  it('unknown, empty and mismatched files get one clear error', async () => {
    const unknown = await openDataset(bufferFromBytes(csv), { name: 'notes.txt' }).catch(e => e);
    expect(unknown).toMatchObject({ code: 'unknown-format', message: expect.stringContaining('.parquet') });
    expect(await errorCode(openDataset(bufferFromBytes(new Uint8Array(0)), { name: 'notes.txt' }))).toBe('empty');
    expect(await errorCode(openDataset(bufferFromBytes(csv), { name: 'data.parquet' }))).toBe('corrupt');
    expect(await errorCode(openDataset(bufferFromBytes(csv), { name: 'data.arrow' }))).toBe('corrupt');
    expect(await errorCode(openDataset(bufferFromBytes(fixtureBytes('parquet/uniform_encryption.parquet.encrypted')), { name: 'x.parquet.encrypted' }))).toBe('encrypted');
  });
});
