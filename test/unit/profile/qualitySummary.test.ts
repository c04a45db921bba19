import { describe, expect, it } from 'vitest';
import { profileDataset } from '../../../src/core/profile/datasetProfiler';
import { accuracy, consistency, timeliness, validity } from '../../../src/core/profile/qualitySummary';
import { csvColumn, memoryDataset } from './memoryDataset';
import { daysFromCivil } from '../../../src/core/formats/calendar';

const NOW = Date.UTC(2024, 6, 1);

/** 10 rows: a key with one repeat, a mostly complete category, dates, an amount with one wild value. */
function table() {
  return memoryDataset([
    csvColumn('order_id', 'integer', ['1', '2', '3', '4', '5', '6', '7', '8', '9', '9']),
    csvColumn('status', 'string', ['new', 'paid', 'paid', '', 'paid', 'new', '', 'paid', 'paid', 'paid']),
    csvColumn('placed', 'date', ['2024-06-01', '2024-06-02', '2024-06-03', '2024-06-04', '2024-06-05', '2024-06-06', '2024-06-07', '2024-06-08', '2024-06-09', '2024-06-09']),
    csvColumn('amount', 'number', ['10', '11', '12', '13', '14', '15', '16', '17', '5000', '5000']),
    csvColumn('phone', 'string', ['555-0101', '555-0102', '(555) 0103', '555-0104', '555-0105', '555-0106', '555-0107', '555-0108', '555-0109', '555-0109']),
  ]);
}

describe('quality summary', () => {
  it('scores the six dimensions of a hand-made table', async () => {
    const p = await profileDataset(table(), { quality: { now: NOW, maxAgeDays: 100 } });
    const q = p.quality;
    // 2 missing of 50 cells
    expect(q.completeness).toEqual({ score: 48 / 50, measured: 'non-missing cells / all cells: 48 of 50', worstColumns: ['status'] });
    // the last row repeats the one before: 1 duplicate row of 10; order_id is key-like (9/10 = 90% < 95%)
    // so only the row figure counts
    expect(p.duplicateRows).toBe(1);
    expect(q.uniqueness.score).toBeCloseTo(0.9, 12);
    expect(q.uniqueness.worstColumns).toEqual([]);
    expect(q.validity).toEqual({ score: null, measured: 'not assessed: no schema', worstColumns: [] });
    // typed columns all parse (30 values); phone is code-like with 1 of 10 in another shape
    expect(q.consistency.score).toBeCloseTo(39 / 40, 12);
    expect(q.consistency.worstColumns).toEqual(['phone']);
    // newest date 2024-06-09, 22 days before NOW: 1 - 22/100
    expect(q.timeliness.score).toBeCloseTo(0.78, 12);
    expect(q.timeliness.measured).toContain('2024-06-09 in placed');
    // amount: Q1 = 12.25, Q3 = 16.75 → fences 5.5 and 23.5: the two 5000s are outliers; order_id has none
    const amount = p.columnProfiles[3];
    expect(amount.number!.outliers).toMatchObject({ count: 2, lower: 5.5, upper: 23.5 });
    expect(q.accuracy.score).toBeCloseTo(1 - 2 / 20, 12);
    expect(q.accuracy.worstColumns).toEqual(['amount']);
  });

  it('flags key-like columns with repeats under uniqueness', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => String(i));
    ids[39] = '0';
    const p = await profileDataset(memoryDataset([csvColumn('id', 'integer', ids), csvColumn('x', 'integer', ids.map((_, i) => String(i)))]), { quality: { now: NOW } });
    expect(p.duplicateRows).toBe(0);
    expect(p.quality.uniqueness.score).toBeCloseTo(39 / 40, 12);
    expect(p.quality.uniqueness.worstColumns).toEqual(['id']);
  });

  it('uses a validation result for validity and range errors for accuracy', async () => {
    const p = await profileDataset(table(), { quality: { now: NOW, validation: { rowsChecked: 10, errorsByField: { amount: 2, phone: 1 }, rangeErrorsByField: { amount: 2 } } } });
    expect(p.quality.validity).toEqual({ score: 1 - 3 / 50, measured: 'cells without a schema error / cells checked: 47 of 50', worstColumns: ['amount', 'phone'] });
    expect(p.quality.accuracy.score).toBeCloseTo(1 - 4 / 20, 12);
    expect(validity(p.columnProfiles, null).score).toBeNull();
  });

  it('profiles date-times beyond Date\'s range (a Spark INT96 of year 290000) and judges timeliness by them', async () => {
    const far = (daysFromCivil(290000, 12, 30) * 86_400 + 23 * 3600) * 1000;
    const p = await profileDataset(memoryDataset([
      { name: 'at', type: 'datetime', storage: 'number', values: [Date.UTC(2024, 0, 1), null, far] },
    ]), { quality: { now: NOW } });
    expect(p.columnProfiles[0].date).toMatchObject({ min: '2024-01-01T00:00:00.000Z', max: '+290000-12-30T23:00:00.000Z' });
    expect(p.quality.timeliness.score).toBe(1);
    expect(p.quality.timeliness.measured).toContain('(+290000-12-30 in at) on 2024-07-01');
  });

  it('says "not assessed" where there is nothing to measure', async () => {
    const p = await profileDataset(memoryDataset([csvColumn('note', 'string', ['a b', 'c', 'd e f'])]), { quality: { now: NOW } });
    expect(timeliness(p.columnProfiles, NOW, 365).score).toBeNull();
    expect(accuracy(p.columnProfiles, null).score).toBeNull();
    expect(consistency(p.columnProfiles).score).toBeNull();
    expect(p.quality.timeliness.measured).toBe('not assessed: no date or datetime column');
  });

  it('raises ydata-style column alerts', async () => {
    const n = 1000;
    const p = await profileDataset(memoryDataset([
      csvColumn('const', 'string', Array.from({ length: n }, () => 'same')),
      csvColumn('key', 'integer', Array.from({ length: n }, (_, i) => String(i))),
      csvColumn('mostly_empty', 'number', Array.from({ length: n }, (_, i) => (i < 10 ? '1.5' : ''))),
      csvColumn('zeros', 'integer', Array.from({ length: n }, (_, i) => (i % 2 ? '0' : String(i)))),
      csvColumn('skewed', 'number', Array.from({ length: n }, (_, i) => (i === 0 ? '1e9' : '1'))),
      csvColumn('many', 'string', Array.from({ length: n }, (_, i) => `v${i % 80}`)),
      csvColumn('lopsided', 'string', Array.from({ length: n }, (_, i) => (i < 990 ? 'a' : i < 995 ? 'b' : 'c'))),
      csvColumn('code', 'string', Array.from({ length: n }, (_, i) => `X${100 + (i % 7)}`)),
      csvColumn('none', 'date', Array.from({ length: n }, () => '')),
    ]), { quality: { now: NOW } });
    const alerts = Object.fromEntries(p.columnProfiles.map(c => [c.name, c.alerts]));
    expect(alerts.const).toEqual(['CONSTANT']);
    expect(alerts.key).toEqual(['UNIQUE']);
    expect(alerts.mostly_empty).toEqual(['MISSING', 'CONSTANT']);
    expect(alerts.zeros).toEqual(['ZEROS']);
    expect(alerts.skewed).toContain('SKEWED');
    expect(alerts.many).toEqual(['HIGH_CARDINALITY']);
    expect(alerts.lopsided).toEqual(['IMBALANCE', 'CONSTANT_LENGTH']);
    expect(alerts.code).toEqual(['CONSTANT_LENGTH']);
    expect(alerts.none).toEqual(['EMPTY']);
  });
});
