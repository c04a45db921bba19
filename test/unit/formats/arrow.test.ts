import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { Bool, CompressionType, compressionRegistry, DateDay, Dictionary, Int32, Int64, RecordBatchFileWriter, Table, tableFromArrays, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { compress } from 'lz4js';
import { planArrowColumns } from '../../../src/core/formats/arrow/arrowColumns';
import { openArrow } from '../../../src/core/formats/arrow/arrowDataset';
import { errorCode, FIXTURES, fixtureBytes, loggedBuffer, rowsAsJson, scanAsJson } from './formatHelpers';

const expected = JSON.parse(readFileSync(join(FIXTURES, 'arrow/types.expected.json'), 'utf8')) as { fields: string[]; types: string[]; rows: string[] };

describe('Arrow IPC golden files', () => {
  it.each(['types.arrow', 'types.feather', 'types.arrows'])('%s: fields, types and every value', async name => {
    const ds = await openArrow(bufferFromBytes(fixtureBytes(`arrow/${name}`)));
    expect(ds.layout.kind).toBe(name.endsWith('.arrows') ? 'stream' : 'file');
    expect(ds.fields.map(f => f.name)).toEqual(expected.fields);
    expect(ds.fields.map(f => f.type)).toEqual(expected.types);
    expect(ds.fields.find(f => f.name === 'price')?.sourceType).toBe('Decimal(12,2)');
    expect(ds.fields.find(f => f.name === 'color')?.sourceType).toBe('Dictionary<Utf8>');
    expect(ds.rowCount).toEqual({ value: 3, exact: true });
    expect(ds.batchCount).toBe(2);
    expect(rowsAsJson(ds, await ds.readRows(0, 3))).toEqual(expected.rows);
    expect(await scanAsJson(ds)).toEqual(expected.rows);
    const batch = await ds.readRows(0, 1, [1]);
    expect(batch.columns[0].kind).toBe('bigint');
  });
});

describe('compressed Arrow IPC (LZ4 frame and ZSTD buffers, as pyarrow writes Feather v2)', () => {
  it.each(['types-lz4.feather', 'types-zstd.arrow', 'types-lz4.arrows'])('%s reads like its uncompressed twin', async name => {
    const ds = await openArrow(bufferFromBytes(fixtureBytes(`arrow/${name}`)));
    expect(ds.fields.map(f => f.type)).toEqual(expected.types);
    expect(ds.batchCount).toBe(2);
    expect(rowsAsJson(ds, await ds.readRows(0, 3))).toEqual(expected.rows);
    expect(await scanAsJson(ds)).toEqual(expected.rows);
  });

  it.each(['words-lz4.feather', 'words-zstd.arrows'])('%s: every window and the scan equal the uncompressed file', async name => {
    const bytes = fixtureBytes(`arrow/${name}`);
    const plain = await openArrow(bufferFromBytes(fixtureBytes('arrow/words.arrow')));
    const ds = await openArrow(bufferFromBytes(bytes));
    expect(bytes.length).toBeLessThan(fixtureBytes('arrow/words.arrow').length * 0.6); // really compressed
    const want = await scanAsJson(plain);
    expect(want).toHaveLength(2000);
    expect(await scanAsJson(ds, 300)).toEqual(want);
    for (const [start, count] of [[0, 5], [490, 20], [1999, 3]]) {
      expect(rowsAsJson(ds, await ds.readRows(start, count))).toEqual(want.slice(start, start + count));
    }
  });

  it('files from apache-arrow\'s own writer (compressed length where the uncompressed one belongs) read too', async () => {
    compressionRegistry.set(CompressionType.LZ4_FRAME, { encode: data => compress(data) });
    const n = 3000;
    const table = new Table({
      n: vectorFromArray(Int32Array.from({ length: n }, (_, i) => i % 7)),
      word: vectorFromArray(Array.from({ length: n }, (_, i) => `w${i % 5}`), new Utf8()),
    });
    const bytes = new RecordBatchFileWriter({ compressionType: CompressionType.LZ4_FRAME }).writeAll(table).toUint8Array(true);
    const ds = await openArrow(bufferFromBytes(bytes));
    const rows = await scanAsJson(ds);
    expect(rows).toHaveLength(n);
    expect(rows.slice(0, 6)).toEqual(['[0,"w0"]', '[1,"w1"]', '[2,"w2"]', '[3,"w3"]', '[4,"w4"]', '[5,"w0"]']);
    expect(rows[n - 1]).toBe(`[${(n - 1) % 7},"w${(n - 1) % 5}"]`);
  });

  it('a damaged LZ4 frame is corrupt, never wrong values (its length, blocks and content checksum are checked)', async () => {
    const good = fixtureBytes('arrow/words-lz4.feather');
    // the places of the compressed buffers: each starts with the LZ4 frame magic 04 22 4d 18
    const frames: number[] = [];
    for (let at = 0; at + 4 <= good.length; at++) {
      if (good[at] === 0x04 && good[at + 1] === 0x22 && good[at + 2] === 0x4d && good[at + 3] === 0x18) { frames.push(at); }
    }
    expect(frames.length).toBeGreaterThan(3);
    for (const frame of frames) {
      for (const offset of [0, 4, 9, 12, 30]) { // magic, flags, block size, block data
        const bad = good.slice();
        bad[frame + offset] ^= 0x5a;
        const code = await errorCode(openArrow(bufferFromBytes(bad)).then(ds => scanAsJson(ds)));
        expect(code, `frame at ${frame}, byte ${offset}`).toBe('corrupt');
      }
    }
  });
});

describe('Arrow timestamps', () => {
  it('without a time zone they are local times, written without Z; with one they are UTC instants', async () => {
    const ds = await openArrow(bufferFromBytes(fixtureBytes('arrow/local-times.arrow')));
    expect(ds.fields.map(f => `${f.name}:${f.type}:${f.wallClock ?? false}`)).toEqual(['local_at:datetime:true', 'utc_at:datetime:false', 'local_list:json:false']);
    expect(await scanAsJson(ds)).toEqual([
      '["2024-01-02T03:04:05.250","2024-01-02T03:04:05.250Z","[\\"2024-01-02T03:04:05.000\\"]"]',
      '[null,"1970-01-01T00:00:00.000Z","[]"]',
    ]);
  });
});

describe('Arrow IPC windows', () => {
  const rowsOf = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => `[${from + k},${(from + k) ** 2}]`);

  it.each(['sequence.arrow', 'sequence.arrows'])('%s: windows across batches equal the values and the scan', async name => {
    const ds = await openArrow(bufferFromBytes(fixtureBytes(`arrow/${name}`)));
    expect(ds.rowCount).toEqual({ value: 1000, exact: true });
    expect(ds.batchCount).toBe(16);
    const scanned = await scanAsJson(ds, 100);
    expect(scanned).toEqual(rowsOf(0, 1000));
    for (const [start, count] of [[0, 1], [60, 10], [63, 130], [990, 50], [1000, 5]]) {
      const batch = await ds.readRows(start, count);
      expect(rowsAsJson(ds, batch)).toEqual(scanned.slice(start, start + count));
    }
  });

  it('the file format reads only the footer, batch headers and the small batches a window needs', async () => {
    const bytes = fixtureBytes('arrow/sequence.arrow');
    const buffer = loggedBuffer(bytes);
    const ds = await openArrow(buffer);
    const atOpen = buffer.bytesRead();
    expect(atOpen).toBeLessThan(bytes.length / 4);
    buffer.reads.length = 0;
    await ds.readRows(500, 10);
    const target = ds.layout.batches[Math.floor(500 / 64)].range;
    expect(buffer.reads).toEqual([{ start: target.start, end: target.end }]);
    // a second look at the same rows comes from the decoded batch
    buffer.reads.length = 0;
    await ds.readRows(505, 2);
    expect(buffer.reads).toEqual([]);
  });

  it('windows of flat columns in large batches read partially equal the fully decoded scan', async () => {
    const n = 40_000;
    const table = tableFromArrays({
      big: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 3_000_000_000_000n),
      ratio: Float64Array.from({ length: n }, (_, i) => i / 7),
      small: Int16Array.from({ length: n }, (_, i) => i % 300),
    });
    const extra = {
      name: vectorFromArray(Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : `name ${i} ${'x'.repeat(i % 13)}`)), new Utf8()),
      flag: vectorFromArray(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 3 === 0)), new Bool()),
      color: vectorFromArray(Array.from({ length: n }, (_, i) => ['red', 'green', null, 'blue'][i % 4]), new Dictionary(new Utf8(), new Int32())),
      day: vectorFromArray(Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000), new DateDay()),
    };
    const columns: Record<string, Vector> = { ...Object.fromEntries(table.schema.fields.map(f => [f.name, table.getChild(f.name as never)!])), ...extra };
    const full = new Table(columns);
    const batches = [];
    for (let at = 0; at < n; at += 20_000) { batches.push(...full.slice(at, at + 20_000).batches); }
    const bytes = tableToIPC(new Table(full.schema, batches), 'file');
    const buffer = loggedBuffer(bytes);
    const ds = await openArrow(buffer);
    const scanned = await scanAsJson(ds);
    expect(scanned).toHaveLength(n);
    expect(JSON.parse(scanned[9])).toEqual([27_000_000_000_000, 9 / 7, 9, null, true, 'green', '2020-01-10']);
    for (const [start, count] of [[0, 10], [12_345, 40], [19_990, 20], [39_999, 1]]) {
      buffer.reads.length = 0;
      expect(rowsAsJson(ds, await ds.readRows(start, count))).toEqual(scanned.slice(start, start + count));
      if (count <= 20) { expect(buffer.bytesRead()).toBeLessThan(bytes.length / 20); }
    }
  });

  it('a scan stops with a cancelled error when its signal aborts', async () => {
    const ds = await openArrow(bufferFromBytes(fixtureBytes('arrow/sequence.arrow')));
    const controller = new AbortController();
    const seen: number[] = [];
    const code = await errorCode(ds.scan(undefined, b => { seen.push(b.rowStart); controller.abort(); }, { signal: controller.signal }));
    expect(code).toBe('cancelled');
    expect(seen).toEqual([0]);
  });
});

describe('bad Arrow input', () => {
  it('a bad magic number is corrupt', async () => {
    const e = await openArrow(bufferFromBytes(fixtureBytes('arrow/bad-magic.arrow'))).catch(x => x);
    expect(e).toMatchObject({ name: 'DatasetError', code: 'corrupt', message: expect.stringContaining('bad magic') });
  });

  it('truncated files and streams are corrupt', async () => {
    expect(await errorCode(openArrow(bufferFromBytes(fixtureBytes('arrow/truncated.arrow'))))).toBe('corrupt');
    expect(await errorCode(openArrow(bufferFromBytes(fixtureBytes('arrow/truncated.arrows'))))).toBe('corrupt');
    const good = fixtureBytes('arrow/types.arrow');
    for (let cut = 0; cut < good.length; cut += 97) {
      expect(await errorCode(openArrow(bufferFromBytes(good.subarray(0, cut))))).toMatch(/^(corrupt|empty)$/);
    }
  });

  it('Feather v1 is refused as unsupported', async () => {
    const v1 = new TextEncoder().encode('FEA1\0\0\0\0 some old feather bytes FEA1');
    expect(await errorCode(openArrow(bufferFromBytes(v1)))).toBe('unsupported');
  });

  it('random damage gives data or a DatasetError, never another error', async () => {
    let seed = 99;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const codes = new Set<string>();
    for (const name of ['types.arrow', 'types.arrows', 'sequence.arrow']) {
      const original = fixtureBytes(`arrow/${name}`);
      for (let trial = 0; trial < 60; trial++) {
        const bad = original.slice();
        for (let k = 0; k < 3; k++) { bad[6 + Math.floor(random() * (bad.length - 12))] = Math.floor(random() * 256); }
        codes.add(await errorCode(openArrow(bufferFromBytes(bad)).then(ds => ds.scan(undefined, () => undefined))));
      }
    }
    expect([...codes].every(c => ['ok', 'corrupt', 'unsupported', 'too-large'].includes(c))).toBe(true);
  });
});

describe('Arrow scans of a row range', () => {
  it('give those rows of the whole scan, in batches of at most the size asked', async () => {
    const ds = await openArrow(bufferFromBytes(fixtureBytes('arrow/words.arrow')));
    const all = await scanAsJson(ds);
    expect(ds.batchCount).toBeGreaterThan(1);
    for (const [start, end, batchRows] of [[0, 2000, 300], [490, 1510, 64], [1999, 2000, 5], [700, 700, 9], [1500, 9000, 1000]]) {
      const rows: string[] = [];
      let next = start;
      const progress: number[] = [];
      await ds.scanRows(start, end, undefined, batch => {
        expect(batch.rowStart).toBe(next);
        expect(batch.rowCount).toBeLessThanOrEqual(batchRows);
        next += batch.rowCount;
        rows.push(...rowsAsJson(ds, batch));
      }, { batchRows, onProgress: p => progress.push(p.rowsDone) });
      expect(rows).toEqual(all.slice(start, end));
      if (end > start) { expect(progress.at(-1)).toBe(Math.min(end, 2000) - start); }
    }
  });
});

describe('direct copies from Arrow buffers', () => {
  it('equal the columns made through vector.get(), with nulls, slices and several chunks', () => {
    const n = 700;
    const rows = Array.from({ length: n }, (_, i) => i);
    const table = tableFromArrays({
      i8: Int8Array.from(rows, i => (i % 250) - 125),
      u32: Uint32Array.from(rows, i => 4_000_000_000 + i),
      i64: BigInt64Array.from(rows, i => BigInt(i) * -3_000_000_000_001n),
      f32: Float32Array.from(rows, i => i / 3),
      f64: Float64Array.from(rows, i => (i % 9 === 0 ? NaN : i * 1.25e-7)),
    });
    const withNulls = new Table({
      ...Object.fromEntries(table.schema.fields.map(f => [f.name, table.getChildAt(table.schema.fields.indexOf(f))!])),
      b: vectorFromArray(rows.map(i => (i % 5 === 0 ? null : i % 3 === 0)), new Bool()),
      day: vectorFromArray(rows.map(i => (i % 7 === 0 ? null : new Date(Date.UTC(1969, 0, 1) + i * 86_400_000))), new DateDay()),
      s: vectorFromArray(rows.map(i => (i % 4 === 0 ? null : i % 6 === 0 ? '' : `wörd ${'x'.repeat(i % 50)} ${i}`)), new Utf8()),
      n64: vectorFromArray(rows.map(i => (i % 8 === 0 ? null : BigInt(i))), new Int64()),
    });
    const fields = withNulls.schema.fields;
    const direct = planArrowColumns(fields);
    const viaGet = planArrowColumns(fields, { direct: false });
    const cases: [number, { vector: Vector; from: number; to: number }[]][] = [];
    fields.forEach((_, f) => {
      const v = withNulls.getChildAt(f)!;
      // a slice (a chunk with an offset), two chunks joined, and windows across them
      const joined = v.slice(0, 333).concat(v.slice(333));
      cases.push([f, [{ vector: v, from: 0, to: n }]], [f, [{ vector: v.slice(17, 600), from: 3, to: 500 }]], [f, [{ vector: joined, from: 300, to: 400 }]],
        [f, [{ vector: v, from: 5, to: 9 }, { vector: joined, from: 650, to: 700 }]]);
    });
    let compared = 0;
    for (const [f, parts] of cases) {
      expect(direct[f].toColumn(parts), `${fields[f].name}`).toEqual(viaGet[f].toColumn(parts));
      compared++;
    }
    expect(compared).toBe(4 * fields.length);
  });
});
