import { describe, expect, it } from 'vitest';
import type { CsvDialect } from '../../../src/core/formats/csv/dialect';
import { cellOfLineFeed, type ForeignEnding, LineEndingScanner } from '../../../src/core/schema/lineEndings';

const LF_FILE: CsvDialect = { delimiter: ',', quoteChar: '"', header: true, lineTerminator: '\n' };
const CRLF_FILE: CsvDialect = { ...LF_FILE, lineTerminator: '\r\n' };

/** The scanner's verdict over `text` cut into chunks at `cuts`, the header being row -1. */
function scan(text: string, dialect: CsvDialect, cuts: number[] = []): ForeignEnding | null {
  const bytes = new TextEncoder().encode(text);
  const scanner = new LineEndingScanner(dialect);
  const bounds = [0, ...cuts, bytes.length];
  // the row in progress at each cut, as the parser numbers rows: complete non-blank rows before it
  let row = -1;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const found = scanner.push(bytes.subarray(bounds[k], bounds[k + 1]), row);
    if (found) { return found; }
    row += completeRows(text.slice(0, bounds[k + 1]), dialect) - completeRows(text.slice(0, bounds[k]), dialect);
  }
  return null;
}

/** Non-blank rows ended in `text`, as the parser counts them (a plain quote toggle is enough for the texts below). */
function completeRows(text: string, dialect: CsvDialect): number {
  let n = 0, inQuote = false, start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') { inQuote = !inQuote; continue; }
    if (text[i] !== '\n' || inQuote) { continue; }
    const content = text.slice(start, dialect.lineTerminator === '\r\n' ? i - 1 : i);
    if (content !== '' && content !== '""') { n++; }
    start = i + 1;
  }
  return n;
}

/** The verdict for every way of cutting `text` in two and in three, which must all agree. */
function everyCut(text: string, dialect: CsvDialect): ForeignEnding | null {
  const whole = scan(text, dialect);
  const n = new TextEncoder().encode(text).length;
  for (let a = 1; a < n; a++) {
    expect(scan(text, dialect, [a]), `cut at ${a}`).toEqual(whole);
    for (let b = a + 1; b < n; b += 3) { expect(scan(text, dialect, [a, b]), `cuts at ${a}, ${b}`).toEqual(whole); }
  }
  return whole;
}

describe('LineEndingScanner', () => {
  it('takes line breaks inside quoted cells for data, however the file is cut into chunks', () => {
    expect(everyCut('id,txt\r\n1,"a\nb"\r\n2,"say ""hi""\n"\r\n3,c\r\n', CRLF_FILE)).toBeNull();
    expect(everyCut('id,txt\n1,"a\r\nb"\n2,"ends in CR\r"\n3,"""q"""\n', LF_FILE)).toBeNull();
  });

  it('finds a bare LF of a CRLF file at its row, counting the quoted line feeds of the row before it', () => {
    expect(everyCut('id,a,b\r\n1,"x\ny",z\r\n2,"p\nq",r\ns,t\r\n', CRLF_FILE)).toEqual({ row: 1, lineFeedsBefore: 1 });
  });

  it('finds a CRLF in an LF file at its row, blank rows and rows of an empty quoted cell taking no number', () => {
    expect(everyCut('id,a\n1,"x\r\ny"\n\n""\n2,b\r\n3,c\n', LF_FILE)).toEqual({ row: 1, lineFeedsBefore: 0 });
    expect(everyCut('id,a\r\n\r\n""\r\n1,b\n', CRLF_FILE)).toEqual({ row: 0, lineFeedsBefore: 0 });
  });

  it('opens a quoted cell only at the start of a cell: a quote inside a cell is a character', () => {
    expect(everyCut('id,size\n1,12" ruler\r\n2,x\n', LF_FILE)).toEqual({ row: 0, lineFeedsBefore: 0 });
  });

  it('names the cell holding the line feed found', () => {
    expect(cellOfLineFeed(['1', 'x\ny', 'z\n2', 'w'], 1)).toBe(2);
    expect(cellOfLineFeed(['1', 'z\r'], 0)).toBe(1);
  });
});
