import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import type { ColumnBatch } from '../../../src/core/formats/columns';
import { openJsonl } from '../../../src/core/formats/jsonl/jsonlDataset';
import { LineReader } from '../../../src/core/formats/jsonl/jsonlLines';
import { parseRecord, recordCells, topLevelRaw } from '../../../src/core/formats/jsonl/jsonlRecord';
import { valueSpans } from '../../../src/core/formats/jsonl/jsonlPositions';
import { errorCode, FIXTURES, fixtureBytes, loggedBuffer, rowsAsJson, scanAsJson } from './formatHelpers';

const expected = JSON.parse(readFileSync(join(FIXTURES, 'jsonl/events.expected.json'), 'utf8')) as {
  fields: { name: string; type: string }[];
  rows: string[];
};

const encode = (text: string) => new TextEncoder().encode(text);

/**
 * n rows of `{"i": k, "sq": k*k, "tag": "t<k%5>"}` (every 7th indented), with a blank line after every 100th row:
 * empty, or spaces, a tab and a CR.
 */
function numbered(n: number): Uint8Array {
  let text = '';
  for (let k = 0; k < n; k++) {
    text += `${k % 7 === 3 ? '  ' : ''}{"i": ${k}, "sq": ${k * k}, "tag": "t${k % 5}"}\n`;
    if (k % 100 === 99) { text += k % 200 === 99 ? '\n' : ' \t \r\n'; }
  }
  return encode(text);
}
const numberedRow = (k: number) => `[${k},${k * k},"t${k % 5}"]`;

describe('JSON Lines golden file', () => {
  it('fields are the union of keys, typed from the values; cells keep written digits', async () => {
    const ds = await openJsonl(bufferFromBytes(fixtureBytes('jsonl/events.jsonl')));
    expect(ds.format).toBe('jsonl');
    expect(ds.fields.map(f => ({ name: f.name, type: f.type }))).toEqual(expected.fields);
    expect(ds.rowCount).toEqual({ value: 4, exact: true });
    expect(rowsAsJson(ds, await ds.readRows(0, 10))).toEqual(expected.rows);
    expect(await scanAsJson(ds)).toEqual(expected.rows);
    expect(rowsAsJson(ds, await ds.readRows(2, 1, [10, 0]))).toEqual(['["5",3]']);
    expect(ds.warnings).toEqual([]);
  });
});

describe('JSON Lines bad lines', () => {
  it('a broken line is reported with its line number and the rest stays readable', async () => {
    const ds = await openJsonl(bufferFromBytes(fixtureBytes('jsonl/broken.jsonl')));
    expect(ds.fields.map(f => `${f.name}:${f.type}`)).toEqual(['n:integer', 's:string']);
    expect(rowsAsJson(ds, await ds.readRows(0, 6))).toEqual([
      '[1,"a"]', '[2,"b"]', '[null,null]', '[4,"d"]', '[null,null]', '[6,"f"]',
    ]);
    expect(ds.warnings.map(w => [w.code, w.line, w.row])).toEqual([['bad-line', 3, 2], ['bad-line', 5, 4]]);
    expect(ds.warnings[0].message).toContain('line 3');
    expect(ds.warnings[1].message).toContain('expected a JSON object');
  });

  it('a broken line beyond the sample is reported when it is read', async () => {
    const text = new TextDecoder().decode(numbered(3000)).replace('{"i": 2500,', '{"i": 2500');
    const ds = await openJsonl(bufferFromBytes(encode(text)));
    expect(ds.warnings).toEqual([]);
    const batch = await ds.readRows(2499, 3);
    expect(rowsAsJson(ds, batch)).toEqual([numberedRow(2499), '[null,null,null]', numberedRow(2501)]);
    // 2500 rows before it, plus one blank line after every 100 rows
    expect(ds.warnings).toMatchObject([{ code: 'bad-line', row: 2500, line: 2526 }]);
  });

  it('each batch names its unread rows with their lines, past the 1,000 warnings the dataset keeps', async () => {
    // 3,000 rows, every other one not an object, and a blank line after every 100th row
    const text = new TextDecoder().decode(numbered(3000)).replace(/^.*"i": (\d+),.*$/gm, (l, k: string) => (Number(k) % 2 ? '{not json' : l));
    const ds = await openJsonl(bufferFromBytes(encode(text)));
    const broken = Array.from({ length: 1500 }, (_, j) => 2 * j + 1);
    const lineOf = (k: number) => k + Math.floor(k / 100) + 1;
    const unreadOf = async (read: (onBatch: (b: ColumnBatch) => void) => Promise<void>) => {
      const out: [number, number][] = [];
      await read(b => {
        for (const u of b.unread ?? []) {
          expect(u.row).toBeGreaterThanOrEqual(b.rowStart);
          expect(u.row).toBeLessThan(b.rowStart + b.rowCount);
          expect(u.message).toMatch(new RegExp(`^line ${u.line} is not valid JSON \\(.+\\)$`));
          out.push([u.row, u.line]);
        }
      });
      return out;
    };
    const expected = broken.map(k => [k, lineOf(k)]);
    expect(await unreadOf(f => ds.scan(undefined, f, { batchRows: 256 }))).toEqual(expected);
    expect(await unreadOf(f => ds.scanRows(1000, 3000, [0], f, { batchRows: 256 }))).toEqual(expected.filter(([k]) => k >= 1000));
    expect(await unreadOf(async f => f(await ds.readRows(2990, 5)))).toEqual([[2991, lineOf(2991)], [2993, lineOf(2993)]]);
    expect((await ds.readRows(0, 1)).unread).toBeUndefined();
    expect(ds.warnings).toHaveLength(1000);
    expect(ds.warnings.at(-1)).toMatchObject({ code: 'bad-line', row: 1999 });
  });

  it('an empty file, blank lines only, and a file of non-objects are refused', async () => {
    expect(await errorCode(openJsonl(bufferFromBytes(new Uint8Array(0))))).toBe('empty');
    expect(await errorCode(openJsonl(bufferFromBytes(encode('\n  \n\r\n'))))).toBe('empty');
    expect(await errorCode(openJsonl(bufferFromBytes(encode('hello\nworld\n'))))).toBe('corrupt');
  });
});

describe('JSON Lines row index', () => {
  it('opens from a sample: the row count is an estimate until the index is built', async () => {
    const bytes = numbered(60_000);
    const buffer = loggedBuffer(bytes);
    const ds = await openJsonl(buffer);
    expect(buffer.bytesRead()).toBeLessThan(bytes.length / 2);
    expect(ds.rowCount.exact).toBe(false);
    // the first rows are shorter (fewer digits) than later ones, so the estimate runs high
    expect(Math.abs(ds.rowCount.value - 60_000)).toBeLessThan(60_000 * 0.25);
    expect(await ds.buildRowIndex()).toEqual({ value: 60_000, exact: true });
  });

  it('once indexed, a window deep in the file is a small read, equal to the scan', async () => {
    const bytes = numbered(20_000);
    const buffer = loggedBuffer(bytes);
    const ds = await openJsonl(buffer);
    await ds.buildRowIndex();
    buffer.reads.length = 0;
    const batch = await ds.readRows(17_500, 40);
    expect(rowsAsJson(ds, batch)).toEqual(Array.from({ length: 40 }, (_, k) => numberedRow(17_500 + k)));
    expect(buffer.bytesRead()).toBeLessThan(200 * 1024);
    const scanned = await scanAsJson(ds, 3000);
    for (const [start, count] of [[0, 5], [1023, 3], [1024, 2], [19_990, 50]]) {
      expect(rowsAsJson(ds, await ds.readRows(start, count))).toEqual(scanned.slice(start, start + count));
    }
  });

  it('a window beyond the sample extends the index only as far as it needs', async () => {
    const bytes = numbered(200_000);
    const buffer = loggedBuffer(bytes);
    const ds = await openJsonl(buffer);
    expect(rowsAsJson(ds, await ds.readRows(30_000, 2))).toEqual([numberedRow(30_000), numberedRow(30_001)]);
    expect(ds.rowCount.exact).toBe(false);
    expect(buffer.bytesRead()).toBeLessThan(bytes.length / 2);
  });

  it('a scan finishes the index on the way and can be cancelled', async () => {
    const ds = await openJsonl(bufferFromBytes(numbered(5000)));
    expect(ds.rowCount.exact).toBe(false);
    expect(await scanAsJson(ds, 1000)).toHaveLength(5000);
    expect(ds.rowCount).toEqual({ value: 5000, exact: true });
    const controller = new AbortController();
    const code = await errorCode(ds.scan(undefined, () => controller.abort(), { signal: controller.signal, batchRows: 100 }));
    expect(code).toBe('cancelled');
  });

  it('a scan of a row range gives those rows of the whole scan, in large reads, and extends the index only as far as it needs', async () => {
    const bytes = numbered(200_000);
    const whole = await openJsonl(bufferFromBytes(bytes));
    const scanned = await scanAsJson(whole, 65_536);
    for (const [start, end, batchRows] of [[17_500, 30_001, 4096], [0, 1, 100], [1023, 1025, 1], [199_990, 210_000, 7], [3000, 3000, 10]]) {
      const buffer = loggedBuffer(bytes);
      const ds = await openJsonl(buffer);
      buffer.reads.length = 0;
      const rows: string[] = [];
      let next = start;
      await ds.scanRows(start, end, undefined, batch => {
        expect(batch.rowStart).toBe(next);
        expect(batch.rowCount).toBeGreaterThan(0);
        expect(batch.rowCount).toBeLessThanOrEqual(batchRows);
        next += batch.rowCount;
        rows.push(...rowsAsJson(ds, batch));
      }, { batchRows });
      expect(rows).toEqual(scanned.slice(start, end));
      // rows past the end are not counted, unless the range runs past the file
      expect(ds.rowCount.exact).toBe(end > 200_000);
      if (start === 17_500) { expect(buffer.reads.length).toBeLessThanOrEqual(3); } // the index read on to row 30,001 (4 MB), the rows (1 MB)
    }
    const controller = new AbortController();
    const code = await errorCode(whole.scanRows(100, 40_000, undefined, () => controller.abort(), { signal: controller.signal, batchRows: 100 }));
    expect(code).toBe('cancelled');
  });

  it('split across threads: cut by bytes at checkpoints, counted only to the last cut, the last range read to the end', async () => {
    const bytes = numbered(200_000);
    const scanned = await scanAsJson(await openJsonl(bufferFromBytes(bytes)), 65_536);
    const rowsOf = async (ds: Awaited<ReturnType<typeof openJsonl>>, start: number, end: number): Promise<string[]> => {
      const rows: string[] = [];
      let next = start;
      await ds.scanRows(start, end, undefined, batch => {
        expect(batch.rowStart).toBe(next);
        next += batch.rowCount;
        rows.push(...rowsAsJson(ds, batch));
      }, { batchRows: 5000 });
      return rows;
    };
    for (const parts of [2, 3]) {
      const buffer = loggedBuffer(bytes);
      const ds = await openJsonl(buffer);
      const split = await ds.splitRows(parts);
      expect(split).toHaveLength(parts);
      // counted as far as the last cut (read in 4 MB steps), not to the end of the file
      expect(ds.rowCount.exact).toBe(false);
      expect(buffer.bytesRead()).toBeLessThan(((parts - 1) / parts) * bytes.length + 4.5 * 1024 * 1024);
      split.forEach((r, k) => {
        if (k > 0) {
          expect(r.start).toBe(split[k - 1].end);
          expect(r.from).toBe(split[k - 1].to);
          expect(r.start % 1024).toBe(0);
          // near its share of the bytes, and at the start of its row
          expect(Math.abs(r.from - (bytes.length * k) / parts)).toBeLessThan(64 * 1024);
          expect(new TextDecoder().decode(bytes.subarray(r.from, r.from + 12))).toBe(`{"i": ${r.start}, `.slice(0, 12));
        }
      });
      expect(split[0]).toMatchObject({ start: 0, from: 0 });
      expect(split[parts - 1]).toMatchObject({ end: Infinity, to: bytes.length });
      const rows: string[] = [];
      for (const r of split) { rows.push(...await rowsOf(ds, r.start, r.end)); }
      expect(rows).toEqual(scanned);
    }
    // once every row is counted, the last range ends at the row count; a small file is one range
    const counted = await openJsonl(bufferFromBytes(bytes));
    await counted.buildRowIndex();
    expect((await counted.splitRows(2))[1].end).toBe(200_000);
    const small = await openJsonl(bufferFromBytes(numbered(1000)));
    expect(await small.splitRows(4)).toEqual([{ start: 0, end: 1000, from: 0, to: numbered(1000).length, line: 1 }]);
  });

  it('a part given the row starts another thread found reads only its own bytes, with the right row and line numbers', async () => {
    // row 150,000 is broken: its warning must name the same line and row as a single pass does
    const text = new TextDecoder().decode(numbered(200_000)).replace('{"i": 150000, ', '{"i": 150000 ');
    const bytes = encode(text);
    const one = await openJsonl(bufferFromBytes(bytes));
    const scanned = await scanAsJson(one, 65_536);
    expect(one.warnings.map(w => [w.line, w.row])).toEqual([[151_501, 150_000]]);
    const split = await (await openJsonl(bufferFromBytes(bytes))).splitRows(2);
    const starts = split.map(r => ({ row: r.start, offset: r.from, line: r.line }));
    expect(starts[1].line).toBe(starts[1].row + Math.floor(starts[1].row / 100) + 1); // a blank line after every 100th row
    const rows: string[] = [];
    let sampled = 0;
    for (const [k, r] of split.entries()) {
      const buffer = loggedBuffer(bytes);
      const ds = await openJsonl(buffer);
      sampled = buffer.bytesRead();
      ds.adoptRowStarts(starts.slice(k, k + 2));
      let next = r.start;
      await ds.scanRows(r.start, r.end, undefined, batch => {
        expect(batch.rowStart).toBe(next);
        next += batch.rowCount;
        rows.push(...rowsAsJson(ds, batch));
      }, { batchRows: 5000 });
      // the sample, then the part's own bytes (read in 1 MB steps): no count of the rows before or in it
      expect(buffer.bytesRead() - sampled).toBeLessThan(r.to - r.from + 1024 * 1024);
      expect(ds.warnings.map(w => [w.line, w.row])).toEqual(k === 0 ? [] : [[151_501, 150_000]]);
      // rows past the adopted starts are counted as before
      expect(rowsAsJson(ds, await ds.readRows(199_998, 5))).toEqual(scanned.slice(199_998));
    }
    expect(rows).toEqual(scanned);
  });

  it('refuses row starts out of order or outside the file', async () => {
    const bytes = numbered(5000);
    const ds = await openJsonl(bufferFromBytes(bytes));
    const [, second] = await (await openJsonl(bufferFromBytes(bytes))).splitRows(2);
    const at = { row: second.start, offset: second.from, line: second.line };
    expect(() => ds.adoptRowStarts([{ row: 0, offset: 5, line: 1 }])).toThrow(RangeError);
    expect(() => ds.adoptRowStarts([{ ...at, offset: bytes.length }])).toThrow(RangeError);
    expect(() => ds.adoptRowStarts([at, { row: at.row + 1, offset: at.offset, line: at.line + 1 }])).toThrow(RangeError);
    expect(() => ds.adoptRowStarts([{ row: 1.5, offset: 10, line: 2 }])).toThrow(RangeError);
  });

  it('keys first seen after the sample are reported, not silently dropped', async () => {
    const text = new TextDecoder().decode(numbered(1500)) + '{"i": 1500, "late": true}\n';
    const ds = await openJsonl(bufferFromBytes(encode(text)));
    await scanAsJson(ds);
    expect(ds.warnings).toMatchObject([{ code: 'other', message: expect.stringContaining("'late'") }]);
  });
});

describe('topLevelRaw', () => {
  it('returns each value as written, strings with escapes and brackets inside', () => {
    const raw = topLevelRaw('{ "a" : 12345678901234567890 , "b":{"x":"}]\\"","y":[1,{"z":2}]},"c":"q\\"}", "d":-1.50e3 }');
    expect([...raw]).toEqual([['a', '12345678901234567890'], ['b', '{"x":"}]\\"","y":[1,{"z":2}]}'], ['c', '"q\\"}"'], ['d', '-1.50e3']]);
  });
});

describe('JSON Lines cells for scans and windows', () => {
  it('equal the texts of the records parsed for type inference, for every kind of value', () => {
    const lines = [
      '{"a": "x", "b": 1, "c": true, "d": null, "e": 1.5}',
      '{"a": "d\\u00e9j\\u00e0 \\"vu\\"\\n", "b": -0, "c": false, "e": 1e21, "f": {"k": [1, 2.50, "z"]}}',
      '{"b": 12345678901234567890, "e": 1.0, "f": [], "a": "2024-01-31"}',
      '{"b": 9007199254740993, "e": -1.25e-7, "f": {"x": 123456789012345678901234567890}}',
      '{"__proto__": 5, "toString": "s", "a": "🙂", "b": 3, "b": 4}',
      '{ "a" : "spaced" , "f" : { "n" : null } , "e" : 3.14159 }',
      '[1, 2]', '"text"', 'null', '{"a": 1', '{}', '{"unknown": 1}',
    ];
    const names = ['a', 'b', 'c', 'd', 'e', 'f', '__proto__', 'toString', 'constructor'];
    for (const json of [names.map(() => false), names.map(() => true), names.map((_, i) => i % 2 === 0)]) {
      for (const line of lines) {
        const got = recordCells(line, names, json);
        const want = parseRecord(line);
        expect(got.ok, line).toBe(want.ok);
        if (!got.ok || !want.ok) { expect(got).toEqual(want); continue; }
        expect(got.cells, line).toEqual(names.map((n, i) => {
          const v = want.values.get(n);
          return v ? (json[i] ? v.json : v.text) : null;
        }));
      }
    }
    const keys: string[] = [];
    recordCells('{"b": 1, "z": {"q": 2}, "a": 3}', ['a'], [false], k => keys.push(k));
    expect(keys).toEqual(['b', 'z', 'a']);
  });
});

describe('JSON Lines line reader', () => {
  it('gives every non-blank line with its number and range, reading into two buffers that take turns', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      // short lines, blank ones, CRLF endings, and every 97th line longer than several reads
      lines.push(i % 13 === 5 ? '  ' : i % 97 === 50 ? `{"long": "${'y'.repeat(700)}", "i": ${i}}` : `{"i": ${i}, "s": "${'x'.repeat(i % 40)}"}${i % 7 === 0 ? '\r' : ''}`);
    }
    const text = lines.join('\n');
    const bytes = encode(text);
    const targets = new Set<ArrayBufferLike>();
    let reads = 0;
    const buffer = {
      ...bufferFromBytes(bytes),
      async readInto(target: Uint8Array, position: number): Promise<number> {
        const n = Math.max(0, Math.min(target.length, bytes.length - position));
        target.set(bytes.subarray(position, position + n));
        targets.add(target.buffer);
        reads++;
        return n;
      },
    };
    const reader = new LineReader(buffer, 0, 1, 256);
    const got: { line: number; text: string; start: number; next: number }[] = [];
    for (let l = await reader.next(); l; l = await reader.next()) {
      got.push({ line: l.line, text: new TextDecoder().decode(l.bytes), start: l.start, next: l.next });
    }
    let offset = 0;
    const expected: typeof got = [];
    lines.forEach((t, i) => {
      const next = Math.min(offset + Buffer.byteLength(t) + 1, bytes.length);
      if (t.trim() !== '') { expected.push({ line: i + 1, text: t.endsWith('\r') ? t.slice(0, -1) : t, start: offset, next }); }
      offset = next;
    });
    expect(got).toEqual(expected);
    expect(reads).toBeGreaterThan(50);
    // a line longer than the buffers makes larger ones as it is read; otherwise the two are reused
    expect(targets.size).toBeLessThan(reads / 5);
  });
});

describe('JSON Lines value positions', () => {
  it('finds each top-level value in its line: strings with escapes, nested values, spaces; not a missing key', () => {
    const line = '{ "a" : "x\\"}y", "b":[1,{"a":2}], "c": {"d": "}"},"e":-1.5e3 , "a\\u0062":true}';
    const spans = valueSpans(line, ['a', 'b', 'c', 'e', 'ab', 'missing']);
    expect(spans.map(s => s && line.slice(s.start, s.end))).toEqual(['"x\\"}y"', '[1,{"a":2}]', '{"d": "}"}', '-1.5e3', 'true', undefined]);
    expect(valueSpans('[1,2]', ['a'])).toEqual([undefined]);
    // an unclosed string runs to the line's end; of a key written twice, the last value counts, as JSON.parse reads it
    expect(valueSpans('{"a": "unclosed', ['a'])).toEqual([{ start: 6, end: 15 }]);
    expect(valueSpans('{"a": 1, "a": 22}', ['a'])).toEqual([{ start: 14, end: 16 }]);
  });
});
