// Byte chunks to rows with papaparse (carrying the cut-off last row to the next chunk), and rows to text column batches.
import Papa from 'papaparse';
import type { ColumnBatch, ColumnData } from '../columns';
import { DatasetError } from '../errors';
import { byteTextDecoder, type CsvEncoding } from './encoding';
import type { CsvDialect } from './dialect';
import { MAX_ROW_BYTES } from './rowIndex';

interface PapaResult {
  data: string[][];
  errors: { code: string; row?: number }[];
  meta: { cursor: number };
}

/**
 * Parses a stream of bytes that starts at a row start. Each `push` returns the rows completed so far;
 * the cut-off last row waits for the next bytes. Blank lines are dropped (papaparse's skipEmptyLines
 * rule, which the row index follows too).
 */
export class ChunkParser {
  private readonly decoder: TextDecoder;
  private readonly parser: Papa.Parser;
  private pending = '';
  /** Set when the final push ended inside a quoted field (papaparse's MissingQuotes). */
  unclosedQuote = false;

  constructor(dialect: Pick<CsvDialect, 'delimiter' | 'quoteChar' | 'lineTerminator'>, encoding: CsvEncoding) {
    this.decoder = byteTextDecoder(encoding);
    this.parser = new Papa.Parser({
      delimiter: dialect.delimiter,
      newline: dialect.lineTerminator,
      quoteChar: dialect.quoteChar,
      escapeChar: dialect.quoteChar,
    });
  }

  /** Characters waiting for the rest of their row. */
  get pendingLength(): number { return this.pending.length; }

  push(bytes: Uint8Array, final: boolean): string[][] {
    const decoded = this.decoder.decode(bytes, { stream: !final });
    const text = this.pending ? this.pending + decoded : decoded;
    if (text.length === 0) { return []; }
    const res = this.parser.parse(text, 0, !final) as PapaResult;
    if (final) {
      this.pending = '';
      if (res.errors.some(e => e.code === 'MissingQuotes')) { this.unclosedQuote = true; }
    } else {
      this.pending = text.slice(res.meta.cursor);
      if (this.pending.length > MAX_ROW_BYTES) {
        throw new DatasetError('too-large', `a row is longer than ${MAX_ROW_BYTES / (1024 * 1024)} MB; a quote may never be closed`);
      }
    }
    return dropBlankRows(res.data);
  }
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
