import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** A CSV as Spark and MySQL write it: a quote inside a quoted value is escaped with a backslash. */
function sparkCsv(rows: number): string {
  const lines = ['id,quote,n'];
  for (let i = 0; i < rows; i++) {
    const q = i % 7 === 0 ? `"she said \\"hi, ${i}\\" and left"` : i % 11 === 0 ? `"two\nlines \\"${i}\\""` : `plain ${i}`;
    lines.push(`${i},${q},${i % 5}`);
  }
  return lines.join('\n') + '\n';
}

/** papaparse's data rows of `text` read with a backslash escape (the reference for every reader). */
const reference = (text: string): (string | null)[][] => papaDataRows(text, { delimiter: ',', quoteChar: '"', escapeChar: '\\', lineTerminator: '\n' });

const tmp = mkdtempSync(join(tmpdir(), 'strata-escapes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a backslash before a quote inside a quoted value', () => {
  it('is sniffed as the escape character, and every reader gives the values with plain quotes', async () => {
    const text = sparkCsv(20_000);
    const ds = await openCsv(textBuffer(text), { name: 'spark.csv' });
    expect(ds.dialect).toMatchObject({ delimiter: ',', quoteChar: '"', escapeChar: '\\', header: true });
    expect(ds.fields.map(f => [f.name, f.type])).toEqual([['id', 'integer'], ['quote', 'string'], ['n', 'integer']]);
    expect(ds.warnings).toEqual([]);
    const ref = reference(text);
    expect(ref[0]).toEqual(['0', 'she said "hi, 0" and left', '0']);
    expect(ref[11]).toEqual(['11', 'two\nlines "11"', '1']);
    // the first rows (before the index), a window far down (through the index), and a scan in two parts
    expect(batchRows(await ds.readRows(0, 30))).toEqual(ref.slice(0, 30));
    await ds.buildIndex();
    expect(ds.rowCount).toEqual({ value: 20_000, exact: true });
    expect(batchRows(await ds.readRows(15_397, 20))).toEqual(ref.slice(15_397, 15_417));
    const { rows } = await scanRangesInOrder(ds, ds.partitions(2));
    expect(rows).toEqual(ref);
  });

  it('is no escape where the pair ends a value, sits in unquoted text, or the caller says quotes are doubled', async () => {
    // a Windows folder ends in a backslash: the quote after it closes the value
    expect(sniffDialect('path,n\n"C:\\data\\",1\n"D:\\x\\",2\n', { complete: true }).escapeChar).toBeUndefined();
    // outside a quoted value a quote is a character either way
    expect(sniffDialect('a,b\nx\\"y,1\nz,2\n', { complete: true }).escapeChar).toBeUndefined();
    const forced = await openCsv(textBuffer('id,q\n1,"say \\"hi\\", ok"\n'), { name: 'f.csv', escapeChar: null });
    expect(forced.dialect.escapeChar).toBeUndefined();
    expect(batchRows(await forced.readRows(0, 5))).toEqual([['1', 'say \\"hi\\', ' ok"']]);
  });

  it('puts each cell of a positioned record where it is written, the escapes counted as written', async () => {
    const dialect: CsvDialect = { delimiter: ',', quoteChar: '"', escapeChar: '\\', header: true, lineTerminator: '\n' };
    const recs = [];
    for await (const rec of readCsvRecordsWithPositions(textBuffer('a,b\n1,"x \\"y\\", z"\n2,"p\nq \\"r\\""\n'), dialect)) { recs.push(rec); }
    expect(recs.map(r => [r.row, r.line])).toEqual([[-1, 1], [0, 2], [1, 3]]);
    expect(recs[1].cells.map(c => [c.text, c.line, c.char, c.endLine, c.endChar])).toEqual([['1', 2, 0, 2, 1], ['x "y", z', 2, 2, 2, 14]]);
    expect(recs[2].cells.map(c => [c.text, c.line, c.char, c.endLine, c.endChar])).toEqual([['2', 3, 0, 3, 1], ['p\nq "r"', 3, 2, 4, 8]]);
  });

  it('keeps a CRLF after an escaped quote inside the value, where a doubled-quote reading takes it for a row end', () => {
    const bytes = new TextEncoder().encode('id,txt\n1,"say \\"hi\\"\r\nthere"\n2,b\n');
    const lf = { delimiter: ',', quoteChar: '"' as const, lineTerminator: '\n' as const };
    expect(new LineEndingScanner({ ...lf, escapeChar: '\\' }).push(bytes, -1)).toBeNull();
    expect(new LineEndingScanner(lf).push(bytes, -1)).toEqual({ row: 0, lineFeedsBefore: 0 });
  });

  it('is honoured from a Table Dialect\'s escapeChar, and a dialect without one turns sniffing off; cell ranges stay exact', async () => {
    const text = 'id,q,n\n1,"a \\"b\\" c",1\n2,"\\"d\\"",x\n';
    const escaped = parseTableDialect({ escapeChar: '\\' }, 'dp.json');
    expect(csvOpenOptions(escaped, null)).toEqual({ escapeChar: '\\', commentChar: null });
    // a declared dialect has the Table Dialect's defaults where it names nothing: no escape character, no comments
    expect(csvOpenOptions(parseTableDialect({ doubleQuote: true }, 'dp.json'), null)).toEqual({ escapeChar: null, commentChar: null });
    expect(csvOpenOptions(parseTableDialect({}, 'dp.json'), null)).toEqual({ escapeChar: null, commentChar: null });
    const buffer = bufferFromBytes(new TextEncoder().encode(text));
    const dataset = await openCsv(buffer, { name: 't.csv', ...csvOpenOptions(escaped, null) });
    const schema = parseTableSchemaText('{"fields":[{"name":"id","type":"integer"},{"name":"q"},{"name":"n","type":"integer"}]}', 's.json');
    const source = csvTableSource(buffer, dataset, { name: 't.csv', dialect: csvDialectOf(dataset.dialect, escaped) });
    const { issues } = await collectValidation(validateTable(source, schema, { pii: false }));
    expect(issues.map(i => [i.type, i.rowNumber, i.cell, i.range])).toEqual([['type-error', 3, 'x', { line: 2, char: 10, endLine: 2, endChar: 11 }]]);
  });

  it('strata head prints the values, infer names the dialect option, and validate with it finds no problem', async () => {
    writeFileSync(join(tmp, 'events.csv'), 'id,message\n1,"error: \\"disk full\\", retry"\n2,"ok"\n');
    const head = await runCliIn(tmp, ['head', 'events.csv', '--json']);
    expect(head.code).toBe(0);
    expect(JSON.parse(head.out.join('\n')).rows).toEqual([[1, 'error: "disk full", retry'], [2, 'ok']]);
    const infer = await runCliIn(tmp, ['infer', 'events.csv']);
    expect(infer.code).toBe(0);
    expect(infer.err).toEqual(['strata infer: events.csv: a quote inside a value is escaped by a backslash; a Table Dialect says so with "escapeChar": "\\\\"']);
    writeFileSync(join(tmp, 'datapackage.json'), JSON.stringify({
      resources: [{ name: 'events', path: 'events.csv', dialect: { escapeChar: '\\' }, schema: { fields: [{ name: 'id', type: 'integer' }, { name: 'message', type: 'string', constraints: { maxLength: 30 } }] } }],
    }));
    const valid = await runCliIn(tmp, ['validate', 'datapackage.json']);
    expect(valid.out.at(-1)).toBe('1 file, all valid');
    expect(valid.code).toBe(0);
  });
});
