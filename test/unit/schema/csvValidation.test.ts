import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { csvDialectOf, csvTableSource } from '../../../src/core/schema/datasetTableSource';
import { inferSchema } from '../../../src/core/schema/inferSchema';
import type { TextRange } from '../../../src/core/schema/tableIssues';
import { parseTableDialect, parseTableSchemaText } from '../../../src/core/schema/tableSchema';
import { collectValidation, validateTable, type ValidateOptions } from '../../../src/core/schema/validateTable';
import { csvOpenOptions } from '../../../src/node/schema/tableFiles';

const FIXTURES = join(__dirname, '../../fixtures/schema');
const r = (line: number, char: number, endChar: number, endLine = line): TextRange => ({ line, char, endLine, endChar });

async function validateText(text: string | Uint8Array, schemaText: string | null, options: ValidateOptions = {}) {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const buffer = bufferFromBytes(bytes);
  const dataset = await openCsv(buffer, { name: 't.csv' });
  const source = csvTableSource(buffer, dataset, { name: 't.csv' });
  const schema = schemaText === null ? null : parseTableSchemaText(schemaText, 't.schema.json');
  return collectValidation(validateTable(source, schema, { pii: false, ...options }));
}

describe('validating CSV text: exact cell ranges', () => {
  it('places issues right across CRLF lines, doubled quotes and a quoted line break', async () => {
    const { issues } = await validateText(readFileSync(join(FIXTURES, 'people.csv')), readFileSync(join(FIXTURES, 'people.schema.json'), 'utf8'));
    expect(issues.map(i => [i.type, i.row, i.rowNumber, i.fieldName, i.cell, i.range])).toEqual([
      ['type-error', 1, 3, 'born', '19x0-02-03', r(3, 7, 17)],
      ['type-error', 2, 4, 'born', '1992-13-01', r(4, 5, 15)],
      ['missing-cell', 2, 4, 'email', null, r(4, 15, 15)],
      ['extra-cell', 3, 5, null, 'extra', r(5, 31, 36)],
      ['primary-key', 4, 6, 'id', '4', r(6, 0, 1)],
    ]);
  });

  it('covers a quoted cell from its opening to its closing quote, over lines', async () => {
    const { issues } = await validateText('a,b\n1,"x\ny"\n', '{"fields":[{"name":"a"},{"name":"b","type":"string","constraints":{"maxLength":1}}]}');
    expect(issues.map(i => [i.type, i.cell, i.range])).toEqual([['constraint-error', 'x\ny', r(1, 2, 2, 2)]]);
  });

  it('places label issues on the header cells', async () => {
    const { issues } = await validateText('id,id,\n1,2,3\n', null);
    expect(issues.map(i => [i.type, i.fieldNumber, i.range])).toEqual([['duplicate-label', 2, r(0, 3, 5)], ['blank-label', 3, r(0, 6, 6)]]);
  });

  it('reports a blank row of empty cells over the row', async () => {
    const { issues } = await validateText('a,b\n1,2\n,\n3,4\n', null);
    expect(issues.map(i => [i.type, i.row, i.range])).toEqual([['blank-row', 1, r(2, 0, 1)]]);
  });

  it('reports an unclosed quote at the cell it opens', async () => {
    const { issues } = await validateText('a,b\n1,2\n3,"open\n5,6\n', null);
    expect(issues.map(i => [i.type, i.row, i.fieldNumber, i.range?.line, i.range?.char])).toEqual([['unclosed-quote', 1, 2, 2, 2]]);
  });

  it('reports mixed line endings once, at the first row that differs', async () => {
    const { issues } = await validateText('a,b\n1,2\n3,4\r\n5,6\r\n7,8\n', null);
    expect(issues.map(i => [i.type, i.row, i.fieldNumber])).toEqual([['mixed-line-endings', 1, 2]]);
  });

  it('takes a line break inside a quoted cell for data, not for a row ending another way', async () => {
    const crlfFile = await validateText('id,txt\r\n1,"Cable\n(2 m)"\r\n2,c\r\n', null);
    expect(crlfFile.issues).toEqual([]);
    const lfFile = await validateText('id,txt\n1,"a\r\nb"\n2,"ends in CR\r"\n3,c\n', null);
    expect(lfFile.issues).toEqual([]);
  });

  it('reports the first row end outside quotes that differs, past quoted line breaks, on its line', async () => {
    const crlfFile = await validateText('id,txt,more\r\n1,"a\nb",x\r\n\r\n2,"c\nd",e\n', null);
    expect(crlfFile.issues.map(i => [i.type, i.row, i.fieldNumber, i.range?.line])).toEqual([['mixed-line-endings', 1, 3, 5]]);
    const lfFile = await validateText('id,txt\n1,"a\r\nb"\n""\n2,c\r\n3,d\n', null);
    expect(lfFile.issues.map(i => [i.type, i.row, i.fieldNumber, i.range?.line])).toEqual([['mixed-line-endings', 1, 2, 4]]);
  });

  it('finds the row ending another way far down a CRLF file of quoted line breaks, read in many chunks', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},"line ${i}\nnext"\r\n`);
    const { issues } = await validateText(`id,txt\r\n${rows.join('')}20000,"last\nrow"\r\n20001,x\n`, null);
    expect(issues.map(i => [i.type, i.row, i.fieldNumber, i.range?.line])).toEqual([['mixed-line-endings', 20_001, 2, 40_003]]);
  });

  it('reports a file that is not UTF-8 as an encoding error', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('name\ncaf'), 0xe9, 0x0a]);
    const { issues } = await validateText(bytes, null);
    expect(issues.map(i => i.type)).toEqual(['encoding-error']);
  });

  it('reports bytes that are not UTF-8 far below the head it was judged on, at their row and cell', async () => {
    const enc = new TextEncoder();
    const head = ['id,name', ...Array.from({ length: 20_000 }, (_, i) => `${i},caf\u00e9 ${i}`)].join('\n') + '\n';
    const bytes = new Uint8Array([...enc.encode(head), ...enc.encode('20000,bad '), 0xff, 0xfe, ...enc.encode('\n20001,ok\n')]);
    const { issues } = await validateText(bytes, null);
    expect(issues.map(i => [i.type, i.row, i.fieldName])).toEqual([['encoding-error', 20_000, 'name']]);
    // a valid file with the same accented text has no such issue
    const clean = await validateText(head, null);
    expect(clean.issues).toEqual([]);
  });

  it('places personal-data findings on the column label', async () => {
    const lines = ['id,contact', ...Array.from({ length: 6 }, (_, i) => `${i},+4420794609${String(i).padStart(2, '0')}`)];
    const { issues } = await validateText(lines.join('\n'), null, { pii: true });
    expect(issues.map(i => [i.type, i.fieldName, i.range])).toEqual([['personal-data', 'contact', r(0, 3, 10)]]);
  });

  it('infers a schema its own file then validates against', async () => {
    const bytes = readFileSync(join(FIXTURES, 'orders.csv'));
    const buffer = bufferFromBytes(bytes);
    const dataset = await openCsv(buffer, { name: 'orders.csv' });
    const inferred = await inferSchema(csvTableSource(buffer, dataset, { name: 'orders.csv' }));
    expect(JSON.parse(JSON.stringify(inferred.schema))).toEqual(JSON.parse(readFileSync(join(FIXTURES, 'orders.inferred.json'), 'utf8')));
    const { issues } = await collectValidation(validateTable(csvTableSource(buffer, dataset, { name: 'orders.csv' }), inferred.schema, { pii: false }));
    expect(issues).toEqual([]);
  });
});

/**
 * Validates a CSV of 300,000 rows (over 8 MB, so validation jumps through its row index) below `above` lines, whose
 * rows 5, 200,000 and 299,999 have a bad integer.
 */
async function validateBigFile(above: string[]) {
  const lines = [...above, 'id,value,note'];
  for (let i = 0; i < 300_000; i++) { lines.push(`${i},${i === 5 || i === 200_000 || i === 299_999 ? 'bad' : i * 3},note number ${i}`); }
  const text = lines.join('\n') + '\n';
  expect(text.length).toBeGreaterThan(8 * 1024 * 1024);
  const buffer = bufferFromBytes(new TextEncoder().encode(text));
  const dataset = await openCsv(buffer, { name: 'big.csv' });
  const schema = parseTableSchemaText('{"fields":[{"name":"id","type":"integer"},{"name":"value","type":"integer"},{"name":"note"}]}', 's.json');
  const { issues } = await collectValidation(validateTable(csvTableSource(buffer, dataset, { name: 'big.csv' }), schema, { pii: false }));
  return { dataset, issues };
}

describe('validating a large CSV: positions of far rows', () => {
  it('jumps through the row index to place issues far apart, with the same ranges as reading on', async () => {
    const { dataset, issues } = await validateBigFile([]);
    expect(dataset.rowIndex?.rowCount).toBe(300_000); // built to jump, rather than reading positions row by row
    expect(issues.map(i => [i.row, i.range])).toEqual([
      [5, r(6, 2, 5)], [200_000, r(200_001, 7, 10)], [299_999, r(300_000, 7, 10)],
    ]);
  });
});

describe('Table Dialect overrides', () => {
  it('reads with the delimiter, quote character and header the dialect gives', async () => {
    const text = "1;'a;b';x\n2;'c';4\n";
    const buffer = bufferFromBytes(new TextEncoder().encode(text));
    const dataset = await openCsv(buffer, { name: 'd.csv', delimiter: ';', header: false });
    const dialect = csvDialectOf(dataset.dialect, { delimiter: ';', quoteChar: "'", header: false });
    expect(dialect).toMatchObject({ delimiter: ';', quoteChar: "'", header: false });
    const schema = parseTableSchemaText('{"fields":[{"name":"n","type":"integer"},{"name":"s"},{"name":"m","type":"integer"}]}', 's.json');
    const { issues } = await collectValidation(validateTable(csvTableSource(buffer, dataset, { name: 'd.csv', dialect }), schema, { pii: false }));
    expect(issues.map(i => [i.type, i.row, i.rowNumber, i.fieldName, i.cell, i.range])).toEqual([['type-error', 0, 1, 'm', 'x', r(0, 8, 9)]]);
  });
});

describe('a preamble above the header', () => {
  const TEXT = 'Sales report Q3 2026\nSource: ACME, Inc.\n\nid,region,amount\n1,north,10.5\n2,south,x\n3,east,9.25\n';
  const SCHEMA = '{"fields":[{"name":"id","type":"integer"},{"name":"area"},{"name":"amount","type":"number","constraints":{"maximum":10}}]}';

  it('places issues on the physical lines of the file and counts the skipped lines in row numbers', async () => {
    const { issues, summary } = await validateText(TEXT, SCHEMA);
    expect(issues.map(i => [i.type, i.row, i.rowNumber, i.cell, i.range])).toEqual([
      ['incorrect-label', null, 4, 'region', r(3, 3, 9)],
      ['constraint-error', 0, 5, '10.5', r(4, 8, 12)],
      ['type-error', 1, 6, 'x', r(5, 8, 9)],
    ]);
    expect(summary.notes).toEqual(['skipped 3 lines above the header (a title or comments)']);
  });

  it('reads no notes into the summary of a file without one', async () => {
    const { summary } = await validateText('id\n1\n', null);
    expect(summary.notes).toBeUndefined();
  });

  it('jumps through the row index of a large file to the right lines', async () => {
    const { dataset, issues } = await validateBigFile(['# exported by tool x', '# units: EUR']);
    expect(dataset.rowIndex?.rowCount).toBe(300_000);
    expect(issues.map(i => [i.row, i.rowNumber, i.range])).toEqual([
      [5, 9, r(8, 2, 5)], [200_000, 200_004, r(200_003, 7, 10)], [299_999, 300_003, r(300_002, 7, 10)],
    ]);
  });

  it('honours a Table Dialect\'s headerRows where sniffing sees no preamble', async () => {
    const text = 'Title line\nname,city\nann,rome\nbob,\n';
    const dialect = parseTableDialect({ headerRows: [2] }, 'dp.json');
    expect(csvOpenOptions(dialect, null)).toEqual({ skipLines: 1, escapeChar: null, commentChar: null });
    const buffer = bufferFromBytes(new TextEncoder().encode(text));
    const dataset = await openCsv(buffer, { name: 't.csv', ...csvOpenOptions(dialect, null) });
    const schema = parseTableSchemaText('{"fields":[{"name":"name"},{"name":"city","constraints":{"required":true}}]}', 's.json');
    const source = csvTableSource(buffer, dataset, { name: 't.csv', dialect: csvDialectOf(dataset.dialect, dialect) });
    const { issues } = await collectValidation(validateTable(source, schema, { pii: false }));
    expect(issues.map(i => [i.type, i.row, i.rowNumber, i.range])).toEqual([['constraint-error', 1, 4, r(3, 4, 4)]]);
  });
});
