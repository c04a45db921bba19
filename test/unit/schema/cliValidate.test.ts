import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/cliTypes';
import { runCli } from '../../../src/cli/main';

const FIXTURES = join(__dirname, '../../fixtures/schema');

async function cliIn(cwd: string, ...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: s => out.push(...s.split('\n')), err: s => err.push(s), cwd };
  const code = await runCli(argv, io);
  return { code, out, err };
}

const cli = (...argv: string[]) => cliIn(FIXTURES, ...argv);

describe('strata validate', () => {
  it('prints one line per problem with 1-based line:col of the cell, then a summary; exit 1', async () => {
    const { code, out, err } = await cli('validate', 'people.csv');
    expect(out).toEqual([
      'people.csv:4:8: type-error: "19x0-02-03" is not a date',
      'people.csv:5:6: type-error: "1992-13-01" is not a date',
      'people.csv:5:16: missing-cell: row has 3 of 4 cells: "email" is missing',
      'people.csv:6:32: extra-cell: extra cell "extra" beyond the 4 columns of the header',
      'people.csv:7:1: primary-key: primary key (id) value "4" repeats row 5',
      'people.csv:1:14: warning: personal-data: column "email" may hold personal data: 100% of 4 values look like email addresses (e.g. row 2); mark the field "strata:pii": "allowed" in the schema if this is intended',
      '1 file, 1 with problems: 5 errors (2 type-error, 1 primary-key, 1 missing-cell, 1 extra-cell), 1 personal-data warning',
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(1);
  });

  it('places issues of a JSON Lines file at the value in its record\'s line', async () => {
    const { code, out } = await cli('validate', 'readings.jsonl');
    expect(out).toEqual([
      'readings.jsonl:2:24: type-error: "high" is not a number',
      'readings.jsonl:3:11: unique-error: "a1" repeats the value of row 2 in field "sensor"',
      'readings.jsonl:3:33: constraint-error: field "ok" requires a value',
      '1 file, 1 with problems: 3 errors (1 type-error, 1 constraint-error, 1 unique-error)',
    ]);
    expect(code).toBe(1);
  });

  it('places the field-name issues of a JSON Lines file on line 1 and a line that is not JSON on its own line, past a blank line', async () => {
    const { code, out } = await cli('validate', 'unreadable.jsonl', '--schema', 'readings.schema.json');
    expect(out).toEqual([
      'unreadable.jsonl:1:2: incorrect-label: label "reading" does not match the schema field "value"',
      'unreadable.jsonl:1:4: missing-label: the schema field "at" has no column in the header',
      'unreadable.jsonl:3:1: format-error: line 3 is not valid JSON (Unexpected end of JSON input)',
      '1 file, 1 with problems: 3 errors (1 incorrect-label, 1 missing-label, 1 format-error)',
    ]);
    expect(code).toBe(1);
  });

  it('exits 0 for a folder of valid files', async () => {
    const { code, out } = await cli('validate', 'clean');
    expect(out).toEqual(['1 file, all valid']);
    expect(code).toBe(0);
  });

  it('validates every tabular resource of a data package with its dialect and foreign keys', async () => {
    const { code, out } = await cli('validate', 'package/datapackage.json', '--no-pii');
    expect(out).toEqual([
      'package/data/cities.csv:4:10: foreign-key: "XX" in (country) has no match in countries (code)',
      'package/data/cities.csv:5:10: constraint-error: "-5" is below the minimum 0',
      '2 files, 1 with problems: 2 errors (1 constraint-error, 1 foreign-key)',
    ]);
    expect(code).toBe(1);
  });

  it('finds the data package of a file given alone', async () => {
    const { out } = await cli('validate', 'package/data/cities.csv', '--no-pii');
    expect(out[0]).toBe('package/data/cities.csv:4:10: foreign-key: "XX" in (country) has no match in countries (code)');
  });

  it('--schema applies a schema to the files given', async () => {
    const { code, out } = await cli('validate', 'clean/events.csv', '--schema', 'people.schema.json');
    expect(out).toEqual([
      'clean/events.csv:1:4: incorrect-label: label "when" does not match the schema field "name"',
      'clean/events.csv:1:9: incorrect-label: label "ok" does not match the schema field "born"',
      'clean/events.csv:1:11: missing-label: the schema field "email" has no column in the header',
      'clean/events.csv:2:14: type-error: "true" is not a date',
      'clean/events.csv:3:14: type-error: "false" is not a date',
      '1 file, 1 with problems: 5 errors (2 type-error, 2 incorrect-label, 1 missing-label)',
    ]);
    expect(code).toBe(1);
  });

  it('--json prints the files, their validity and their errors with line, col and the Frictionless positions', async () => {
    const { code, out } = await cli('validate', 'people.csv', 'clean/events.csv', '--json', '--no-pii');
    const report = JSON.parse(out.join('\n'));
    expect(report.files.map((f: { path: string; valid: boolean }) => [f.path, f.valid])).toEqual([['people.csv', false], ['clean/events.csv', true]]);
    expect(report.files[0].errors[0]).toEqual({
      type: 'type-error', severity: 'error', line: 4, col: 8, row: 3, field: 'born',
      rowNumber: 3, fieldNumber: 3, fieldName: 'born', cell: '19x0-02-03', note: 'type is "date/default"', message: '"19x0-02-03" is not a date',
    });
    // a row issue has no single cell and no note
    expect(report.files[0].errors[2]).toEqual({
      type: 'missing-cell', severity: 'error', line: 5, col: 16, row: 4, field: 'email',
      rowNumber: 4, fieldNumber: 4, fieldName: 'email', cell: null, message: 'row has 3 of 4 cells: "email" is missing',
    });
    expect(report.files[0].schema).toBe('schema people.schema.json (beside the file)');
    expect(code).toBe(1);
  });

  it('exits 2 for a schema that is not JSON, naming the file and where', async () => {
    const { code, out, err } = await cli('validate', 'broken.csv');
    expect(err).toEqual(['strata validate: broken.csv: broken.schema.json: not valid JSON: unexpected "]" at line 1, column 51']);
    expect(out).toEqual(['1 file, 1 could not be read']);
    expect(code).toBe(2);
  });

  it('exits 2 for a missing file, a file that is no dataset, and no arguments', async () => {
    expect((await cli('validate', 'nope.csv')).err).toEqual(['strata validate: nope.csv: no such file or folder']);
    expect((await cli('validate', 'nope.csv')).code).toBe(2);
    expect((await cli('validate', 'package/README.md')).code).toBe(2);
    const usage = await cli('validate');
    expect(usage.code).toBe(2);
    expect(usage.err[0]).toMatch(/^strata validate: what should be validated\?/);
  });

  it('without a schema reports structure only and says how to get a schema', async () => {
    const { code, out, err } = await cli('validate', 'orders.csv', '--no-pii');
    expect(out).toEqual(['1 file, all valid']);
    expect(err).toEqual(["strata validate: orders.csv: note: no schema applies, so only structure, encoding and personal data were checked; 'strata infer orders.csv' writes one"]);
    expect(code).toBe(0);
  });
});

describe('strata validate: problems of the schema itself', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-validate-'));
    writeFileSync(join(dir, 'n.csv'), 'n\n12\n123\n');
    writeFileSync(join(dir, 'n.schema.json'), JSON.stringify({ fields: [{ name: 'n', type: 'integer', constraints: { pattern: '[0-9]{2}' } }] }));
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(join(dir, 'pkg', 'obs.csv'), 'id,cc\n1,FR\n');
    writeFileSync(join(dir, 'pkg', 'datapackage.json'), JSON.stringify({
      resources: [{
        name: 'obs', path: 'obs.csv',
        schema: { fields: [{ name: 'id', type: 'integer' }, { name: 'cc' }], foreignKeys: [{ fields: 'cc', reference: { resource: 'nope', fields: 'cc' } }] },
      }],
    }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('does not apply a constraint the field type does not support, and says so on stderr', async () => {
    const { code, out, err } = await cliIn(dir, 'validate', 'n.csv', '--no-pii');
    expect(out).toEqual(['1 file, all valid']);
    expect(err).toEqual(['strata validate: n.csv: note: constraint "pattern" of field "n" is ignored: integer fields do not support it']);
    expect(code).toBe(0);
  });

  it('reports a foreign key to a resource the data package lacks as a problem, exit 1', async () => {
    const { code, out, err } = await cliIn(dir, 'validate', 'pkg/datapackage.json', '--no-pii');
    expect(out).toEqual([
      'pkg/obs.csv:1:4: foreign-key: foreign key (cc) refers to the resource "nope", which the data package does not have',
      '1 file, 1 with problems: 1 error (1 foreign-key)',
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(1);
  });
});

describe('strata validate and infer: lines above the header', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-preamble-'));
    writeFileSync(join(dir, 'sales.csv'), 'Sales report Q3 2026\nSource: ACME, Inc.\n\nid,region,amount\n1,north,10.5\n2,south,x\n');
    writeFileSync(join(dir, 'sales.schema.json'), JSON.stringify({ fields: [{ name: 'id', type: 'integer' }, { name: 'region' }, { name: 'amount', type: 'number' }] }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('places problems on the lines of the file and notes the lines skipped', async () => {
    const { code, out, err } = await cliIn(dir, 'validate', 'sales.csv', '--no-pii');
    expect(out).toEqual(['sales.csv:6:9: type-error: "x" is not a number', '1 file, 1 with problems: 1 error (1 type-error)']);
    expect(err).toEqual(['strata validate: sales.csv: note: skipped 3 lines above the header (a title or comments)']);
    expect(code).toBe(1);
    const json = JSON.parse((await cliIn(dir, 'validate', 'sales.csv', '--no-pii', '--json')).out.join('\n'));
    expect(json.files[0].errors.map((e: { line: number; rowNumber: number }) => [e.line, e.rowNumber])).toEqual([[6, 6]]);
    expect(json.files[0].summary.notes).toEqual(['skipped 3 lines above the header (a title or comments)']);
  });

  it('infer says how a Table Dialect records the lines skipped', async () => {
    const { code, out, err } = await cliIn(dir, 'infer', 'sales.csv');
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n')).fields.map((f: { name: string }) => f.name)).toEqual(['id', 'region', 'amount']);
    expect(err).toEqual(['strata infer: sales.csv: skipped 3 lines above the header (a title or comments); a Table Dialect says so with "headerRows": [4]']);
  });
});

describe('strata infer', () => {
  it('prints the inferred schema as JSON', async () => {
    const { code, out } = await cli('infer', 'orders.csv');
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('\n'));
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'orders.inferred.json'), 'utf8'));
    // the printed form leaves defaults out (format "default", empty constraints, exact fieldsMatch, empty key lists)
    expect(printed.fields.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual(expected.fields.map((f: { name: string; type: string }) => [f.name, f.type]));
    expect(printed.fields[1]).toEqual({ name: 'customer_email', type: 'string', format: 'email', constraints: { required: true, unique: true } });
    expect(printed.fields[4]).toEqual({ name: 'quantity', type: 'integer' });
    expect(printed.primaryKey).toEqual(['order_id']);
    expect(printed.missingValues).toEqual(['', 'NA']);
    expect(Object.keys(printed)).toEqual(['fields', 'missingValues', 'primaryKey']);
  });

  it('exits 2 for a file that cannot be read', async () => {
    const { code, err } = await cli('infer', 'nope.csv');
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^strata infer: cannot open .*nope\.csv: no such file$/);
  });
});
