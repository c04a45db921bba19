import Papa from 'papaparse';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openCsv, type CsvDataset } from '../../../src/core/formats/csv/csvDataset';
import type { LineTerminator } from '../../../src/core/formats/csv/dialect';
import { isDatasetError } from '../../../src/core/formats/errors';
import { batchRows, countingBuffer, scanRangesInOrder } from './csvHelpers';

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A CSV with quoted delimiters, escaped quotes, newlines inside quotes, blank lines and non-ASCII text. */
function makeCsv(rows: number, nl: LineTerminator, seed = 1): string {
  const r = seeded(seed);
  const lines = ['id,name,note,score'];
  for (let i = 0; i < rows; i++) {
    const k = r();
    const note = k < 0.05 ? `"multi${nl}line ${i}"` : k < 0.1 ? `"say ""hi"", ${i}"` : k < 0.12 ? '' : k < 0.15 ? `"naïve ${i}"` : `plain ${i}`;
    lines.push(`${i},n${Math.floor(r() * 1000)},${note},${r() < 0.1 ? '' : Math.floor(r() * 100)}`);
    if (r() < 0.01) { lines.push(''); }
  }
  return lines.join(nl) + nl;
}

/** The rows papaparse finds in the whole text: the reference the windows are checked against. */
function reference(text: string, nl: LineTerminator): (string | null)[][] {
  const res = new Papa.Parser({ delimiter: ',', newline: nl, quoteChar: '"' }).parse(text, 0, false) as { data: string[][] };
  return res.data.filter(x => !(x.length === 1 && x[0] === '')).slice(1).map(x => x.map(v => (v === '' ? null : v)));
}

async function open(text: string, name = 'data.csv'): Promise<{ ds: CsvDataset; buf: ReturnType<typeof countingBuffer> }> {
  const buf = countingBuffer(bufferFromBytes(new TextEncoder().encode(text)));
  return { ds: await openCsv(buf, { name }), buf };
}

async function cancelled(p: Promise<unknown>): Promise<boolean> {
  try { await p; } catch (e) { return isDatasetError(e) && e.code === 'cancelled'; }
  return false;
}

describe('row index and random access', () => {
  for (const nl of ['\n', '\r\n', '\r'] as LineTerminator[]) {
    it(`readRows(k, 100) equals a full parse, before and after the index (${JSON.stringify(nl)})`, async () => {
      const text = makeCsv(30000, nl, nl.length + nl.charCodeAt(0));
      const ref = reference(text, nl);
      const { ds } = await open(text);
      expect(ds.dialect.lineTerminator).toBe(nl);
      expect(ds.rowCount.exact).toBe(false);
      // Before the index: near rows parse from the top, far ones skip with the byte scanner.
      for (const k of [0, 5, 1500, 2100, 17777, ref.length - 50]) {
        expect(batchRows(await ds.readRows(k, 100)), `row ${k}`).toEqual(ref.slice(k, k + 100));
      }
      const index = await ds.buildIndex();
      expect(ds.rowCount).toEqual({ value: ref.length, exact: true });
      expect(index.rows.length).toBeGreaterThan(20);
      const rand = seeded(99);
      for (let t = 0; t < 40; t++) {
        const k = Math.floor(rand() * ref.length);
        expect(batchRows(await ds.readRows(k, 100)), `row ${k}`).toEqual(ref.slice(k, k + 100));
      }
      expect((await ds.readRows(ref.length, 10)).rowCount).toBe(0);
      expect(batchRows(await ds.readRows(ref.length - 3, 10))).toEqual(ref.slice(-3));
    });
  }

  it('index entries land on row starts, with the right physical line', async () => {
    const text = makeCsv(20000, '\r\n', 5);
    const ref = reference(text, '\r\n');
    const bytes = new TextEncoder().encode(text);
    const { ds } = await open(text);
    const index = await ds.buildIndex();
    const dec = new TextDecoder();
    const physicalLineAt = (offset: number): number => dec.decode(bytes.subarray(0, offset)).split('\r\n').length;
    for (let i = 0; i < index.rows.length; i++) {
      const from = index.offsets[i];
      const rest = dec.decode(bytes.subarray(from, from + 400));
      const first = new Papa.Parser({ delimiter: ',', newline: '\r\n', quoteChar: '"' }).parse(rest, 0, true) as { data: string[][] };
      expect(first.data[0].map(v => (v === '' ? null : v)), `entry ${i}`).toEqual(ref[index.rows[i]]);
      expect(index.lines[i]).toBe(physicalLineAt(from));
    }
    // The index covers the data rows; the header line comes before its start line.
    expect(index.startLine - 1 + index.lineCount).toBe(text.split('\r\n').length - 1);
  });

  it('reads a window with one small read once indexed, and the first rows without reading the file', async () => {
    const text = makeCsv(60000, '\n', 7);
    const { ds, buf } = await open(text);
    const before = buf.bytesRead;
    expect(before).toBeLessThan(200 * 1024);
    await ds.readRows(0, 1000);
    expect(buf.bytesRead - before).toBeLessThan(200 * 1024);
    await ds.buildIndex();
    const after = buf.bytesRead;
    await ds.readRows(45000, 100);
    expect(buf.bytesRead - after).toBeLessThan(64 * 1024);
  });

  it('two halves split at index entries scan to the same rows as one scan', async () => {
    const text = makeCsv(30000, '\n', 11);
    const ref = reference(text, '\n');
    const { ds } = await open(text);
    await ds.buildIndex();
    const parts = ds.partitions(2);
    expect(parts.length).toBe(2);
    expect(parts[0].rowCount + parts[1].rowCount).toBe(ref.length);
    const { rows: got, ends } = await scanRangesInOrder(ds, parts, { batchRows: 4096 });
    expect(ends).toEqual(parts.map(p => p.firstRow + p.rowCount));
    expect(got).toEqual(ref);
  });

  it('gzip: windows decompress from the start; the index gives the exact count', async () => {
    const text = makeCsv(20000, '\n', 13);
    const ref = reference(text, '\n');
    const ds = await openCsv(bufferFromBytes(new Uint8Array(gzipSync(Buffer.from(text)))), { name: 'd.csv.gz' });
    expect(ds.gzip).toBe(true);
    expect(ds.randomAccess).toBe(false);
    expect(Math.abs(ds.rowCount.value - ref.length) / ref.length).toBeLessThan(0.2);
    for (const k of [0, 3000, 19950]) {
      expect(batchRows(await ds.readRows(k, 100))).toEqual(ref.slice(k, k + 100));
    }
    await ds.buildIndex();
    expect(ds.rowCount).toEqual({ value: ref.length, exact: true });
    expect(batchRows(await ds.readRows(12345, 50))).toEqual(ref.slice(12345, 12395));
  });

  it('UTF-16 files are transcoded as they are read', async () => {
    const text = makeCsv(5000, '\r\n', 17);
    const ref = reference(text, '\r\n');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const ds = await openCsv(bufferFromBytes(new Uint8Array(le)), { name: 'u.csv' });
    expect(ds.encoding).toBe('utf-16le');
    expect(batchRows(await ds.readRows(4000, 100))).toEqual(ref.slice(4000, 4100));
    await ds.buildIndex();
    expect(ds.rowCount.value).toBe(ref.length);
  });
});

describe('cancellation and progress', () => {
  it('a scan stops at the batch after the abort, with a cancelled error', async () => {
    const { ds } = await open(makeCsv(20000, '\n', 3));
    const ac = new AbortController();
    let batches = 0;
    const p = ds.scan(undefined, () => { batches++; if (batches === 2) { ac.abort(); } }, { signal: ac.signal, batchRows: 1000 });
    expect(await cancelled(p)).toBe(true);
    expect(batches).toBe(2);
  });

  it('an index build stops when cancelled, and can be built again afterwards', async () => {
    const text = makeCsv(50000, '\n', 4);
    const { ds } = await open(text);
    const ac = new AbortController();
    const seen: number[] = [];
    const p = ds.buildIndex({ signal: ac.signal, onProgress: pr => { seen.push(pr.bytesDone); ac.abort(); } });
    expect(await cancelled(p)).toBe(true);
    expect(ds.rowCount.exact).toBe(false);
    const progress: number[] = [];
    const index = await ds.buildIndex({ onProgress: pr => progress.push(pr.bytesDone / pr.bytesTotal) });
    expect(index.rowCount).toBe(reference(text, '\n').length);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('readRows with an aborted signal is cancelled', async () => {
    const { ds } = await open(makeCsv(100, '\n'));
    const ac = new AbortController();
    ac.abort();
    expect(await cancelled(ds.readRows(0, 10, undefined, ac.signal))).toBe(true);
  });

  it('scan progress reaches the total', async () => {
    const text = makeCsv(50000, '\n', 8);
    const { ds } = await open(text);
    const progress: { bytesDone: number; bytesTotal: number; rowsDone: number }[] = [];
    await ds.scan([0], () => undefined, { onProgress: p => progress.push(p) });
    const last = progress.at(-1);
    expect(last?.bytesDone).toBe(last?.bytesTotal);
    expect(last?.rowsDone).toBe(reference(text, '\n').length);
    expect(ds.rowCount.exact).toBe(true);
  });
});
