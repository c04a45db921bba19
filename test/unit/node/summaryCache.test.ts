// DatasetSummaryCache on real files: one read per file version, shared in-flight work, cancel, bounds, lasting failures.
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, isDatasetError } from '../../../src/core/formats/errors';
import type { DatasetSummary } from '../../../src/node/jobs/jobTypes';
import { DatasetSummaryCache } from '../../../src/node/summaryCache';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'strata-cache-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** A compute that really stats the file it summarizes and counts its calls; `gate` holds it until released. */
function counter(options: { fail?: DatasetError; gated?: boolean } = {}) {
  const calls: string[] = [];
  const signals: AbortSignal[] = [];
  let release!: () => void;
  const gate = new Promise<void>(r => { release = r; });
  const compute = async (path: string, signal: AbortSignal): Promise<DatasetSummary> => {
    calls.push(path);
    signals.push(signal);
    if (options.gated) {
      await new Promise<void>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new DatasetError('cancelled', 'cancelled')), { once: true });
        void gate.then(resolve);
      });
    }
    if (options.fail) { throw options.fail; }
    const s = await stat(path);
    return {
      format: 'csv', rows: s.size, rowsExact: true, columns: 1, fields: [{ name: 'a', type: 'string' }], warnings: [],
      version: { size: s.size, mtimeMs: s.mtimeMs },
    };
  };
  return { compute, calls, signals, release };
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try { await p; } catch (e) { return e; }
  throw new Error('expected a failure');
}

describe('DatasetSummaryCache', () => {
  it('reads an unchanged file once, and again after its content or mtime changes', async () => {
    const c = counter();
    const cache = new DatasetSummaryCache({ compute: c.compute });
    const path = await file('a.csv', 'a\n1\n');
    const first = await cache.get(path);
    expect(await cache.get(path)).toBe(first);
    expect(c.calls.length).toBe(1);

    await writeFile(path, 'a\n1\n2\n'); // new size
    expect((await cache.get(path)).rows).toBe(6);
    expect(c.calls.length).toBe(2);

    const s = await stat(path);
    await utimes(path, s.atime, new Date(s.mtimeMs + 5000)); // same size, new mtime
    await cache.get(path);
    expect(c.calls.length).toBe(3);
    await cache.get(path);
    expect(c.calls.length).toBe(3);
    expect(cache.size).toBe(1); // one entry per path: the old version was replaced
  });

  it('peek answers for the exact version only, without reading', async () => {
    const c = counter();
    const cache = new DatasetSummaryCache({ compute: c.compute });
    const path = await file('peek.csv', 'x\n');
    const s = await stat(path);
    expect(cache.peek(path, { size: s.size, mtimeMs: s.mtimeMs })).toBeUndefined();
    const summary = await cache.get(path);
    expect(cache.peek(path, { size: s.size, mtimeMs: s.mtimeMs })).toBe(summary);
    expect(cache.peek(path, { size: s.size + 1, mtimeMs: s.mtimeMs })).toBeUndefined();
    expect(c.calls.length).toBe(1);
  });

  it('shares one computation between concurrent callers', async () => {
    const c = counter({ gated: true });
    const cache = new DatasetSummaryCache({ compute: c.compute });
    const path = await file('shared.csv', 'a\n');
    const both = Promise.all([cache.get(path), cache.get(join(dir, '.', 'shared.csv'))]);
    await expect.poll(() => c.calls.length).toBe(1);
    c.release();
    const [x, y] = await both;
    expect(x).toBe(y);
    expect(c.calls.length).toBe(1);
  });

  it('cancels the computation only when every waiting caller has aborted', async () => {
    const c = counter({ gated: true });
    const cache = new DatasetSummaryCache({ compute: c.compute });
    const path = await file('cancel.csv', 'a\n');
    const one = new AbortController();
    const two = new AbortController();
    const p1 = cache.get(path, { signal: one.signal });
    const p2 = cache.get(path, { signal: two.signal });
    await expect.poll(() => c.calls.length).toBe(1);
    one.abort();
    const e1 = await rejection(p1);
    expect(isDatasetError(e1) && e1.code).toBe('cancelled');
    expect(c.signals[0].aborted).toBe(false);
    two.abort();
    const e2 = await rejection(p2);
    expect(isDatasetError(e2) && e2.code).toBe('cancelled');
    expect(c.signals[0].aborted).toBe(true);
    // nothing was remembered: the next call computes again
    c.release();
    await cache.get(path);
    expect(c.calls.length).toBe(2);
  });

  it('keeps at most maxEntries files, dropping the least recently used', async () => {
    const c = counter();
    const cache = new DatasetSummaryCache({ compute: c.compute, maxEntries: 2 });
    const [a, b, d] = await Promise.all(['1.csv', '2.csv', '3.csv'].map(n => file(n, n)));
    await cache.get(a);
    await cache.get(b);
    await cache.get(a); // a is now the most recent
    await cache.get(d); // evicts b
    expect(cache.size).toBe(2);
    expect(c.calls.length).toBe(3);
    await cache.get(a);
    expect(c.calls.length).toBe(3);
    await cache.get(b);
    expect(c.calls.length).toBe(4);
  });

  it('remembers failures that belong to the bytes, but not read errors', async () => {
    const corrupt = counter({ fail: new DatasetError('corrupt', 'not a parquet file') });
    const cache = new DatasetSummaryCache({ compute: corrupt.compute });
    const path = await file('bad.parquet', 'nope');
    for (let i = 0; i < 2; i++) {
      const e = await rejection(cache.get(path));
      expect(isDatasetError(e) && e.code).toBe('corrupt');
    }
    expect(corrupt.calls.length).toBe(1);

    const flaky = counter({ fail: new DatasetError('io', 'EIO') });
    const cache2 = new DatasetSummaryCache({ compute: flaky.compute });
    await rejection(cache2.get(path));
    await rejection(cache2.get(path));
    expect(flaky.calls.length).toBe(2);
  });

  it('a missing file is a DatasetError io, and nothing is computed', async () => {
    const c = counter();
    const cache = new DatasetSummaryCache({ compute: c.compute });
    const e = await rejection(cache.get(join(dir, 'gone.csv')));
    expect(isDatasetError(e) && e.code).toBe('io');
    expect((e as Error).message).toMatch(/gone\.csv: no such file$/);
    expect(c.calls.length).toBe(0);
  });
});
