import Papa from 'papaparse';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type AsyncBuffer, bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { BatchParser } from '../../../src/core/formats/csv/batchParser';
import { plainSource } from '../../../src/core/formats/csv/byteSource';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { buildRowIndex } from '../../../src/core/formats/csv/rowIndex';
import type { ColumnBatch } from '../../../src/core/formats/columns';
import { mergeProfiles, profilePartial } from '../../../src/core/profile/datasetProfiler';
import { batchRows, scanRangesInOrder } from '../csv/csvHelpers';

/** An in-memory AsyncBuffer with readInto and readIntoSync, recording which memory each read went into and how many were synchronous. */
function readIntoBuffer(bytes: Uint8Array): AsyncBuffer & { targets: Set<ArrayBufferLike>; reads: number; syncReads: number; readInto: (target: Uint8Array, position: number) => Promise<number> } {
  const inner = bufferFromBytes(bytes);
  const b = {
    byteLength: bytes.length,
    targets: new Set<ArrayBufferLike>(),
    reads: 0,
    syncReads: 0,
    slice: inner.slice,
    readIntoSync(target: Uint8Array, position: number): number {
      const n = Math.max(0, Math.min(target.length, bytes.length - position));
      target.set(bytes.subarray(position, position + n));
      b.targets.add(target.buffer);
      b.syncReads++;
      return n;
    },
    async readInto(target: Uint8Array, position: number): Promise<number> {
      await Promise.resolve(); // a real read completes later, while the previous chunk is parsed
      const n = Math.max(0, Math.min(target.length, bytes.length - position));
      target.set(bytes.subarray(position, position + n));
      b.targets.add(target.buffer);
      b.reads++;
      return n;
    },
  };
  return b;
}

/** Rows with quoted delimiters, escaped quotes and newlines inside quotes (some longer than a small chunk). */
function makeCsv(rows: number, seed: number): string {
  let a = seed;
  const r = () => { a = (a * 1103515245 + 12345) % 2147483648; return a / 2147483648; };
  const lines = ['id,note,score'];
  for (let i = 0; i < rows; i++) {
    const k = r();
    const note = k < 0.05 ? `"multi\nline ${i}\n${'x'.repeat(Math.floor(r() * 3000))}"` : k < 0.1 ? `"say ""hi"", ${i}"` : k < 0.15 ? '' : `plain ${i}`;
    lines.push(`${i},${note},${Math.floor(r() * 100)}`);
  }
  return lines.join('\n') + '\n';
}

function reference(text: string): (string | null)[][] {
  const res = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' }).parse(text, 0, false) as { data: string[][] };
  return res.data.filter(x => !(x.length === 1 && x[0] === '')).slice(1).map(x => x.map(v => (v === '' ? null : v)));
}


/** ~13 MB whose byte midpoint lies inside a quoted cell holding many newlines. */
function straddlingCsv(): { text: string; bytes: Uint8Array; quoteStart: number; straddle: string } {
    const head = makeCsv(10_000, 7);
    const filler = Array.from({ length: 50_000 }, (_, i) => `${i},row ${i} ${'y'.repeat(90)},${i % 100}`).join('\n');
    const straddle = `999999,"${Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n')}",1`;
    const tailLine = (i: number) => `${String(i % 1000).padStart(3, '0')},"q,${String(i % 1000).padStart(3, '0')} ${'z'.repeat(90)}",${String(i % 100).padStart(2, '0')}`;
    const before = head.length + filler.length; // ASCII: characters are bytes
    const tail = Array.from({ length: Math.round(before / (tailLine(0).length + 1)) }, (_, i) => tailLine(i)).join('\n');
    const text = `${head}${filler}\n${straddle}\n${tail}\n`;
    const bytes = new TextEncoder().encode(text);
    const mid = Math.floor(bytes.length / 2);
    const quoteStart = text.indexOf('999999,"');
    expect(quoteStart).toBeLessThan(mid); // the midpoint lies inside the quoted cell
    expect(quoteStart + straddle.length).toBeGreaterThan(mid);

    return { text, bytes, quoteStart, straddle };
}

const dialect = { delimiter: ',', quoteChar: '"' as const, lineTerminator: '\n' as const };

describe('CSV scans reading into recycled buffers', () => {
  it('a parse over many small recycled chunks equals papaparse, and only three buffers are used', async () => {
    const text = makeCsv(3000, 5);
    const bytes = new TextEncoder().encode(text);
    const buffer = readIntoBuffer(bytes);
    const start = text.indexOf('\n') + 1;
    for (const chunkSize of [701, 4096]) {
      buffer.targets.clear();
      const parser = new BatchParser({ dialect, encoding: 'utf-8', fieldIndexes: [0, 1, 2], width: 3, firstRow: 0, batchRows: 500 });
      const got: (string | null)[][] = [];
      for await (const chunk of plainSource(buffer).chunks(start, undefined, { chunkSize, recycle: true })) {
        for (const b of parser.push(chunk.bytes, false)) { got.push(...batchRows(b)); }
      }
      for (const b of parser.push(new Uint8Array(0), true)) { got.push(...batchRows(b)); }
      expect(got).toEqual(reference(text));
      expect(buffer.targets.size).toBe(3);
    }
  });

  it('the row index built over recycled chunks equals the one built over fresh ones', async () => {
    const bytes = new TextEncoder().encode(makeCsv(3000, 6));
    const recycled = readIntoBuffer(bytes);
    const a = await buildRowIndex(plainSource(recycled), dialect, { every: 16, chunkSize: 997 });
    const b = await buildRowIndex(plainSource(bufferFromBytes(bytes)), dialect, { every: 16, chunkSize: 997 });
    expect(recycled.targets.size).toBe(3);
    expect(a.rowCount).toBe(3001); // the header is a row here: the index starts at byte 0
    expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
    expect(Array.from(a.rows)).toEqual(Array.from(b.rows));
  });

  it('two halves of a file larger than three scan chunks, split inside a quoted newline, equal one scan', async () => {
    const { text, bytes, quoteStart, straddle } = straddlingCsv();
    const buffer = readIntoBuffer(bytes);
    const ds = await openCsv(buffer, { name: 'big.csv' });
    await ds.buildIndex();
    const ref = reference(text);
    expect(ds.rowCount).toEqual({ value: ref.length, exact: true });
    const parts = ds.partitions(2);
    expect(parts).toHaveLength(2);
    expect(parts[0].to).toBe(parts[1].from);
    expect(parts[1].from <= quoteStart || parts[1].from > quoteStart + straddle.length).toBe(true);
    buffer.targets.clear();
    const { rows: got, ends } = await scanRangesInOrder(ds, parts);
    expect(ends).toEqual(parts.map(p => p.firstRow + p.rowCount));
    expect(got.length).toBe(ref.length);
    // compared row by row: a deep-equal failure message over 120,000 rows would take a minute to print
    const firstDiff = got.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(ref[i]));
    expect(firstDiff === -1 ? [] : [firstDiff, got[firstDiff], ref[firstDiff]]).toEqual([]);
    // one scan of the whole file reads 4 chunks of 4 MB into three buffers
    buffer.targets.clear();
    buffer.reads = 0;
    const whole: (string | null)[][] = [];
    await ds.scan(undefined, b => { whole.push(...batchRows(b)); });
    expect(buffer.reads).toBe(Math.ceil((bytes.length - parts[0].from) / (4 * 1024 * 1024)));
    expect(buffer.reads).toBeGreaterThan(3);
    expect(buffer.targets.size).toBe(3);
    const wholeDiff = whole.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(ref[i]));
    expect(whole.length === ref.length && wholeDiff === -1).toBe(true);
    // a scan run in parallel with others reads on its own thread, chunk by chunk, into three buffers; the rows agree
    buffer.targets.clear();
    buffer.reads = 0;
    const inline: (string | null)[][] = [];
    await ds.scan(undefined, b => { inline.push(...batchRows(b)); }, { parallel: true });
    expect(buffer.reads).toBe(0);
    expect(buffer.syncReads).toBe(Math.ceil((bytes.length - parts[0].from) / (4 * 1024 * 1024)));
    expect(buffer.targets.size).toBe(3);
    const inlineDiff = inline.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(ref[i]));
    expect(inline.length === ref.length && inlineDiff === -1).toBe(true);
    const parallelParts = await scanRangesInOrder(ds, parts, { parallel: true });
    expect(parallelParts.rows.length === ref.length && parallelParts.rows.every((row, i) => JSON.stringify(row) === JSON.stringify(ref[i]))).toBe(true);
  }, 30_000);
});

describe('CSV scans that build each batch in the buffers of one handed out before', () => {
  const text = makeCsv(3000, 9);
  const bytes = new TextEncoder().encode(text);
  const start = text.indexOf('\n') + 1;
  const columnBuffers = (b: ColumnBatch): ArrayBufferLike[] => b.columns.flatMap(c => (c.kind === 'text' ? [c.bytes.buffer, c.offsets.buffer, c.valid.buffer] : []));

  it('gives the cells of fresh batches, several batches to a push included, and reuses their memory', async () => {
    for (const [chunkSize, rows] of [[701, 500], [64 * 1024, 200], [4096, 7]]) {
      const parser = new BatchParser({ dialect, encoding: 'utf-8', fieldIndexes: [0, 1, 2, 1], width: 3, firstRow: 0, batchRows: rows, reuse: true });
      const got: (string | null)[][] = [];
      const seen = new Set<ArrayBufferLike>();
      let batches = 0;
      const take = (out: ColumnBatch[]): void => {
        for (const b of out) {
          // read while it is this batch's turn, as a scan's consumer does
          got.push(...batchRows(b));
          for (const buf of columnBuffers({ ...b, columns: b.columns.slice(0, 3) })) { seen.add(buf); }
          batches++;
        }
      };
      for await (const chunk of plainSource(bufferFromBytes(bytes)).chunks(start, undefined, { chunkSize, recycle: true })) { take(parser.push(chunk.bytes, false)); }
      take(parser.push(new Uint8Array(0), true));
      const ref = reference(text);
      expect(got).toEqual(ref.map(r => [...r, r[1]]));
      expect(batches).toBe(Math.ceil(ref.length / rows));
      // fresh batches would take 9 buffers each (bytes, offsets and validity of 3 columns); the repeated column is
      // a copy, left out here
      expect(seen.size).toBeLessThan((9 * batches) / 2);
    }
  });

  it('a batch whose buffers the consumer transferred is not written again, and the rest still read right', async () => {
    const parser = new BatchParser({ dialect, encoding: 'utf-8', fieldIndexes: [0, 1, 2], width: 3, firstRow: 0, batchRows: 100, reuse: true });
    const kept: ColumnBatch[] = [];
    const got: (string | null)[][] = [];
    let n = 0;
    const take = (out: ColumnBatch[]): void => {
      for (const b of out) {
        if (n++ % 3 === 0) {
          // what posting a batch to another thread does: its buffers move with it
          const moved = structuredClone(b, { transfer: [...new Set(columnBuffers(b))] as ArrayBuffer[] });
          expect(columnBuffers(b).every(buf => buf.byteLength === 0)).toBe(true);
          kept.push(moved);
          got.push(...batchRows(moved));
        } else {
          got.push(...batchRows(b));
        }
      }
    };
    for await (const chunk of plainSource(bufferFromBytes(bytes)).chunks(start, undefined, { chunkSize: 701, recycle: true })) { take(parser.push(chunk.bytes, false)); }
    take(parser.push(new Uint8Array(0), true));
    const ref = reference(text);
    expect(got).toEqual(ref);
    // the batches moved away keep their own cells
    expect(kept.flatMap(batchRows)).toEqual(kept.flatMap(b => ref.slice(b.rowStart, b.rowStart + b.rowCount)));
    expect(kept.length).toBe(Math.ceil(Math.ceil(ref.length / 100) / 3));
  });

  it('a profile reading recycled batches equals one reading fresh batches', async () => {
    const ds = await openCsv(bufferFromBytes(bytes), { name: 'p.csv' });
    const feed = (reuseBatches: boolean) => (columns: number[], onBatch: (b: ColumnBatch) => void) => ds.scan(columns, onBatch, { batchRows: 64, reuseBatches });
    const [fresh, recycled] = [await profilePartial(ds.fields, {}, feed(false)), await profilePartial(ds.fields, {}, feed(true))];
    expect(mergeProfiles([recycled])).toEqual({ ...mergeProfiles([fresh]), elapsedMs: expect.any(Number) });
  });
});

describe('CSV split ranges without the whole row index', () => {
  it('two ranges cut at a row start before a quoted multi-line cell over the midpoint, found by scanning only the first half', async () => {
    const { text, bytes, quoteStart, straddle } = straddlingCsv();
    const buffer = readIntoBuffer(bytes);
    let bytesRead = 0;
    const inner = buffer.readInto.bind(buffer);
    buffer.readInto = async (target, position) => { const n = await inner(target, position); bytesRead += n; return n; };
    const ds = await openCsv(buffer, { name: 'big.csv' });
    bytesRead = 0;
    const ranges = await ds.splitRanges(2);
    expect(bytesRead).toBeLessThan(bytes.length * 0.6);
    expect(ranges).toHaveLength(2);
    expect(ranges[0]).toMatchObject({ from: ds.dataStart, firstRow: 0, firstLine: 2 });
    expect(ranges[0].to).toBe(ranges[1].from);
    expect(ranges[1].to).toBe(bytes.length);
    expect(ranges[1].from <= quoteStart || ranges[1].from > quoteStart + straddle.length).toBe(true);
    expect(ranges[1].from).toBeGreaterThan(bytes.length * 0.4);
    const ref = reference(text);
    const { rows: got } = await scanRangesInOrder(ds, ranges);
    const firstDiff = got.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(ref[i]));
    expect(got.length === ref.length && firstDiff === -1).toBe(true);
    // the row numbers and lines agree with the full index's cuts
    await ds.buildIndex();
    const full = ds.partitions(2);
    const again = await ds.splitRanges(2);
    expect(again.map(r => r.from)).toEqual(full.map(r => r.from));
    const line = text.slice(0, ranges[1].from).split('\n').length;
    expect(ranges[1].firstLine).toBe(line);
  }, 30_000);

  it('one part, or a gzip file, is one range over all the data', async () => {
    const bytes = new TextEncoder().encode(makeCsv(500, 9));
    const ds = await openCsv(readIntoBuffer(bytes), { name: 'a.csv' });
    expect(await ds.splitRanges(1)).toEqual([{ from: ds.dataStart, to: bytes.length, firstRow: 0, firstLine: 2 }]);
    const gz = await openCsv(bufferFromBytes(new Uint8Array(gzipSync(bytes))), { name: 'a.csv.gz' });
    expect(await gz.splitRanges(2)).toHaveLength(1);
  });
});
