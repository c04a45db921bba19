import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileDataset } from '../../../src/core/profile/datasetProfiler';
import { formatBytes, formatNumber, profileToJson, profileToMarkdown } from '../../../src/core/profile/profileExport';
import { csvColumn, memoryDataset } from './memoryDataset';

const FIXTURES = join(__dirname, '../../fixtures/profile');

function weather() {
  // the rows of test/fixtures/profile/weather.csv, as a CSV reader hands them over
  return memoryDataset([
    csvColumn('city', 'string', ['Oslo', 'Lima', 'Oslo', '']),
    csvColumn('temp', 'number', ['12.5', '-3', '', '20']),
    csvColumn('day', 'date', ['2024-01-02', '2024-01-01', '2024-01-02', '2024-01-03']),
  ]);
}

describe('profile export', () => {
  it('writes the Markdown data dictionary of a small table, exactly', async () => {
    const p = await profileDataset(weather(), { quality: { now: Date.UTC(2024, 0, 13) } });
    const want = readFileSync(join(FIXTURES, 'weather.expected.md'), 'utf8');
    expect(profileToMarkdown(p, { title: 'weather.csv' })).toBe(want);
  });

  it('escapes pipes and line breaks in cells', async () => {
    const p = await profileDataset(memoryDataset([csvColumn('a|b', 'string', ['x|y', 'line\nbreak'])]));
    const md = profileToMarkdown(p);
    expect(md).toContain('| a\\|b | string |');
    expect(md).toContain('line break');
    expect(md.split('\n').filter(l => l.startsWith('| a'))).toHaveLength(1);
  });

  it('JSON round-trips with a fixed key order and no non-finite numbers', async () => {
    const p = await profileDataset(weather(), { quality: { now: Date.UTC(2024, 0, 13) } });
    const text = profileToJson(p);
    expect(JSON.parse(text)).toEqual(p);
    expect(Object.keys(JSON.parse(text))).toEqual(['profileVersion', 'sample', 'rowsProfiled', 'rows', 'columns', 'duplicateRows',
      'duplicateRowsExact', 'memoryBytes', 'columnProfiles', 'quality', 'alerts', 'bounds', 'elapsedMs']);
    expect(text).not.toMatch(/Infinity|NaN/);
    const again = await profileDataset(weather(), { quality: { now: Date.UTC(2024, 0, 13) } });
    expect(profileToJson({ ...again, elapsedMs: p.elapsedMs })).toBe(text);
  });

  it('formats numbers and sizes compactly', () => {
    expect(formatNumber(12)).toBe('12');
    expect(formatNumber(0.123456789)).toBe('0.123457');
    expect(formatNumber(1234567.891)).toBe('1234570');
    expect(formatNumber(1e-7)).toBe('1.000e-7');
    expect(formatNumber(null)).toBe('—');
    expect(formatBytes(104)).toBe('104 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});
