import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { sniffDialect, type CsvDialect } from '../../../src/core/formats/csv/dialect';
import { readCsvRecordsWithPositions } from '../../../src/core/formats/csv/positionedRecords';
import { csvDialectOf, csvTableSource } from '../../../src/core/schema/datasetTableSource';
import { LineEndingScanner } from '../../../src/core/schema/lineEndings';
import { parseTableDialect, parseTableSchemaText } from '../../../src/core/schema/tableSchema';
import { collectValidation, validateTable } from '../../../src/core/schema/validateTable';
import { csvOpenOptions } from '../../../src/node/schema/tableFiles';
import { runCliIn } from '../helpers/cliLines';
import { batchRows, papaDataRows, scanRangesInOrder, textBuffer } from './csvHelpers';

/** A sensor log: a header, then readings with `#` comment lines among them (some holding quotes and commas). */
function sensorLog(rows: number): string {
  const lines = ['id,station,reading'];
  for (let i = 0; i < rows; i++) {
    if (i % 50 === 25) { lines.push(i % 100 === 25 ? `# sensor restarted at ${i}, "cold" start` : '# calibration'); }
    lines.push(`${i},s${i % 3},${(i % 40) / 4}`);
  }
  return lines.join('\n') + '\n';
}

const reference = (text: string): (string | null)[][] => papaDataRows(text, { delimiter: ',', quoteChar: '"', commentChar: '#', lineTerminator: '\n' });

const tmp = mkdtempSync(join(tmpdir(), 'strata-comments-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('comment lines among the rows', () => {
  it('are sniffed (`#` where no such line fits the table), skipped by every reader, and a warning says so', async () => {
    const text = sensorLog(30_000);
    const ds = await openCsv(textBuffer(text), { name: 'log.csv' });
    expect(ds.dialect).toMatchObject({ delimiter: ',', commentChar: '#', header: true });
    expect(ds.fields.map(f => [f.name, f.type])).toEqual([['id', 'integer'], ['station', 'string'], ['reading', 'number']]);
    expect(ds.warnings).toEqual([{ code: 'comments', message: 'lines starting with "#" are comments: they are skipped, not read as rows' }]);
    const ref = reference(text);
    expect(ref).toHaveLength(30_000);
    expect(ref[25]).toEqual(['25', 's1', '6.25']);
    expect(batchRows(await ds.readRows(20, 10))).toEqual(ref.slice(20, 30));
    await ds.buildIndex();
    expect(ds.rowCount).toEqual({ value: 30_000, exact: true });
    expect(batchRows(await ds.readRows(21_017, 40))).toEqual(ref.slice(21_017, 21_057));
    const { rows } = await scanRangesInOrder(ds, ds.partitions(2));
    expect(rows).toEqual(ref);
  });

  it('are not sniffed where a `#` line fits the table, starts the header, or is most of the rows', () => {
    expect(sniffDialect('color,name\n#ff0000,red\nblue,#0000ff\n#00ff00,green\n', { complete: true }).commentChar).toBeUndefined();
    // Excel's error values in a number column are data: one word, as wide as the table
    expect(sniffDialect('value,name\n1.5,a\n#DIV/0!,b\n2.5,c\n#VALUE!,d\n3,e\n', { complete: true }).commentChar).toBeUndefined();
    expect(sniffDialect('id,v\n1,a\n# restart at 3,b\n2,c\n3,d\n', { complete: true }).commentChar).toBe('#');
    expect(sniffDialect('id,tag\n1,a\n#2 is text here,b\n3,c\n4,d\n', { complete: true }).commentChar).toBe('#');
    expect(sniffDialect('#CHROM,POS\n1,100\n# x\n2,200\n', { complete: true }).commentChar).toBeUndefined();
    expect(sniffDialect('id,v\n1,2\n# a\n# b\n', { complete: true }).commentChar).toBeUndefined();
  });

  it('take no row number in positioned records, whose cells stay on their lines', async () => {
    const dialect: CsvDialect = { delimiter: ',', quoteChar: '"', commentChar: '#', header: true, lineTerminator: '\r\n' };
    const recs = [];
    for await (const rec of readCsvRecordsWithPositions(textBuffer('a,b\r\n# "open\r\n1,x\r\n#\r\n2,"y\r\nz"\r\n'), dialect)) { recs.push(rec); }
    expect(recs.map(r => [r.row, r.line, r.cells.map(c => c.text)])).toEqual([[-1, 1, ['a', 'b']], [0, 3, ['1', 'x']], [1, 5, ['2', 'y\r\nz']]]);
  });

  it('hold characters, not quotes, and take no row number when line endings are checked', () => {
    const lf = { delimiter: ',', quoteChar: '"' as const, lineTerminator: '\n' as const };
    const bytes = new TextEncoder().encode('id,txt\n#,"note\n1,a\n2,b\r\n');
    // the CRLF ends data row 1; read without comments the quote opens a cell that hides it
    expect(new LineEndingScanner({ ...lf, commentChar: '#' }).push(bytes, -1)).toEqual({ row: 1, lineFeedsBefore: 0 });
    expect(new LineEndingScanner(lf).push(bytes, -1)).toBeNull();
  });

  it('are honoured from a Table Dialect\'s commentChar, with problems placed on the right lines and a note', async () => {
    const text = 'id,n\n1,2\n% generated\n2,x\n';
    const dialect = parseTableDialect({ commentChar: '%' }, 'dp.json');
    expect(csvOpenOptions(dialect, null)).toEqual({ escapeChar: null, commentChar: '%' });
    const buffer = bufferFromBytes(new TextEncoder().encode(text));
    const dataset = await openCsv(buffer, { name: 't.csv', ...csvOpenOptions(dialect, null) });
    expect(dataset.rowCount).toEqual({ value: 2, exact: true });
    const schema = parseTableSchemaText('{"fields":[{"name":"id","type":"integer"},{"name":"n","type":"integer"}]}', 's.json');
    const source = csvTableSource(buffer, dataset, { name: 't.csv', dialect: csvDialectOf(dataset.dialect, dialect) });
    const { issues, summary } = await collectValidation(validateTable(source, schema, { pii: false }));
    expect(issues.map(i => [i.type, i.cell, i.range])).toEqual([['type-error', 'x', { line: 3, char: 2, endLine: 3, endChar: 3 }]]);
    // the note becomes an information entry in the Problems panel
    expect(summary.notes).toEqual(['lines starting with "%" are comments: they are skipped, not read as rows']);
  });

  it('are not sniffed where a data package declares the file\'s dialect without a commentChar', async () => {
    mkdirSync(join(tmp, 'declared'));
    writeFileSync(join(tmp, 'declared', 'tags.csv'), 'id,v\n1,a\n# not a comment here,b\n2,c\n');
    const sniffed = await runCliIn(join(tmp, 'declared'), ['head', 'tags.csv', '--json']);
    expect(JSON.parse(sniffed.out.join('\n')).rows).toHaveLength(2);
    writeFileSync(join(tmp, 'declared', 'datapackage.json'), JSON.stringify({ resources: [{ name: 'tags', path: 'tags.csv', dialect: { delimiter: ',' } }] }));
    const declared = await runCliIn(join(tmp, 'declared'), ['head', 'tags.csv', '--json']);
    expect(JSON.parse(declared.out.join('\n')).rows).toEqual([['1', 'a'], ['# not a comment here', 'b'], ['2', 'c']]);
    expect(declared.err).toEqual([]);
  });

  it('strata head skips them with a warning, infer names the dialect option, and validate with it finds no problem', async () => {
    writeFileSync(join(tmp, 'runs.csv'), 'run,loss\n1,0.9\n# lr halved\n2,0.5\n3,0.4\n');
    const head = await runCliIn(tmp, ['head', 'runs.csv', '--json']);
    expect(head.code).toBe(0);
    expect(JSON.parse(head.out.join('\n')).rows).toEqual([[1, 0.9], [2, 0.5], [3, 0.4]]);
    expect(head.err).toEqual(['strata head: warning: lines starting with "#" are comments: they are skipped, not read as rows']);
    const infer = await runCliIn(tmp, ['infer', 'runs.csv']);
    expect(JSON.parse(infer.out.join('\n')).fields.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual([['run', 'integer'], ['loss', 'number']]);
    expect(infer.err).toEqual(['strata infer: runs.csv: lines starting with "#" are comments: they are skipped, not read as rows; a Table Dialect says so with "commentChar": "#"']);
    writeFileSync(join(tmp, 'datapackage.json'), JSON.stringify({
      resources: [{ name: 'runs', path: 'runs.csv', dialect: { commentChar: '#' }, schema: { fields: [{ name: 'run', type: 'integer' }, { name: 'loss', type: 'number' }] } }],
    }));
    const valid = await runCliIn(tmp, ['validate', 'datapackage.json']);
    expect(valid.out.at(-1)).toBe('1 file, all valid');
    expect(valid.code).toBe(0);
  });
});
