// Bytes straight into text column batches for scans: quote-free rows split as bytes, rows holding a quote parsed by papaparse.
import Papa from 'papaparse';
import type { ColumnBatch, ColumnData } from '../columns';
import { DatasetError } from '../errors';
import { concatBytes } from './byteSource';
import { papaQuoting, type CsvQuoting } from './dialect';
import { byteTextDecoder, type ByteDecoder, type CsvEncoding } from './encoding';
import { lineEnd, MAX_ROW_BYTES, RowScanner } from './rowIndex';

export interface BatchParserOptions {
  dialect: CsvQuoting;
  encoding: CsvEncoding;
  /** Fields to build, in output order (indexes below `width`). */
  fieldIndexes: readonly number[];
  /** The dataset's field count: cells beyond it are dropped, missing ones are empty. */
  width: number;
  /** Row number of the first row pushed. */
  firstRow: number;
  batchRows: number;
  /** Called for each row whose cell count differs from `width`. */
  onRagged?: (row: number, cells: number) => void;
  /** Build each batch in the buffers of one handed out by an earlier push (see ScanOptions.reuseBatches). */
  reuse?: boolean;
}

/** The buffers one batch is built in. */
interface BufferSet { bytes: Uint8Array[]; views: DataView[]; offsets: Uint32Array[]; valid: Uint8Array[] }

const encoder = new TextEncoder();
const BRIDGE_BYTES = 64 * 1024;

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Turns a byte stream that starts at a row start into ColumnBatches of text columns, with the cell
 * rules of the papaparse path (empty and absent cells missing; blank lines are not rows).
 *
 * Speed comes from never making a JS string for a row without quotes: in a stretch of text with no
 * quote character every line break ends a row and every delimiter ends a cell (papaparse's fastMode
 * rule), so those cells are copied byte for byte into their columns. A row holding a quote is
 * delimited by the RowScanner (papaparse's quoting rules) and parsed by papaparse itself. The bytes
 * of a UTF-8 (or transcoded UTF-16) file are already the columns' UTF-8; windows-1252 files go
 * through strings.
 */
export class BatchParser {
  /** Rows completed so far. */
  rows = 0;
  /** Set when the data ended inside a quoted field: the row it opened in. */
  unclosedQuoteRow: number | undefined;
  /** Set when UTF-8 text held invalid bytes (they are copied as they are and read back as U+FFFD). */
  invalidUtf8 = false;

  private readonly Q: number;
  /** With an escape character or comment lines, rows holding a quote are left to papaparse. */
  private readonly papaQuoted: boolean;
  /** The comment character's byte (-1: none). */
  private readonly C: number;
  private readonly D: number;
  private readonly NL: number;
  private readonly crlf: boolean;
  private readonly viaStrings: boolean;
  private readonly decoder: ByteDecoder;
  private readonly papa: Papa.Parser;
  private readonly scanner: RowScanner;
  private readonly width: number;
  private readonly batchRows: number;
  private readonly onRagged?: (row: number, cells: number) => void;
  /** Output slot of each field (-1: not built). */
  private readonly slot: Int32Array;
  /** Distinct fields built, and for each output column the built column it copies. */
  private readonly built: number[];
  private readonly outputOf: number[];
  private readonly validator = new TextDecoder('utf-8', { fatal: true });
  /** Field content bounds of a quoted row: start, end, holds `""`. */
  private spans = new Int32Array(3 * 64);
  private carry: Uint8Array | undefined;
  private carryOffset = 0;

  // The batch being built: one growing column per built field.
  private n = 0;
  private cap: number;
  private bytes: Uint8Array[] = [];
  /** A DataView of each column's buffer (cells are copied four bytes at a time). */
  private views: DataView[] = [];
  /** The buffer last split, and a DataView of it. */
  private srcBytes: Uint8Array | null = null;
  private srcView: DataView = new DataView(new ArrayBuffer(0));
  private used: Int32Array;
  private offsets: Uint32Array[] = [];
  private valid: Uint8Array[] = [];
  private rowStart: number;
  /** With `reuse`: the buffers of batches handed out by this push, and those free again (handed out before). */
  private lent: BufferSet[] = [];
  private readonly free: BufferSet[] = [];

  constructor(private readonly o: BatchParserOptions) {
    const d = o.dialect;
    this.Q = d.quoteChar.charCodeAt(0);
    this.C = d.commentChar !== undefined && d.commentChar !== d.quoteChar ? d.commentChar.charCodeAt(0) : -1;
    this.papaQuoted = (d.escapeChar !== undefined && d.escapeChar !== d.quoteChar) || this.C >= 0;
    this.D = d.delimiter.charCodeAt(0);
    this.crlf = d.lineTerminator === '\r\n';
    this.NL = d.lineTerminator === '\r' ? 0x0d : 0x0a;
    this.viaStrings = o.encoding === 'windows-1252';
    this.decoder = byteTextDecoder(o.encoding);
    this.papa = new Papa.Parser(papaQuoting(d));
    this.scanner = new RowScanner(d, { record: false });
    this.width = o.width;
    this.batchRows = Math.max(1, o.batchRows);
    this.onRagged = o.onRagged;
    this.rowStart = o.firstRow;
    this.slot = new Int32Array(o.width).fill(-1);
    this.built = [];
    this.outputOf = o.fieldIndexes.map(f => {
      if (this.slot[f] < 0) { this.slot[f] = this.built.length; this.built.push(f); }
      return this.slot[f];
    });
    this.cap = Math.min(this.batchRows, 16384);
    this.used = new Int32Array(this.built.length);
    this.reset();
  }

  private reset(): void {
    const set = this.o.reuse ? this.free.pop() : undefined;
    if (set) {
      this.reuseSet(set);
    } else {
      // Size each column from what the last batch used (plus an eighth): batches are handed out as
      // views of these buffers, so a tight size wastes little and nothing is copied.
      this.bytes = this.built.map((_, k) => new Uint8Array(this.n === 0 ? this.cap * 24 : Math.ceil(this.used[k] * 1.125) + 1024));
      this.views = this.bytes.map(dataView);
      this.offsets = this.built.map(() => new Uint32Array(this.cap + 1));
      this.valid = this.built.map(() => new Uint8Array(this.cap));
    }
    this.n = 0;
    this.used.fill(0);
  }

  /** Builds the next batch in the buffers of one handed out before, replacing any the consumer transferred. */
  private reuseSet(set: BufferSet): void {
    this.bytes = set.bytes;
    this.views = set.views;
    this.offsets = set.offsets;
    this.valid = set.valid;
    for (let k = 0; k < this.built.length; k++) {
      // a transferred (detached) buffer reads as empty
      if (this.bytes[k].length === 0) {
        this.bytes[k] = new Uint8Array(Math.ceil(this.used[k] * 1.125) + 1024);
        this.views[k] = dataView(this.bytes[k]);
      }
      if (this.offsets[k].length !== this.cap + 1) { this.offsets[k] = new Uint32Array(this.cap + 1); }
      if (this.valid[k].length === this.cap) { this.valid[k].fill(0); } else { this.valid[k] = new Uint8Array(this.cap); }
    }
  }

  /**
   * Feeds the next bytes (`offset`: their position in the stream, for the row scanner); returns the
   * batches completed. `final`: the data ends with these bytes; the last batch is returned too. With `reuse`, the
   * batches returned are overwritten from the next push on.
   */
  push(bytes: Uint8Array, final: boolean, out: ColumnBatch[] = []): ColumnBatch[] {
    // with `reuse`, the batches the last push returned are done with now
    if (this.lent.length > 0) { this.free.push(...this.lent); this.lent = []; }
    let from = 0;
    if (this.carry && this.carry.length > 0) {
      // Complete the row cut at the end of the last push on a small bridge, not by copying the whole chunk.
      const carry = this.carry;
      let take = carry.length > BRIDGE_BYTES ? bytes.length : Math.min(bytes.length, BRIDGE_BYTES);
      for (;;) {
        const bridge = concatBytes([carry, bytes.subarray(0, take)]);
        const last = final && take >= bytes.length;
        const end = this.process(bridge, this.carryOffset, last, out, 0, carry.length);
        if (end >= carry.length || last) {
          from = Math.max(0, end - carry.length);
          this.carry = undefined;
          break;
        }
        if (take >= bytes.length) {
          this.carry = bridge.subarray(end);
          this.carryOffset += end;
          this.checkCarry();
          return out;
        }
        take = Math.min(bytes.length, take * 8);
      }
      if (final && from >= bytes.length) { this.flush(out); return out; }
    }
    const end = this.process(bytes, 0, final, out, from);
    if (final) {
      this.flush(out);
    } else {
      this.carry = bytes.subarray(end);
      this.checkCarry();
    }
    return out;
  }

  private checkCarry(): void {
    if (this.carry && this.carry.length > MAX_ROW_BYTES) {
      throw new DatasetError('too-large', `row ${this.rowStart + this.n + 1} is longer than ${MAX_ROW_BYTES / (1024 * 1024)} MB; a quote opened there may never be closed`);
    }
  }

  /**
   * Parses the complete rows of buf[from..] (a row start); returns where the first incomplete row
   * starts. With `minEnd`, stops after the first row ending at or beyond it (bridges).
   */
  private process(buf: Uint8Array, base: number, final: boolean, out: ColumnBatch[], from: number, minEnd = -1): number {
    const len = buf.length;
    let pos = from;
    for (;;) {
      const q = buf.indexOf(this.Q, pos);
      if (q < 0) {
        const end = final ? len : this.lastRowEnd(buf, pos, len);
        this.split(buf, pos, end, final, out);
        return end;
      }
      const rs = this.rowStartBefore(buf, pos, q);
      this.split(buf, pos, rs, false, out);
      // The row holding the quote: delimited by the row scanner, parsed by papaparse.
      const before = this.scanner.rows;
      const re = this.scanner.scan(buf, rs, base, final, before + 1);
      if (this.scanner.rows === before && !final) { return rs; }
      if (this.scanner.unclosedQuote && final && this.unclosedQuoteRow === undefined) { this.unclosedQuoteRow = this.rowStart + this.n; }
      if (this.viaStrings || this.papaQuoted || this.scanner.unclosedQuote || !this.splitQuotedRow(buf, rs, re, out)) { this.parseQuoted(buf, rs, re, out); }
      pos = re;
      if (pos >= len) { return len; }
      if (minEnd >= 0 && pos >= minEnd) { return pos; }
    }
  }

  /** Just after the last line terminator in buf[pos, len) (pos when none). The stretch has no quote. */
  private lastRowEnd(buf: Uint8Array, pos: number, len: number): number {
    let i = buf.lastIndexOf(this.NL, len - 1);
    if (this.crlf) {
      while (i > pos && buf[i - 1] !== 0x0d) { i = buf.lastIndexOf(0x0a, i - 1); }
      if (i <= pos) { return pos; }
    }
    return i < pos ? pos : i + 1;
  }

  /** Start of the row holding buf[q], given that buf[pos, q) holds no quote and pos is a row start. */
  private rowStartBefore(buf: Uint8Array, pos: number, q: number): number {
    if (q === pos) { return pos; }
    let i = buf.lastIndexOf(this.NL, q - 1);
    if (this.crlf) {
      while (i > pos && buf[i - 1] !== 0x0d) { i = i > 0 ? buf.lastIndexOf(0x0a, i - 1) : -1; }
      if (i <= pos) { return pos; }
    }
    return i < pos ? pos : i + 1;
  }

  /** Splits the quote-free complete rows of buf[a, b) into the columns (`open`: the last row has no terminator). */
  private split(buf: Uint8Array, a: number, b: number, open: boolean, out: ColumnBatch[]): void {
    if (b <= a) { return; }
    if (this.viaStrings) { this.splitViaStrings(buf, a, b, open, out); return; }
    const D = this.D, C = this.C, NL = this.NL, crlf = this.crlf, width = this.width, slot = this.slot;
    if (C >= 0) { a = this.skipComments(buf, a, b); }
    const view = this.sourceView(buf);
    // four bytes at a time while none of them is a delimiter or a line feed (a zero byte of word ^ DDDD or word ^ NNNN;
    // the test can also flag a byte next to such a byte, which then only takes the byte path)
    const DDDD = Math.imul(D, 0x01010101), NNNN = Math.imul(NL, 0x01010101);
    const lastWord = b - 4;
    let col = 0;
    let cs = a;
    let hi = 0;
    let rowStart = a;
    for (let i = a; i < b; i++) {
      if (i <= lastWord) {
        const w = view.getUint32(i, true);
        const x = w ^ DDDD, y = w ^ NNNN;
        if (((((x - 0x01010101) & ~x) | ((y - 0x01010101) & ~y)) & 0x80808080) === 0) { hi |= w; i += 3; continue; }
      }
      const c = buf[i];
      hi |= c;
      if (c === D) {
        if (col < width && slot[col] >= 0) { this.cell(slot[col], buf, cs, i); }
        col++;
        cs = i + 1;
      } else if (c === NL) {
        let e = i;
        if (crlf) {
          if (i === rowStart || buf[i - 1] !== 0x0d) { continue; } // a bare LF in a CRLF file is data
          e = i - 1;
        }
        if (col === 0 && e === cs) {
          // a blank line
        } else {
          if (col < width && slot[col] >= 0) { this.cell(slot[col], buf, cs, e); }
          this.endRow(col + 1, out);
          col = 0;
        }
        cs = i + 1;
        if (C >= 0 && buf[cs] === C) { cs = this.skipComments(buf, cs, b); i = cs - 1; } // comment lines are no rows
        rowStart = cs;
      }
    }
    // The last row of the data, without a terminator (`a,b,` still ends in an empty cell).
    if (open && (col > 0 || cs < b)) {
      if (col < width && slot[col] >= 0) { this.cell(slot[col], buf, cs, b); }
      this.endRow(col + 1, out);
    }
    if ((hi & 0x80808080) !== 0 && !this.invalidUtf8) { this.checkUtf8(buf.subarray(a, b)); }
  }

  /** Past the comment lines starting at `at` in a quote-free stretch ending at `b` (a comment without a line end runs to `b`). */
  private skipComments(buf: Uint8Array, at: number, b: number): number {
    while (at < b && buf[at] === this.C) {
      const e = lineEnd(buf, at, this.NL, this.crlf);
      if (e < 0 || e >= b) { return b; }
      at = e + 1;
    }
    return at;
  }

  private checkUtf8(bytes: Uint8Array): void {
    try {
      this.validator.decode(bytes);
    } catch {
      this.invalidUtf8 = true;
    }
  }

  private cell(k: number, buf: Uint8Array, s: number, e: number): void {
    const m = e - s;
    if (m <= 0) { return; }
    let u = this.used[k];
    let dst = this.bytes[k];
    if (u + m > dst.length) { dst = this.growBytes(k, u + m); }
    // a subarray per cell is a heap object: for typical cells (tens of bytes) the young-generation
    // churn, collected partly on GC helper threads, costs more than copying in a loop; from 8 bytes
    // the loop moves four bytes at a time through DataViews kept for the chunk and the columns
    // (a 100 MB scan of the events file: ~9% faster than byte by byte)
    if (m > 256) {
      dst.set(buf.subarray(s, e), u);
      u += m;
    } else {
      let j = s;
      if (m >= 8) {
        const from = this.sourceView(buf), to = this.views[k];
        for (const stop = e - 3; j < stop; j += 4, u += 4) { to.setUint32(u, from.getUint32(j, true), true); }
      }
      for (; j < e; j++) { dst[u++] = buf[j]; }
    }
    this.used[k] = u;
    this.valid[k][this.n] = 1;
  }

  /** A DataView of `buf`, kept while the same chunk is being split. */
  private sourceView(buf: Uint8Array): DataView {
    if (buf !== this.srcBytes) { this.srcBytes = buf; this.srcView = dataView(buf); }
    return this.srcView;
  }

  private growBytes(k: number, need: number): Uint8Array {
    let size = Math.max(1024, this.bytes[k].length * 2);
    while (size < need) { size *= 2; }
    const next = new Uint8Array(size);
    next.set(this.bytes[k].subarray(0, this.used[k]));
    this.bytes[k] = next;
    this.views[k] = dataView(next);
    return next;
  }

  private endRow(cells: number, out: ColumnBatch[]): void {
    const n = this.n;
    if (cells !== this.width) { this.onRagged?.(this.rowStart + n, cells); }
    for (let k = 0; k < this.offsets.length; k++) { this.offsets[k][n + 1] = this.used[k]; }
    this.n = n + 1;
    this.rows++;
    if (this.n === this.cap) {
      if (this.n >= this.batchRows) { out.push(this.take()); } else { this.growRows(); }
    }
  }

  private growRows(): void {
    const cap = Math.min(this.cap * 2, this.batchRows);
    this.offsets = this.offsets.map(o => { const x = new Uint32Array(cap + 1); x.set(o); return x; });
    this.valid = this.valid.map(v => { const x = new Uint8Array(cap); x.set(v); return x; });
    this.cap = cap;
  }

  /**
   * One row holding quotes, buf[a, b) (its terminator included, when it has one), split as bytes when every quote in
   * it is RFC 4180's: a field that starts with a quote ends at the quote before a delimiter or the row's end, and
   * `""` inside it is one quote. Papaparse gives the same cells for such a row. Returns false, having added
   * nothing, for anything else (a quote inside an unquoted field, text after a closing quote), which papaparse
   * parses with its own rules.
   */
  private splitQuotedRow(buf: Uint8Array, a: number, b: number, out: ColumnBatch[]): boolean {
    const D = this.D, Q = this.Q, NL = this.NL, crlf = this.crlf;
    // the row's end without its terminator
    let end = b;
    if (end > a && buf[end - 1] === NL) { end--; if (crlf) { if (end > a && buf[end - 1] === 0x0d) { end--; } else { return false; } } }
    // first pass: check the quoting and find each field's content, without writing anything
    const spans = this.spans;
    let fields = 0;
    let hi = 0;
    let i = a;
    for (;;) {
      let s: number;
      let e: number;
      let escaped = false;
      if (i < end && buf[i] === Q) {
        s = i + 1;
        let j = s;
        for (;;) {
          const q = buf.indexOf(Q, j);
          if (q < 0 || q >= end) { return false; } // the scanner said the row ends here: not RFC 4180 quoting
          if (q + 1 < end && buf[q + 1] === Q) { escaped = true; j = q + 2; continue; }
          e = q;
          i = q + 1;
          break;
        }
        if (i < end && buf[i] !== D) { return false; } // text after the closing quote
      } else {
        s = i;
        while (i < end && buf[i] !== D) { if (buf[i] === Q) { return false; } i++; }
        e = i;
      }
      for (let k = s; k < e; k++) { hi |= buf[k]; }
      if (fields * 3 + 2 >= spans.length) { this.spans = new Int32Array(spans.length * 2); this.spans.set(spans); return this.splitQuotedRow(buf, a, b, out); }
      spans[fields * 3] = s;
      spans[fields * 3 + 1] = e;
      spans[fields * 3 + 2] = escaped ? 1 : 0;
      fields++;
      if (i >= end) { break; }
      i++; // the delimiter
    }
    // a row that is one empty field (`""`) is a blank line, as on the papaparse path
    if (fields === 1 && spans[1] === spans[0]) { return true; }
    // second pass: the cells into their columns
    const width = this.width, slot = this.slot;
    for (let f = 0; f < fields && f < width; f++) {
      const k = slot[f];
      if (k < 0) { continue; }
      const s = spans[f * 3], e = spans[f * 3 + 1];
      if (spans[f * 3 + 2] === 0) { this.cell(k, buf, s, e); continue; }
      // `""` to `"`: copy up to each escaped quote
      let u = this.used[k];
      let dst = this.bytes[k];
      if (u + (e - s) > dst.length) { dst = this.growBytes(k, u + (e - s)); }
      for (let j = s; j < e; j++) {
        const c = buf[j];
        dst[u++] = c;
        if (c === Q) { j++; }
      }
      if (u > this.used[k]) { this.valid[k][this.n] = 1; }
      this.used[k] = u;
    }
    if (hi >= 0x80 && !this.invalidUtf8) { this.checkUtf8(buf.subarray(a, b)); }
    this.endRow(fields, out);
    return true;
  }

  /** A row (or rows) holding quotes, parsed by papaparse. */
  private parseQuoted(buf: Uint8Array, a: number, b: number, out: ColumnBatch[]): void {
    const text = this.decoder.decode(buf.subarray(a, b));
    if (!this.viaStrings && !this.invalidUtf8 && text.indexOf('\ufffd') !== -1) { this.checkUtf8(buf.subarray(a, b)); }
    const res = this.papa.parse(text, 0, false) as { data: string[][] };
    for (const row of res.data) { this.stringRow(row, out); }
  }

  private splitViaStrings(buf: Uint8Array, a: number, b: number, open: boolean, out: ColumnBatch[]): void {
    const text = this.decoder.decode(buf.subarray(a, b));
    const res = this.papa.parse(text, 0, !open) as { data: string[][] };
    for (const row of res.data) { this.stringRow(row, out); }
  }

  private stringRow(row: string[], out: ColumnBatch[]): void {
    if (row.length === 1 && row[0] === '') { return; } // a blank line
    for (let c = 0; c < row.length && c < this.width; c++) {
      const k = this.slot[c];
      const v = row[c];
      if (k < 0 || v.length === 0) { continue; }
      let dst = this.bytes[k];
      if (this.used[k] + v.length * 3 > dst.length) { dst = this.growBytes(k, this.used[k] + v.length * 3); }
      this.used[k] += encoder.encodeInto(v, dst.subarray(this.used[k])).written;
      this.valid[k][this.n] = 1;
    }
    this.endRow(row.length, out);
  }

  /** Emits the rows built so far as a batch (when there are any). */
  private flush(out: ColumnBatch[]): void {
    if (this.n > 0) { out.push(this.take()); }
  }

  private take(): ColumnBatch {
    const n = this.n;
    const built: ColumnData[] = this.built.map((_, k) => ({
      kind: 'text' as const,
      bytes: this.bytes[k].subarray(0, this.used[k]),
      offsets: this.offsets[k].subarray(0, n + 1),
      valid: this.valid[k].subarray(0, n),
    }));
    const seen = new Set<number>();
    const columns = this.outputOf.map(k => {
      if (!seen.has(k)) { seen.add(k); return built[k]; }
      const c = built[k] as Extract<ColumnData, { kind: 'text' }>;
      return { kind: 'text' as const, bytes: c.bytes.slice(), offsets: c.offsets.slice(), valid: c.valid.slice() };
    });
    const batch: ColumnBatch = { rowStart: this.rowStart, rowCount: n, fieldIndexes: [...this.o.fieldIndexes], columns };
    this.rowStart += n;
    if (this.o.reuse) { this.lent.push({ bytes: this.bytes, views: this.views, offsets: this.offsets, valid: this.valid }); }
    this.reset();
    return batch;
  }
}
