// The file AsyncBuffer: positional reads of a file on disk, whole or into a caller's buffer, and its worded faults.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatasetError } from '../../../src/core/formats/errors';
import { fsReason, openFileBuffer } from '../../../src/node/fileBuffer';

let dir = '';
const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-filebuffer-'));
  await writeFile(join(dir, 'data.bin'), bytes);
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const code = (e: unknown): string | undefined => (isDatasetError(e) ? e.code : undefined);

describe('file buffer', () => {
  it('slices any range, clamped to the file', async () => {
    const file = await openFileBuffer(join(dir, 'data.bin'));
    try {
      expect(file.byteLength).toBe(bytes.length);
      expect(new Uint8Array(await file.slice(12_345, 23_456))).toEqual(bytes.subarray(12_345, 23_456));
      expect(new Uint8Array(await file.slice(99_990))).toEqual(bytes.subarray(99_990));
      expect(new Uint8Array(await file.slice(99_990, 200_000))).toEqual(bytes.subarray(99_990));
      expect((await file.slice(200_000, 300_000)).byteLength).toBe(0);
    } finally {
      await file.close();
    }
  });

  it('reads into a buffer the caller reuses, short only at the end of the file', async () => {
    const file = await openFileBuffer(join(dir, 'data.bin'));
    try {
      const target = new Uint8Array(4096);
      expect(await file.readInto!(target, 50_000)).toBe(4096);
      expect(target).toEqual(bytes.subarray(50_000, 54_096));
      expect(await file.readInto!(target, 99_000)).toBe(1000);
      expect(target.subarray(0, 1000)).toEqual(bytes.subarray(99_000));
      expect(await file.readInto!(target, 100_000)).toBe(0);
      // the same on the calling thread
      target.fill(0);
      expect(file.readIntoSync!(target, 60_000)).toBe(4096);
      expect(target).toEqual(bytes.subarray(60_000, 64_096));
      expect(file.readIntoSync!(target, 99_500)).toBe(500);
      expect(target.subarray(0, 500)).toEqual(bytes.subarray(99_500));
      expect(file.readIntoSync!(target, 100_000)).toBe(0);
    } finally {
      await file.close();
    }
  });

  it('words file system failures: a missing file, no permission, any other code', () => {
    const failure = (code: string): Error => Object.assign(new Error(`${code}: open 'x'`), { code });
    expect(fsReason(failure('ENOENT'))).toBe('no such file');
    expect(fsReason(failure('EACCES'))).toBe('permission denied');
    expect(fsReason(failure('EPERM'))).toBe('permission denied');
    expect(fsReason(failure('EMFILE'))).toBe('EMFILE');
    expect(fsReason(new Error('disk on fire'))).toBe('disk on fire');
  });

  it('refuses a missing file, a folder and reads after close with worded errors', async () => {
    const missing = await openFileBuffer(join(dir, 'nope.csv')).catch((e: unknown) => e);
    expect(code(missing)).toBe('io');
    expect((missing as Error).message).toMatch(/cannot open .*nope\.csv: no such file$/);
    const folder = await openFileBuffer(dir).catch((e: unknown) => e);
    expect(code(folder)).toBe('io');
    expect((folder as Error).message).toMatch(/is a folder, not a dataset file/);
    const file = await openFileBuffer(join(dir, 'data.bin'));
    await file.close();
    await file.close(); // a second close is harmless
    for (const read of [async () => file.slice(0, 10), () => file.readInto!(new Uint8Array(10), 0), async () => file.readIntoSync!(new Uint8Array(10), 0)]) {
      const e = await read().catch((x: unknown) => x);
      expect(code(e)).toBe('io');
      expect((e as Error).message).toMatch(/was closed/);
    }
  });
});
