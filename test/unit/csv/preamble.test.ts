import Papa from 'papaparse';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import type { LineTerminator } from '../../../src/core/formats/csv/dialect';
import { readCsvRecordsWithPositions } from '../../../src/core/formats/csv/positionedRecords';
import { isDatasetError } from '../../../src/core/formats/errors';
import { batchRows, scanRangesInOrder, textBuffer } from './csvHelpers';

/** Lines above the table: a title, a blank line, a note holding the delimiter, a comment. */
const PREAMBLE = ['Monthly sales, all regions', '', 'Source: ACME, Inc.', '# units: EUR'];

/** A table below the preamble: quoted delimiters and line breaks inside quotes, blank lines between rows. */
function tableRows(rows: number, nl: LineTerminator): string[] {
  const lines = ['id,region,note,amount'];
  for (let i = 0; i < rows; i++) {
    const note = i % 17 === 0 ? `"two${nl}lines ${i}"` : i % 13 === 0 ? `"a, b ${i}"` : `n${i}`;
    lines.push(`${i},r${i % 7},${note},${(i % 100) + 0.5}`);
    if (i % 101 === 50) { lines.push(''); }
  }
  return lines;
}

function withPreamble(rows: number, nl: LineTerminator): string {
  return [...PREAMBLE, ...tableRows(rows, nl)].join(nl) + nl;
}

/** The data rows papaparse finds in the text below the preamble. */
function reference(text: string, nl: LineTerminator): (string | null)[][] {
  const below = text.split(nl).slice(PREAMBLE.length).join(nl);
  const res = new Papa.Parser({ delimiter: ',', newline: nl, quoteChar: '"' }).parse(below, 0, false) as { data: string[][] };
  return res.data.filter(x => !(x.length === 1 && x[0] === '')).slice(1).map(x => x.map(v => (v === '' ? null : v)));
}

describe('a preamble above the header', () => {
  it('is skipped: fields from the header below it, rows numbered from 0, and a warning saying so', async () => {
    const ds = await openCsv(textBuffer('Sales report Q3 2026\n\nid,region,amount\n1,north,10.5\n2,south,11\n3,east,9.25\n'), { name: 'pre.csv' });
    expect(ds.format).toBe('csv');
    expect(ds.fields.map(f => [f.name, f.type])).toEqual([['id', 'integer'], ['region', 'string'], ['amount', 'number']]);
    expect(ds.rowCount).toEqual({ value: 3, exact: true });
    expect(batchRows(await ds.readRows(0, 10))).toEqual([['1', 'north', '10.5'], ['2', 'south', '11'], ['3', 'east', '9.25']]);
    expect(batchRows(await ds.readRows(2, 10))).toEqual([['3', 'east', '9.25']]);
    expect(ds.preambleLines).toBe(2);
    expect(ds.dataStartLine).toBe(4);
    expect(ds.warnings).toEqual([{ code: 'preamble', line: 1, message: 'skipped 2 lines above the header (a title or comments)' }]);
  });

  it('leaves a one-column file and a file with a short first row as they were', async () => {
    const one = await openCsv(textBuffer('name\nSmith, John\nDoe, Jane\n'), { name: 'names.csv' });
    expect(one.fields.map(f => f.name)).toEqual(['name']);
    expect(batchRows(await one.readRows(0, 10))).toEqual([['Smith, John'], ['Doe, Jane']]);
    expect(one.preambleLines).toBe(0);

    const short = await openCsv(textBuffer('1\n2,3\n4,5\n6,7\n'), { name: 'short.csv' });
    expect(short.dialect).toMatchObject({ delimiter: ',', header: false });
    expect(batchRows(await short.readRows(0, 10))).toEqual([['1', null], ['2', '3'], ['4', '5'], ['6', '7']]);
    expect(short.preambleLines).toBe(0);
    expect(short.warnings.map(w => w.code)).toEqual(['ragged-row']);
  });

  it('skips the lines a caller gives (a Table Dialect\'s headerRows) where sniffing would not', async () => {
    const text = 'Title line\nname,city\nann,rome\nbob,oslo\n';
    expect((await openCsv(textBuffer(text), { name: 't.csv' })).preambleLines).toBe(0);
    const ds = await openCsv(textBuffer(text), { name: 't.csv', skipLines: 1 });
    expect(ds.fields.map(f => f.name)).toEqual(['name', 'city']);
    expect(batchRows(await ds.readRows(0, 10))).toEqual([['ann', 'rome'], ['bob', 'oslo']]);
    await expect(openCsv(textBuffer('a\nb\n'), { name: 'x.csv', skipLines: 5 })).rejects.toSatisfy(e => isDatasetError(e) && e.code === 'empty');
  });

  for (const nl of ['\n', '\r\n'] as LineTerminator[]) {
    it(`readRows at any offset, before and after the index, equals a full parse (${JSON.stringify(nl)})`, async () => {
      const text = withPreamble(6000, nl);
      const ref = reference(text, nl);
      const ds = await openCsv(bufferFromBytes(new TextEncoder().encode(text)), { name: 'big.csv' });
      expect(ds.preambleLines).toBe(PREAMBLE.length);
      expect(ds.rowCount.exact).toBe(false);
      // before the index: near rows parse from the data start, far ones skip with the byte scanner
      for (const k of [0, 1, 100, 2500, ref.length - 20]) {
        expect(batchRows(await ds.readRows(k, 50)), `row ${k}`).toEqual(ref.slice(k, k + 50));
      }
      await ds.buildIndex();
      expect(ds.rowCount).toEqual({ value: ref.length, exact: true });
      for (const k of [0, 1023, 1024, 4000, ref.length - 3]) {
        expect(batchRows(await ds.readRows(k, 50)), `row ${k}`).toEqual(ref.slice(k, k + 50));
      }
      const scanned: (string | null)[][] = [];
      await ds.scan(undefined, b => { scanned.push(...batchRows(b)); }, { batchRows: 1000 });
      expect(scanned).toEqual(ref);
    });
  }

  it('puts index entries and split ranges on the physical lines of the file', async () => {
    const text = withPreamble(6000, '\n');
    const bytes = new TextEncoder().encode(text);
    const lineAt = (offset: number): number => new TextDecoder().decode(bytes.subarray(0, offset)).split('\n').length;
    const ds = await openCsv(bufferFromBytes(bytes), { name: 'big.csv' });
    const ranges = await ds.splitRanges(2);
    expect(ranges.length).toBe(2);
    expect(ranges[0]).toMatchObject({ from: ds.dataStart, firstRow: 0, firstLine: PREAMBLE.length + 2 });
    expect(ranges[1].firstLine).toBe(lineAt(ranges[1].from));
    const index = await ds.buildIndex();
    expect(index.startLine).toBe(PREAMBLE.length + 2);
    for (let i = 0; i < index.rows.length; i++) { expect(index.lines[i], `entry ${i}`).toBe(lineAt(index.offsets[i])); }
  });

  it('two parts, split before and after the index, scan to the same rows as one scan', async () => {
    const text = withPreamble(6000, '\n');
    const ref = reference(text, '\n');
    const ds = await openCsv(bufferFromBytes(new TextEncoder().encode(text)), { name: 'big.csv' });
    const one = await scanRangesInOrder(ds, [{ from: ds.dataStart, to: undefined, firstRow: 0 }]);
    expect(one.rows).toEqual(ref);
    const split = await scanRangesInOrder(ds, await ds.splitRanges(2), { batchRows: 700 });
    expect(split.rows).toEqual(one.rows);
    await ds.buildIndex();
    const parts = ds.partitions(2);
    expect(parts.length).toBe(2);
    const indexed = await scanRangesInOrder(ds, parts, { batchRows: 700 });
    expect(indexed.ends).toEqual(parts.map(p => p.firstRow + p.rowCount));
    expect(indexed.rows).toEqual(one.rows);
  });

  it('gzip: the stream skips the same lines', async () => {
    const text = withPreamble(500, '\n');
    const ds = await openCsv(bufferFromBytes(gzipSync(new TextEncoder().encode(text))), { name: 'big.csv.gz' });
    expect(ds.preambleLines).toBe(PREAMBLE.length);
    expect(batchRows(await ds.readRows(300, 5))).toEqual(reference(text, '\n').slice(300, 305));
  });

  it('the positioned reader starts at the header, on its line', async () => {
    const text = withPreamble(40, '\n');
    const buffer = bufferFromBytes(new TextEncoder().encode(text));
    const ds = await openCsv(buffer, { name: 'p.csv' });
    const lines = text.split('\n');
    const seen: { row: number; line: number; first: string }[] = [];
    for await (const rec of readCsvRecordsWithPositions(buffer, ds.dialect, { start: ds.tableStart, startLine: ds.preambleLines + 1 })) {
      seen.push({ row: rec.row, line: rec.line, first: rec.cells[0].text });
      expect(lines[rec.line - 1].startsWith(rec.cells[0].text), `row ${rec.row}`).toBe(true);
    }
    expect(seen[0]).toEqual({ row: -1, line: PREAMBLE.length + 1, first: 'id' });
    expect(seen[1]).toEqual({ row: 0, line: PREAMBLE.length + 2, first: '0' });
    expect(seen.length).toBe(41);
  });
});
