import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import type { ColumnData } from '../../../src/core/formats/columns';
import { cellDisplay } from '../../../src/core/formats/cellValue';
import { parquetRead, snappyUncompress } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { openParquet, type ParquetDataset } from '../../../src/core/formats/parquet/parquetDataset';
import { snappyPrefix } from '../../../src/core/formats/parquet/snappyPrefix';
import { chunkHeadLength, columnChunkRange, type FlatColumn, flatColumn, readFlatWindow } from '../../../src/core/formats/parquet/parquetPages';
import { int96Millis, readerOf, readHybrid } from '../../../src/core/formats/parquet/parquetEncodings';
import { windowSink } from '../../../src/core/formats/parquet/parquetSinks';
import { daysFromCivil } from '../../../src/core/formats/calendar';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { FLAT_PARSERS, metadataForDecoding, nestedJson, PARQUET_PARSERS, planParquetColumns } from '../../../src/core/formats/parquet/parquetColumns';
import { compressors } from 'hyparquet-compressors';
import type { ColumnMetaData, Compressors, SchemaTree } from 'hyparquet';
import { errorCode, FIXTURES, fixtureBytes, loggedBuffer, rowsAsJson, scanAsJson } from './formatHelpers';

async function open(name: string): Promise<ParquetDataset> {
  return openParquet(bufferFromBytes(fixtureBytes(`parquet/${name}`)));
}

async function allRows(name: string): Promise<string[]> {
  const ds = await open(name);
  return rowsAsJson(ds, await ds.readRows(0, ds.rowCount.value));
}

/** groups.parquet, row i, written from the formulas in test/fixtures/parquet/make-fixtures.mjs. */
function groupsRow(i: number): string {
  const price = `${Math.floor(i / 100)}.${String(i % 100).padStart(2, '0')}`;
  const at = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().slice(0, -1); // a local time: no Z
  const day = new Date(Date.UTC(2024, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
  const label = i % 7 === 0 ? 'null' : `"row ${i}"`;
  return `[${i},${9007199254740000n + BigInt(i)},${price},"${at}","${day}",${label},${i % 2 === 0},"[${i},${i + 1}]"]`;
}

describe('every Apache Parquet test file', () => {
  const readable = [
    'alltypes_dictionary.parquet', 'alltypes_plain.parquet', 'alltypes_plain.snappy.parquet', 'binary.parquet',
    'byte_array_decimal.parquet', 'datapage_v2.snappy.parquet', 'fixed_length_decimal.parquet', 'hadoop_lz4_compressed.parquet',
    'int32_decimal.parquet', 'int64_decimal.parquet', 'int96_from_spark.parquet', 'list_columns.parquet',
    'lz4_raw_compressed.parquet', 'nested_lists.snappy.parquet', 'nested_maps.snappy.parquet', 'nested_structs.rust.parquet',
    'non_hadoop_lz4_compressed.parquet', 'nulls.snappy.parquet', 'single_nan.parquet',
  ];

  it('lists exactly the files in the shared folder', () => {
    const listed = readdirSync(join(FIXTURES, 'parquet')).filter(f => f.includes('.parquet') && !['groups.parquet', 'timestamps.parquet', 'onegroup.parquet', 'pages-v2.parquet'].includes(f)).sort();
    expect(listed).toEqual([...readable, 'uniform_encryption.parquet.encrypted'].sort());
    expect(readdirSync(join(FIXTURES, 'parquet/bad_data')).sort()).toEqual(['ARROW-GH-41321.parquet', 'PARQUET-1481.parquet']);
  });

  it.each(readable)('reads %s completely, and a window equals the same rows of the scan', async name => {
    const ds = await open(name);
    const scanned = await scanAsJson(ds);
    expect(scanned).toHaveLength(ds.rowCount.value);
    expect(ds.rowCount.exact).toBe(true);
    expect(ds.rowCount.value).toBe(Number(ds.metadata.num_rows));
    const mid = Math.floor(ds.rowCount.value / 2);
    expect(rowsAsJson(ds, await ds.readRows(mid, 3))).toEqual(scanned.slice(mid, mid + 3));
  });

  it('refuses the encrypted file as encrypted', async () => {
    const e = await open('uniform_encryption.parquet.encrypted').catch(x => x);
    expect(e).toMatchObject({ name: 'DatasetError', code: 'encrypted', message: 'encrypted Parquet files are not supported' });
  });

  it.each(['ARROW-GH-41321.parquet', 'PARQUET-1481.parquet'])('reports bad_data/%s as corrupt', async name => {
    const code = await errorCode(open(`bad_data/${name}`).then(ds => ds.scan(undefined, () => undefined)));
    expect(code).toBe('corrupt');
  });
});

describe('Parquet values', () => {
  it('alltypes_plain: the known values, INT96 timestamps, unannotated bytes as hex', async () => {
    const ds = await open('alltypes_plain.parquet');
    expect(ds.fields.map(f => `${f.name}:${f.type}`)).toEqual([
      'id:integer', 'bool_col:boolean', 'tinyint_col:integer', 'smallint_col:integer', 'int_col:integer', 'bigint_col:integer',
      'float_col:number', 'double_col:number', 'date_string_col:binary', 'string_col:binary', 'timestamp_col:datetime',
    ]);
    expect(ds.fields[10].sourceType).toBe('INT96');
    const rows = rowsAsJson(ds, await ds.readRows(0, 8));
    expect(rows[0]).toBe('[4,true,0,0,0,0,0,0,"30332f30312f3039","30","2009-03-01T00:00:00.000Z"]');
    expect(rows[1]).toBe('[5,false,1,1,1,10,1.100000023841858,10.1,"30332f30312f3039","31","2009-03-01T00:01:00.000Z"]');
    expect(rows.map(r => JSON.parse(r)[0])).toEqual([4, 5, 6, 7, 2, 3, 0, 1]);
    const batch = await ds.readRows(0, 1);
    expect(batch.columns[5].kind).toBe('bigint');
    expect(cellDisplay(batch.columns[10], 0, ds.fields[10])).toBe('2009-03-01 00:00:00');
  });

  it('int96_from_spark: the six values as Spark reads them (UTC), microseconds kept, by window and by scan', async () => {
    const ds = await open('int96_from_spark.parquet');
    const window = await ds.readRows(0, 6);
    expect(rowsAsJson(ds, window)).toEqual(SPARK_INT96_JSON);
    expect(Array.from({ length: 6 }, (_, i) => cellDisplay(window.columns[0], i, ds.fields[0]))).toEqual(SPARK_INT96_TEXT);
    // year 290000 exactly, no stray milliseconds
    expect(window.columns[0].kind === 'number' && window.columns[0].values[5]).toBe(YEAR_290000_MS);
    const last = await ds.readRows(5, 1);
    expect(rowsAsJson(ds, last)).toEqual(SPARK_INT96_JSON.slice(5));
    expect(await scanAsJson(ds)).toEqual(SPARK_INT96_JSON);
    const scanned: (string | null)[] = [];
    await ds.scan(undefined, batch => {
      for (let i = 0; i < batch.rowCount; i++) { scanned.push(cellDisplay(batch.columns[0], i, ds.fields[0])); }
    }, { batchRows: 4 });
    expect(scanned).toEqual(SPARK_INT96_TEXT);
  });

  it('int96_from_spark through hyparquet\'s full reader (nested columns, unusual pages): the same values', async () => {
    const bytes = fixtureBytes('parquet/int96_from_spark.parquet');
    const ds = await openParquet(bufferFromBytes(bytes));
    const schema = (ds as unknown as { schema: SchemaTree }).schema;
    const values: unknown[] = [];
    await parquetRead({
      file: bufferFromBytes(bytes), metadata: metadataForDecoding(ds.metadata), compressors: compressors as Compressors,
      parsers: PARQUET_PARSERS, utf8: false, onChunk: chunk => { values.push(...Array.from(chunk.columnData as ArrayLike<unknown>)); },
    });
    const column = planParquetColumns(schema)[0].toColumn(values);
    expect(rowsAsJson(ds, { rowStart: 0, rowCount: 6, fieldIndexes: [0], columns: [column] })).toEqual(SPARK_INT96_JSON);
    // a nested INT96 leaf arrives as the same 12 bytes
    expect(values.map(v => nestedJson(v, schema.children[0]))).toEqual(SPARK_INT96_JSON.map(r => JSON.parse(r)[0]));
  });

  it.each([
    ['byte_array_decimal.parquet', 'Decimal(4,2)'], ['fixed_length_decimal.parquet', 'Decimal(25,2)'],
    ['int32_decimal.parquet', 'Decimal(4,2)'], ['int64_decimal.parquet', 'Decimal(10,2)'],
  ])('%s: decimals as exact text 1.00 … 24.00', async (name, sourceType) => {
    const ds = await open(name);
    expect(ds.fields[0]).toMatchObject({ type: 'number', sourceType });
    const batch = await ds.readRows(0, 24);
    expect(batch.columns[0].kind).toBe('text');
    expect(rowsAsJson(ds, batch)).toEqual(Array.from({ length: 24 }, (_, i) => `[${i + 1}.00]`));
  });

  it('nested lists, maps and structs as JSON text', async () => {
    expect(await allRows('list_columns.parquet')).toEqual([
      '["[1,2,3]","[\\"abc\\",\\"efg\\",\\"hij\\"]"]', '["[null,1]",null]', '["[4]","[\\"efg\\",null,\\"hij\\",\\"xyz\\"]"]',
    ]);
    const lists = await allRows('nested_lists.snappy.parquet');
    expect(JSON.parse(JSON.parse(lists[0])[0])).toEqual([[['a', 'b'], ['c']], [null, ['d']]]);
    const maps = (await allRows('nested_maps.snappy.parquet')).map(r => JSON.parse(JSON.parse(r)[0]));
    expect(maps).toEqual([{ a: { 1: true, 2: false } }, { b: { 1: true } }, { c: null }, { d: {} }, { e: { 1: true } }, { f: { 3: true, 4: false, 5: true } }]);
    const ds = await open('nested_structs.rust.parquet');
    expect(ds.fields[0]).toMatchObject({ name: 'roll_num', type: 'json', sourceType: 'STRUCT' });
    const struct = rowsAsJson(ds, await ds.readRows(0, 1))[0];
    // 94251302258849568 is beyond 2^53: its digits must survive inside the JSON text
    expect(JSON.parse(struct)[0]).toBe('{"min":190406409000602,"max":190407175004000,"mean":190406671229999,"count":495,"sum":94251302258849568,"variance":0}');
    expect(await allRows('nulls.snappy.parquet')).toEqual(Array(8).fill('["{\\"b_c_int\\":null}"]'));
  });

  it('binary, LZ4 (Hadoop, raw and plain) and data page v2 files', async () => {
    expect(await allRows('binary.parquet')).toEqual(Array.from({ length: 12 }, (_, i) => `["${i.toString(16).padStart(2, '0')}"]`));
    const expected = ['[1593604800,"616263",42]', '[1593604800,"646566",7.7]', '[1593604801,"616263",42.125]', '[1593604801,"646566",7.7]'];
    for (const name of ['hadoop_lz4_compressed.parquet', 'lz4_raw_compressed.parquet', 'non_hadoop_lz4_compressed.parquet']) {
      expect(await allRows(name)).toEqual(expected);
    }
    expect(await allRows('datapage_v2.snappy.parquet')).toEqual([
      '["abc",1,2,true,"[1,2,3]"]', '["abc",2,3,true,null]', '["abc",3,4,true,null]', '[null,4,5,false,"[1,2,3]"]', '["abc",5,2,true,"[1,2]"]',
    ]);
  });
});

/** int96_from_spark.parquet as Spark 3.4 shows it (session zone UTC), and as `strata head --json` writes it. */
const SPARK_INT96_TEXT = ['2024-01-01 20:34:56.123456', '2024-01-01 01:00:00', '9999-12-31 03:00:00', '2024-12-30 23:00:00', null, '+290000-12-30 23:00:00'];
const SPARK_INT96_JSON = [
  '["2024-01-01T20:34:56.123456Z"]', '["2024-01-01T01:00:00.000Z"]', '["9999-12-31T03:00:00.000Z"]', '["2024-12-30T23:00:00.000Z"]', '[null]',
  '["+290000-12-30T23:00:00.000Z"]',
];
const YEAR_290000_MS = (daysFromCivil(290000, 12, 30) * 86_400 + 23 * 3600) * 1000;

/** The 12 bytes Spark writes for an instant in µs: the Julian day and the nanoseconds of the day, with 64-bit wrapping. */
function sparkInt96(micros: bigint): Uint8Array {
  const julianMicros = BigInt.asIntN(64, micros + 2_440_588n * 86_400_000_000n);
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(0, (julianMicros % 86_400_000_000n) * 1000n, true);
  view.setInt32(8, Number(julianMicros / 86_400_000_000n), true);
  return bytes;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
const int96Of = (bytes: Uint8Array) => int96Millis(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0);

describe('INT96 timestamps', () => {
  it('a usual value: its exact nanoseconds rounded once, as hyparquet reads it', () => {
    const bytes = sparkInt96(1_704_141_296_123_456n); // 2024-01-01T20:34:56.123456Z
    expect(int96Of(bytes)).toBe(Number(1_704_141_296_123_456_000n) / 1e6);
    // random days of the years 0001-9999 and nanoseconds of the day
    let seed = 1;
    const next = () => { seed = (seed * 48271) % 2147483647; return seed / 2147483647; };
    const view = new DataView(new ArrayBuffer(12));
    for (let k = 0; k < 2000; k++) {
      const day = 1_721_426 + Math.floor(next() * 3_652_059);
      const nanos = BigInt(Math.floor(next() * 86_400_000_000_000));
      view.setBigInt64(0, nanos, true);
      view.setInt32(8, day, true);
      expect(int96Millis(view, 0)).toBe(Number(BigInt(day - 2_440_588) * 86_400_000_000_000n + nanos) / 1e6);
    }
  });

  it('a value Spark wrote past the 64-bit nanosecond range (negative day and nanoseconds): read as Spark reads it', () => {
    const bytes = Uint8Array.from([0x00, 0x60, 0xb9, 0xc7, 0x6e, 0xe2, 0xff, 0xff, 0xa8, 0xab, 0xb0, 0xf9]);
    const view = new DataView(bytes.buffer);
    expect([view.getBigInt64(0, true), view.getInt32(8, true)]).toEqual([-32_509_551_616_000n, -105_862_232]);
    expect(hex(sparkInt96(9_089_380_393_200_000_000n))).toBe(hex(bytes));
    expect(int96Of(bytes)).toBe(YEAR_290000_MS);
    expect(int96Of(bytes)).toBe(9_089_380_393_200_000);
    for (const micros of [-62_135_596_800_000_000n, -1_000n, 0n, 253_402_214_400_000_000n, 9_000_000_000_000_000_000n, 9_223_372_036_854_775_000n]) {
      expect(int96Of(sparkInt96(micros)), String(micros)).toBe(Number(micros / 1000n));
    }
  });

  it('PLAIN pages and dictionaries of INT96 read alike through the typed and the value sinks', () => {
    const [plan] = planParquetColumns({
      element: { name: 'root', num_children: 1 },
      children: [{ element: { name: 'at', type: 'INT96', repetition_type: 'OPTIONAL' }, children: [], count: 1, path: ['at'] }],
      count: 2, path: [],
    } as unknown as SchemaTree);
    expect(plan.direct).toEqual({ kind: 'number', physical: 'INT96', unsigned: false, multiply: 1, divide: 1 });
    const page = new Uint8Array(36);
    [0n, 1_704_141_296_123_456n, 9_089_380_393_200_000_000n].forEach((m, i) => page.set(sparkInt96(m), 12 * i));
    const context = { type: 'INT96' as const, typeLength: undefined, decoder: {} as never, toColumn: plan.toColumn };
    for (const direct of [plan.direct, undefined]) {
      const sink = windowSink(3, direct, context);
      // the page's first value is before the window; row 1 is null
      expect(sink.page(readerOf(page), 'PLAIN', { defined: Uint8Array.from([1, 0, 1]), skip: 1, present: 3 }, 0, 3)).toBe(true);
      expect(sink.finish()).toEqual({ kind: 'number', values: Float64Array.from([1_704_141_296_123.456, 0, YEAR_290000_MS]), valid: Uint8Array.from([1, 0, 1]) });
      const fromDictionary = windowSink(2, direct, context);
      fromDictionary.dictionary(readerOf(page), 3);
      // indexes 2 and 0: bit width 2, one bit-packed group
      expect(fromDictionary.page(readerOf(Uint8Array.from([2, 3, 0b0010, 0])), 'RLE_DICTIONARY', { defined: undefined, skip: 0, present: 2 }, 0, 2)).toBe(true);
      expect(fromDictionary.finish()).toEqual({ kind: 'number', values: Float64Array.from([YEAR_290000_MS, 0]), valid: Uint8Array.from([1, 1]) });
    }
  });
});

describe('Parquet timestamps', () => {
  it('local ones (isAdjustedToUTC=false) are written without Z, UTC instants with it, nested ones alike', async () => {
    const ds = await open('timestamps.parquet');
    expect(ds.fields.map(f => `${f.name}:${f.type}:${f.sourceType}:${f.wallClock ?? false}`)).toEqual([
      'local_at:datetime:TIMESTAMP(MICROS, local):true', 'utc_at:datetime:TIMESTAMP(MICROS):false',
      'local_list:json:LIST:false', 'local_ms:datetime:TIMESTAMP(MILLIS, local):true',
    ]);
    expect(await allRows('timestamps.parquet')).toEqual([
      '["2024-01-02T03:04:05.000","2024-01-02T03:04:05.000Z","[\\"2024-01-02T03:04:05.250\\"]","1999-12-31T23:59:59.125"]',
      '["1969-07-20T20:17:40.123456","1969-07-20T20:17:40.500Z","[]",null]',
      '[null,null,null,"2024-02-29T12:00:00.000"]',
    ]);
    const batch = await ds.readRows(0, 1);
    expect(batch.columns.map((c, k) => cellDisplay(c, 0, ds.fields[k]))).toEqual([
      '2024-01-02 03:04:05', '2024-01-02 03:04:05', '["2024-01-02T03:04:05.250"]', '1999-12-31 23:59:59.125',
    ]);
  });
});

describe('Parquet windows over row groups', () => {
  it('reads the footer with one small tail read and the head magic', async () => {
    const bytes = fixtureBytes('parquet/groups.parquet');
    const buffer = loggedBuffer(bytes);
    const ds = await openParquet(buffer);
    expect(ds.rowGroupCount).toBeGreaterThan(1);
    expect(buffer.reads).toEqual([{ start: bytes.length - 64 * 1024, end: bytes.length }, { start: 0, end: 4 }]);
  });

  it('a window decodes only the row groups it needs', async () => {
    const buffer = loggedBuffer(fixtureBytes('parquet/groups.parquet'));
    const ds = await openParquet(buffer);
    buffer.reads.length = 0;
    const lastGroup = ds.metadata.row_groups[ds.rowGroupCount - 1];
    const firstOffset = Math.min(...lastGroup.columns.map(c => Number(c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset)));
    const batch = await ds.readRows(ds.rowCount.value - 5, 5);
    expect(rowsAsJson(ds, batch)).toEqual([9995, 9996, 9997, 9998, 9999].map(groupsRow));
    expect(buffer.reads.every(r => r.start >= firstOffset)).toBe(true);
  });

  it('windows across group boundaries equal the formulas and the scan', async () => {
    const ds = await open('groups.parquet');
    expect(ds.rowCount).toEqual({ value: 10_000, exact: true });
    expect(ds.fields.map(f => `${f.name}:${f.type}:${f.sourceType}`)).toEqual([
      'id:integer:INT_32', 'big:integer:INT_64', 'price:number:Decimal(12,2)', 'at:datetime:TIMESTAMP(MICROS, local)', 'day:date:DATE',
      'label:string:UTF8', 'even:boolean:BOOLEAN', 'pair:json:LIST',
    ]);
    const scanned = await scanAsJson(ds, 777);
    expect(scanned).toHaveLength(10_000);
    for (const i of [0, 1, 7, 991, 992, 2047, 2048, 5000, 9999]) { expect(scanned[i]).toBe(groupsRow(i)); }
    for (const [start, count] of [[2040, 20], [0, 1], [4090, 2100], [9990, 50]]) {
      const batch = await ds.readRows(start, count);
      expect(batch.rowStart).toBe(start);
      expect(rowsAsJson(ds, batch)).toEqual(scanned.slice(start, start + count));
    }
  });

  it('a scan of a row range gives those rows of the whole scan, each row group read once', async () => {
    const bytes = fixtureBytes('parquet/groups.parquet');
    const buffer = loggedBuffer(bytes);
    const ds = await openParquet(buffer);
    const scanned: string[] = [];
    await ds.scan([0, 5, 2], batch => { scanned.push(...rowsAsJson(ds, batch)); });
    expect(scanned[2040]).toBe('[2040,"row 2040",20.40]');
    for (const [start, end, batchRows] of [[2040, 4100, 500], [0, 1, 100], [9990, 10_000, 3], [3000, 3000, 10], [9000, 20_000, 4096]]) {
      buffer.reads.length = 0;
      const rows: string[] = [];
      const progress: { rowsDone: number; bytesDone: number; bytesTotal: number }[] = [];
      let next = start;
      await ds.scanRows(start, end, [0, 5, 2], batch => {
        expect(batch.rowStart).toBe(next);
        expect(batch.rowCount).toBeLessThanOrEqual(batchRows);
        next += batch.rowCount;
        rows.push(...rowsAsJson(ds, batch));
      }, { batchRows, onProgress: p => progress.push(p) });
      expect(rows).toEqual(scanned.slice(start, end));
      if (end > start) {
        expect(progress.at(-1)).toMatchObject({ rowsDone: Math.min(end, 10_000) - start });
        expect(progress.at(-1)?.bytesDone).toBe(progress.at(-1)?.bytesTotal);
        // each column chunk of each group touched is read once
        const starts = buffer.reads.map(r => r.start);
        expect(new Set(starts).size).toBe(starts.length);
      }
    }
  });

  it('reads chosen columns only, in the order asked', async () => {
    const ds = await open('groups.parquet');
    const batch = await ds.readRows(3000, 2, [5, 0]);
    expect(batch.fieldIndexes).toEqual([5, 0]);
    expect(rowsAsJson(ds, batch)).toEqual(['["row 3000",3000]', '["row 3001",3001]']);
    expect((await ds.readRows(10_000, 5)).rowCount).toBe(0);
  });

  it('a scan stops with a cancelled error when its signal aborts', async () => {
    const ds = await open('groups.parquet');
    const controller = new AbortController();
    let batches = 0;
    const code = await errorCode(ds.scan(undefined, () => { batches++; controller.abort(); }, { signal: controller.signal, batchRows: 100 }));
    expect(code).toBe('cancelled');
    expect(batches).toBe(1);
  });
});

/** onegroup.parquet, row i (make-fixtures.mjs): 20,000 rows in one row group, one data page per column. */
function onegroupRow(i: number): string {
  const label = i % 5 === 0 ? 'null' : `"n${(i * 7919) % 100003}"`;
  const colour = ['red', 'green', 'blue', 'cyan', 'plum'][((i * 7919) % 10007) % 5];
  const flag = i % 11 === 0 ? 'null' : String(i % 3 === 0);
  return `[${i},${label},"${colour}",${flag}]`;
}

// onegroup.parquet (DuckDB: one v1 page per column chunk) and pages-v2.parquet (hyparquet-writer: the same rows in
// DATA_PAGE_V2 pages of about 4 KB)
describe.each(['onegroup.parquet', 'pages-v2.parquet'])('Parquet windows in a large row group: %s', name => {
  const bytes = fixtureBytes(`parquet/${name}`);

  it('read only the head of each large column chunk', async () => {
    const buffer = loggedBuffer(bytes);
    const ds = await openParquet(buffer);
    expect(ds.rowGroupCount).toBe(1);
    buffer.reads.length = 0;
    const batch = await ds.readRows(0, 200);
    expect(rowsAsJson(ds, batch)).toEqual(Array.from({ length: 200 }, (_, i) => onegroupRow(i)));
    const chunks = ds.metadata.row_groups[0].columns.map(c => columnChunkRange(c.meta_data!));
    const large = chunks.filter(c => c.end - c.start > 64 * 1024);
    expect(large.length).toBeGreaterThanOrEqual(2);
    for (const chunk of large) {
      const read = buffer.reads.filter(r => r.start >= chunk.start && r.end <= chunk.end);
      expect(read).toHaveLength(1); // the head held the window: no second read
      expect(read[0].end - read[0].start).toBeLessThan((chunk.end - chunk.start) / 2);
    }
  });

  it('any window equals the formulas, whether its head sufficed or not', async () => {
    const ds = await openParquet(bufferFromBytes(bytes));
    for (const [start, count] of [[0, 1], [0, 1000], [150, 50], [3000, 200], [9000, 3000], [19_990, 10], [0, 20_000]]) {
      const batch = await ds.readRows(start, count);
      const rows = rowsAsJson(ds, batch);
      expect(rows).toHaveLength(count);
      rows.forEach((row, k) => expect(row).toBe(onegroupRow(start + k)));
    }
  });

  it('a chunk cut anywhere gives the window or says so, never other values', async () => {
    const ds = await openParquet(bufferFromBytes(bytes));
    const options = { compressors: compressors as Compressors, parsers: PARQUET_PARSERS };
    let fromHeads = 0;
    ds.metadata.row_groups[0].columns.forEach((column, f) => {
      const meta = column.meta_data as ColumnMetaData;
      const { start, end } = columnChunkRange(meta);
      const chunk = bytes.subarray(start, end);
      const node = (ds as unknown as { schema: SchemaTree }).schema.children[f];
      const flat = flatColumn(node, planParquetColumns((ds as unknown as { schema: SchemaTree }).schema)[f]) as FlatColumn;
      for (const [from, to] of [[0, 10], [0, 300], [500, 700]]) {
        const whole = readFlatWindow(chunk, meta, flat, (ds as unknown as { schema: SchemaTree }).schema, from, to, options);
        expect(rowsAsJson(ds, { rowStart: from, rowCount: to - from, fieldIndexes: [f], columns: [whole as ColumnData] }).map(row => JSON.parse(row)[0]))
          .toEqual(Array.from({ length: to - from }, (_, k) => JSON.parse(onegroupRow(from + k))[f]));
        for (let cut = 8; cut < chunk.length; cut = Math.ceil(cut * 1.3)) {
          let got: ColumnData | undefined;
          try {
            got = readFlatWindow(chunk.subarray(0, cut), meta, flat, (ds as unknown as { schema: SchemaTree }).schema, from, to, { ...options, head: true });
          } catch {
            continue; // too short a head: the dataset then reads the whole chunk
          }
          expect(got).toEqual(whole);
          fromHeads++;
        }
      }
    });
    expect(fromHeads).toBeGreaterThan(20);
  });

  it('every page type here is read by the page-window path, not the full reader', async () => {
    const ds = await openParquet(bufferFromBytes(bytes));
    const options = { compressors: compressors as Compressors, parsers: PARQUET_PARSERS };
    const schema = (ds as unknown as { schema: SchemaTree }).schema;
    ds.metadata.row_groups[0].columns.forEach((column, f) => {
      const meta = column.meta_data as ColumnMetaData;
      const { start, end } = columnChunkRange(meta);
      const got = readFlatWindow(bytes.subarray(start, end), meta, flatColumn(schema.children[f], planParquetColumns(schema)[f]) as FlatColumn, schema, 9990, 10_010, options);
      expect(got).toBeDefined();
      const cells = rowsAsJson(ds, { rowStart: 9990, rowCount: 20, fieldIndexes: [f], columns: [got as ColumnData] }).map(row => JSON.parse(row)[0]);
      expect(cells).toEqual(Array.from({ length: 20 }, (_, k) => JSON.parse(onegroupRow(9990 + k))[f]));
    });
  });

  it('the head is the whole chunk for a window reaching far into the group, or for a small chunk', async () => {
    const ds = await openParquet(bufferFromBytes(bytes));
    const [id, , colour] = ds.metadata.row_groups[0].columns.map(c => c.meta_data as ColumnMetaData);
    const size = (m: ColumnMetaData) => { const r = columnChunkRange(m); return r.end - r.start; };
    expect(chunkHeadLength(id, 200, 20_000)).toBeLessThan(size(id) / 2);
    expect(chunkHeadLength(id, 15_000, 20_000)).toBe(size(id));
    expect(chunkHeadLength(colour, 200, 20_000)).toBe(size(colour));
  });
});

describe('UTF-8 text from the page reader', () => {
  it('stays bytes until the batch, which holds the same text', () => {
    const [plan] = planParquetColumns({
      element: { name: 'root', num_children: 1 },
      children: [{ element: { name: 'label', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }, children: [], count: 1, path: ['label'] }],
      count: 2, path: [],
    } as unknown as SchemaTree);
    const bytes = new TextEncoder().encode('héllo wörld ✓');
    expect(FLAT_PARSERS.stringFromBytes?.(bytes)).toBe(bytes);
    const column = plan.toColumn([bytes, null, 'already text', new Uint8Array(0)]);
    expect(column.kind).toBe('text');
    if (column.kind !== 'text') { return; }
    const text = (i: number) => new TextDecoder().decode(column.bytes.subarray(column.offsets[i], column.offsets[i + 1]));
    expect([0, 1, 2, 3].map(i => (column.valid[i] ? text(i) : null))).toEqual(['héllo wörld ✓', null, 'already text', '']);
  });
});

describe('typed columns straight from the pages', () => {
  const files = [
    'alltypes_dictionary.parquet', 'alltypes_plain.parquet', 'alltypes_plain.snappy.parquet', 'binary.parquet',
    'datapage_v2.snappy.parquet', 'int96_from_spark.parquet', 'nulls.snappy.parquet', 'single_nan.parquet',
    'groups.parquet', 'timestamps.parquet', 'onegroup.parquet', 'pages-v2.parquet',
  ];

  it('equal the columns made from hyparquet\'s converted values, for every flat column of every fixture', async () => {
    const kinds = new Set<string>();
    let compared = 0;
    for (const name of files) {
      const bytes = fixtureBytes(`parquet/${name}`);
      const ds = await openParquet(bufferFromBytes(bytes));
      const schema = (ds as unknown as { schema: SchemaTree }).schema;
      const plans = planParquetColumns(schema);
      const options = { compressors: compressors as Compressors, parsers: FLAT_PARSERS };
      for (const group of ds.metadata.row_groups) {
        const rows = Number(group.num_rows);
        schema.children.forEach((node, f) => {
          const flat = flatColumn(node, plans[f]);
          if (!flat?.direct) { return; }
          const meta = group.columns[f].meta_data as ColumnMetaData;
          const { start, end } = columnChunkRange(meta);
          const chunk = bytes.subarray(start, end);
          for (const [from, to] of [[0, rows], [Math.floor(rows / 3), Math.floor(rows / 3) + 7]]) {
            if (to > rows) { continue; }
            const typed = readFlatWindow(chunk, meta, flat, schema, from, to, options);
            const values = readFlatWindow(chunk, meta, { ...flat, direct: undefined }, schema, from, to, options);
            expect(typed, `${name} ${node.element.name} [${from}, ${to})`).toEqual(values);
            kinds.add(`${typed?.kind}:${node.element.type}`);
            compared++;
          }
        });
      }
    }
    expect(compared).toBeGreaterThan(50);
    // every sink and physical type met at least once
    expect([...kinds].sort()).toEqual(expect.arrayContaining([
      'bigint:INT64', 'number:BOOLEAN', 'number:DOUBLE', 'number:FLOAT', 'number:INT32', 'number:INT64', 'text:BYTE_ARRAY',
    ]));
  });

  it('are used for numbers, dates, timestamps, 64-bit integers and text, not for the types hyparquet converts', async () => {
    const ds = await open('alltypes_plain.parquet');
    const plans = planParquetColumns((ds as unknown as { schema: SchemaTree }).schema);
    expect(plans.map(p => p.direct?.kind ?? '-')).toEqual(['number', 'number', 'number', 'number', 'number', 'int64', 'number', 'number', '-', '-', 'number']);
    const groups = planParquetColumns((await open('groups.parquet') as unknown as { schema: SchemaTree }).schema);
    const number = (physical: string, multiply: number, divide: number) => ({ kind: 'number', physical, unsigned: false, multiply, divide });
    expect(groups.map(p => [p.field.name, p.direct])).toEqual([
      ['id', number('INT32', 1, 1)],
      ['big', { kind: 'int64' }],
      ['price', undefined], // a decimal: exact text, through hyparquet's values
      ['at', number('INT64', 1, 1000)], // TIMESTAMP(MICROS): to ms
      ['day', number('INT32', 86_400_000, 1)], // DATE: days to ms
      ['label', { kind: 'text' }],
      ['even', number('BOOLEAN', 1, 1)],
      ['pair', undefined], // a list
    ]);
  });
});

describe('readHybrid (RLE / bit-packed levels and indexes)', () => {
  /** A block of runs: [value, count, packed?] with bit-packed counts a multiple of 8. */
  function encode(runs: [number[], boolean][], width: number): Uint8Array {
    const out: number[] = [];
    const varint = (n: number) => { while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n >>>= 7; } out.push(n); };
    for (const [values, packed] of runs) {
      if (packed) {
        varint(((values.length / 8) << 1) | 1);
        let acc = 0n, bits = 0n;
        for (const v of values) { acc |= BigInt(v) << bits; bits += BigInt(width); }
        for (let b = 0; b < (values.length * width) / 8; b++) { out.push(Number((acc >> BigInt(8 * b)) & 0xffn)); }
      } else {
        varint(values.length << 1);
        for (let b = 0; b < (width + 7) >> 3; b++) { out.push((values[0] >>> (8 * b)) & 0xff); }
      }
    }
    return Uint8Array.from(out);
  }

  it('decodes as hyparquet does, and a head of the block is enough for the first values', () => {
    let seed = 7;
    const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (const width of [1, 2, 3, 5, 8, 10, 13, 17, 24]) {
      const runs: [number[], boolean][] = [];
      for (let r = 0; r < 12; r++) {
        const packed = random(2) === 0;
        const count = packed ? 8 * (1 + random(40)) : 1 + random(300);
        const value = random(2 ** Math.min(width, 20));
        runs.push([Array.from({ length: count }, () => (packed ? random(2 ** Math.min(width, 20)) : value)), packed]);
      }
      const block = encode(runs, width);
      const total = runs.reduce((s, [v]) => s + v.length, 0);
      const expected = new Int32Array(total);
      readRleBitPackedHybrid({ view: new DataView(block.buffer), offset: 0 }, width, expected, block.length);
      expect([...expected]).toEqual(runs.flatMap(([v]) => v));
      const all = new Int32Array(total);
      const reader = { view: new DataView(block.buffer), offset: 0 };
      readHybrid(reader, width, all, block.length);
      expect(all).toEqual(expected);
      expect(reader.offset).toBe(block.length);
      for (const need of [1, 9, Math.floor(total / 3), total - 1]) {
        // the bytes the first `need` values take: what a page's head holds
        const enough = (cut: number) => {
          try { readHybrid({ view: new DataView(block.buffer, 0, cut), offset: 0 }, width, new Int32Array(need), cut); return true; } catch { return false; }
        };
        let [lo, used] = [0, block.length]; // enough(used), and not enough(lo)
        while (used - lo > 1) { const mid = (lo + used) >> 1; if (enough(mid)) { used = mid; } else { lo = mid; } }
        expect(enough(used)).toBe(true);
        const head = new Int32Array(need);
        readHybrid({ view: new DataView(block.buffer, 0, used), offset: 0 }, width, head, used);
        expect(head).toEqual(expected.subarray(0, need));
        if (need < total / 2) { expect(used).toBeLessThan(block.length); }
      }
      // a window further on: the values before it are summed, not returned
      for (const [skip, count] of [[0, total], [1, 5], [7, 9], [Math.floor(total / 2), Math.floor(total / 3)], [total - 3, 3], [total, 0]]) {
        const window = new Int32Array(count);
        const at = { view: new DataView(block.buffer), offset: 0 };
        const sum = readHybrid(at, width, window, block.length, skip);
        expect(window).toEqual(expected.subarray(skip, skip + count));
        expect(sum).toBe(width === 1 ? expected.subarray(0, skip).reduce((a, b) => a + b, 0) : 0);
        expect(at.offset).toBe(block.length);
      }
    }
  });

  it('refuses a run of no values instead of looping', () => {
    expect(() => readHybrid({ view: new DataView(Uint8Array.from([0, 0]).buffer), offset: 0 }, 1, new Uint8Array(4), 2)).toThrow(/no values/);
    expect(() => readHybrid({ view: new DataView(Uint8Array.from([1, 0]).buffer), offset: 0 }, 1, new Uint8Array(4), 2)).toThrow(/no values/);
  });
});

describe('bad Parquet input', () => {
  const good = fixtureBytes('parquet/alltypes_plain.parquet');

  it('an empty file, a short file, and text are refused clearly', async () => {
    expect(await errorCode(openParquet(bufferFromBytes(new Uint8Array(0))))).toBe('empty');
    expect(await errorCode(openParquet(bufferFromBytes(good.subarray(0, 10))))).toBe('corrupt');
    const text = await openParquet(bufferFromBytes(new TextEncoder().encode('id,name\n1,a\n2,b\n'))).catch(e => e);
    expect(text).toMatchObject({ code: 'corrupt', message: expect.stringContaining('PAR1') });
  });

  it('every truncation is corrupt, never a crash', async () => {
    for (let cut = 4; cut < good.length; cut += 37) {
      expect(await errorCode(openParquet(bufferFromBytes(good.subarray(0, cut))))).toBe('corrupt');
    }
  });

  it('an absurd footer length is refused without reading it', async () => {
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(bad.length - 8, 0x7fffffff, true);
    const e = await openParquet(bufferFromBytes(bad)).catch(x => x);
    expect(e).toMatchObject({ code: 'corrupt', message: expect.stringContaining('footer length') });
  });

  it('random damage gives data or a DatasetError, never another error or a hang', async () => {
    let seed = 12345;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const codes = new Set<string>();
    for (const name of ['alltypes_plain.parquet', 'nested_maps.snappy.parquet', 'datapage_v2.snappy.parquet', 'groups.parquet', 'pages-v2.parquet']) {
      const original = fixtureBytes(`parquet/${name}`);
      for (let trial = 0; trial < 40; trial++) {
        const bad = original.slice();
        for (let k = 0; k < 4; k++) {
          // damage the footer half of the time, the data otherwise
          const footerStart = bad.length - 8 - new DataView(bad.buffer).getUint32(bad.length - 8, true);
          const at = trial % 2 ? footerStart + Math.floor(random() * (bad.length - 8 - footerStart)) : 4 + Math.floor(random() * (footerStart - 4));
          bad[at] = Math.floor(random() * 256);
        }
        codes.add(await errorCode(openParquet(bufferFromBytes(bad)).then(async ds => {
          // windows (a chunk's head, the middle of a page) and the whole scan
          await ds.readRows(0, 100);
          await ds.readRows(Math.floor(ds.rowCount.value / 2), 50);
          await ds.scan(undefined, () => undefined);
        })));
      }
    }
    expect([...codes].every(c => ['ok', 'corrupt', 'too-large', 'unsupported', 'encrypted'].includes(c))).toBe(true);
    expect(codes.has('corrupt')).toBe(true);
  });
});

describe('snappyPrefix', () => {
  /** Every Snappy data page of a fixture's first row group: [compressed, inflated]. */
  async function snappyPages(name: string): Promise<[Uint8Array, Uint8Array][]> {
    const bytes = fixtureBytes(`parquet/${name}`);
    const out: [Uint8Array, Uint8Array][] = [];
    return openParquet(bufferFromBytes(bytes)).then(ds => {
      for (const column of ds.metadata.row_groups[0].columns) {
        const meta = column.meta_data!;
        const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
        const chunk = bytes.subarray(start, start + Number(meta.total_compressed_size));
        const reader = { view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset: 0 };
        while (reader.offset < chunk.length) {
          const header = parquetHeader(reader);
          const compressed = chunk.subarray(reader.offset, reader.offset + header.compressed_page_size);
          reader.offset += header.compressed_page_size;
          const inflated = new Uint8Array(header.uncompressed_page_size);
          snappyUncompress(compressed, inflated);
          out.push([compressed, inflated]);
        }
      }
      return out;
    });
  }

  it('any prefix equals the start of the full decompression', async () => {
    const pages = await snappyPages('groups.parquet');
    expect(pages.length).toBeGreaterThan(5);
    for (const [compressed, inflated] of pages) {
      for (const want of [1, 7, 100, 4096, inflated.length]) {
        const prefix = snappyPrefix(compressed, want, inflated.length);
        expect(prefix.length).toBeGreaterThanOrEqual(Math.min(want, inflated.length));
        expect(prefix).toEqual(inflated.subarray(0, prefix.length));
      }
    }
  });

  it('a cut block (only its first bytes read) decodes what those bytes hold', async () => {
    const pages = await snappyPages('groups.parquet');
    for (const [compressed, inflated] of pages) {
      for (const cut of [6, 10, 333, Math.floor(compressed.length / 2), compressed.length]) { // 6: past the length header
        const prefix = snappyPrefix(compressed.subarray(0, cut), inflated.length, inflated.length, true);
        expect(prefix).toEqual(inflated.subarray(0, prefix.length));
        if (cut === compressed.length) { expect(prefix.length).toBe(inflated.length); }
      }
    }
  });

  it('refuses a block whose length or copies do not add up', () => {
    expect(() => snappyPrefix(Uint8Array.from([5, 0, 65]), 5, 6)).toThrow(/inflates to 5/);
    expect(() => snappyPrefix(Uint8Array.from([4, 1 | (0 << 2), 9]), 4, 4)).toThrow(/copy outside/);
    expect(() => snappyPrefix(Uint8Array.from([10, 9 << 2, 65]), 10, 10)).toThrow(/literal runs past/);
  });
});
