// Delimited text whose numbers are written with `,` thousands groups (`"1,234.50"`, `12,500`): read as number columns.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../helpers/cliLines';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';

const EN = 'id,amount,n,label\n1,"1,234.50","12,500",a\n2,7.25,300,b\n3,"-3,000,000.00","1,000",c\n4,0.5,7,d\n';
const GROUPED = { decimalChar: '.', groupChar: ',' };

const open = (text: string, name = 'data.csv') => openCsv(bufferFromBytes(new TextEncoder().encode(text)), { name });

const cli = (...argv: string[]): Promise<CliRun> => runCliIn(dir, argv);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-thousands-comma-'));
  writeFileSync(join(dir, 'en.csv'), EN);
  writeFileSync(join(dir, 'en-bad.csv'), `${EN}5,abc,8,e\n6,"1,5",9,f\n`);
  writeFileSync(join(dir, 'plain.csv'), 'id,amount,n,label\n1,1234.5,12500,a\n2,7.25,300,b\n3,-3000000,1000,c\n4,0.50,7,d\n');
  writeFileSync(join(dir, 'changed.csv'), 'id,amount,n,label\n1,1234.5,12500,a\n2,7.26,300,b\n3,-3000000,1000,c\n4,0.50,7,d\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('opening delimited text with thousands groups', () => {
  it('types such a column number and keeps how its numbers are written, grouped integers too', async () => {
    const ds = await open(EN);
    expect(ds.fields.map(f => [f.name, f.type, f.numberFormat])).toEqual([
      ['id', 'integer', undefined], ['amount', 'number', GROUPED], ['n', 'number', GROUPED], ['label', 'string', undefined],
    ]);
  });

  it('in a tab- or ;-delimited file, only when some value cannot have a decimal comma', async () => {
    const tsv = await open('id\tamount\tn\n1\t1,234.50\t12,500\n2\t7.25\t300\n', 'data.tsv');
    expect(tsv.fields.map(f => [f.type, f.numberFormat])).toEqual([['integer', undefined], ['number', GROUPED], ['string', undefined]]);
    const semi = await open('a;b;c\n3,000,000;1,234;1,5\n12,500;12,500;2,25\n');
    expect(semi.fields.map(f => [f.type, f.numberFormat])).toEqual([['number', GROUPED], ['string', undefined], ['number', { decimalChar: ',' }]]);
  });

  it('not for values that are no such numbers', async () => {
    const ds = await open('a,b,c,d\n"1,23",x,"0,123","1,234"\n5,"1,234","1,000",007\n');
    expect(ds.fields.map(f => [f.type, f.numberFormat])).toEqual([['string', undefined], ['string', undefined], ['string', undefined], ['string', undefined]]);
  });
});

describe('the CLI on a file with thousands groups', () => {
  it('head --json gives the numbers and the field its groupChar; the table prints them as written', async () => {
    const json = await cli('head', 'en.csv', '--json');
    expect(JSON.parse(json.out.join('\n'))).toEqual({
      format: 'csv', rowCount: 4,
      fields: [{ name: 'id', type: 'integer' }, { name: 'amount', type: 'number', groupChar: ',' }, { name: 'n', type: 'number', groupChar: ',' }, { name: 'label', type: 'string' }],
      rows: [[1, 1234.5, 12500, 'a'], [2, 7.25, 300, 'b'], [3, -3000000, 1000, 'c'], [4, 0.5, 7, 'd']],
    });
    expect(json.out.join('\n')).toContain('[3,-3000000.00,1000,"c"]');
    const table = await cli('head', 'en.csv');
    expect(table.out[6]).toBe('      3  -3,000,000.00   1,000  c');
  });

  it('profile gives the columns numeric figures', async () => {
    const r = await cli('profile', 'en.csv', '--json');
    expect(r.code).toBe(0);
    const profile = JSON.parse(r.out.join('\n')) as { columnProfiles: { name: string; invalid: number; number?: Record<string, unknown> }[] };
    const amount = profile.columnProfiles.find(c => c.name === 'amount');
    expect(amount).toMatchObject({ type: 'number', invalid: 0 });
    expect(amount?.number).toMatchObject({ min: -3000000, max: 1234.5, sum: -2998757.75 });
    const n = profile.columnProfiles.find(c => c.name === 'n');
    expect(n?.number).toMatchObject({ min: 7, max: 12500, sum: 13807 });
  });

  it('infer writes groupChar alone, and validate accepts the file with that schema and reports abc', async () => {
    const inferred = await cli('infer', 'en.csv', '--ranges');
    expect(inferred.code).toBe(0);
    const schema = JSON.parse(inferred.out.join('\n')) as { fields: Record<string, unknown>[] };
    expect(schema.fields[1]).toEqual({ name: 'amount', type: 'number', groupChar: ',', constraints: { required: true, minimum: -3000000, maximum: 1234.5 } });
    expect(schema.fields[2]).toEqual({ name: 'n', type: 'number', groupChar: ',', constraints: { required: true, minimum: 7, maximum: 12500 } });
    writeFileSync(join(dir, 'en.table.json'), inferred.out.join('\n'));
    const valid = await cli('validate', 'en.csv', '--schema', 'en.table.json');
    expect([valid.code, valid.out]).toEqual([0, ['1 file, all valid']]);
    const invalid = await cli('validate', 'en-bad.csv', '--schema', 'en.table.json');
    expect(invalid.code).toBe(1);
    expect(invalid.out.filter(l => l.includes('type-error:'))).toEqual(['en-bad.csv:6:3: type-error: "abc" is not a number']);
  });

  it('diff finds the file equal to one written without groups, but for the format of its columns', async () => {
    const same = await cli('diff', 'plain.csv', 'en.csv', '--json');
    const d = JSON.parse(same.out.join('\n')) as { identical: boolean; rows: Record<string, number>; schema: Record<string, unknown> };
    expect(d.rows).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 4 });
    expect(d.schema).toMatchObject({
      typeChanged: [{ name: 'n', from: 'integer', to: 'number' }],
      formatChanged: [{ name: 'amount', type: 'number', from: '1234.5', to: '1,234.5' }],
    });
    expect(d.identical).toBe(false);
    const text = await cli('diff', 'plain.csv', 'en.csv');
    expect(text.out).toContain('schema: n integer → number; amount format 1234.5 → 1,234.5 (4 → 4 columns)');
    const changed = await cli('diff', 'changed.csv', 'en.csv', '--json');
    expect(JSON.parse(changed.out.join('\n'))).toMatchObject({
      rows: { changed: 1, unchanged: 3 },
      changes: [{ type: 'changed', key: ['2'], cells: { amount: { old: '7.26', new: '7.25' } } }],
    });
  });
});
