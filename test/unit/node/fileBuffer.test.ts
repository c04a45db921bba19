// The file AsyncBuffer: positional reads, into a caller's buffer, and inline reads in the calling thread.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { isDatasetError } from '../../../src/core/formats/errors';
import { openFileBuffer, type FileBuffer } from '../../../src/node/fileBuffer';
import { batchRows } from '../csv/csvHelpers';

let dir = '';
let csvPath = '';
let csvBytes = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-filebuffer-'));
  csvPath = join(dir, 'rows.csv');
  // about 12 MB: a scan reads it in 4 MB chunks
  const lines = ['id,name,score'];
  for (let i = 0; i < 180_000; i++) { lines.push(`${i},name ${i} ${'x'.repeat(40 + (i % 17))},${(i * 7919) % 1000}`); }
  const text = lines.join('\n') + '\n';
  csvBytes = Buffer.byteLength(text);
  await writeFile(csvPath, text);
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** Counts the calls of each read method of a file buffer. */
function counted(file: FileBuffer): FileBuffer & { calls: Record<string, number> } {
  const calls: Record<string, number> = { readInto: 0, readIntoInline: 0 };
  return {
    ...file,
    calls,
    readInto: (t, p) => { calls.readInto++; return file.readInto!(t, p); },
    readIntoInline: (t, p) => { calls.readIntoInline++; return file.readIntoInline!(t, p); },
  };
}

describe('file buffer', () => {
  it('slice, readInto and readIntoInline read the same bytes, short only at the end of the file', async () => {
    const file = await openFileBuffer(csvPath);
    try {
      const at = csvBytes - 1000;
      const expected = new Uint8Array(await file.slice(at, csvBytes));
      const a = new Uint8Array(4096);
      const b = new Uint8Array(4096);
      expect(await file.readInto!(a, at)).toBe(1000);
      expect(await file.readIntoInline!(b, at)).toBe(1000);
      expect(a.subarray(0, 1000)).toEqual(expected);
      expect(b.subarray(0, 1000)).toEqual(expected);
      expect(await file.readIntoInline!(b, csvBytes)).toBe(0);
    } finally {
      await file.close();
    }
  });

  it('an inline read is done when it returns, and resolves only after the event loop has turned', async () => {
    const file = await openFileBuffer(csvPath);
    try {
      const order: string[] = [];
      setImmediate(() => order.push('immediate'));
      const target = new Uint8Array(2);
      const read = file.readIntoInline!(target, 0);
      expect(new TextDecoder().decode(target)).toBe('id'); // read before the promise settles
      order.push('returned');
      await read.then(() => order.push('resolved'));
      expect(order).toEqual(['returned', 'immediate', 'resolved']);
    } finally {
      await file.close();
    }
  });

  it('an inline read of a closed file is refused with a worded error', async () => {
    const file = await openFileBuffer(csvPath);
    await file.close();
    const e = await file.readIntoInline!(new Uint8Array(8), 0).catch((x: unknown) => x);
    expect(isDatasetError(e) && e.code === 'io' && /was closed/.test(e.message)).toBe(true);
  });
});

describe('CSV scans reading inline', () => {
  it('give the rows of a scan that reads ahead, through inline reads only', async () => {
    const plain = counted(await openFileBuffer(csvPath));
    const inline = counted(await openFileBuffer(csvPath));
    try {
      const rows = async (file: FileBuffer, inlineReads: boolean): Promise<(string | null)[][]> => {
        const ds = await openCsv(file, { name: 'rows.csv' });
        const out: (string | null)[][] = [];
        await ds.scan(undefined, b => { out.push(...batchRows(b)); }, { inlineReads, reuseBatches: true });
        return out;
      };
      const ahead = await rows(plain, false);
      const own = await rows(inline, true);
      expect(ahead.length).toBe(180_000);
      expect(own).toEqual(ahead);
      const reads = Math.ceil((csvBytes - 'id,name,score\n'.length) / (4 * 1024 * 1024));
      expect(reads).toBeGreaterThan(2);
      expect(plain.calls).toEqual({ readInto: reads, readIntoInline: 0 });
      expect(inline.calls).toEqual({ readInto: 0, readIntoInline: reads });
    } finally {
      await plain.close();
      await inline.close();
    }
  });

  it('stop when cancelled from the event loop between reads', async () => {
    const file = counted(await openFileBuffer(csvPath));
    try {
      const ds = await openCsv(file, { name: 'rows.csv' });
      const ac = new AbortController();
      let batches = 0;
      const scan = ds.scan(undefined, () => {
        // the first batch schedules the cancel as a message or a timer would arrive: on the event loop
        if (batches++ === 0) { setImmediate(() => ac.abort()); }
      }, { signal: ac.signal, inlineReads: true, batchRows: 1000 });
      const e = await scan.catch((x: unknown) => x);
      expect(isDatasetError(e) && e.code === 'cancelled').toBe(true);
      // heard within two chunks of reading ahead, well before the end
      expect(batches).toBeLessThan(150);
    } finally {
      await file.close();
    }
  });
});
