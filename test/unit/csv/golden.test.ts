import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { readCsvRecordsWithPositions } from '../../../src/core/formats/csv/positionedRecords';
import { batchRows, fixture, FIXTURES } from './csvHelpers';

interface Expected {
  format: string;
  encoding: string;
  gzip: boolean;
  dialect: unknown;
  fields: { name: string; label: string; type: string; nullable: boolean }[];
  rows: (string | null)[][];
  warnings: string[];
}

const dir = join(FIXTURES, 'golden');
const names = readdirSync(dir).filter(n => !n.endsWith('.expected.json')).sort();

describe('golden fixtures: each dialect and encoding', () => {
  it('has an expected file for every fixture', () => {
    expect(names.length).toBeGreaterThanOrEqual(18);
    for (const n of names) { expect(readdirSync(dir)).toContain(`${n}.expected.json`); }
  });

  for (const name of names) {
    it(name, async () => {
      const exp = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected;
      const ds = await openCsv(fixture(`golden/${name}`), { name });
      expect(ds.format).toBe(exp.format);
      expect(ds.encoding).toBe(exp.encoding);
      expect(ds.gzip).toBe(exp.gzip);
      expect(ds.dialect).toEqual(exp.dialect);
      expect(ds.fields.map(f => ({ name: f.name, label: f.label, type: f.type, nullable: f.nullable }))).toEqual(exp.fields);
      expect(ds.rowCount).toEqual({ value: exp.rows.length, exact: true });

      expect(batchRows(await ds.readRows(0, 1000))).toEqual(exp.rows);
      // A window in the middle, and a subset of columns in another order.
      if (exp.rows.length > 1) {
        const cols = exp.fields.length > 1 ? [exp.fields.length - 1, 0] : [0];
        expect(batchRows(await ds.readRows(1, 1, cols))).toEqual([cols.map(c => exp.rows[1][c])]);
      }
      const scanned: (string | null)[][] = [];
      await ds.scan(undefined, b => { scanned.push(...batchRows(b)); }, { batchRows: 2 });
      expect(scanned).toEqual(exp.rows);
      expect(ds.warnings.map(w => w.code)).toEqual(exp.warnings);

      // The positioned reader sees the same cells (ragged rows keep their own width there).
      const positioned: (string | null)[][] = [];
      const table = { start: ds.tableStart, startLine: ds.preambleLines + 1 };
      for await (const rec of readCsvRecordsWithPositions(fixture(`golden/${name}`), ds.dialect, { name, ...table })) {
        if (rec.row < 0) { continue; }
        positioned.push(exp.fields.map((_, c) => (rec.cells[c]?.text ? rec.cells[c].text : null)));
      }
      expect(positioned).toEqual(exp.rows);
    });
  }
});
