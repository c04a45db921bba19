// Columnar batches: the shape rows take between threads (typed arrays, transferable), never row objects.

/**
 * One column of a batch.
 * - `number`: Float64 values (integers up to 2^53, floats, booleans as 0/1, dates/datetimes as epoch ms).
 * - `bigint`: 64-bit integers kept exactly.
 * - `text`: UTF-8 bytes with offsets (strings, raw CSV cells, decimals, nested values as JSON text).
 * `valid[i] === 0` marks a missing value.
 */
export type ColumnData =
  | { kind: 'number'; values: Float64Array; valid: Uint8Array }
  | { kind: 'bigint'; values: BigInt64Array; valid: Uint8Array }
  | { kind: 'text'; bytes: Uint8Array; offsets: Uint32Array; valid: Uint8Array };

export interface ColumnBatch {
  /** Index (0-based, header excluded) of the first row in this batch within the dataset. */
  rowStart: number;
  rowCount: number;
  /** Indexes into the dataset's fields, parallel to `columns`. */
  fieldIndexes: number[];
  columns: ColumnData[];
  /**
   * The rows of the batch that could not be read (a JSON Lines line that is not a JSON object), in row order: their
   * cells are given as missing. Absent when every row was read.
   */
  unread?: UnreadRow[];
}

/** A row that could not be read: its 0-based row, its 1-based physical line, and why. */
export interface UnreadRow { row: number; line: number; message: string }

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Builds a text column incrementally (`rows`: the expected row count, to size it once). */
export class TextColumnBuilder {
  private bytes: Uint8Array;
  private used = 0;
  private offsets: Uint32Array;
  private valid: Uint8Array;
  private n = 0;

  constructor(rows = 64) {
    const capacity = Math.max(1, rows);
    this.bytes = new Uint8Array(Math.max(1024, capacity * 8));
    this.offsets = new Uint32Array(capacity + 1);
    this.valid = new Uint8Array(capacity);
  }

  push(value: string | null | undefined): void {
    if (value === null || value === undefined) {
      this.row(0);
      return;
    }
    this.ensure(value.length * 3);
    const { written } = encoder.encodeInto(value, this.bytes.subarray(this.used));
    this.used += written;
    this.row(1);
  }

  /** Appends a value already encoded as UTF-8 (copying cells between batches without decoding). */
  pushBytes(utf8: Uint8Array): void {
    this.ensure(utf8.length);
    this.bytes.set(utf8, this.used);
    this.used += utf8.length;
    this.row(1);
  }

  /** Appends the UTF-8 text src[start, end). */
  pushSpan(src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    this.ensure(len);
    if (len < 64) {
      // a loop beats making a subarray for the short cells most columns hold
      const dst = this.bytes;
      for (let i = start, o = this.used; i < end; i++, o++) { dst[o] = src[i]; }
    } else {
      this.bytes.set(src.subarray(start, end), this.used);
    }
    this.used += len;
    this.row(1);
  }

  get length(): number { return this.n; }

  private row(valid: number): void {
    if (this.n === this.valid.length) {
      const valids = new Uint8Array(this.n * 2);
      valids.set(this.valid);
      this.valid = valids;
      const offsets = new Uint32Array(this.n * 2 + 1);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.valid[this.n++] = valid;
    this.offsets[this.n] = this.used;
  }

  private ensure(extra: number): void {
    if (this.used + extra <= this.bytes.length) { return; }
    let size = this.bytes.length * 2;
    while (size < this.used + extra) { size *= 2; }
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }

  finish(): ColumnData {
    return {
      kind: 'text',
      bytes: this.bytes.slice(0, this.used),
      offsets: this.offsets.slice(0, this.n + 1),
      valid: this.valid.slice(0, this.n),
    };
  }
}

export function numberColumn(values: ArrayLike<number | null | undefined>): ColumnData {
  const out = new Float64Array(values.length);
  const valid = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) { out[i] = v; valid[i] = 1; }
  }
  return { kind: 'number', values: out, valid };
}

export function bigintColumn(values: ArrayLike<bigint | null | undefined>): ColumnData {
  const out = new BigInt64Array(values.length);
  const valid = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) { out[i] = v; valid[i] = 1; }
  }
  return { kind: 'bigint', values: out, valid };
}

export function textColumn(values: ArrayLike<string | null | undefined>): ColumnData {
  const b = new TextColumnBuilder();
  for (let i = 0; i < values.length; i++) { b.push(values[i]); }
  return b.finish();
}

export function columnLength(col: ColumnData): number {
  return col.valid.length;
}

export function isValid(col: ColumnData, i: number): boolean {
  return col.valid[i] === 1;
}

/** The text of cell i of a text column (null when missing). */
export function textAt(col: Extract<ColumnData, { kind: 'text' }>, i: number): string | null {
  if (col.valid[i] !== 1) { return null; }
  return decoder.decode(col.bytes.subarray(col.offsets[i], col.offsets[i + 1]));
}

/** Raw value of a cell: number, bigint, string or null. */
export function rawAt(col: ColumnData, i: number): number | bigint | string | null {
  if (col.valid[i] !== 1) { return null; }
  switch (col.kind) {
    case 'number': return col.values[i];
    case 'bigint': return col.values[i];
    case 'text': return decoder.decode(col.bytes.subarray(col.offsets[i], col.offsets[i + 1]));
  }
}

/** Rows [start, end) of a column: views of its arrays, except a text column's offsets (rebased to its bytes). */
export function sliceColumn(col: ColumnData, start: number, end: number): ColumnData {
  switch (col.kind) {
    case 'number': return { kind: 'number', values: col.values.subarray(start, end), valid: col.valid.subarray(start, end) };
    case 'bigint': return { kind: 'bigint', values: col.values.subarray(start, end), valid: col.valid.subarray(start, end) };
    case 'text': {
      const base = col.offsets[start];
      const offsets = new Uint32Array(end - start + 1);
      for (let i = 0; i < offsets.length; i++) { offsets[i] = col.offsets[start + i] - base; }
      return { kind: 'text', bytes: col.bytes.subarray(base, col.offsets[end]), offsets, valid: col.valid.subarray(start, end) };
    }
  }
}

/** Rows [start, end) of a column in arrays of its own (a batch may then be transferred without the rest). */
export function copyColumn(col: ColumnData, start: number, end: number): ColumnData {
  const view = sliceColumn(col, start, end);
  switch (view.kind) {
    case 'number': return { kind: 'number', values: view.values.slice(), valid: view.valid.slice() };
    case 'bigint': return { kind: 'bigint', values: view.values.slice(), valid: view.valid.slice() };
    case 'text': return { kind: 'text', bytes: view.bytes.slice(), offsets: view.offsets, valid: view.valid.slice() };
  }
}

/** One column of the rows of `parts` in order (all of one kind). */
export function concatColumns(parts: readonly ColumnData[]): ColumnData {
  if (parts.length === 1) { return parts[0]; }
  const rows = parts.reduce((n, p) => n + p.valid.length, 0);
  const valid = new Uint8Array(rows);
  let at = 0;
  for (const p of parts) { valid.set(p.valid, at); at += p.valid.length; }
  const kind = parts[0]?.kind ?? 'text';
  if (kind === 'number' || kind === 'bigint') {
    const values = kind === 'number' ? new Float64Array(rows) : new BigInt64Array(rows);
    at = 0;
    for (const p of parts) {
      if (p.kind !== kind) { throw new TypeError(`cannot join a ${p.kind} column to a ${kind} one`); }
      values.set(p.values as never, at);
      at += p.valid.length;
    }
    return kind === 'number' ? { kind, values: values as Float64Array, valid } : { kind, values: values as BigInt64Array, valid };
  }
  const texts = parts.map(p => {
    if (p.kind !== 'text') { throw new TypeError(`cannot join a ${p.kind} column to a text one`); }
    return p;
  });
  const bytes = new Uint8Array(texts.reduce((n, p) => n + p.offsets[p.valid.length] - p.offsets[0], 0));
  const offsets = new Uint32Array(rows + 1);
  let used = 0;
  at = 0;
  for (const p of texts) {
    const n = p.valid.length;
    const base = p.offsets[0];
    bytes.set(p.bytes.subarray(base, p.offsets[n]), used);
    for (let i = 1; i <= n; i++) { offsets[at + i] = used + p.offsets[i] - base; }
    used += p.offsets[n] - base;
    at += n;
  }
  return { kind: 'text', bytes, offsets, valid };
}

/** Rows [start, end) of a batch (positions within it, clamped), numbered from the batch's own rowStart. */
export function sliceBatch(batch: ColumnBatch, start: number, end: number): ColumnBatch {
  const a = Math.max(0, Math.min(start, batch.rowCount));
  const b = Math.max(a, Math.min(end, batch.rowCount));
  return { rowStart: batch.rowStart + a, rowCount: b - a, fieldIndexes: batch.fieldIndexes, columns: batch.columns.map(c => sliceColumn(c, a, b)) };
}

/** The ArrayBuffers a batch owns, for postMessage's transfer list. */
export function batchTransferables(batch: ColumnBatch): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const c of batch.columns) {
    out.add(c.valid.buffer as ArrayBuffer);
    if (c.kind === 'text') { out.add(c.bytes.buffer as ArrayBuffer); out.add(c.offsets.buffer as ArrayBuffer); }
    else { out.add(c.values.buffer as ArrayBuffer); }
  }
  return [...out];
}
