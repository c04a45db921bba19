// Turns a compressed Arrow IPC batch message (LZ4 frame or ZSTD body buffers) into the same message uncompressed.
//
// Arrow compresses each buffer of a record or dictionary batch on its own: an 8-byte little-endian
// uncompressed length (-1 when the buffer was stored as is), then the codec's bytes. apache-arrow reads
// such bodies only through codecs registered globally and without the known length; decompressing here
// lets each buffer be checked against the length it claims, and hands apache-arrow a plain message.
import { CompressionType, Message, MessageHeader } from 'apache-arrow';
import { BufferRegion, DictionaryBatch, RecordBatch as BatchHeader } from 'apache-arrow/ipc/metadata/message';
import { decompressZstd } from 'hyparquet-compressors';
import { decompress, decompressFrame } from 'lz4js';
import { hash as xxh32 } from 'lz4js/xxh32';
import { corruptArrow } from './arrowLayout';
import { DatasetError } from '../errors';

const CONTINUATION = 0xffffffff;
/** One decompressed buffer may be at most this large (damaged lengths can claim anything). */
const MAX_BUFFER_BYTES = 1 << 30;

/**
 * A framed message (continuation marker, metadata length, flatbuffer, body) with its body buffers
 * decompressed; the same bytes when the message is not a compressed batch. `what` names it in errors.
 */
export function uncompressMessage(bytes: Uint8Array, what: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) { return bytes; }
  const continued = view.getUint32(0, true) === CONTINUATION;
  const prefix = continued ? 8 : 4;
  const metaLength = view.getInt32(continued ? 4 : 0, true);
  if (metaLength <= 0 || prefix + metaLength > bytes.length) { return bytes; } // decoding reports it
  let message: Message;
  let dictionary: DictionaryBatch | undefined;
  let header: BatchHeader;
  try {
    message = Message.decode(bytes.subarray(prefix, prefix + metaLength));
    const isDictionary = message.headerType === MessageHeader.DictionaryBatch;
    if (message.headerType !== MessageHeader.RecordBatch && !isDictionary) { return bytes; }
    dictionary = isDictionary ? message.header() as DictionaryBatch : undefined;
    header = dictionary ? dictionary.data : message.header() as BatchHeader;
  } catch (e) {
    throw corruptArrow(`${what} cannot be read`, e);
  }
  if (header.compression == null) { return bytes; }
  const decode = codecOf(header.compression.type, what);
  const body = bytes.subarray(prefix + metaLength);
  if (Number(message.bodyLength) > body.length) { throw corruptArrow(`${what} runs past the end of the file (truncated)`); }

  const parts: Uint8Array[] = [];
  const regions: BufferRegion[] = [];
  let size = 0;
  header.buffers.forEach((region, k) => {
    const offset = Number(region.offset);
    const length = Number(region.length);
    let out: Uint8Array;
    if (length === 0) {
      out = new Uint8Array(0);
    } else {
      if (length < 8 || offset < 0 || offset + length > body.length) { throw corruptArrow(`${what}: buffer ${k} lies outside the body`); }
      const packed = body.subarray(offset, offset + length);
      const claimed = Number(new DataView(packed.buffer, packed.byteOffset, 8).getBigInt64(0, true));
      const data = packed.subarray(8);
      if (claimed === -1) {
        out = data;
      } else if (claimed === data.length) {
        // apache-arrow's JS writer puts the compressed length here: the codec's own framing says the rest
        out = decodeUnsized(header.compression!.type, data, `${what}: buffer ${k}`);
      } else {
        if (!(claimed >= 0 && claimed <= MAX_BUFFER_BYTES)) { throw corruptArrow(`${what}: buffer ${k} claims ${claimed} bytes uncompressed`); }
        out = decode(data, claimed, `${what}: buffer ${k}`);
      }
    }
    regions.push(new BufferRegion(size, out.length));
    parts.push(out);
    size += (out.length + 7) & ~7;
  });
  const plainBody = new Uint8Array(size);
  parts.forEach((p, k) => plainBody.set(p, Number(regions[k].offset)));

  const plain = new BatchHeader(header.length, header.nodes, regions, null, header.variadicBufferCounts, header.metadata);
  const encoded = Message.encode(Message.from(dictionary ? new DictionaryBatch(plain, dictionary.id, dictionary.isDelta) : plain, size));
  const padded = (encoded.length + 7) & ~7;
  const out = new Uint8Array(8 + padded + size);
  const ov = new DataView(out.buffer);
  ov.setUint32(0, CONTINUATION, true);
  ov.setInt32(4, padded, true);
  out.set(encoded, 8);
  out.set(plainBody, 8 + padded);
  return out;
}

type Decode = (data: Uint8Array, length: number, what: string) => Uint8Array;

function codecOf(type: CompressionType, what: string): Decode {
  switch (type) {
    case CompressionType.LZ4_FRAME: return lz4Frame;
    case CompressionType.ZSTD: return zstd;
    default: throw new DatasetError('unsupported', `${what} uses a compression Strata cannot read (code ${String(type)})`);
  }
}

/** A buffer whose uncompressed length is not known: LZ4 frames and ZSTD frames carry enough to decode. */
function decodeUnsized(type: CompressionType, data: Uint8Array, what: string): Uint8Array {
  try {
    return type === CompressionType.LZ4_FRAME ? decompress(data) : decompressZstd(data);
  } catch (e) {
    throw corruptArrow(`${what} cannot be decompressed (${e instanceof Error ? e.message : String(e)})`, e);
  }
}

function lz4Frame(data: Uint8Array, length: number, what: string): Uint8Array {
  const out = new Uint8Array(length);
  let written: number;
  try {
    written = decompressFrame(data, out);
  } catch (e) {
    throw corruptArrow(`${what} is not a readable LZ4 frame (${e instanceof Error ? e.message : String(e)})`, e);
  }
  if (written !== length) { throw corruptArrow(`${what} holds ${written} bytes after LZ4 decompression, not ${length}`); }
  // a frame may carry an xxHash32 of its content (FLG bit 2) in its last 4 bytes: check it when it does
  if ((data[4] & 0x04) !== 0 && data.length >= 11) {
    const want = new DataView(data.buffer, data.byteOffset + data.length - 4, 4).getUint32(0, true);
    if (xxh32(0, out, 0, out.length) !== want) { throw corruptArrow(`${what} fails its LZ4 content checksum`); }
  }
  return out;
}

function zstd(data: Uint8Array, length: number, what: string): Uint8Array {
  let out: Uint8Array;
  try {
    out = decompressZstd(data, new Uint8Array(length));
  } catch (e) {
    throw corruptArrow(`${what} is not readable ZSTD data (${e instanceof Error ? e.message : String(e)})`, e);
  }
  if (out.length !== length) { throw corruptArrow(`${what} holds ${out.length} bytes after ZSTD decompression, not ${length}`); }
  return out;
}
