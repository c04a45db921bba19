import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { isDatasetError } from '../../../src/core/formats/errors';
import { batchRows, textBuffer } from './csvHelpers';

async function openError(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isDatasetError(e)) { return { code: e.code, message: e.message }; }
    throw e;
  }
  throw new Error('expected a DatasetError');
}

describe('bad input: typed errors, never a crash or a hang', () => {
  it('an empty file', async () => {
    expect(await openError(openCsv(bufferFromBytes(new Uint8Array(0)), { name: 'e.csv' }))).toEqual({ code: 'empty', message: 'e.csv is empty' });
  });

  it('a file of blank lines, or only a BOM', async () => {
    expect((await openError(openCsv(textBuffer('\n\n\n'), { name: 'b.csv' }))).code).toBe('empty');
    expect((await openError(openCsv(textBuffer('\r\n\r\n'), { name: 'b.csv' }))).code).toBe('empty');
    expect((await openError(openCsv(bufferFromBytes(new Uint8Array([0xef, 0xbb, 0xbf])), { name: 'b.csv' }))).code).toBe('empty');
  });

  it('header only: zero rows, fields known', async () => {
    for (const text of ['id,name,price\n', 'id,name,price']) {
      const ds = await openCsv(textBuffer(text), { name: 'h.csv' });
      expect(ds.fields.map(f => f.name)).toEqual(['id', 'name', 'price']);
      expect(ds.rowCount).toEqual({ value: 0, exact: true });
      expect((await ds.readRows(0, 10)).rowCount).toBe(0);
    }
  });

  it('a binary file named .csv', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(await openError(openCsv(bufferFromBytes(png), { name: 'img.csv' })))
      .toEqual({ code: 'binary', message: 'img.csv looks like a binary file, not delimited text (it looks like a PNG image)' });
    const nul = new TextEncoder().encode('a,b\n1,2\n\0\0\0\0');
    expect((await openError(openCsv(bufferFromBytes(nul), { name: 'n.csv' }))).code).toBe('binary');
  });

  it('ragged rows: readable, reported with row numbers', async () => {
    const ds = await openCsv(textBuffer('a,b,c\n1,2,3\n4,5\n6,7,8,9\n'), { name: 'r.csv' });
    expect(batchRows(await ds.readRows(0, 10))).toEqual([['1', '2', '3'], ['4', '5', null], ['6', '7', '8']]);
    expect(ds.warnings.map(w => [w.code, w.row])).toEqual([['ragged-row', 1], ['ragged-row', 2]]);
    expect(ds.warnings[0].message).toBe('row 2 has 2 fields, fewer than 3; the missing cells are empty');
  });

  it('ragged-row warnings are bounded', async () => {
    const text = 'a,b\n' + Array.from({ length: 500 }, (_, i) => (i % 2 ? `${i},x` : `${i}`)).join('\n') + '\n';
    const ds = await openCsv(textBuffer(text), { name: 'r.csv' });
    await ds.scan(undefined, () => undefined);
    const ragged = ds.warnings.filter(w => w.code === 'ragged-row');
    expect(ragged.length).toBe(101);
    expect(ragged[100].row).toBeUndefined();
  });

  it('an unclosed quote at the end: a warning, the rows before it readable', async () => {
    const ds = await openCsv(textBuffer('a,b\n1,x\n2,"never closed\n3,y\n'), { name: 'q.csv' });
    expect(ds.rowCount).toEqual({ value: 2, exact: true });
    expect(batchRows(await ds.readRows(0, 10))).toEqual([['1', 'x'], ['2', 'never closed\n3,y\n']]);
    expect(ds.warnings.map(w => [w.code, w.row, w.line])).toEqual([['unclosed-quote', 1, 3]]);
  });

  it('an unclosed quote found by a scan of a file larger than the sample', async () => {
    const body = Array.from({ length: 20000 }, (_, i) => `${i},row ${i}`).join('\n');
    const ds = await openCsv(textBuffer(`a,b\n${body}\n20000,"open\n`), { name: 'q.csv' });
    expect(ds.rowCount.exact).toBe(false);
    let rows = 0;
    await ds.scan(undefined, b => { rows += b.rowCount; });
    expect(rows).toBe(20001);
    expect(ds.warnings.map(w => w.code)).toEqual(['unclosed-quote']);
    const idx = await ds.buildIndex();
    expect(idx.unclosedQuote).toMatchObject({ row: 20000, line: 20002 });
  });

  it('a 10 MB single cell', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const ds = await openCsv(textBuffer(`id,blob\n1,"${big}"\n2,small\n`), { name: 'big.csv' });
    expect(ds.fields.map(f => f.name)).toEqual(['id', 'blob']);
    const b = await ds.readRows(0, 2);
    const rows = batchRows(b);
    expect(rows[0][1]?.length).toBe(big.length);
    expect(rows[1]).toEqual(['2', 'small']);
    await ds.buildIndex();
    expect(ds.rowCount).toEqual({ value: 2, exact: true });
  });

  it('20,000 columns', async () => {
    const n = 20000;
    const header = Array.from({ length: n }, (_, i) => `c${i}`).join(',');
    const row = (r: number): string => Array.from({ length: n }, (_, i) => `${r * n + i}`).join(',');
    const ds = await openCsv(textBuffer(`${header}\n${row(0)}\n${row(1)}\n`), { name: 'wide.csv' });
    expect(ds.fields.length).toBe(n);
    expect(ds.fields[n - 1]).toMatchObject({ name: `c${n - 1}`, type: 'integer' });
    const b = await ds.readRows(1, 1, [0, n - 1]);
    expect(batchRows(b)).toEqual([[`${n}`, `${2 * n - 1}`]]);
  });

  it('a corrupt or truncated gzip file', async () => {
    const good = gzipSync(Buffer.from('a,b\n' + '1,2\n'.repeat(50000)));
    const truncated = good.subarray(0, good.length - 50);
    const e1 = await openError((async () => {
      const ds = await openCsv(bufferFromBytes(new Uint8Array(truncated)), { name: 't.csv.gz' });
      await ds.scan(undefined, () => undefined);
    })());
    expect(e1.code).toBe('corrupt');
    expect(e1.message).toMatch(/^t\.csv\.gz is not valid gzip data or is truncated/);
    const bad = new Uint8Array(good);
    for (let i = 12; i < 40; i++) { bad[i] ^= 0x5a; }
    expect((await openError(openCsv(bufferFromBytes(bad), { name: 'c.csv.gz' }))).code).toBe('corrupt');
    expect(await openError(openCsv(textBuffer('a,b\n1,2\n'), { name: 'x.csv.gz', gzip: true })))
      .toEqual({ code: 'corrupt', message: 'x.csv.gz is not gzip data (no gzip header)' });
  });

  it('a bad delimiter option', async () => {
    expect((await openError(openCsv(textBuffer('a,b\n'), { delimiter: ';;' }))).code).toBe('unsupported');
    expect((await openError(openCsv(textBuffer('a,b\n'), { delimiter: '"' }))).code).toBe('unsupported');
  });

  it('a failing read surfaces as an io error', async () => {
    const broken = { byteLength: 100, slice: async () => { throw new Error('EIO: disk gone'); } };
    expect(await openError(openCsv(broken, { name: 'x.csv' }))).toEqual({ code: 'io', message: 'read failed: EIO: disk gone' });
  });
});

describe('invalid UTF-8 beyond the sniffed sample', () => {
  it('is reported once as an encoding warning while the rows stay readable', async () => {
    const head = 'id,text\n' + Array.from({ length: 5000 }, (_, i) => `${i},café ${i}`).join('\n') + '\n';
    const bytes = new Uint8Array([...new TextEncoder().encode(head), ...new TextEncoder().encode('5000,bad '), 0xff, 0x0a]);
    const ds = await openCsv(bufferFromBytes(bytes), { name: 'late.csv' });
    expect(ds.encoding).toBe('utf-8');
    expect(ds.warnings).toEqual([]);
    let last: (string | null)[] = [];
    await ds.scan(undefined, b => { const r = batchRows(b); last = r[r.length - 1]; });
    expect(last).toEqual(['5000', 'bad \ufffd']);
    expect(ds.warnings.map(w => w.code)).toEqual(['encoding']);
    expect(ds.warnings[0].message).toMatch(/^late\.csv has bytes that are not valid UTF-8/);
  });

  it('a real U+FFFD in the text is not a warning', async () => {
    const text = 'id,text\n' + Array.from({ length: 5000 }, (_, i) => `${i},row ${i}`).join('\n') + '\n5000,\ufffd\n';
    const ds = await openCsv(textBuffer(text), { name: 'ok.csv' });
    await ds.scan(undefined, () => undefined);
    expect(ds.warnings).toEqual([]);
  });
});
