// Rows holding quotes: the scan's byte path for RFC 4180 quoting gives papaparse's cells, and other quoting goes
// to papaparse itself; checked against papaparse on generated rows, whole and in small pushes. Also the byte copy of
// quote-free cells (four bytes at a time from 8 bytes on) and the four-byte scan for delimiters, for cells of every
// length up to past 256, and its check for invalid UTF-8.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BatchParser } from '../../../src/core/formats/csv/batchParser';
import type { ColumnBatch } from '../../../src/core/formats/columns';
import { batchRows } from './csvHelpers';

const WIDTH = 4;

function reference(text: string, newline: '\n' | '\r\n'): { rows: (string | null)[][]; ragged: number[] } {
  const res = new Papa.Parser({ delimiter: ',', newline, quoteChar: '"', escapeChar: '"' }).parse(text, 0, false) as { data: string[][] };
  const data = res.data.filter(x => !(x.length === 1 && x[0] === ''));
  return {
    rows: data.map(x => Array.from({ length: WIDTH }, (_, i) => (x[i] === undefined || x[i] === '' ? null : x[i]))),
    ragged: data.flatMap((x, i) => (x.length === WIDTH ? [] : [i])),
  };
}

function newParser(newline: '\n' | '\r\n', onRagged?: (row: number) => void): BatchParser {
  return new BatchParser({
    dialect: { delimiter: ',', quoteChar: '"', lineTerminator: newline }, encoding: 'utf-8',
    fieldIndexes: [0, 1, 2, 3], width: WIDTH, firstRow: 0, batchRows: 64, ...(onRagged ? { onRagged } : {}),
  });
}

function parsed(bytes: Uint8Array, newline: '\n' | '\r\n', pushSize: number): { rows: (string | null)[][]; ragged: number[] } {
  const ragged: number[] = [];
  const parser = newParser(newline, row => ragged.push(row));
  const rows: (string | null)[][] = [];
  const take = (bs: ColumnBatch[]) => { for (const b of bs) { rows.push(...batchRows(b)); } };
  for (let at = 0; at < bytes.length; at += pushSize) { take(parser.push(bytes.subarray(at, at + pushSize), false)); }
  take(parser.push(new Uint8Array(0), true));
  return { rows, ragged };
}

/** Random cells: plain, RFC 4180 quoted (delimiters, `""`, line breaks, UTF-8), empty quoted, and malformed quoting. */
function makeCsv(rows: number, seed: number, newline: '\n' | '\r\n'): string {
  let a = seed;
  const r = () => { a = (a * 1103515245 + 12345) % 2147483648; return a / 2147483648; };
  const cell = (): string => {
    const k = r();
    if (k < 0.3) { return `p${Math.floor(r() * 1000)}`; }
    if (k < 0.4) { return ''; }
    if (k < 0.55) { return `"a, ${Math.floor(r() * 99)}"`; }
    if (k < 0.62) { return `"say ""hi"" ${Math.floor(r() * 9)}"`; }
    if (k < 0.67) { return `"two${newline}lines"`; }
    if (k < 0.72) { return '""'; }
    if (k < 0.76) { return '""""'; }
    if (k < 0.8) { return '"naïve – ✓"'; }
    if (k < 0.84) { return `x"y${Math.floor(r() * 9)}`; } // a quote inside an unquoted field
    if (k < 0.88) { return '"ab"c'; } // text after a closing quote
    if (k < 0.91) { return ' "sp"'; }
    return `q${Math.floor(r() * 10)}`;
  };
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const n = r() < 0.1 ? WIDTH + 1 : r() < 0.1 ? WIDTH - 1 : WIDTH; // some ragged rows
    lines.push(Array.from({ length: n }, cell).join(','));
  }
  return lines.join(newline) + (r() < 0.5 ? newline : '');
}

describe('rows holding quotes in scans', () => {
  for (const newline of ['\n', '\r\n'] as const) {
    it(`give papaparse's cells and ragged rows (${newline === '\n' ? 'LF' : 'CRLF'}), whole and in small pushes`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const text = makeCsv(400, seed, newline);
        const bytes = new TextEncoder().encode(text);
        const want = reference(text, newline);
        for (const pushSize of [bytes.length, 97, 13]) {
          expect(parsed(bytes, newline, pushSize)).toEqual(want);
        }
      }
    });
  }

  it('an escaped quote next to a delimiter or the row end, a quoted field that is only a quote, a blank `""` line', () => {
    const text = '"a""",b,"""c"\n"""",,"x"\n""\n';
    expect(parsed(new TextEncoder().encode(text), '\n', text.length).rows).toEqual([
      ['a"', 'b', '"c', null],
      ['"', null, 'x', null],
    ]);
  });
});

describe('quote-free cells copied as bytes', () => {
  it('an invalid UTF-8 byte anywhere in a row is noticed, valid multi-byte characters are not', () => {
    const row = 'abcdefghij,klmnopqrstuvwxyz0123,456789abcdef,ghijklmnopqrstuv\n';
    for (let at = 0; at < row.length - 1; at++) {
      if (row[at] === ',') { continue; }
      const bytes = new TextEncoder().encode(row.repeat(3));
      bytes[row.length + at] = 0xff;
      const parser = newParser('\n');
      parser.push(bytes, true);
      expect(parser.invalidUtf8, `0xff at ${at}`).toBe(true);
    }
    const fine = newParser('\n');
    fine.push(new TextEncoder().encode('naïve café,✓✓✓✓✓✓,é,x\n'.repeat(4)), true);
    expect(fine.invalidUtf8).toBe(false);
  });

  for (const newline of ['\n', '\r\n'] as const) {
    it(`every cell length from 0 to 300, ASCII and UTF-8 (${newline === '\n' ? 'LF' : 'CRLF'}), whole and in small pushes`, () => {
      const lines: string[] = [];
      const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 .-:é✓';
      for (let len = 0; len <= 300; len++) {
        // the four cells of a row: the length itself, shifted by 1 and 7, and a mix of one- to three-byte characters
        const text = (n: number, shift: number) => Array.from({ length: n }, (_, i) => alphabet[(i * 7 + shift + len) % 36]).join('');
        const utf8 = Array.from({ length: len }, (_, i) => alphabet[(i * 5 + len) % alphabet.length]).join('');
        lines.push([text(len, 0), text(len + 1, 3), utf8, text(Math.max(0, len - 7), 11)].join(','));
      }
      const csv = lines.join(newline) + newline;
      const bytes = new TextEncoder().encode(csv);
      const want = reference(csv, newline);
      expect(want.rows).toHaveLength(301); // the first row, cells of length 0, 1, 0 and 0, is a row too
      for (const pushSize of [bytes.length, 4096, 61, 7]) {
        expect(parsed(bytes, newline, pushSize)).toEqual(want);
      }
    });
  }
});
