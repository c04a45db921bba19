// The human form of a diff: the row table under --limit (none at 0, the count of rows left out
// below it without widening its columns).
import { describe, expect, it } from 'vitest';
import { diffToText } from '../../../src/core/diff/diffText';
import { diffOf } from './diffHelpers';

const A = 'id,name\n1,a\n2,b\n3,c\n';
const B = 'id,name\n1,a\n2,B\n4,d\n';

function tableOf(lines: string[]): string[] {
  const start = lines.findIndex(l => l.startsWith('@@'));
  if (start < 0) { return []; }
  const end = lines.indexOf('', start);
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('diff text: the row table', () => {
  it('lists every change when the limit allows', async () => {
    const d = await diffOf(A, B, { key: ['id'] });
    expect(tableOf(diffToText(d))).toEqual(['@@   id  name', '->   2   b->B', '---  3   c', '+++  4   d']);
  });

  it('keeps the columns as wide as the rows listed, with the rows left out counted below', async () => {
    const d = await diffOf(A, B, { key: ['id'] });
    expect(tableOf(diffToText(d, { limit: 1 }))).toEqual(['@@  id  name', '->  2   b->B', '...  2 more rows']);
    expect(tableOf(diffToText(d, { limit: 2 }))).toEqual(['@@   id  name', '->   2   b->B', '---  3   c', '...  1 more row']);
  });

  it('prints no table at a limit of 0, only the summary', async () => {
    const d = await diffOf(A, 'id,name,extra\n1,a,x\n2,B,y\n4,d,z\n', { key: ['id'], maxExamples: 0 });
    const lines = diffToText(d, { limit: 0 });
    expect(tableOf(lines)).toEqual([]);
    expect(lines.some(l => l.startsWith('...') || l.startsWith('!'))).toBe(false);
    expect(lines).toContain('rows: +1 added, -1 removed, ~1 changed, 1 unchanged (3 → 3)');
    expect(lines).toContain('schema: added extra (2 → 3 columns)');
  });
});

describe('diff text: the drift table', () => {
  it('writes instants beyond Date\'s range (a Spark INT96 of year 290000) with their signed year', async () => {
    const d = await diffOf('id,at\n1,2024-01-01T00:00:00Z\n2,2024-01-02T00:00:00Z\n', 'id,at\n1,2024-01-01T00:00:00Z\n2,2025-01-02T00:00:00Z\n', { key: ['id'] });
    const drift = d.columns.find(c => c.name === 'at')?.drift;
    if (drift?.kind !== 'numeric') { throw new Error('expected numeric drift for at'); }
    drift.after.mean = 9_089_380_393_200_000; // +290000-12-30T23:00:00Z
    if (drift.after.quantiles) { drift.after.quantiles.p50 = -9_089_380_393_200_000; }
    const row = diffToText(d).find(l => l.trim().startsWith('at '));
    expect(row).toContain('2024-01-01T12:00:00 → +290000-12-30T23:00:00');
    expect(row).toContain('2024-01-01T12:00:00 → -286061-01-02T01:00:00');
  });
});
