// Line endings other than a delimited file's own, judged in its bytes at row ends outside quoted cells.
import type { CsvDialect, CsvQuoting } from '../formats/csv/dialect';

const LF = 10;
const CR = 13;
const NO_BYTES: readonly number[] = [];

/** The first row end written another way: its row and, for a bare LF in a CRLF file, the line feeds of the row before it (else 0). */
export interface ForeignEnding {
  row: number;
  lineFeedsBefore: number;
}

/**
 * Reads the bytes of a delimited file (UTF-8 or windows-1252) chunk by chunk, from a row start, for the first row
 * end that differs from the file's: a CRLF in an LF file, a bare LF in a CRLF file. A line break inside a quoted
 * cell is data, not a row end. Rows are numbered as the parser numbers them: blank rows (nothing, or only `""`)
 * take no number. The quotes are followed in every chunk; the line breaks only where one can differ (every chunk of a
 * CRLF file, the chunks of an LF file holding a CR).
 */
export class LineEndingScanner {
  private readonly quote: number;
  /** The escape character's byte (-1: quotes are doubled). */
  private readonly escape: number;
  /** The comment character's byte (-1: none): a line starting with it is no row, and its quotes are characters. */
  private readonly comment: number;
  private inComment = false;
  private readonly delimiter: number;
  private readonly crlf: boolean;
  private inQuote = false;
  /** A quote ended the last chunk inside a quoted cell: it closes the cell unless the next byte is a quote too. */
  private quoteAtEnd = false;
  /** The byte before the next chunk (LF at a row start). */
  private prev = LF;
  /** The bytes of the row in progress from earlier chunks while there are at most 3 of them; null for more. */
  private carried: readonly number[] | null = NO_BYTES;
  /** Line feeds (inside quotes) of the row in progress, in a CRLF file (whose every chunk is read for line breaks). */
  private lineFeeds = 0;

  constructor(dialect: CsvQuoting) {
    this.quote = dialect.quoteChar.charCodeAt(0);
    this.escape = dialect.escapeChar !== undefined && dialect.escapeChar !== dialect.quoteChar ? dialect.escapeChar.charCodeAt(0) : -1;
    this.comment = dialect.commentChar !== undefined && dialect.commentChar !== dialect.quoteChar ? dialect.commentChar.charCodeAt(0) : -1;
    this.delimiter = dialect.delimiter.charCodeAt(0);
    this.crlf = dialect.lineTerminator === '\r\n';
  }

  /** Whether a file with this line terminator can be checked (CR files are not). */
  static judges(terminator: CsvDialect['lineTerminator']): boolean {
    return terminator === '\n' || terminator === '\r\n';
  }

  /** Reads the next chunk; `row` is the number of the row in progress at its start. The first foreign row end, or null. */
  push(bytes: Uint8Array, row: number): ForeignEnding | null {
    const C = this.comment;
    // comment lines are found at line starts, so with a comment character every chunk is read for line breaks
    const lines = C >= 0 || this.crlf || this.prev === CR || bytes.indexOf(CR) >= 0;
    const Q = this.quote;
    const n = bytes.length;
    let i = 0;
    if (this.quoteAtEnd && n > 0) {
      this.quoteAtEnd = false;
      if (bytes[0] === Q) { i = 1; } else { this.inQuote = false; }
    }
    if (C >= 0 && n > 0 && !this.inQuote && this.prev === LF && bytes[0] === C) { this.inComment = true; }
    let q = bytes.indexOf(Q, i);
    let lf = lines ? bytes.indexOf(LF, i) : -1;
    let rowStart = -1; // where the row in progress starts in this chunk (-1: in an earlier one)
    while (q >= 0 || lf >= 0) {
      if (q >= 0 && (lf < 0 || q < lf)) {
        q = this.inComment ? bytes.indexOf(Q, q + 1) : this.onQuote(bytes, q);
        continue;
      }
      const at = lf;
      lf = bytes.indexOf(LF, at + 1);
      if (this.inQuote) {
        if (this.crlf) { this.lineFeeds++; }
        continue;
      }
      const afterCr = (at > 0 ? bytes[at - 1] : this.prev) === CR;
      if (afterCr !== this.crlf) { return { row, lineFeedsBefore: this.lineFeeds }; }
      if (this.inComment) { this.inComment = false; } else if (!this.isBlankRow(bytes, rowStart, at)) { row++; }
      rowStart = at + 1;
      this.lineFeeds = 0;
      if (C >= 0 && at + 1 < n && bytes[at + 1] === C) { this.inComment = true; }
    }
    this.carryTail(bytes, lines ? rowStart : lastRowStart(bytes));
    if (n > 0) { this.prev = bytes[n - 1]; }
    return null;
  }

  /** Follows the quote at `k`; returns the position of the next quote to look at (-1: none). */
  private onQuote(bytes: Uint8Array, k: number): number {
    const Q = this.quote;
    if (!this.inQuote) {
      // a quote opens a quoted cell only at the start of a cell; elsewhere it is a character of the cell
      const before = k > 0 ? bytes[k - 1] : this.prev;
      if (before === this.delimiter || before === LF) { this.inQuote = true; }
      return bytes.indexOf(Q, k + 1);
    }
    if ((k > 0 ? bytes[k - 1] : this.prev) === this.escape) { return bytes.indexOf(Q, k + 1); } // an escaped quote
    if (k + 1 >= bytes.length) {
      this.quoteAtEnd = true;
      return -1;
    }
    if (bytes[k + 1] === Q) { return bytes.indexOf(Q, k + 2); } // a doubled quote: one quote character
    this.inQuote = false;
    return bytes.indexOf(Q, k + 1);
  }

  /** Whether the row from `start` (-1: from an earlier chunk) to the line feed at `end` is blank. */
  private isBlankRow(bytes: Uint8Array, start: number, end: number): boolean {
    const head = start >= 0 ? NO_BYTES : this.carried;
    if (head === null) { return false; }
    const from = Math.max(0, start);
    if (head.length + end - from > 3) { return false; }
    const text = [...head, ...bytes.subarray(from, end)];
    if (this.crlf && text[text.length - 1] === CR) { text.pop(); }
    return text.length === 0 || (text.length === 2 && text[0] === this.quote && text[1] === this.quote);
  }

  /** Keeps the start of the row in progress at the end of a chunk (from `start`, -1: from an earlier chunk). */
  private carryTail(bytes: Uint8Array, start: number): void {
    const head = start >= 0 ? NO_BYTES : this.carried;
    const from = Math.max(0, start);
    this.carried = head === null || head.length + bytes.length - from > 3 ? null : [...head, ...bytes.subarray(from)];
  }
}

/** Where the last line of a chunk starts, or -1 when it has no line feed (in a chunk without line breaks to judge). */
function lastRowStart(bytes: Uint8Array): number {
  const k = bytes.lastIndexOf(LF);
  return k < 0 ? -1 : k + 1;
}

/** The cell holding the line feed after `lineFeedsBefore` others, counted over the cells in order; the last cell when none does. */
export function cellOfLineFeed(cells: readonly string[], lineFeedsBefore: number): number {
  let seen = 0;
  for (let c = 0; c < cells.length; c++) {
    for (let k = cells[c].indexOf('\n'); k >= 0; k = cells[c].indexOf('\n', k + 1)) {
      if (seen++ === lineFeedsBefore) { return c; }
    }
  }
  return cells.length - 1;
}
