// A block of one version's rows as the diff keeps them: row numbers, key and row hashes, and every
// column's cells; split by partition, and encoded to bytes (8-byte aligned) for partitions kept on disk.
import type { ColumnData } from '../formats/columns';
import { DatasetError } from '../formats/errors';

export interface RowBlock {
  rows: number;
  /** 0-based data row of each row in its version; null when the rows are consecutive from `firstRow`. */
  ordinal: Float64Array | null;
  firstRow: number;
  /** Two lanes per row: the key hash (the row hash when there is no key) and the row hash over shared columns. */
  key: Uint32Array;
  hash: Uint32Array;
  /** Rows whose key has a missing cell (null: none has). */
  keyMissing: Uint8Array | null;
  /** Every column of the version, in field order. */
  columns: ColumnData[];
}

/** The 0-based data row (in its version) of row `i` of a block. */
export function rowOf(b: RowBlock, i: number): number {
  return b.ordinal ? b.ordinal[i] : b.firstRow + i;
}

/** The rows `idx[0..count)` of a block, as a new block. */
export function gatherBlock(block: RowBlock, idx: Uint32Array, count: number): RowBlock {
  const ordinal = new Float64Array(count);
  const key = new Uint32Array(2 * count);
  const hash = new Uint32Array(2 * count);
  const keyMissing = block.keyMissing ? new Uint8Array(count) : null;
  for (let k = 0; k < count; k++) {
    const i = idx[k];
    ordinal[k] = rowOf(block, i);
    key[2 * k] = block.key[2 * i]; key[2 * k + 1] = block.key[2 * i + 1];
    hash[2 * k] = block.hash[2 * i]; hash[2 * k + 1] = block.hash[2 * i + 1];
    if (keyMissing) { keyMissing[k] = (block.keyMissing as Uint8Array)[i]; }
  }
  return { rows: count, ordinal, firstRow: 0, key, hash, keyMissing, columns: block.columns.map(c => gatherColumn(c, idx, count)) };
}

export function gatherColumn(col: ColumnData, idx: Uint32Array, count: number): ColumnData {
  const valid = new Uint8Array(count);
  for (let k = 0; k < count; k++) { valid[k] = col.valid[idx[k]]; }
  switch (col.kind) {
    case 'number': {
      const values = new Float64Array(count);
      for (let k = 0; k < count; k++) { values[k] = col.values[idx[k]]; }
      return { kind: 'number', values, valid };
    }
    case 'bigint': {
      const values = new BigInt64Array(count);
      for (let k = 0; k < count; k++) { values[k] = col.values[idx[k]]; }
      return { kind: 'bigint', values, valid };
    }
    case 'text': {
      let size = 0;
      for (let k = 0; k < count; k++) { const i = idx[k]; size += col.offsets[i + 1] - col.offsets[i]; }
      const bytes = new Uint8Array(size);
      const offsets = new Uint32Array(count + 1);
      let at = 0;
      for (let k = 0; k < count; k++) {
        const i = idx[k];
        const s = col.offsets[i], e = col.offsets[i + 1];
        bytes.set(col.bytes.subarray(s, e), at);
        at += e - s;
        offsets[k + 1] = at;
      }
      return { kind: 'text', bytes, offsets, valid };
    }
  }
}

/**
 * The column with arrays of exactly its size: readers may hand out views into larger, growing
 * buffers, which must not stay alive for every batch a diff keeps.
 */
export function compactColumn(col: ColumnData): ColumnData {
  // a copy costs time too: only views into buffers half again their size or more are copied
  const fits = (a: ArrayBufferView): boolean => a.buffer.byteLength <= a.byteLength * 1.5 + 64;
  const tight = <T extends Uint8Array | Uint32Array | Float64Array | BigInt64Array>(a: T): T => (fits(a) ? a : a.slice() as T);
  switch (col.kind) {
    case 'number': return { kind: 'number', values: tight(col.values), valid: tight(col.valid) };
    case 'bigint': return { kind: 'bigint', values: tight(col.values), valid: tight(col.valid) };
    case 'text': return { kind: 'text', bytes: tight(col.bytes), offsets: tight(col.offsets), valid: tight(col.valid) };
  }
}

/** Splits a block into `parts` blocks by the top bits of each row's key hash (high lane). */
export function partitionBlock(block: RowBlock, parts: number): RowBlock[] {
  if (parts === 1) { return [block]; }
  const shift = 32 - Math.log2(parts);
  const counts = new Uint32Array(parts);
  const part = new Uint32Array(block.rows);
  for (let i = 0; i < block.rows; i++) { const p = block.key[2 * i + 1] >>> shift; part[i] = p; counts[p]++; }
  const lists = Array.from(counts, c => new Uint32Array(c));
  const fill = new Uint32Array(parts);
  for (let i = 0; i < block.rows; i++) { const p = part[i]; lists[p][fill[p]++] = i; }
  return lists.map(list => gatherBlock(block, list, list.length));
}

export function partitionOf(keyHi: number, parts: number): number {
  return parts === 1 ? 0 : keyHi >>> (32 - Math.log2(parts));
}

// ---- encoding ------------------------------------------------------------------------------------

const MAGIC = 0x4b4c4244; // "DBLK"
const KIND_CODE = { number: 1, bigint: 2, text: 3 } as const;

/** The block as bytes: a small header, then each array padded to 8 bytes so decoding can take views. */
export function encodeBlock(block: RowBlock): Uint8Array {
  const ordinal = block.ordinal ?? Float64Array.from({ length: block.rows }, (_, i) => block.firstRow + i);
  const parts: ArrayBufferView[] = [ordinal, block.key, block.hash, block.keyMissing ?? new Uint8Array(block.rows)];
  const kinds: number[] = [];
  for (const c of block.columns) {
    kinds.push(KIND_CODE[c.kind]);
    parts.push(c.valid);
    if (c.kind === 'text') { parts.push(c.offsets, c.bytes); } else { parts.push(c.values); }
  }
  const headerWords = 4 + kinds.length + parts.length;
  let size = pad8(headerWords * 4);
  for (const p of parts) { size += pad8(p.byteLength); }
  const out = new Uint8Array(size);
  const header = new Uint32Array(out.buffer, 0, headerWords);
  header[0] = MAGIC; header[1] = size; header[2] = block.rows; header[3] = kinds.length;
  kinds.forEach((k, i) => { header[4 + i] = k; });
  let at = pad8(headerWords * 4);
  parts.forEach((p, i) => {
    header[4 + kinds.length + i] = p.byteLength;
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += pad8(p.byteLength);
  });
  return out;
}

/** Decodes every block in `bytes` (blocks written one after another); arrays are views into `bytes`. */
export function decodeBlocks(bytes: Uint8Array): RowBlock[] {
  const out: RowBlock[] = [];
  if (bytes.byteOffset % 8 !== 0) { bytes = bytes.slice(); }
  let at = 0;
  while (at < bytes.length) {
    const buf = bytes.buffer;
    const base = bytes.byteOffset + at;
    if (bytes.length - at < 16) { throw corrupt(); }
    const head = new Uint32Array(buf, base, 4);
    if (head[0] !== MAGIC || head[1] > bytes.length - at) { throw corrupt(); }
    const [, size, rows, ncols] = head;
    const nparts = 4 + ncols + ncols; // fixed arrays, then valid + (values | offsets, bytes) per column
    const kinds = Array.from(new Uint32Array(buf, base + 16, ncols));
    const textCols = kinds.filter(k => k === KIND_CODE.text).length;
    const headerWords = 4 + ncols + nparts + textCols;
    const lengths = new Uint32Array(buf, base + 16 + 4 * ncols, nparts + textCols);
    let p = 0;
    let off = base + pad8(headerWords * 4);
    const take = <T>(make: (o: number, len: number) => T): T => {
      const len = lengths[p++];
      const v = make(off, len);
      off += pad8(len);
      return v;
    };
    const ordinal = take((o, len) => new Float64Array(buf, o, len / 8));
    const key = take((o, len) => new Uint32Array(buf, o, len / 4));
    const hash = take((o, len) => new Uint32Array(buf, o, len / 4));
    const keyMissing = take((o, len) => new Uint8Array(buf, o, len));
    const columns: ColumnData[] = kinds.map(k => {
      const valid = take((o, len) => new Uint8Array(buf, o, len));
      if (k === KIND_CODE.number) { return { kind: 'number', values: take((o, len) => new Float64Array(buf, o, len / 8)), valid }; }
      if (k === KIND_CODE.bigint) { return { kind: 'bigint', values: take((o, len) => new BigInt64Array(buf, o, len / 8)), valid }; }
      const offsets = take((o, len) => new Uint32Array(buf, o, len / 4));
      return { kind: 'text', offsets, bytes: take((o, len) => new Uint8Array(buf, o, len)), valid };
    });
    out.push({ rows, ordinal, firstRow: 0, key, hash, keyMissing, columns });
    at += size;
  }
  return out;
}

function pad8(n: number): number { return (n + 7) & ~7; }

function corrupt(): DatasetError {
  return new DatasetError('corrupt', 'a diff partition file is damaged (it was changed while the diff ran?)');
}
