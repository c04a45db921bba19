// Reads a window of rows of one record batch by fetching only the byte ranges of its buffers that hold those rows.
//
// A record batch can be megabytes (or, from some writers, the whole file). For columns of flat types the
// rows [a, b) live at computable places in each buffer: bits a..b of a validity or boolean buffer, bytes
// a·w..b·w of fixed-width values, offsets a..b and the data they point to for strings and binaries. Only
// those ranges are read, and repacked as a small batch of just those rows (from a rounded down to a
// multiple of 8, so bitmaps stay byte-aligned) with a header written for it. Compressed bodies and nested
// or view types return undefined: the caller reads the whole batch.
import { type DataType, type Dictionary, type Field, Message, MessageHeader, Precision, type Schema, Type } from 'apache-arrow';
import { BufferRegion, FieldNode, RecordBatch as BatchHeader } from 'apache-arrow/ipc/metadata/message';
import type { AsyncBuffer } from '../asyncBuffer';
import { throwIfAborted } from '../errors';
import type { ByteRange } from './arrowLayout';

type BufferUse = 'validity' | 'bits' | { width: number } | 'offsets32' | 'offsets64' | 'data';

interface RecordBatchHeader {
  length: number;
  nodes: { length: number; nullCount: number }[];
  buffers: { offset: number; length: number }[];
  compression: unknown;
}

/** The buffers one field uses, in IPC order; undefined for types this path does not read partially. */
function buffersOf(type: DataType): BufferUse[] | undefined {
  const t = type.typeId === Type.Dictionary ? (type as Dictionary).indices : type;
  const any = t as unknown as { bitWidth?: number; precision?: Precision; byteWidth?: number; unit?: number };
  switch (t.typeId) {
    case Type.Null: return [];
    case Type.Bool: return ['validity', 'bits'];
    case Type.Int: case Type.Time: case Type.Decimal: return ['validity', { width: (any.bitWidth ?? 0) / 8 }];
    case Type.Float: return ['validity', { width: any.precision === Precision.HALF ? 2 : any.precision === Precision.SINGLE ? 4 : 8 }];
    case Type.Date: return ['validity', { width: any.unit === 0 ? 4 : 8 }]; // DateUnit.DAY = 0
    case Type.Timestamp: case Type.Duration: return ['validity', { width: 8 }];
    case Type.FixedSizeBinary: return ['validity', { width: any.byteWidth ?? 0 }];
    case Type.Utf8: case Type.Binary: return ['validity', 'offsets32', 'data'];
    case Type.LargeUtf8: case Type.LargeBinary: return ['validity', 'offsets64', 'data'];
    default: return undefined;
  }
}

export interface BatchWindow {
  /** A framed record batch message (marker, length, flatbuffer) and its body, holding rows [firstRow, b). */
  meta: Uint8Array;
  body: Uint8Array;
  firstRow: number;
}

/** Rows [a, b) of the batch at `range` as a small standalone batch, or undefined when it needs a full read. */
export async function readBatchWindow(
  buffer: AsyncBuffer, range: ByteRange, schema: Schema, a: number, b: number, signal?: AbortSignal,
): Promise<BatchWindow | undefined> {
  const uses = schema.fields.map((f: Field) => buffersOf(f.type));
  if (uses.some(u => u === undefined)) { return undefined; }
  // the batch's own header: continuation marker and length, then the flatbuffer
  let head = new Uint8Array(await buffer.slice(range.start, Math.min(range.end, range.start + 4096)));
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const continued = view.getUint32(0, true) === 0xffffffff;
  const prefix = continued ? 8 : 4;
  const metaLength = prefix + view.getInt32(continued ? 4 : 0, true);
  if (metaLength > range.end - range.start || metaLength <= prefix) { return undefined; }
  if (metaLength > head.length) { head = new Uint8Array(await buffer.slice(range.start, range.start + metaLength)); }
  const message = Message.decode(head.subarray(prefix, metaLength));
  if (message.headerType !== MessageHeader.RecordBatch) { return undefined; }
  const header = message.header() as unknown as RecordBatchHeader;
  if (header.compression != null) { return undefined; }
  const flat = (uses as BufferUse[][]).flat();
  if (flat.length !== header.buffers.length || header.nodes.length !== schema.fields.length) { return undefined; }
  const bodyStart = range.start + metaLength;
  const bodyLength = Number(message.bodyLength);
  if (bodyStart + bodyLength > range.end) { return undefined; }
  for (const r of header.buffers) { if (r.offset < 0 || r.length < 0 || r.offset + r.length > bodyLength) { return undefined; } }

  const first = a - (a % 8);
  const read = async (region: { offset: number; length: number }, from: number, to: number): Promise<Uint8Array> => {
    const lo = Math.min(from, region.length);
    const hi = Math.min(Math.max(to, lo), region.length);
    throwIfAborted(signal);
    return hi > lo ? new Uint8Array(await buffer.slice(bodyStart + region.offset + lo, bodyStart + region.offset + hi)) : new Uint8Array(0);
  };
  // pass 1: bitmaps, fixed-width values, offsets
  const pieces: (Uint8Array | undefined)[] = await Promise.all(flat.map((use, k) => {
    const region = header.buffers[k];
    if (use === 'validity' || use === 'bits') { return read(region, first >> 3, (b + 7) >> 3); }
    if (use === 'offsets32') { return read(region, first * 4, (b + 1) * 4); }
    if (use === 'offsets64') { return read(region, first * 8, (b + 1) * 8); }
    if (use === 'data') { return Promise.resolve(undefined); }
    return read(region, first * use.width, b * use.width);
  }));
  // pass 2: string and binary data between the window's first and last offsets; offsets rebased to 0
  await Promise.all(flat.map(async (use, k) => {
    if (use !== 'data') { return; }
    const offsets = pieces[k - 1] as Uint8Array;
    const wide = flat[k - 1] === 'offsets64';
    const count = b - first + 1;
    if (offsets.length < count * (wide ? 8 : 4)) { pieces[k] = new Uint8Array(0); return; } // damaged: decoding says so
    const dv = new DataView(offsets.buffer, offsets.byteOffset, offsets.byteLength);
    const at = (i: number) => (wide ? Number(dv.getBigInt64(i * 8, true)) : dv.getInt32(i * 4, true));
    const base = at(0);
    const end = at(count - 1);
    if (!(base >= 0 && end >= base)) { pieces[k] = new Uint8Array(0); return; }
    for (let i = 0; i < count; i++) {
      if (wide) { dv.setBigInt64(i * 8, BigInt(at(i) - base), true); } else { dv.setInt32(i * 4, at(i) - base, true); }
    }
    pieces[k] = await read(header.buffers[k], base, end);
  }));

  // repack: each buffer 8-byte aligned in a new body, with a header describing just these rows
  const regions: BufferRegion[] = [];
  let size = 0;
  for (const p of pieces as Uint8Array[]) {
    regions.push(new BufferRegion(size, p.length));
    size += (p.length + 7) & ~7;
  }
  const body = new Uint8Array(size);
  (pieces as Uint8Array[]).forEach((p, k) => body.set(p, regions[k].offset));
  const rows = b - first;
  const nodes = header.nodes.map(n => new FieldNode(rows, n.nullCount > 0 ? Math.min(n.nullCount, rows) : 0));
  const encoded = Message.encode(Message.from(new BatchHeader(rows, nodes, regions, null), size));
  const padded = (encoded.length + 7) & ~7;
  const meta = new Uint8Array(8 + padded);
  const mv = new DataView(meta.buffer);
  mv.setUint32(0, 0xffffffff, true);
  mv.setInt32(4, padded, true);
  meta.set(encoded, 8);
  return { meta, body, firstRow: first };
}
