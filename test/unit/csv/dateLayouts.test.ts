// Delimited text whose dates are written in a layout other than ISO 8601 (`25/11/2026`, `25.11.2026`): read as dates.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../helpers/cliLines';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { openDataset } from '../../../src/core/formats/openDataset';

const DMY = 'd,ts,x\n25/11/2026,25/11/2026 13:45,1\n01/02/2026,01/02/2026 08:00,2\n31/12/2025,31/12/2025 23:59,3\n';

const open = (text: string, name = 'data.csv') => openCsv(bufferFromBytes(new TextEncoder().encode(text)), { name });

const cli = (...argv: string[]): Promise<CliRun> => runCliIn(dir, argv);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-date-layouts-'));
  writeFileSync(join(dir, 'dmy.csv'), DMY);
  writeFileSync(join(dir, 'dmy-bad.csv'), `${DMY}32/01/2026,01/02/2026 08:00,4\n01/02/2026,01/02/2026 24:00,5\n`);
  writeFileSync(join(dir, 'de.csv'), 'd;x\n25.11.2026;1\n01.02.2026;2\n');
  writeFileSync(join(dir, 'mdy.csv'), 'd,x\n11/25/2026,1\n02/01/2026,2\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('opening delimited text with dates in a layout', () => {
  it('types such a column date or datetime and keeps its layout', async () => {
    const ds = await open(DMY);
    expect(ds.fields.map(f => [f.name, f.type, f.temporalFormat])).toEqual([
      ['d', 'date', '%d/%m/%Y'], ['ts', 'datetime', '%d/%m/%Y %H:%M'], ['x', 'integer', undefined],
    ]);
    const tsv = await open('a\tb\tc\n25.11.2026\t11/25/2026 13:45:00\t2026/11/25\n01.02.2026\t02/01/2026 08:00:00\t2026/02/01\n', 'data.tsv');
    expect(tsv.fields.map(f => [f.type, f.temporalFormat])).toEqual([
      ['date', '%d.%m.%Y'], ['datetime', '%m/%d/%Y %H:%M:%S'], ['date', '%Y/%m/%d'],
    ]);
  });

  it('never guesses, and leaves ISO 8601 and JSON Lines as they were', async () => {
    const ds = await open('a,b,c,d,e\n01/02/2026,25/11/2026,25/11/26,2026-11-25,25/11/2026 13:45\n03/04/2026,11/25/2026,01/02/26,2026-02-01,01/02/2026 08:00:00\n');
    expect(ds.fields.map(f => [f.type, f.temporalFormat])).toEqual([
      ['string', undefined], ['string', undefined], ['string', undefined], ['date', undefined], ['string', undefined],
    ]);
    const jsonl = await openDataset(bufferFromBytes(new TextEncoder().encode('{"d":"25/11/2026"}\n{"d":"01/02/2026"}\n')), { name: 'data.jsonl' });
    expect(jsonl.fields.map(f => [f.type, f.temporalFormat])).toEqual([['string', undefined]]);
  });
});

describe('the CLI on a file with dates in a layout', () => {
  it('head --json gives ISO 8601 and the field says how the file writes them; the table prints them as written', async () => {
    const json = await cli('head', 'dmy.csv', '--json');
    expect(JSON.parse(json.out.join('\n'))).toEqual({
      format: 'csv', rowCount: 3,
      fields: [{ name: 'd', type: 'date', format: '%d/%m/%Y' }, { name: 'ts', type: 'datetime', format: '%d/%m/%Y %H:%M' }, { name: 'x', type: 'integer' }],
      rows: [['2026-11-25', '2026-11-25T13:45', 1], ['2026-02-01', '2026-02-01T08:00', 2], ['2025-12-31', '2025-12-31T23:59', 3]],
    });
    const mdy = await cli('head', 'mdy.csv', '--json');
    expect(JSON.parse(mdy.out.join('\n'))).toMatchObject({ fields: [{ type: 'date', format: '%m/%d/%Y' }, {}], rows: [['2026-11-25', 1], ['2026-02-01', 2]] });
    const table = await cli('head', 'dmy.csv');
    expect(table.out.slice(1, 4)).toEqual(['d           ts                x', 'date        datetime          integer', '----------  ----------------  -------']);
    expect(table.out[4]).toBe('25/11/2026  25/11/2026 13:45        1');
  });

  it('profile gives the columns date figures', async () => {
    const r = await cli('profile', 'de.csv', '--json');
    expect(r.code).toBe(0);
    const profile = JSON.parse(r.out.join('\n')) as { columnProfiles: { name: string; type: string; invalid: number; date?: Record<string, unknown> }[] };
    expect(profile.columnProfiles[0]).toMatchObject({ type: 'date', invalid: 0, date: { min: '2026-02-01', max: '2026-11-25', period: 'month' } });
  });

  it('infer writes the layout as the format, and validate accepts the file with that schema', async () => {
    const inferred = await cli('infer', 'dmy.csv');
    expect(inferred.code).toBe(0);
    const schema = JSON.parse(inferred.out.join('\n')) as { fields: Record<string, unknown>[] };
    expect(schema.fields.slice(0, 2)).toEqual([
      { name: 'd', type: 'date', format: '%d/%m/%Y', constraints: { required: true, unique: true } },
      { name: 'ts', type: 'datetime', format: '%d/%m/%Y %H:%M', constraints: { required: true, unique: true } },
    ]);
    writeFileSync(join(dir, 'dmy.schema.json'), inferred.out.join('\n'));
    const valid = await cli('validate', 'dmy.csv', '--schema', 'dmy.schema.json');
    expect([valid.code, valid.out]).toEqual([0, ['1 file, all valid']]);
    const invalid = await cli('validate', 'dmy-bad.csv', '--schema', 'dmy.schema.json');
    expect(invalid.code).toBe(1);
    expect(invalid.out.filter(l => l.includes('type-error:'))).toEqual([
      'dmy-bad.csv:5:1: type-error: "32/01/2026" is not a date in the format %d/%m/%Y',
      'dmy-bad.csv:6:12: type-error: "01/02/2026 24:00" is not a datetime in the format %d/%m/%Y %H:%M',
    ]);
  });
});
