import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/cliTypes';

const FIXTURES = join(__dirname, '../../fixtures/profile');

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const io: CliIO = { out: s => out.push(...s.split('\n')), err: s => err.push(s), cwd: FIXTURES };
  const code = await runCli(['profile', ...argv], io);
  return { code, out, err };
}

describe('strata profile', () => {
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
