import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { plainSource } from '../../../src/core/formats/csv/byteSource';
import { papaQuoting, type CsvQuoting, type LineTerminator } from '../../../src/core/formats/csv/dialect';
import { BatchParser } from '../../../src/core/formats/csv/batchParser';
import { ChunkParser } from '../../../src/core/formats/csv/chunkParser';
import { textAt, type ColumnBatch } from '../../../src/core/formats/columns';
import { buildRowIndex, RowScanner } from '../../../src/core/formats/csv/rowIndex';

const enc = new TextEncoder();

/** papaparse's rows of `text`, blank lines dropped (the rule Strata uses everywhere). */
function papaRows(text: string, d: CsvQuoting): string[][] {
  const r = new Papa.Parser(papaQuoting(d)).parse(text, 0, false) as { data: string[][] };
  return r.data.filter(row => !(row.length === 1 && row[0] === ''));
}

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The dialects the scanners are fuzzed with: quotes doubled or escaped by a backslash, with and without `#` comment lines. */
type Mode = Pick<CsvQuoting, 'escapeChar' | 'commentChar'>;
const MODES: readonly Mode[] = [{}, { escapeChar: '\\' }, { commentChar: '#' }, { escapeChar: '\\', commentChar: '#' }];
const modeName = (m: Mode): string => `escape ${JSON.stringify(m.escapeChar ?? '""')}${m.commentChar ? `, comments ${m.commentChar}` : ''}`;
const modeSeed = (m: Mode): number => (m.escapeChar ? 99 : 0) + (m.commentChar ? 7777 : 0);

function quoting(nl: LineTerminator, mode: Mode): CsvQuoting {
  return { delimiter: ',', quoteChar: '"', lineTerminator: nl, ...mode };
}

function randomText(rand: () => number, nl: LineTerminator, mode: Mode = {}): string {
  const atoms = ['a', 'bc', ',', ',', '"', '"', '""', nl, nl, nl, ' ', '\r', '\n', 'é', '日', '😀',
    ...(mode.escapeChar ? [mode.escapeChar, mode.escapeChar + '"'] : []), ...(mode.commentChar ? [mode.commentChar, nl + mode.commentChar] : [])];
  let s = '';
  const n = 1 + Math.floor(rand() * 60);
  for (let i = 0; i < n; i++) { s += atoms[Math.floor(rand() * atoms.length)]; }
  return s;
}

async function indexAllRows(text: string, d: CsvQuoting, chunkSize: number) {
  const bytes = enc.encode(text);
  return { bytes, index: await buildRowIndex(plainSource(bufferFromBytes(bytes)), d, { every: 1, maxGapBytes: Infinity, chunkSize }) };
}

describe('RowScanner agrees with papaparse on row boundaries', () => {
  for (const nl of ['\n', '\r\n', '\r'] as LineTerminator[]) for (const mode of MODES) {
    it(`random quoting, line terminator ${JSON.stringify(nl)}, ${modeName(mode)}`, async () => {
      const d = quoting(nl, mode);
      const rand = seeded(nl.length * 7 + nl.charCodeAt(0) + modeSeed(mode));
      const dec = new TextDecoder();
      for (let t = 0; t < 3000; t++) {
        const text = randomText(rand, nl, mode);
        const expected = papaRows(text, d);
        // Small chunks force rows across chunk boundaries (and the bridging logic).
        const { bytes, index } = await indexAllRows(text, d, 1 + (t % 7));
        const ctx = JSON.stringify(text);
        expect(index.rowCount, ctx).toBe(expected.length);
        // Every entry is a row start: parsing from it yields that row first.
        for (let k = 0; k < index.rows.length; k++) {
          const r = index.rows[k];
          if (r >= expected.length) { continue; }
          const to = k + 1 < index.offsets.length ? index.offsets[k + 1] : bytes.length;
          const got = papaRows(dec.decode(bytes.subarray(index.offsets[k], to)), d);
          expect(got[0], `${ctx} row ${r}`).toEqual(expected[r]);
        }
      }
    });
  }

  it('counts physical lines including quoted newlines', async () => {
    const d = { delimiter: ',', quoteChar: '"' as const, lineTerminator: '\n' as const };
    const { index } = await indexAllRows('a,b\n"x\ny",2\n\n3,4', d, 5);
    expect(index.rowCount).toBe(3);
    expect(index.lineCount).toBe(5);
    expect(Array.from(index.lines)).toEqual([1, 2, 5]);
  });

  it('reports an unclosed quote at the end with its row and line', async () => {
    const d = { delimiter: ',', quoteChar: '"' as const, lineTerminator: '\n' as const };
    const { index } = await indexAllRows('a,b\n1,2\n3,"open\nmore\n', d, 4);
    expect(index.rowCount).toBe(3);
    expect(index.unclosedQuote).toEqual({ row: 2, line: 3, offset: 10 });
  });

  it('stops at a requested row and reports its offset', () => {
    const d = { delimiter: ',', quoteChar: '"' as const, lineTerminator: '\r\n' as const };
    const bytes = enc.encode('1,"a\r\nb"\r\n2,x\r\n3,y\r\n');
    const s = new RowScanner(d, { record: false });
    const end = s.scan(bytes, 0, 0, false, 2);
    expect(s.rows).toBe(2);
    expect(new TextDecoder().decode(bytes.subarray(end))).toBe('3,y\r\n');
  });
});

describe('ChunkParser (fast stretches + full parser for quoted rows) agrees with papaparse', () => {
  for (const nl of ['\n', '\r\n', '\r'] as LineTerminator[]) for (const mode of MODES) {
    it(`random text in random chunks, line terminator ${JSON.stringify(nl)}, ${modeName(mode)}`, () => {
      const d = quoting(nl, mode);
      const rand = seeded(1000 + nl.length * 7 + nl.charCodeAt(0) + modeSeed(mode));
      for (let t = 0; t < 3000; t++) {
        const text = randomText(rand, nl, mode) + randomText(rand, nl, mode);
        const bytes = enc.encode(text);
        const parser = new ChunkParser(d, 'utf-8');
        const got: string[][] = [];
        for (let p = 0; p < bytes.length;) {
          const n = 1 + Math.floor(rand() * 12);
          got.push(...parser.push(bytes.subarray(p, p + n), false));
          p += n;
        }
        got.push(...parser.push(new Uint8Array(0), true));
        expect(got, JSON.stringify(text)).toEqual(papaRows(text, d));
      }
    });
  }
});

describe('BatchParser (quote-free rows split as bytes, quoted rows by papaparse) agrees with papaparse', () => {
  for (const nl of ['\n', '\r\n', '\r'] as LineTerminator[]) for (const mode of MODES) {
    for (const encoding of ['utf-8', 'windows-1252'] as const) {
      it(`random text in random chunks, ${JSON.stringify(nl)}, ${encoding}, ${modeName(mode)}`, () => {
        const d = quoting(nl, mode);
        const rand = seeded(2000 + nl.length * 7 + nl.charCodeAt(0) + encoding.length + modeSeed(mode));
        for (let t = 0; t < 1500; t++) {
          let text = randomText(rand, nl, mode) + randomText(rand, nl, mode);
          if (encoding === 'windows-1252') { text = Array.from(text, ch => (ch.charCodeAt(0) > 0x7f ? 'é' : ch)).join(''); }
          const bytes = encoding === 'utf-8' ? enc.encode(text) : Uint8Array.from(text, ch => (ch === 'é' ? 0xe9 : ch.charCodeAt(0)));
          const width = 1 + Math.floor(rand() * 3);
          const fields = rand() < 0.5 ? Array.from({ length: width }, (_, i) => i) : [width - 1];
          const ragged: number[] = [];
          const parser = new BatchParser({ dialect: d, encoding, fieldIndexes: fields, width, firstRow: 0, batchRows: 1 + Math.floor(rand() * 4), onRagged: r => ragged.push(r) });
          const batches: ColumnBatch[] = [];
          for (let p = 0; p < bytes.length;) {
            const n = 1 + Math.floor(rand() * 12);
            parser.push(bytes.subarray(p, p + n), false, batches);
            p += n;
          }
          parser.push(new Uint8Array(0), true, batches);
          const got: (string | null)[][] = [];
          let next = 0;
          for (const b of batches) {
            expect(b.rowStart).toBe(next);
            next += b.rowCount;
            for (let i = 0; i < b.rowCount; i++) {
              got.push(b.columns.map(c => (c.kind === 'text' ? textAt(c, i) : null)));
            }
          }
          const ref = papaRows(text, d);
          const ctx = JSON.stringify(text);
          expect(got, ctx).toEqual(ref.map(r => fields.map(f => (r[f] === undefined || r[f] === '' ? null : r[f]))));
          expect(ragged, ctx).toEqual(ref.flatMap((r, i) => (r.length !== width ? [i] : [])));
          expect(parser.rows).toBe(ref.length);
        }
      });
    }
  }
});
