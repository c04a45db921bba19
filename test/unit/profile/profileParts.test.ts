import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobContext, JobProgress } from '../../../src/node/jobs/jobTypes';
import { sessionHandlers } from '../../../src/node/session/sessionHandlers';
import type { DatasetProfile } from '../../../src/core/profile/profileTypes';
import { seeded } from './memoryDataset';

const dir = mkdtempSync(join(tmpdir(), 'strata-profile-parts-'));
afterAll(async () => {
  for (const f of ['events.csv', 'tiny.csv', 'alltypes.parquet', 'events.jsonl']) { await sessionHandlers.close({ path: join(dir, f) }, context()); }
  rmSync(dir, { recursive: true, force: true });
});

function context(progress: JobProgress[] = []): JobContext {
  return { signal: new AbortController().signal, progress: p => { progress.push(p); } };
}

/** Full profile by the parts, as the preview runs it: each part, then the merge. */
async function byParts(path: string, parts: number, progress: JobProgress[][] = []): Promise<DatasetProfile> {
  const partials = [];
  for (let part = 0; part < parts; part++) {
    progress[part] = [];
    const out = await sessionHandlers.profilePart({ path, part, parts }, context(progress[part]));
    if ('partial' in out && out.partial) { partials.push(out.partial); }
  }
  const merged = await sessionHandlers.profileMerge({ partials, elapsedMs: 0 }, context());
  return (merged as { profile: DatasetProfile }).profile;
}

async function onePass(path: string): Promise<DatasetProfile> {
  const out = await sessionHandlers.profile({ path, full: true }, context());
  return (out as { profile: DatasetProfile }).profile;
}

const withoutTime = (p: DatasetProfile): DatasetProfile => ({ ...p, elapsedMs: 0 });

/**
 * Equal profiles: every count, table, quantile and text exactly; sums and moments (mean, std, skewness, ...)
 * to 1e-9 relative, since batches cut at other rows round their pairwise merges differently.
 */
function expectSameProfile(a: DatasetProfile, b: DatasetProfile): void {
  const floats = new Set(['sum', 'mean', 'std', 'variance', 'skewness', 'kurtosis', 'cv', 'lengthMean', 'score']);
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (typeof x === 'number' && typeof y === 'number' && floats.has(path.slice(path.lastIndexOf('.') + 1)) && x !== y) {
      expect(Math.abs(x - y), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object') {
      expect(Object.keys(y as object).sort(), path).toEqual(Object.keys(x as object).sort());
      for (const k of Object.keys(x as object)) { walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`); }
      return;
    }
    expect(y, path).toEqual(x);
  };
  walk(withoutTime(a), withoutTime(b), 'profile');
}

describe('full profile split across threads (profilePart + profileMerge)', () => {
  it('a CSV cut at row starts into two byte ranges gives the one-pass profile (sums and moments to rounding)', async () => {
    const rnd = seeded(11);
    const lines = ['id,amount,category,day,note'];
    for (let i = 0; i < 30_000; i++) {
      const cat = ['a', 'b', 'c', ''][Math.floor(rnd() * 4)];
      const note = rnd() < 0.1 ? '"quoted, with a comma\nand a line break"' : `w${Math.floor(rnd() * 500)} ${Math.floor(rnd() * 100)}`;
      // every 1000th row repeats the one before it (duplicate rows in both halves)
      lines.push(i % 1000 === 999 ? lines[lines.length - 1] : `${i % 7000},${(rnd() * 1000).toFixed(2)},${cat},2024-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)},${note}`);
    }
    const path = join(dir, 'events.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const progress: JobProgress[][] = [];
    const split = await byParts(path, 2, progress);
    expect(split.rowsProfiled).toBe(30_000);
    expect(split.duplicateRows).toBe(30);
    expectSameProfile(await onePass(path), split);
    // each part reports bytes of its own range; together they cover the data
    const last = progress.map(p => p[p.length - 1]);
    expect(last.every(p => p.unit === 'bytes' && p.total !== undefined && p.done === p.total)).toBe(true);
    expect(last[0].done).toBeGreaterThan(0);
    expect(last[1].done).toBeGreaterThan(0);
  });

  it('a file too small to cut leaves the later part empty; the merge still equals one pass', async () => {
    const path = join(dir, 'tiny.csv');
    writeFileSync(path, 'x,y\n1,a\n2,b\n2,b\n');
    const part1 = await sessionHandlers.profilePart({ path, part: 1, parts: 2 }, context());
    const split = await byParts(path, 2);
    expect(split.rowsProfiled).toBe(3);
    expect(split.duplicateRows).toBe(1);
    expectSameProfile(await onePass(path), split);
    expect('partial' in part1 ? part1.partial : undefined).toBeNull();
  });

  it('a Parquet file is split by row numbers', async () => {
    const path = join(dir, 'alltypes.parquet');
    copyFileSync(join(__dirname, '../../fixtures/parquet/alltypes_plain.parquet'), path);
    const split = await byParts(path, 2);
    expect(split.rowsProfiled).toBe(8);
    expectSameProfile(await onePass(path), split);
  });

  it('a JSON Lines file is cut by bytes at a row-index checkpoint', async () => {
    const path = join(dir, 'events.jsonl');
    writeFileSync(path, Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: i, v: (i * 7) % 100, w: i % 5 === 0 ? null : `w${i % 11}` })).join('\n') + '\n');
    const rows: number[] = [];
    const progress: JobProgress[][] = [[], []];
    for (let part = 0; part < 2; part++) {
      const out = await sessionHandlers.profilePart({ path, part, parts: 2 }, context(progress[part]));
      rows.push(('partial' in out && out.partial?.rows) || 0);
    }
    // the cut is the checkpoint (every 1,024 rows) before the middle byte; the last part reads on to the end
    expect(rows).toEqual([2048, 2952]);
    // each part reports bytes of its own range
    const last = progress.map(p => p[p.length - 1]);
    expect(last.every(p => p.unit === 'bytes' && p.total !== undefined && p.done === p.total)).toBe(true);
    expect(last[0].total! + last[1].total!).toBe(statSync(path).size);
    await sessionHandlers.close({ path }, context());
    const split = await byParts(path, 2);
    expect(split.rowsProfiled).toBe(5000);
    expectSameProfile(await onePass(path), split);
    // the same with every row counted first (the preview's exact count)
    const counted = await sessionHandlers.exactCount({ path }, context()) as { rowCount: { value: number; exact: boolean } };
    expect(counted.rowCount).toEqual({ value: 5000, exact: true });
    expectSameProfile(await onePass(path), await byParts(path, 3));
  });

  it('rejects a part outside the split', async () => {
    await expect(sessionHandlers.profilePart({ path: join(dir, 'tiny.csv'), part: 2, parts: 2 }, context())).rejects.toThrow(/bad profile part/);
  });
});
