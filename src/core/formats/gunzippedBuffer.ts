// A gzip file as the bytes it holds: an AsyncBuffer whose reads decompress on from the last one, or from the start.
import type { AsyncBuffer } from './asyncBuffer';
import { gunzip } from './csv/byteSource';
import { throwIfAborted } from './errors';

const EMPTY = new Uint8Array(0);

/** Where the decompression stream stands: `pending` holds the stream's bytes from offset `pos` on. */
interface Cursor {
  chunks: AsyncGenerator<Uint8Array, void, undefined>;
  pos: number;
  pending: Uint8Array;
  done: boolean;
}

/**
 * Opens the data of a gzip file for a reader that needs an AsyncBuffer (JSON Lines). Its length is found by one
 * pass over the data at open (the gzip trailer records it only modulo 4 GB, and for the last member alone). A read
 * at or after the end of the one before continues the same decompression; a read further back starts it again
 * from the top, so readers of such a buffer keep to one pass in order where they can (`sequential`).
 * Corrupt or truncated data is a DatasetError('corrupt') naming the file.
 */
export async function openGunzipped(file: AsyncBuffer, name: string, signal?: AbortSignal): Promise<AsyncBuffer> {
  let length = 0;
  for await (const c of gunzip(file, name, signal)) { length += c.length; }
  let cursor: Cursor | undefined;
  // one read at a time: a read moves the shared cursor
  let queue: Promise<unknown> = Promise.resolve();

  const startAt = async (position: number): Promise<Cursor> => {
    if (!cursor || cursor.pos > position) {
      await cursor?.chunks.return(undefined);
      cursor = { chunks: gunzip(file, name), pos: 0, pending: EMPTY, done: false };
    }
    const c = cursor;
    while (!c.done && c.pos + c.pending.length <= position) {
      c.pos += c.pending.length;
      const next = await c.chunks.next();
      if (next.done) { c.done = true; c.pending = EMPTY; } else { c.pending = next.value; }
    }
    return c;
  };

  const readAt = async (target: Uint8Array, position: number): Promise<number> => {
    throwIfAborted(signal);
    if (position >= length || target.length === 0) { return 0; }
    const c = await startAt(position);
    let filled = 0;
    while (filled < target.length && !c.done) {
      const from = position + filled - c.pos;
      if (from < c.pending.length) {
        const n = Math.min(target.length - filled, c.pending.length - from);
        target.set(c.pending.subarray(from, from + n), filled);
        filled += n;
      }
      if (filled < target.length) {
        c.pos += c.pending.length;
        const next = await c.chunks.next();
        if (next.done) { c.done = true; c.pending = EMPTY; } else { c.pending = next.value; }
      }
    }
    return filled;
  };

  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const p = queue.then(run, run);
    queue = p.catch(() => undefined);
    return p;
  };

  return {
    byteLength: length,
    sequential: true,
    slice(start: number, end = length): Promise<ArrayBuffer> {
      const from = Math.max(0, Math.min(start, length));
      const out = new Uint8Array(Math.max(0, Math.min(end, length) - from));
      return serial(async () => {
        const n = await readAt(out, from);
        return n === out.length ? out.buffer : out.buffer.slice(0, n);
      });
    },
    readInto(target: Uint8Array, position: number): Promise<number> {
      return serial(() => readAt(target, position));
    },
  };
}
