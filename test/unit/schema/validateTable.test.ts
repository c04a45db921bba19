import { describe, expect, it } from 'vitest';
import { isDatasetError } from '../../../src/core/formats/errors';
import type { TableIssue, TextRange } from '../../../src/core/schema/tableIssues';
import { parseTableSchema, type TableSchema } from '../../../src/core/schema/tableSchema';
import { memoryTableSource, type SourceNotice } from '../../../src/core/schema/tableSource';
import { collectValidation, NO_SUCH_RESOURCE, validateTable, type ValidateOptions } from '../../../src/core/schema/validateTable';

/**
 * Rows and cell ranges of a plain comma-separated text without quotes, one record per line: enough to
 * exercise positions in the validator on its own (the CSV reader's own ranges are tested with it).
 */
function table(text: string): { rows: string[][]; ranges: TextRange[][] } {
  const rows: string[][] = [];
  const ranges: TextRange[][] = [];
  text.split('\n').forEach((line, lineNo) => {
    const cells = line.split(',');
    let char = 0;
    rows.push(cells);
    ranges.push(cells.map(c => {
      const r = { line: lineNo, char, endLine: lineNo, endChar: char + c.length };
      char += c.length + 1;
      return r;
    }));
  });
  return { rows, ranges };
}

async function validate(text: string, schema: object | null, options: ValidateOptions = {}, notices?: SourceNotice[]) {
  const { rows, ranges } = table(text);
  const parsed: TableSchema | null = schema ? parseTableSchema(schema, 'test.schema.json') : null;
  return collectValidation(validateTable(memoryTableSource(rows, { ranges, notices, name: 'test.csv' }), parsed, { pii: false, ...options }));
}

const pick = (i: TableIssue) => ({ type: i.type, row: i.row, rowNumber: i.rowNumber, fieldName: i.fieldName, fieldNumber: i.fieldNumber, cell: i.cell, range: i.range });
const r = (line: number, char: number, endChar: number, endLine = line): TextRange => ({ line, char, endLine, endChar });

describe('validateTable: cell errors', () => {
  const schema = {
    fields: [
      { name: 'id', type: 'integer', constraints: { required: true, unique: true } },
      { name: 'name', type: 'string', constraints: { maxLength: 5, pattern: '[A-Z].*' } },
      { name: 'score', type: 'number', constraints: { minimum: 0, maximum: 10 } },
      { name: 'grade', type: 'string', constraints: { enum: ['a', 'b'] } },
    ],
  };

  it('reports type-error at the exact cell', async () => {
    const { issues } = await validate('id,name,score,grade\n1,Ann,x7,a', schema);
    expect(issues.map(pick)).toEqual([{ type: 'type-error', row: 0, rowNumber: 2, fieldName: 'score', fieldNumber: 3, cell: 'x7', range: r(1, 6, 8) }]);
    expect(issues[0].message).toBe('"x7" is not a number');
    expect(issues[0].note).toBe('type is "number/default"');
  });

  it('reports constraint-error for minimum, maxLength, pattern and enum', async () => {
    const { issues } = await validate('id,name,score,grade\n1,Annabel,-1,c\n2,bob,11,a', schema);
    expect(issues.map(i => [i.type, i.fieldName, i.cell, i.range])).toEqual([
      ['constraint-error', 'name', 'Annabel', r(1, 2, 9)],
      ['constraint-error', 'score', '-1', r(1, 10, 12)],
      ['constraint-error', 'grade', 'c', r(1, 13, 14)],
      ['constraint-error', 'name', 'bob', r(2, 2, 5)],
      ['constraint-error', 'score', '11', r(2, 6, 8)],
    ]);
    expect(issues.map(i => i.message)).toEqual([
      '"Annabel" has length 7, above the maximum length 5',
      '"-1" is below the minimum 0',
      '"c" is not one of "a", "b"',
      '"bob" does not match the pattern [A-Z].*',
      '"11" is above the maximum 10',
    ]);
    expect(issues[1].note).toBe('constraint "minimum" is "0"');
  });

  it('reports a missing required value as constraint-error and unique-error naming the first row', async () => {
    const { issues } = await validate('id,name,score,grade\n,Ann,1,a\n7,Bo,2,b\n7,Cy,3,a', schema);
    expect(issues.map(pick)).toEqual([
      { type: 'constraint-error', row: 0, rowNumber: 2, fieldName: 'id', fieldNumber: 1, cell: '', range: r(1, 0, 0) },
      { type: 'unique-error', row: 2, rowNumber: 4, fieldName: 'id', fieldNumber: 1, cell: '7', range: r(3, 0, 1) },
    ]);
    expect([issues[0].message, issues[0].note]).toEqual(['field "id" requires a value', 'constraint "required" is "True"']);
    expect(issues[1].message).toBe('"7" repeats the value of row 3 in field "id"');
  });

  it('treats schema missingValues as null before casting', async () => {
    const { issues } = await validate('id,name,score,grade\n1,Ann,NA,a\n2,Bo,-,b', { ...schema, missingValues: ['', 'NA'] });
    expect(issues.map(i => [i.type, i.cell])).toEqual([['type-error', '-']]);
  });
});

describe('validateTable: constraints a type does not support', () => {
  it('leaves them unchecked and says so once per constraint, still checking those the type supports', async () => {
    const schema = {
      fields: [
        { name: 'n', type: 'integer', constraints: { pattern: '[0-9]{2}', maximum: 500 } },
        { name: 'd', type: 'date', constraints: { pattern: '2024-.*' } },
        { name: 'x', type: 'any', constraints: { maxLength: 1 } },
        { name: 's', type: 'string', constraints: { pattern: '[a-z]+' } },
      ],
    };
    const { issues, summary } = await validate('n,d,x,s\n12,2024-01-02,ab,ok\n123,2023-05-06,abc,OK\n999,2024-01-03,a,ok', schema);
    expect(issues.map(i => [i.type, i.fieldName, i.cell])).toEqual([['constraint-error', 's', 'OK'], ['constraint-error', 'n', '999']]);
    expect(summary.incomplete).toEqual([
      'constraint "pattern" of field "n" is ignored: integer fields do not support it',
      'constraint "pattern" of field "d" is ignored: date fields do not support it',
      'constraint "maxLength" of field "x" is ignored: any fields do not support it',
    ]);
  });
});

describe('validateTable: row errors', () => {
  it('reports missing-cell as a zero-width range at the end of the short row, and extra-cell at the extra cell', async () => {
    const { issues } = await validate('a,b,c\n1,2\n1,2,3,4', null);
    expect(issues.map(pick)).toEqual([
      { type: 'missing-cell', row: 0, rowNumber: 2, fieldName: 'c', fieldNumber: 3, cell: null, range: r(1, 3, 3) },
      { type: 'extra-cell', row: 1, rowNumber: 3, fieldName: null, fieldNumber: 4, cell: '4', range: r(2, 6, 7) },
    ]);
  });

  it('reports blank-row over the whole row and skips its other checks', async () => {
    const { issues } = await validate('a,b\n,\n1,2', { fields: [{ name: 'a', type: 'integer', constraints: { required: true } }, { name: 'b' }] });
    expect(issues.map(pick)).toEqual([{ type: 'blank-row', row: 0, rowNumber: 2, fieldName: null, fieldNumber: null, cell: null, range: r(1, 0, 1) }]);
  });

  it('reports primary-key on a repeated composite key, spanning its cells', async () => {
    const schema = { fields: [{ name: 'a', type: 'integer' }, { name: 'b' }, { name: 'c' }], primaryKey: ['a', 'c'] };
    const { issues } = await validate('a,b,c\n1,x,p\n1,y,q\n1,z,p\n,w,p', schema);
    expect(issues.map(pick)).toEqual([
      { type: 'primary-key', row: 2, rowNumber: 4, fieldName: 'a', fieldNumber: 1, cell: '1, p', range: r(3, 0, 5) },
      { type: 'constraint-error', row: 3, rowNumber: 5, fieldName: 'a', fieldNumber: 1, cell: '', range: r(4, 0, 0) },
    ]);
    expect(issues[0].message).toBe('primary key (a, c) value "1, p" repeats row 2');
    expect([issues[1].message, issues[1].note]).toEqual(['field "a" requires a value', 'constraint "required" is "True"']);
  });

  it('reports unique-error for a uniqueKeys repeat and leaves rows with a null part alone', async () => {
    const schema = { fields: [{ name: 'a' }, { name: 'b' }], uniqueKeys: [['a', 'b']] };
    const { issues } = await validate('a,b\nx,1\nx,\nx,\nx,1', schema);
    expect(issues.map(i => [i.type, i.row, i.range])).toEqual([['unique-error', 3, r(4, 0, 3)]]);
  });

  it('reports foreign-key against another resource through the resolver', async () => {
    const schema = { fields: [{ name: 'country', type: 'string' }], foreignKeys: [{ fields: ['country'], reference: { resource: 'countries', fields: ['code'] } }] };
    const known = new Set(['FR', 'DE']);
    const { issues, summary } = await validate('country\nFR\nXX\n\nDE', schema, { foreignKeys: async () => ({ has: k => known.has(k) }) });
    expect(issues.map(i => [i.type, i.row, i.cell, i.range])).toEqual([['foreign-key', 1, 'XX', r(2, 0, 2)], ['blank-row', 2, null, r(3, 0, 0)]]);
    expect(issues[0].message).toBe('"XX" in (country) has no match in countries (code)');
    expect(summary.incomplete).toEqual([]);
  });

  it('says when a foreign key could not be checked', async () => {
    const schema = { fields: [{ name: 'c' }], foreignKeys: [{ fields: ['c'], reference: { resource: 'nowhere', fields: ['x'] } }] };
    const { summary } = await validate('c\n1', schema);
    expect(summary.incomplete[0]).toMatch(/resource "nowhere" was not found/);
  });

  it('reports a foreign key naming a resource the data package lacks once, on the labels of the key', async () => {
    const schema = { fields: [{ name: 'id' }, { name: 'cc' }, { name: 'yr', type: 'integer' }], foreignKeys: [{ fields: ['cc', 'yr'], reference: { resource: 'nope', fields: ['cc', 'yr'] } }] };
    const { issues, summary } = await validate('id,cc,yr\n1,FR,2020\n2,XX,2021', schema, { foreignKeys: async () => NO_SUCH_RESOURCE });
    expect(issues.map(pick)).toEqual([{ type: 'foreign-key', row: null, rowNumber: null, fieldName: 'cc', fieldNumber: 2, cell: null, range: r(0, 3, 8) }]);
    expect(issues[0].message).toBe('foreign key (cc, yr) refers to the resource "nope", which the data package does not have');
    expect(summary.counts).toEqual({ 'foreign-key': 1 });
    expect(summary.incomplete).toEqual([]);
  });

  it('checks a self-referencing foreign key, forward references included', async () => {
    const schema = { fields: [{ name: 'id', type: 'integer' }, { name: 'parent', type: 'integer' }], foreignKeys: [{ fields: 'parent', reference: { resource: '', fields: 'id' } }] };
    const { issues } = await validate('id,parent\n1,\n2,3\n3,1\n4,9', schema);
    expect(issues.map(i => [i.type, i.row, i.cell, i.range])).toEqual([['foreign-key', 3, '9', r(4, 2, 3)]]);
  });
});

describe('validateTable: labels', () => {
  it('reports blank-label and duplicate-label without a schema', async () => {
    const { issues } = await validate('a,,a\n1,2,3', null);
    expect(issues.map(pick)).toEqual([
      { type: 'blank-label', row: null, rowNumber: 1, fieldName: '', fieldNumber: 2, cell: '', range: r(0, 2, 2) },
      { type: 'duplicate-label', row: null, rowNumber: 1, fieldName: 'a', fieldNumber: 3, cell: 'a', range: r(0, 3, 4) },
    ]);
  });

  it('exact: incorrect-label by position, extra-label past the fields, missing-label for absent fields', async () => {
    const three = { fields: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] };
    const wrong = await validate('a,x,c\n1,2,3', three);
    expect(wrong.issues.map(i => [i.type, i.fieldName, i.cell, i.range])).toEqual([['incorrect-label', 'b', 'x', r(0, 2, 3)]]);
    const extra = await validate('a,b,c,d\n1,2,3,4', three);
    expect(extra.issues.map(i => [i.type, i.fieldNumber, i.cell, i.range])).toEqual([['extra-label', 4, 'd', r(0, 6, 7)]]);
    // a blank label is blank-label only, as in Frictionless, not a mismatch with the field's name as well
    const blank = await validate('a,,c\n1,2,3', three);
    expect(blank.issues.map(i => [i.type, i.fieldNumber])).toEqual([['blank-label', 2]]);
    const missing = await validate('a,b\n1,2', three);
    expect(missing.issues.map(i => [i.type, i.fieldName, i.fieldNumber, i.range])).toEqual([['missing-label', 'c', 3, r(0, 3, 3)]]);
  });

  it('equal, subset, superset and partial map by name', async () => {
    const ab = (fieldsMatch: string) => ({ fields: [{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }], fieldsMatch });
    const equal = await validate('b,a\n1,x', ab('equal'));
    expect(equal.issues.map(i => [i.type, i.fieldName, i.cell])).toEqual([['type-error', 'a', 'x']]);
    expect((await validate('b,z\n1,2', ab('equal'))).issues.map(i => [i.type, i.fieldName])).toEqual([['extra-label', 'z'], ['missing-label', 'a']]);
    expect((await validate('a,b,z\n1,2,3', ab('subset'))).issues).toEqual([]);
    expect((await validate('a\n1', ab('subset'))).issues.map(i => [i.type, i.fieldName])).toEqual([['missing-label', 'b']]);
    expect((await validate('a\n1', ab('superset'))).issues).toEqual([]);
    expect((await validate('a,z\n1,2', ab('superset'))).issues.map(i => [i.type, i.fieldName])).toEqual([['extra-label', 'z']]);
    expect((await validate('y,z\n1,2', ab('partial'))).issues.map(i => i.type)).toEqual(['incorrect-label']);
  });

  it('a file without a header takes its names from the schema', async () => {
    const schema = parseTableSchema({ fields: [{ name: 'n', type: 'integer' }] }, 's.json');
    const run = validateTable(memoryTableSource([['1'], ['x']], { hasHeader: false }), schema, { pii: false });
    const { issues } = await collectValidation(run);
    expect(issues.map(i => [i.type, i.row, i.rowNumber, i.fieldName])).toEqual([['type-error', 1, 2, 'n']]);
  });
});

describe('validateTable: the run', () => {
  it('passes the reader notices through as Strata issue types', async () => {
    const notices: SourceNotice[] = [
      { type: 'unclosed-quote', message: 'a quote opened here is never closed', row: 1, range: r(2, 2, 9) },
      { type: 'encoding-error', message: 'not valid UTF-8: read as windows-1252' },
      { type: 'mixed-line-endings', message: 'lines end with both CRLF and LF', range: r(1, 3, 3) },
    ];
    const { issues } = await validate('a,b\n1,2', null, {}, notices);
    expect(issues.map(i => [i.type, i.row, i.range])).toEqual([
      ['unclosed-quote', 1, r(2, 2, 9)], ['encoding-error', null, undefined], ['mixed-line-endings', null, r(1, 3, 3)],
    ]);
  });

  it('reports a row the reader could not read in its place among the rows, and checks none of its cells', async () => {
    const notices: SourceNotice[] = [{ type: 'format-error', message: 'line 3 is not valid JSON', row: 1 }];
    const schema = { fields: [{ name: 'a', type: 'integer', constraints: { required: true } }, { name: 'b' }] };
    const { issues, summary } = await validate('a,b\n1,x\n,\nz,y', schema, {}, notices);
    expect(issues.map(i => [i.type, i.row, i.rowNumber, i.message])).toEqual([
      ['format-error', 1, 3, 'line 3 is not valid JSON'], ['type-error', 2, 4, '"z" is not an integer'],
    ]);
    expect(summary.counts).toEqual({ 'format-error': 1, 'type-error': 1 });
  });

  it('without a schema checks structure only and suggests inferring one', async () => {
    const { issues, summary } = await validate('a,b\nx,1\n1,y', null);
    expect(issues).toEqual([]);
    expect(summary.schemaSuggested).toBe(true);
  });

  it('caps the issues handed out and still counts them all', async () => {
    const lines = ['n', ...Array.from({ length: 30 }, (_, i) => `x${i}`)].join('\n');
    const { issues, summary } = await validate(lines, { fields: [{ name: 'n', type: 'integer' }] }, { maxIssues: 5 });
    expect(issues).toHaveLength(5);
    expect(summary).toMatchObject({ total: 30, reported: 5, truncated: true, counts: { 'type-error': 30 }, rowsChecked: 30 });
  });

  it('reports progress and stops with a cancelled error when aborted', async () => {
    const rows = [['n'], ...Array.from({ length: 5000 }, (_, i) => [String(i)])];
    const controller = new AbortController();
    const seen: number[] = [];
    const run = validateTable(memoryTableSource(rows, { batchRows: 1000 }), null, {
      signal: controller.signal,
      onProgress: p => { seen.push(p.rowsDone); if (p.rowsDone >= 1999) { controller.abort(); } },
    });
    const error = await collectValidation(run).then(() => null, (e: unknown) => e);
    expect(isDatasetError(error) && error.code).toBe('cancelled');
    expect(seen).toEqual([999, 1999]);
    await expect(run.summary).rejects.toThrow('cancelled');
  });

  it('reports personal data once per column, unless the field is marked allowed', async () => {
    const text = ['id,email,contact', ...Array.from({ length: 12 }, (_, i) => `${i},user${i}@example.org,user${i}@example.com`)].join('\n');
    const schema = { fields: [{ name: 'id', type: 'integer' }, { name: 'email', 'strata:pii': 'allowed' }, { name: 'contact' }] };
    const { issues } = await validate(text, schema, { pii: true });
    expect(issues.map(i => [i.type, i.severity, i.fieldName, i.row, i.range])).toEqual([['personal-data', 'warning', 'contact', 0, r(0, 9, 16)]]);
    expect(issues[0].message).toBe('column "contact" may hold personal data: 100% of 12 values look like email addresses (e.g. row 2); mark the field "strata:pii": "allowed" in the schema if this is intended');
  });
});

describe('validateTable: positions read on demand', () => {
  it('asks the source for the positions of the rows with issues only, and places issues as inline positions would', async () => {
    const text = 'id,n\n1,2\n2,x\n3,4\n3,5\n4,6';
    const schema = parseTableSchema({ fields: [{ name: 'id', type: 'integer', constraints: { unique: true } }, { name: 'n', type: 'integer' }, { name: 'extra' }] }, 's.json');
    const { rows, ranges } = table(text);
    const asked: number[][] = [];
    const source = {
      ...memoryTableSource(rows),
      async rangesOf(wanted: readonly number[]) {
        asked.push([...wanted]);
        return new Map(wanted.map(row => [row, { cells: ranges[row + 1] }]));
      },
    };
    const lazy = await collectValidation(validateTable(source, schema, { pii: false }));
    const inline = await collectValidation(validateTable(memoryTableSource(rows, { ranges }), schema, { pii: false }));
    expect(lazy.issues).toEqual(inline.issues);
    expect(lazy.issues.map(i => [i.type, i.range])).toEqual([
      ['missing-label', r(0, 4, 4)], ['type-error', r(2, 2, 3)], ['unique-error', r(4, 0, 1)],
    ]);
    expect(asked).toEqual([[-1, 1, 3]]);
  });
});
