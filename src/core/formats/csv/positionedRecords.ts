// Records with the (line, character) position of every cell in the decoded text, for diagnostics at the exact cell.
import type { AsyncBuffer } from '../asyncBuffer';
import { DatasetError, throwIfAborted } from '../errors';
import { openByteSource } from './byteSource';
import type { CsvDialect } from './dialect';
import { PieceDecoder } from './encoding';

export interface PositionedCell {
  /** The cell's value (quotes removed, escaped quotes unescaped), as papaparse reads it. */
  text: string;
  /** Start position: 1-based line, 0-based character (UTF-16 code units, as editors count). */
  line: number;
  char: number;
  /** End position (exclusive), after the closing quote for a quoted cell. */
  endLine: number;
  endChar: number;
  quoted: boolean;
}

export interface PositionedRecord {
  /** 0-based data row (the numbering of `Dataset.readRows`); -1 for the header row. */
  row: number;
  /** 1-based physical line where the record starts. */
  line: number;
  cells: PositionedCell[];
}

/** Cells hold text indices in `char` / `endChar` until the caller turns them into positions. `contentEnd`: where the line terminator starts (= `end` for a last record without one). */
interface RawRecord { cells: PositionedCell[]; contentEnd: number; end: number }

function rawCell(start: number, end: number, text: string, quoted: boolean): PositionedCell {
  return { text, line: 0, char: start, endLine: 0, endChar: end, quoted };
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * Tokenizes one record of `text` starting at `p` with papaparse's rules (see RowScanner).
 * Returns undefined when the record may continue past the end of `text` and `final` is false.
 */
/** Next delimiter / terminator positions found so far in one text (-1: none left; searches are not repeated). */
interface SearchCache { dl: number; nl: number }

function tokenizeRecord(text: string, p: number, d: CsvDialect, final: boolean, cache: SearchCache): RawRecord | undefined {
  const Q = d.quoteChar, D = d.delimiter, NL = d.lineTerminator;
  const E = d.escapeChar ?? Q;
  const len = text.length;
  const cells: PositionedCell[] = [];
  let i = p;
  if (d.commentChar !== undefined && d.commentChar !== Q && text[p] === d.commentChar) {
    // a comment line: a record without cells
    const nl = text.indexOf(NL, p);
    if (nl < 0) { return final ? { cells, contentEnd: len, end: len } : undefined; }
    return { cells, contentEnd: nl, end: nl + NL.length };
  }
  for (;;) {
    if (text[i] === Q) {
      let s = i + 1;
      for (;;) {
        const c = text.indexOf(Q, s);
        if (c < 0) {
          if (!final) { return undefined; }
          // Never closed: papaparse takes the rest of the data, as written, as the value.
          cells.push(rawCell(i, len, text.slice(i + 1), true));
          return { cells, contentEnd: len, end: len };
        }
        if (c + 1 >= len) {
          if (!final) { return undefined; }
          cells.push(rawCell(i, c + 1, unescape(text, i + 1, c, E, Q), true));
          return { cells, contentEnd: len, end: len };
        }
        if (E !== Q && text[c - 1] === E) { s = c + 1; continue; }
        if (text[c + 1] === Q) { s = c + 2; continue; }
        let j = c + 1;
        let verdict = 0; // 1 field, 2 record, 0 data quote
        for (;;) {
          if (j >= len) {
            if (!final) { return undefined; }
            break;
          }
          if (text[j] === D) { verdict = 1; break; }
          if (text.startsWith(NL, j)) { verdict = 2; break; }
          if (isSpace(text.charCodeAt(j))) { j++; continue; }
          break;
        }
        if (verdict === 0) { s = c + 1; continue; }
        cells.push(rawCell(i, c + 1, unescape(text, i + 1, c, E, Q), true));
        if (verdict === 1) { i = j + 1; break; }
        return { cells, contentEnd: j, end: j + NL.length };
      }
      continue;
    }
    if (cache.dl !== -1 && cache.dl < i) { cache.dl = text.indexOf(D, i); }
    if (cache.nl !== -1 && cache.nl < i) { cache.nl = text.indexOf(NL, i); }
    const dl = cache.dl, nl = cache.nl;
    if (nl < 0 && !final) { return undefined; }
    if (dl >= 0 && (nl < 0 || dl < nl)) {
      cells.push(rawCell(i, dl, text.slice(i, dl), false));
      i = dl + 1;
      continue;
    }
    if (nl >= 0) {
      cells.push(rawCell(i, nl, text.slice(i, nl), false));
      return { cells, contentEnd: nl, end: nl + NL.length };
    }
    cells.push(rawCell(i, len, text.slice(i), false));
    return { cells, contentEnd: len, end: len };
  }
}

/** A quoted cell's value: each escaped quote (`""`, or the escape character and a quote) read as a quote. */
function unescape(text: string, from: number, to: number, e: string, q: string): string {
  const v = text.slice(from, to);
  return v.indexOf(e + q) === -1 ? v : v.split(e + q).join(q);
}

/** Line starts inside [from, to): every \n, lone \r and \r\n is a line break, as in an editor. */
function lineBreakEnds(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x0a) { out.push(k + 1); } else if (c === 0x0d) {
      if (text.charCodeAt(k + 1) === 0x0a) { k++; }
      out.push(k + 1);
    }
  }
  return out;
}

/** Turns a cell's text indices into (line, character) positions, given the line starts of its record. */
function placeCell(c: PositionedCell, breaks: readonly number[], recordStart: number, recordLine: number): void {
  let k = 0;
  while (k < breaks.length && breaks[k] <= c.char) { k++; }
  const start = c.char;
  c.line = recordLine + k;
  c.char = start - (k > 0 ? breaks[k - 1] : recordStart);
  while (k < breaks.length && breaks[k] <= c.endChar) { k++; }
  c.endLine = recordLine + k;
  c.endChar -= k > 0 ? breaks[k - 1] : recordStart;
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x0a || c === 0x0d) { return true; }
  }
  return false;
}

/**
 * Reads every record of a delimited file with the position of each cell, for diagnostics. Rows are
 * numbered as `Dataset.readRows` numbers them (blank lines are not rows; the header is row -1).
 * `start` and `startLine` skip lines above the table (`CsvDataset.tableStart`, and 1 + its `preambleLines`).
 * Slower than the papaparse path; streams, so memory stays bounded (one row at most 64 MB).
 */
export async function* readCsvRecordsWithPositions(buffer: AsyncBuffer, dialect: CsvDialect,
  options: { signal?: AbortSignal; name?: string; gzip?: boolean; start?: number; startLine?: number } = {}): AsyncGenerator<PositionedRecord, void, undefined> {
  const { signal } = options;
  const opened = await openByteSource(buffer, { name: options.name ?? 'file', gzip: options.gzip, signal });
  const decoder = new PieceDecoder(opened.encoding.encoding);
  let text = '';
  let line = options.startLine ?? 1;
  let row = dialect.header ? -1 : 0;
  const from = Math.max(opened.encoding.bomLength, options.start ?? 0);
  const it = opened.source.chunks(from, undefined, { chunkSize: 64 * 1024, firstChunkSize: 64 * 1024, signal });
  let final = false;
  let retryAt = 0;
  try {
    while (!final) {
      throwIfAborted(signal);
      const r = await it.next();
      if (r.done) {
        final = true;
        text += decoder.decode(new Uint8Array(0), true);
      } else {
        text += decoder.decode(r.value.bytes, false);
      }
      // A long record held back is tokenized again only once it has doubled, so huge cells stay linear.
      if (!final && text.length < retryAt) { continue; }
      let p = 0;
      const cache: SearchCache = { dl: -2, nl: -2 };
      while (p < text.length) {
        const rec = tokenizeRecord(text, p, dialect, final, cache);
        if (!rec) { break; }
        const startLine = line;
        const multiline = hasLineBreak(text, p, rec.contentEnd);
        const breaks = multiline ? lineBreakEnds(text, p, rec.end) : [];
        // a blank line or a comment line is no row
        const blank = rec.cells.length === 0 || (rec.cells.length === 1 && rec.cells[0].text === '');
        if (!blank) {
          for (const c of rec.cells) {
            if (multiline) {
              placeCell(c, breaks, p, startLine);
            } else {
              c.line = startLine;
              c.endLine = startLine;
              c.char -= p;
              c.endChar -= p;
            }
          }
          yield { row, line: startLine, cells: rec.cells };
          row++;
        }
        line += multiline ? breaks.length : rec.end > rec.contentEnd ? 1 : 0;
        p = rec.end;
      }
      text = text.slice(p);
      retryAt = text.length > 64 * 1024 ? text.length * 2 : 0;
      if (text.length > 64 * 1024 * 1024) {
        throw new DatasetError('too-large', `the record at line ${line} is longer than 64 MB; a quote opened there may never be closed`);
      }
    }
  } finally {
    await it.return(undefined);
  }
}
