// Byte chunks to rows with papaparse (carrying the cut-off last row to the next chunk), and rows to text column batches.
import Papa from 'papaparse';
import type { ColumnBatch, ColumnData } from '../columns';
import { DatasetError } from '../errors';
import { PieceDecoder, type CsvEncoding } from './encoding';
import { papaQuoting, type CsvQuoting } from './dialect';
import { MAX_ROW_BYTES } from './rowIndex';

const PIECE_BYTES = 64 * 1024;

interface PapaResult {
  data: string[][];
  errors: { code: string; row?: number }[];
  meta: { cursor: number };
}

/**
 * Parses a stream of bytes that starts at a row start. Each `push` returns the rows completed so far;
 * the cut-off last row waits for the next bytes. Blank lines are dropped (papaparse's skipEmptyLines
 * rule, which the row index follows too).
 *
 * Stretches of text without a quote character go through papaparse's fastMode (a native split by
 * line and delimiter); each row holding a quote goes through its full parser. In a stretch with no
 * quote every line break ends a row, so both see the same rows papaparse sees in one pass, faster:
 * most rows of most files hold no quote.
 */
export class ChunkParser {
  private readonly fast: Papa.Parser;
  private readonly quoted: Papa.Parser;
  private readonly quote: string;
  private readonly newline: string;
  private pending = '';
  private readonly pieces: PieceDecoder;
  /** Set when the final push ended inside a quoted field (papaparse's MissingQuotes). */
  unclosedQuote = false;
  /** Set when bytes that are not valid UTF-8 were decoded (as U+FFFD) in a file taken for UTF-8. */
  invalidUtf8 = false;
  private readonly checkUtf8: boolean;

  constructor(dialect: CsvQuoting, encoding: CsvEncoding) {
    this.pieces = new PieceDecoder(encoding);
    this.checkUtf8 = encoding === 'utf-8';
    const config = papaQuoting(dialect);
    this.fast = new Papa.Parser({ ...config, fastMode: true });
    this.quoted = new Papa.Parser({ ...config, fastMode: false, preview: 1 });
    this.quote = dialect.quoteChar;
    this.newline = dialect.lineTerminator;
  }

  /** Characters waiting for the rest of their row. */
  get pendingLength(): number { return this.pending.length; }

  push(bytes: Uint8Array, final: boolean): string[][] {
    const out: string[][] = [];
    // Pieces well under 128 KB: V8 allocates larger strings in its large-object space, which costs
    // about 30x more per byte; small decodes without `stream` take TextDecoder's fast path too.
    let p = 0;
    do {
      // A long row in progress is parsed again with each piece: pieces grow with it, so that stays linear.
      const end = Math.min(bytes.length, p + Math.max(PIECE_BYTES, this.pending.length));
      this.pushPiece(bytes.subarray(p, end), final && end >= bytes.length, out);
      p = end;
    } while (p < bytes.length);
    return dropBlankRows(out);
  }

  private pushPiece(bytes: Uint8Array, final: boolean, out: string[][]): void {
    const decoded = this.pieces.decode(bytes, final);
    // The encoding was judged on the first 64 KB; bad bytes further on decode to U+FFFD. A real U+FFFD is EF BF BD.
    if (this.checkUtf8 && !this.invalidUtf8 && decoded.indexOf('\ufffd') !== -1 && !hasReplacementBytes(bytes)) { this.invalidUtf8 = true; }
    const text = this.pending ? this.pending + decoded : decoded;
    if (text.length === 0) { this.pending = ''; return; }
    const used = this.parse(text, final, out);
    this.pending = used >= text.length ? '' : text.slice(used);
    if (!final && this.pending.length > MAX_ROW_BYTES) {
      throw new DatasetError('too-large', `a row is longer than ${MAX_ROW_BYTES / (1024 * 1024)} MB; a quote may never be closed`);
    }
  }

  /** Parses complete rows of `text` into `out`; returns how many characters they used. */
  private parse(text: string, final: boolean, out: string[][]): number {
    const Q = this.quote, NL = this.newline;
    const len = text.length;
    let pos = 0;
    for (;;) {
      const q = text.indexOf(Q, pos);
      // The quote-free stretch ends where the row holding the quote starts (or at the last row end).
      let end: number;
      if (q >= 0) {
        const n = text.lastIndexOf(NL, q);
        end = n < pos ? pos : n + NL.length;
      } else if (final) {
        end = len;
      } else {
        const n = text.lastIndexOf(NL);
        end = n < pos ? pos : n + NL.length;
      }
      if (end > pos) {
        const r = this.fast.parse(pos === 0 && end === len ? text : text.slice(pos, end), 0, false) as PapaResult;
        for (const row of r.data) { out.push(row); }
        pos = end;
      }
      if (q < 0) { return pos; }
      // One row with a quote, by the full parser (preview 1): it may run over many lines.
      const r = this.quoted.parse(pos === 0 ? text : text.slice(pos), 0, !final) as PapaResult;
      if (r.data.length === 0) { return pos; }
      if (final && r.errors.some(e => e.code === 'MissingQuotes')) { this.unclosedQuote = true; }
      out.push(r.data[0]);
      pos = final && r.meta.cursor === 0 ? len : pos + r.meta.cursor;
      if (pos >= len) { return pos; }
    }
  }
}

function hasReplacementBytes(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xef); i !== -1 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) { return true; }
  }
  return false;
}

function dropBlankRows(rows: string[][]): string[][] {
  let w = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.length === 1 && row[0] === '') { continue; }
    rows[w++] = row;
  }
  rows.length = w;
  return rows;
}

const encoder = new TextEncoder();

/**
 * One text column from rows[from, to): cell `col` of each row. Empty and absent cells are missing
 * (valid 0): CSV cannot tell an empty string from no value, and "" is Frictionless' default missing value.
 * The cells are joined and encoded once; for ASCII text the character offsets are the byte offsets.
 */
export function textColumnFromRows(rows: readonly string[][], from: number, to: number, col: number): ColumnData {
  const n = to - from;
  const valid = new Uint8Array(n);
  const offsets = new Uint32Array(n + 1);
  const parts = new Array<string>(n);
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const v = rows[from + i][col];
    if (v === undefined || v.length === 0) {
      parts[i] = '';
    } else {
      parts[i] = v;
      valid[i] = 1;
      chars += v.length;
    }
    offsets[i + 1] = chars;
  }
  const joined = parts.join('');
  const bytes = encoder.encode(joined);
  if (bytes.length !== joined.length) {
    // Not ASCII: byte offsets differ from character offsets; encode cell by cell.
    let used = 0;
    const out = new Uint8Array(bytes.length);
    for (let i = 0; i < n; i++) {
      if (parts[i].length) { used += encoder.encodeInto(parts[i], out.subarray(used)).written; }
      offsets[i + 1] = used;
    }
    return { kind: 'text', bytes: out, offsets, valid };
  }
  return { kind: 'text', bytes, offsets, valid };
}

/** A batch of text columns from rows[from, to). */
export function batchFromRows(rows: readonly string[][], from: number, to: number, fieldIndexes: readonly number[], rowStart: number): ColumnBatch {
  return {
    rowStart,
    rowCount: to - from,
    fieldIndexes: [...fieldIndexes],
    columns: fieldIndexes.map(c => textColumnFromRows(rows, from, to, c)),
  };
}
