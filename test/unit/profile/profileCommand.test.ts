import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../helpers/cliLines';

const FIXTURES = join(__dirname, '../../fixtures/profile');

const cli = (...argv: string[]): Promise<CliRun> => runCliIn(FIXTURES, ['profile', ...argv]);

describe('strata profile', () => {
  it('says 1 row and 1 column in the singular', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-profile-'));
    writeFileSync(join(dir, 'one.csv'), 'url\nhttp://a.com/x\n');
    const r = await cli(join(dir, 'one.csv'));
    expect(r.out[0]).toMatch(/^one\.csv: 1 row × 1 column, 0 duplicate rows/);
  });

  it('prints an aligned table per column and the quality summary', async () => {
    const r = await cli('weather.csv');
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out[0]).toMatch(/^weather\.csv: 4 rows × 3 columns, 0 duplicate rows/);
    const header = r.out.find(l => l.startsWith('column'))!;
    const temp = r.out.find(l => l.startsWith('temp '))!;
    // columns line up: each heading starts where its values start
    expect(temp.indexOf('25.0%')).toBe(header.indexOf('missing'));
    expect(temp.indexOf('-3 – 20')).toBe(header.indexOf('range'));
    expect(r.out).toContain('quality');
    expect(r.out.some(l => /^\s+validity\s+not assessed\s+not assessed: no schema$/.test(l))).toBe(true);
  });

  it('--json writes the profile, --markdown the data dictionary, --columns picks columns in order', async () => {
    const j = await cli('weather.csv', '--json', '--columns', 'temp,city');
    expect(j.code).toBe(0);
    const p = JSON.parse(j.out.join('\n'));
    expect(p.profileVersion).toBe(1);
    expect(p.columnProfiles.map((c: { name: string }) => c.name)).toEqual(['temp', 'city']);
    const m = await cli('weather.csv', '--markdown');
    expect(m.code).toBe(0);
    expect(m.out[0]).toBe('# Data dictionary: weather.csv');
    expect(m.out).toContain('| day | date | 0.0% | 3 | 2024-01-01 – 2024-01-03 | 2024-01-02, 2024-01-01, 2024-01-03 |');
  });

  it('shows 64-bit integers with every digit and times of day as times, in the table and in --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-profile-'));
    const file = join(dir, 'wide.csv');
    writeFileSync(file, 'big,t,ts\n9007199254740993,03:04:05,2024-01-02 03:04:05\n-9223372036854775808,13:00:00,2024-01-02 03:04:06\n18446744073709551615,13:00:00,2024-01-02 03:04:07\n');
    const r = await cli(file);
    expect(r.code).toBe(0);
    const row = (name: string): string => r.out.find(l => l.startsWith(`${name} `))!;
    expect(row('big')).toContain('-9223372036854775808 – 18446744073709551615');
    expect(row('big')).toMatch(/-9223372036854775808 \(1\)$/);
    expect(row('t')).toContain('03:04:05 – 13:00:00');
    expect(row('t')).toContain('mean 09:41:21.667, p50 13:00:00');
    expect(row('t')).toMatch(/13:00:00 \(2\)$/);
    expect(row('ts')).toContain('2024-01-02T03:04:05.000 – 2024-01-02T03:04:07.000');
    const j = await cli(file, '--json');
    const [big, t, ts] = JSON.parse(j.out.join('\n')).columnProfiles;
    expect(big.top.map((v: { value: string }) => v.value)).toEqual(['-9223372036854775808', '9007199254740993', '18446744073709551615']);
    expect(big.number).toMatchObject({ minExact: '-9223372036854775808', maxExact: '18446744073709551615' });
    expect(t.top[0]).toEqual({ value: '13:00:00', count: 2 });
    expect(ts.date.min).toBe('2024-01-02T03:04:05.000');
  });

  it('--columns says that duplicate rows were counted over the chosen columns', async () => {
    // Oslo's two rows are alike in city and in nothing else
    const whole = await cli('weather.csv');
    expect(whole.out[0]).toMatch(/, 0 duplicate rows,/);
    const chosen = await cli('weather.csv', '--columns', 'city');
    expect(chosen.out[0]).toMatch(/, 1 duplicate rows \(over city\),/);
    const md = await cli('weather.csv', '--markdown', '--columns', 'city,day');
    expect(md.out.find(l => l.includes('Duplicate rows'))).toContain('Duplicate rows (over city, day): 1 (25.0%).');
  });

  it('--sample profiles the first rows only', async () => {
    const r = await cli('weather.csv', '--json', '--sample', '2');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.join('\n'))).toMatchObject({ sample: true, rowsProfiled: 2 });
  });

  it('exits 2 with one line on bad input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-profile-'));
    writeFileSync(join(dir, 'broken.parquet'), Buffer.from('PAR1 this is not parquet at all PAR1'));
    const cases: string[][] = [
      [],
      ['missing.csv'],
      ['weather.csv', '--json', '--markdown'],
      ['weather.csv', '--columns', 'nope'],
      ['weather.csv', '--sample', '0'],
      ['weather.csv', '--bogus'],
      [join(dir, 'broken.parquet')],
    ];
    for (const argv of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
      expect(r.err[0]).toMatch(/^strata profile: \S/);
      expect(r.out).toEqual([]);
    }
    const nope = await cli('weather.csv', '--columns', 'nope');
    expect(nope.err[0]).toBe("strata profile: no column 'nope' (columns: city, temp, day)");
  });
});
