// The 8-bit byte stream a delimited file is parsed from: the file itself, or its gunzipped / UTF-16-transcoded form.
import type { AsyncBuffer } from '../asyncBuffer';
import { DatasetError, isDatasetError, throwIfAborted } from '../errors';
import { detectEncoding, hasGzipMagic, type EncodingInfo } from './encoding';

export interface ByteChunk {
  /** Offset of bytes[0] in the byte stream. */
  offset: number;
  bytes: Uint8Array;
}

export interface ChunkOptions {
  /** Largest chunk handed out (a hint for streamed sources). */
  chunkSize: number;
  /** Size of the first read; later reads double up to chunkSize. */
  firstChunkSize?: number;
  signal?: AbortSignal;
  /**
   * The consumer keeps no reference to a chunk's bytes once it asks for the chunk two after it (a
   * parser holding only the cut row of the previous chunk): the source may then reuse that memory.
   */
  recycle?: boolean;
  /**
   * Read each chunk on the consumer's thread when it asks for it, with no read ahead, where the source can (a plain
   * file with synchronous reads). For scans running in parallel on every core: a read ahead runs on another thread,
   * which there finds no idle core and takes time from the scans at moments none of them chose. Alone, a scan
   * gains from the read ahead, which then runs on an idle core.
   */
  inline?: boolean;
}

/**
 * Bytes in which every structural character (delimiter, quote, newline) is one ASCII byte:
 * UTF-8 or windows-1252. Offsets are positions in this stream: for a plain file they are file
 * offsets; for `.gz` and UTF-16 files they are offsets in the decompressed / transcoded stream.
 */
export interface CsvByteSource {
  /**
   * True when any byte range is one direct read (plain files). False for gzip and UTF-16 files:
   * every read decompresses / transcodes from the start of the file and skips to the range.
   */
  readonly randomAccess: boolean;
  /** Length of the stream when known without reading it all (plain files). */
  readonly byteLength: number | undefined;
  /** Chunks covering [from, to) in order (to: end of stream when undefined). */
  chunks(from: number, to: number | undefined, options: ChunkOptions): AsyncGenerator<ByteChunk, void, undefined>;
}

export interface OpenedSource {
  source: CsvByteSource;
  encoding: EncodingInfo;
  gzip: boolean;
  /** Compressed size over uncompressed size when known (gzip), for estimates. */
  expandedLength?: number;
}

const GZIP_INPUT_CHUNK = 1 << 20;
const HEAD_BYTES = 64 * 1024;

interface ByteViewFactory { from(buffer: ArrayBuffer, byteOffset?: number, length?: number): Uint8Array<ArrayBuffer> }
const nodeBuffer = (globalThis as { Buffer?: ByteViewFactory }).Buffer;

/**
 * A view of an ArrayBuffer whose `indexOf` is as fast as the runtime allows. Where a `Buffer` global
 * exists (Node, workers) the view is a Buffer, whose indexOf is memchr: about 3x the speed of
 * Uint8Array's element loop, and the row scan is mostly indexOf. Elsewhere a plain Uint8Array. No copy either way.
 */
export function fastByteView(buffer: ArrayBuffer, byteOffset = 0, length = buffer.byteLength - byteOffset): Uint8Array<ArrayBuffer> {
  return nodeBuffer ? nodeBuffer.from(buffer, byteOffset, length) : new Uint8Array(buffer, byteOffset, length);
}

function fastView(bytes: Uint8Array): Uint8Array {
  return fastByteView(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}

async function readBytes(buffer: AsyncBuffer, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return fastByteView(await buffer.slice(start, end));
  } catch (e) {
    if (isDatasetError(e)) { throw e; }
    throw new DatasetError('io', `read failed: ${(e as Error).message}`, { cause: e });
  }
}

/** A plain file: direct reads, with the next read already in flight while the current chunk is processed. */
export function plainSource(buffer: AsyncBuffer): CsvByteSource {
  const length = buffer.byteLength;
  return {
    randomAccess: true,
    byteLength: length,
    async *chunks(from, to, options) {
      const end = Math.min(to ?? length, length);
      let pos = Math.max(0, from);
      let size = Math.max(1, Math.min(options.firstChunkSize ?? options.chunkSize, options.chunkSize));
      const read = (a: number, n: number): Promise<Uint8Array> => {
        const p = readBytes(buffer, a, Math.min(a + n, end));
        p.catch(() => undefined); // a prefetch nobody awaits must not become an unhandled rejection
        return p;
      };
      // With `recycle`, reads go into a ring of three buffers: chunk k+1 is read into chunk k-2's buffer
      // (ahead, while chunk k is processed), which the consumer released when it asked for chunk k.
      const ring = options.recycle && buffer.readInto ? [0, 1, 2].map(() => fastByteView(new ArrayBuffer(options.chunkSize))) : undefined;
      let turn = 0;
      const readInto = (into: (target: Uint8Array, position: number) => Promise<number>, a: number, n: number): Promise<Uint8Array> => {
        const target = (ring as Uint8Array[])[turn++ % 3].subarray(0, Math.min(n, end - a));
        const p = into.call(buffer, target, a).then(k => target.subarray(0, k), (e: unknown) => {
          throw isDatasetError(e) ? e : new DatasetError('io', `read failed: ${(e as Error).message}`, { cause: e });
        });
        p.catch(() => undefined);
        return p;
      };
      if (ring && options.inline && buffer.readIntoSync) {
        while (pos < end) {
          throwIfAborted(options.signal);
          const target = ring[turn++ % 3].subarray(0, Math.min(options.chunkSize, end - pos));
          let n: number;
          try {
            n = buffer.readIntoSync(target, pos);
          } catch (e) {
            throw isDatasetError(e) ? e : new DatasetError('io', `read failed: ${(e as Error).message}`, { cause: e });
          }
          if (n === 0) { return; }
          const offset = pos;
          pos += n;
          yield { offset, bytes: target.subarray(0, n) };
        }
        return;
      }
      if (ring && buffer.readInto) {
        const into = buffer.readInto;
        let ahead: Promise<Uint8Array> | undefined = pos < end ? readInto(into, pos, options.chunkSize) : undefined;
        while (ahead) {
          throwIfAborted(options.signal);
          const bytes = await ahead;
          if (bytes.length === 0) { return; }
          const offset = pos;
          pos += bytes.length;
          ahead = pos < end ? readInto(into, pos, options.chunkSize) : undefined;
          yield { offset, bytes };
        }
        return;
      }
      let next: Promise<Uint8Array> | undefined = pos < end ? read(pos, size) : undefined;
      while (next) {
        throwIfAborted(options.signal);
        const bytes = await next;
        if (bytes.length === 0) { return; } // the file shrank while open
        const offset = pos;
        pos += bytes.length;
        size = Math.min(size * 2, options.chunkSize);
        next = pos < end ? read(pos, size) : undefined;
        yield { offset, bytes };
      }
    },
  };
}

/** Raw gunzipped chunks of a gzip file, from its start. Corrupt or truncated data → DatasetError('corrupt'). */
export async function* gunzip(buffer: AsyncBuffer, name: string, signal?: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let stopped = false;
  const pump = (async () => {
    for (let pos = 0; pos < buffer.byteLength && !stopped; pos += GZIP_INPUT_CHUNK) {
      const bytes = await readBytes(buffer, pos, Math.min(pos + GZIP_INPUT_CHUNK, buffer.byteLength));
      await writer.ready;
      await writer.write(bytes);
    }
    if (!stopped) { await writer.close(); }
  })();
  pump.catch((e: unknown) => { if (!stopped) { writer.abort(e).catch(() => undefined); } });
  try {
    for (;;) {
      throwIfAborted(signal);
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        if (isDatasetError(e)) { throw e; }
        throw new DatasetError('corrupt', `${name} is not valid gzip data or is truncated (${(e as Error).message})`, { cause: e });
      }
      if (r.done) { return; }
      if (r.value.length) { yield r.value; }
    }
  } finally {
    stopped = true;
    reader.cancel().catch(() => undefined);
    writer.abort().catch(() => undefined);
  }
}

/** UTF-16 (BOM already detected) transcoded to UTF-8, chunk by chunk; the BOM itself is dropped. */
export async function* transcodeUtf16(chunks: AsyncIterable<Uint8Array>, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<Uint8Array, void, undefined> {
  const decoder = new TextDecoder(encoding); // strips the BOM at the start
  const encoder = new TextEncoder();
  for await (const c of chunks) {
    const s = decoder.decode(c, { stream: true });
    if (s) { yield encoder.encode(s); }
  }
  const tail = decoder.decode();
  if (tail) { yield encoder.encode(tail); }
}

async function* bufferChunks(buffer: AsyncBuffer, size: number, signal?: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
  for (let pos = 0; pos < buffer.byteLength; pos += size) {
    throwIfAborted(signal);
    yield await readBytes(buffer, pos, Math.min(pos + size, buffer.byteLength));
  }
}

/** A source read from its start every time (gzip, UTF-16): skips to `from`, stops at `to`, coalesces small chunks. */
function sequentialSource(open: (signal?: AbortSignal) => AsyncGenerator<Uint8Array, void, undefined>): CsvByteSource {
  return {
    randomAccess: false,
    byteLength: undefined,
    async *chunks(from, to, options) {
      let pos = 0;
      let size = Math.min(options.firstChunkSize ?? options.chunkSize, options.chunkSize);
      let parts: Uint8Array[] = [];
      let partsLen = 0;
      let partsStart = from;
      const flush = (): ByteChunk => {
        const bytes = parts.length === 1 ? fastView(parts[0]) : concatBytes(parts, partsLen);
        const chunk = { offset: partsStart, bytes };
        partsStart += partsLen;
        parts = [];
        partsLen = 0;
        size = Math.min(size * 2, options.chunkSize);
        return chunk;
      };
      for await (let c of open(options.signal)) {
        const cStart = pos;
        pos += c.length;
        if (pos <= from) { continue; }
        if (cStart < from) { c = c.subarray(from - cStart); }
        const at = Math.max(cStart, from);
        if (to !== undefined && at >= to) { break; }
        if (to !== undefined && pos > to) { c = c.subarray(0, to - at); }
        parts.push(c);
        partsLen += c.length;
        if (partsLen >= size) { yield flush(); }
        if (to !== undefined && pos >= to) { break; }
      }
      if (partsLen > 0) { yield flush(); }
    },
  };
}

export function concatBytes(parts: readonly Uint8Array[], total = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  const out = fastByteView(new ArrayBuffer(total));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** The uncompressed size a gzip trailer records (modulo 2^32; exact below 4 GB for single-member files). */
async function gzipTrailerSize(buffer: AsyncBuffer): Promise<number | undefined> {
  if (buffer.byteLength < 18) { return undefined; }
  const t = await readBytes(buffer, buffer.byteLength - 4, buffer.byteLength);
  return (t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24)) >>> 0;
}

async function firstBytes(chunks: AsyncGenerator<Uint8Array, void, undefined>, n: number): Promise<{ head: Uint8Array; complete: boolean }> {
  const parts: Uint8Array[] = [];
  let len = 0;
  let complete = true;
  for await (const c of chunks) {
    parts.push(c);
    len += c.length;
    if (len >= n) { complete = false; break; }
  }
  const all = concatBytes(parts, len);
  return { head: all.subarray(0, Math.min(n, len)), complete: complete && len <= n };
}

/**
 * Opens the byte stream of a delimited file: detects gzip (by option or magic bytes), the text
 * encoding, and refuses empty and binary files.
 */
export async function openByteSource(buffer: AsyncBuffer, options: { name: string; gzip?: boolean; signal?: AbortSignal }): Promise<OpenedSource> {
  const { name, signal } = options;
  if (buffer.byteLength === 0) { throw new DatasetError('empty', `${name} is empty`); }
  const raw = await readBytes(buffer, 0, Math.min(HEAD_BYTES, buffer.byteLength));
  const gzip = options.gzip ?? hasGzipMagic(raw);
  if (gzip && !hasGzipMagic(raw)) { throw new DatasetError('corrupt', `${name} is not gzip data (no gzip header)`); }

  if (!gzip) {
    const encoding = detectEncoding(raw, raw.length === buffer.byteLength, name);
    if (encoding.encoding === 'utf-16le' || encoding.encoding === 'utf-16be') {
      const enc = encoding.encoding;
      return {
        source: sequentialSource(s => transcodeUtf16(bufferChunks(buffer, 1 << 20, s), enc)),
        encoding: { encoding: enc, bomLength: 0 },
        gzip: false,
        expandedLength: Math.round(buffer.byteLength / 2),
      };
    }
    return { source: plainSource(buffer), encoding, gzip: false };
  }

  const { head, complete } = await firstBytes(gunzip(buffer, name, signal), HEAD_BYTES);
  if (head.length === 0) { throw new DatasetError('empty', `${name} is empty (the gzip stream holds no data)`); }
  const encoding = detectEncoding(head, complete, name);
  const trailer = await gzipTrailerSize(buffer);
  let expandedLength = complete ? head.length : trailer !== undefined && trailer >= head.length ? trailer : undefined;
  if (encoding.encoding === 'utf-16le' || encoding.encoding === 'utf-16be') {
    const enc = encoding.encoding;
    expandedLength = expandedLength === undefined ? undefined : Math.round(expandedLength / 2);
    return {
      source: sequentialSource(s => transcodeUtf16(gunzip(buffer, name, s), enc)),
      encoding: { encoding: enc, bomLength: 0 },
      gzip: true,
      expandedLength,
    };
  }
  return { source: sequentialSource(s => gunzip(buffer, name, s)), encoding, gzip: true, expandedLength };
}
