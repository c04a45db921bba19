// Delimited text whose numbers are written with a decimal comma (`10,50`, `1.234,00`): read as number columns.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../helpers/cliLines';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';

const EU = 'id;price;qty;label\n1;10,50;3;a\n2;7,25;1;b\n3;1.234,00;2;c\n4;-0,5;7;d\n';

const open = (text: string, name = 'data.csv') => openCsv(bufferFromBytes(new TextEncoder().encode(text)), { name });

const cli = (...argv: string[]): Promise<CliRun> => runCliIn(dir, argv);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-decimal-comma-'));
  writeFileSync(join(dir, 'eu.csv'), EU);
  writeFileSync(join(dir, 'eu-bad.csv'), `${EU}5;n/a;8;e\n6;abc;9;f\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('opening delimited text with decimal commas', () => {
  it('types such a column number and keeps how its numbers are written', async () => {
    const ds = await open(EU);
    expect(ds.fields.map(f => [f.name, f.type, f.numberFormat])).toEqual([
      ['id', 'integer', undefined], ['price', 'number', { decimalChar: ',', groupChar: '.' }], ['qty', 'integer', undefined], ['label', 'string', undefined],
    ]);
    const tsv = await open('a\tb\n1 234,5\t1,5\n2\t2,25\n', 'data.tsv');
    expect(tsv.fields.map(f => [f.type, f.numberFormat])).toEqual([['number', { decimalChar: ',', groupChar: ' ' }], ['number', { decimalChar: ',' }]]);
  });

  it('never in a comma-delimited file, nor for values that are not such numbers', async () => {
    expect((await open('id,price\n1,"10,50"\n2,"7,25"\n')).fields[1]).toMatchObject({ type: 'string' });
    const ds = await open('a;b;c;d\n1.234;1,2,3;12,3456,7;1,234\n2.5;4,5,6;1,5;5,678\n');
    expect(ds.fields.map(f => [f.type, f.numberFormat])).toEqual([['number', undefined], ['string', undefined], ['string', undefined], ['string', undefined]]);
  });
});

describe('the CLI on a file with decimal commas', () => {
  it('head --json gives the numbers and the field says how they are written; the table prints them as written', async () => {
    const json = await cli('head', 'eu.csv', '--json');
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({
      fields: [{ name: 'id', type: 'integer' }, { name: 'price', type: 'number', decimalChar: ',', groupChar: '.' }, { name: 'qty', type: 'integer' }, { name: 'label', type: 'string' }],
      rows: [[1, 10.5, 3, 'a'], [2, 7.25, 1, 'b'], [3, 1234, 2, 'c'], [4, -0.5, 7, 'd']],
    });
    expect(json.out.join('\n')).toContain('[1,10.50,3,"a"]');
    const table = await cli('head', 'eu.csv');
    expect(table.out.slice(1, 4)).toEqual(['id       price     qty      label', 'integer  number    integer  string', '-------  --------  -------  ------']);
    expect(table.out[6]).toBe('      3  1.234,00        2  c');
  });

  it('profile gives the column numeric figures', async () => {
    const r = await cli('profile', 'eu.csv', '--json');
    expect(r.code).toBe(0);
    const profile = JSON.parse(r.out.join('\n')) as { columnProfiles: { name: string; invalid: number; number?: Record<string, unknown> }[] };
    const price = profile.columnProfiles.find(c => c.name === 'price');
    expect(price).toMatchObject({ type: 'number', invalid: 0 });
    expect(price?.number).toMatchObject({ min: -0.5, max: 1234, mean: 312.8125, quantiles: { p50: 8.875 } });
  });

  it('infer writes decimalChar and groupChar, and validate accepts the file with that schema', async () => {
    const inferred = await cli('infer', 'eu.csv');
    expect(inferred.code).toBe(0);
    const schema = JSON.parse(inferred.out.join('\n')) as { fields: Record<string, unknown>[] };
    expect(schema.fields[1]).toEqual({ name: 'price', type: 'number', decimalChar: ',', groupChar: '.', constraints: { required: true } });
    writeFileSync(join(dir, 'eu.schema.json'), inferred.out.join('\n'));
    const valid = await cli('validate', 'eu.csv', '--schema', 'eu.schema.json');
    expect([valid.code, valid.out]).toEqual([0, ['1 file, all valid']]);
    const invalid = await cli('validate', 'eu-bad.csv', '--schema', 'eu.schema.json');
    expect(invalid.code).toBe(1);
    expect(invalid.out.filter(l => l.includes('type-error:'))).toEqual([
      'eu-bad.csv:6:3: type-error: "n/a" is not a number',
      'eu-bad.csv:7:3: type-error: "abc" is not a number',
    ]);
  });
});
