// Where an Arrow IPC file or stream keeps its schema, dictionaries and record batches, with every size checked against the file.
import { Message, MessageHeader, type Schema, Table, tableToIPC, Type } from 'apache-arrow';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import type { AsyncBuffer } from '../asyncBuffer';
import { DatasetError, throwIfAborted } from '../errors';

export interface ByteRange { start: number; end: number }

export interface ArrowBatchEntry {
  range: ByteRange;
  rows: number;
  /** How many of the layout's dictionary messages come before this batch (and so apply to it). */
  dictionariesBefore: number;
}

export interface ArrowLayout {
  kind: 'file' | 'stream';
  schema: Schema;
  /** A complete schema message (continuation marker, length, flatbuffer) that starts a stream. */
  schemaMessage: Uint8Array;
  dictionaries: ByteRange[];
  batches: ArrowBatchEntry[];
}

const MAGIC = 'ARROW1';
/** Message metadata beyond this is refused instead of allocated (real schemas and batch headers are KBs). */
const MAX_METADATA_BYTES = 64 * 1024 * 1024;
const CONTINUATION = 0xffffffff;

export function corruptArrow(message: string, cause?: unknown): DatasetError {
  return new DatasetError('corrupt', `corrupt Arrow IPC file: ${message}`, cause === undefined ? undefined : { cause });
}

export async function readArrowLayout(buffer: AsyncBuffer, signal?: AbortSignal): Promise<ArrowLayout> {
  const size = buffer.byteLength;
  if (size === 0) { throw new DatasetError('empty', 'the file is empty'); }
  const head = new Uint8Array(await buffer.slice(0, Math.min(size, 8)));
  throwIfAborted(signal);
  if (ascii(head.subarray(0, 4)) === 'FEA1') {
    throw new DatasetError('unsupported', 'Feather version 1 files are not supported (save them again as Feather v2 / Arrow IPC)');
  }
  if (ascii(head.subarray(0, 6)) === MAGIC) { return readFileLayout(buffer, signal); }
  if (head.length >= 4 && new DataView(head.buffer, head.byteOffset).getUint32(0, true) === CONTINUATION) {
    return readStreamLayout(buffer, signal);
  }
  throw corruptArrow('bad magic number (neither ARROW1 nor an IPC stream)');
}

async function readFileLayout(buffer: AsyncBuffer, signal?: AbortSignal): Promise<ArrowLayout> {
  const size = buffer.byteLength;
  // magic (8 with padding) + footer + footer length (4) + magic (6)
  if (size < 8 + 10) { throw corruptArrow(`${size} bytes is too short (the file is truncated)`); }
  const tail = new Uint8Array(await buffer.slice(size - 10, size));
  if (ascii(tail.subarray(4)) !== MAGIC) { throw corruptArrow('no ARROW1 magic at the end (the file is truncated)'); }
  const footerLength = new DataView(tail.buffer, tail.byteOffset).getInt32(0, true);
  if (footerLength <= 0 || footerLength > size - 18 || footerLength > MAX_METADATA_BYTES) {
    throw corruptArrow(`the footer length (${footerLength} bytes) does not fit in a ${size}-byte file`);
  }
  const footerBytes = new Uint8Array(await buffer.slice(size - 10 - footerLength, size - 10));
  throwIfAborted(signal);
  let footer: Footer;
  try {
    footer = Footer.decode(footerBytes);
    if (!footer.schema) { throw new Error('no schema'); }
  } catch (e) {
    throw corruptArrow('the footer cannot be read', e);
  }
  const dataEnd = size - 10 - footerLength;
  const blockRange = (b: { offset: number; metaDataLength: number; bodyLength: number }, what: string): ByteRange => {
    const start = Number(b.offset);
    const end = start + Number(b.metaDataLength) + Number(b.bodyLength);
    if (!(Number.isSafeInteger(start) && start >= 8 && b.metaDataLength > 8 && Number(b.bodyLength) >= 0 && end <= dataEnd)) {
      throw corruptArrow(`${what} points outside the file`);
    }
    return { start, end };
  };
  const dictionaries = [...footer.dictionaryBatches()].map((b, k) => blockRange(b, `dictionary batch ${k}`));
  const blocks = [...footer.recordBatches()];
  const ranges = blocks.map((b, k) => blockRange(b, `record batch ${k}`));
  // Row counts live in each batch's own header: read only those few bytes per batch.
  const rows = await Promise.all(blocks.map(async (b, k) => {
    const meta = new Uint8Array(await buffer.slice(ranges[k].start, ranges[k].start + b.metaDataLength));
    throwIfAborted(signal);
    const message = decodeFramed(meta, `record batch ${k}`);
    if (message.headerType !== MessageHeader.RecordBatch) { throw corruptArrow(`block ${k} is not a record batch`); }
    return batchLength(message, k, footer.schema);
  }));
  let schemaMessage: Uint8Array;
  try {
    schemaMessage = tableToIPC(new Table(footer.schema), 'stream');
  } catch (e) {
    throw corruptArrow('the schema in the footer cannot be read', e);
  }
  return {
    kind: 'file',
    schema: footer.schema,
    schemaMessage: schemaMessage.subarray(0, schemaMessage.length - 8), // without its end-of-stream marker
    dictionaries,
    batches: ranges.map((range, k) => ({ range, rows: rows[k], dictionariesBefore: dictionaries.length })),
  };
}

/** A stream has no index: walk its message headers (not bodies) from the start. */
async function readStreamLayout(buffer: AsyncBuffer, signal?: AbortSignal): Promise<ArrowLayout> {
  const size = buffer.byteLength;
  let at = 0;
  let schema: Schema | undefined;
  let schemaMessage: Uint8Array | undefined;
  const dictionaries: ByteRange[] = [];
  const batches: ArrowBatchEntry[] = [];
  while (at < size) {
    throwIfAborted(signal);
    if (size - at < 8) { throw corruptArrow(`a message at byte ${at} is cut off (the file is truncated)`); }
    const prefix = new DataView(await buffer.slice(at, at + 8));
    const first = prefix.getUint32(0, true);
    const prefixLength = first === CONTINUATION ? 8 : 4;
    const metaLength = first === CONTINUATION ? prefix.getInt32(4, true) : prefix.getInt32(0, true);
    if (metaLength === 0) { break; } // end-of-stream marker
    if (metaLength < 0 || metaLength > MAX_METADATA_BYTES || at + prefixLength + metaLength > size) {
      throw corruptArrow(`the message at byte ${at} claims ${metaLength} bytes of metadata`);
    }
    const metaEnd = at + prefixLength + metaLength;
    const meta = new Uint8Array(await buffer.slice(at, metaEnd));
    const message = decodeFramed(meta, `the message at byte ${at}`);
    const bodyLength = Number(message.bodyLength);
    const end = metaEnd + bodyLength;
    if (!(bodyLength >= 0 && end <= size)) { throw corruptArrow(`the message at byte ${at} runs past the end of the file (truncated)`); }
    if (!schema) {
      if (message.headerType !== MessageHeader.Schema) { throw corruptArrow('the stream does not start with a schema'); }
      schema = headerOf(message, 'the schema') as Schema;
      schemaMessage = first === CONTINUATION ? meta : reframe(meta);
    } else if (message.headerType === MessageHeader.DictionaryBatch) {
      dictionaries.push({ start: at, end });
    } else if (message.headerType === MessageHeader.RecordBatch) {
      batches.push({ range: { start: at, end }, rows: batchLength(message, batches.length, schema), dictionariesBefore: dictionaries.length });
    }
    at = end;
  }
  if (!schema || !schemaMessage) { throw corruptArrow('the stream has no schema'); }
  return { kind: 'stream', schema, schemaMessage, dictionaries, batches };
}

/** Decodes a framed message's metadata (the prefix plus flatbuffer, no body). */
function decodeFramed(meta: Uint8Array, what: string): Message {
  const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  if (meta.length < 8) { throw corruptArrow(`${what} is cut off`); }
  const continued = view.getUint32(0, true) === CONTINUATION;
  const prefixLength = continued ? 8 : 4;
  const length = view.getInt32(continued ? 4 : 0, true);
  if (length <= 0 || prefixLength + length > meta.length) { throw corruptArrow(`${what} has a bad metadata length`); }
  try {
    return Message.decode(meta.subarray(prefixLength, prefixLength + length));
  } catch (e) {
    throw corruptArrow(`${what} cannot be read`, e);
  }
}

/** Message headers are decoded lazily; damage shows up here. */
function headerOf(message: Message, what: string): unknown {
  try {
    return message.header();
  } catch (e) {
    throw corruptArrow(`${what} cannot be read`, e);
  }
}

/**
 * A batch's row count, checked against its body: every column but Null needs at least a bit per row,
 * so an uncompressed body of B bytes holds at most 8·B rows. This stops a damaged header from sending
 * a window or scan through billions of phantom rows.
 */
function batchLength(message: Message, k: number, schema: Schema): number {
  const header = headerOf(message, `record batch ${k}`) as { length: number | bigint; compression: unknown };
  const rows = Number(header.length);
  if (!Number.isSafeInteger(rows) || rows < 0) { throw corruptArrow(`record batch ${k} claims ${rows} rows`); }
  const holdsData = schema.fields.some(f => f.typeId !== Type.Null);
  if (holdsData && header.compression == null && rows > Number(message.bodyLength) * 8) {
    throw corruptArrow(`record batch ${k} claims ${rows} rows in ${message.bodyLength} bytes`);
  }
  return rows;
}

/** Legacy streams (before Arrow 0.15) frame messages without the continuation marker; add it. */
function reframe(meta: Uint8Array): Uint8Array {
  const out = new Uint8Array(meta.length + 4);
  new DataView(out.buffer).setUint32(0, CONTINUATION, true);
  out.set(meta, 4);
  return out;
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
