import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { batchRows } from './csvHelpers';

const root = dirname(createRequire(__filename).resolve('csv-spectrum/package.json'));
const cases = readdirSync(join(root, 'csvs')).filter(n => n.endsWith('.csv')).map(n => basename(n, '.csv')).sort();

/**
 * The package's expected rows. Two defects of csv-spectrum 2.0.0 are corrected here, both in
 * location_coordinates: its JSON is a bare object rather than an array of rows, and its phone number
 * (1234567890) is not the one in the CSV (2095257564).
 */
function expectedRows(name: string): Record<string, string>[] {
  const raw = JSON.parse(readFileSync(join(root, 'json', `${name}.json`), 'utf8')) as Record<string, string> | Record<string, string>[];
  const rows = Array.isArray(raw) ? raw : [raw];
  if (name === 'location_coordinates' && rows[0]['Contact Phone Number'] === '1234567890') {
    rows[0]['Contact Phone Number'] = '2095257564';
  }
  return rows;
}

describe('csv-spectrum: every case parses to its expected JSON', () => {
  it('finds the cases', () => { expect(cases.length).toBeGreaterThanOrEqual(12); });

  for (const name of cases) {
    it(name, async () => {
      const bytes = new Uint8Array(readFileSync(join(root, 'csvs', `${name}.csv`)));
      const expected = expectedRows(name);
      const ds = await openCsv(bufferFromBytes(bytes), { name: `${name}.csv` });
      expect(ds.dialect.header).toBe(true);
      expect(ds.rowCount).toEqual({ value: expected.length, exact: true });
      const rows = batchRows(await ds.readRows(0, 100));
      // Strata reads empty cells as missing; the spectrum writes them as "".
      const got = rows.map(r => Object.fromEntries(ds.fields.map((f, c) => [f.label, r[c] ?? ''])));
      expect(got).toEqual(expected);
      expect(ds.warnings).toEqual([]);
    });
  }
});
