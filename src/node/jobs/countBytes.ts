// The `countBytes` job: bytes and newlines of a file, read in chunks with progress and cancel (the pool's smoke test).
import { throwIfAborted } from '../../core/formats/errors';
import { openFileBuffer } from '../fileBuffer';
import type { CountBytesInput, CountBytesOutput, JobContext } from './jobTypes';

const DEFAULT_CHUNK = 1 << 20;

export async function countBytes(input: CountBytesInput, ctx: JobContext): Promise<CountBytesOutput> {
  const chunk = Math.max(1, Math.floor(input.chunkBytes ?? DEFAULT_CHUNK));
  throwIfAborted(ctx.signal);
  const file = await openFileBuffer(input.path);
  try {
    const total = file.byteLength;
    let bytes = 0;
    let newlines = 0;
    while (bytes < total) {
      throwIfAborted(ctx.signal);
      const buf = new Uint8Array(await file.slice(bytes, Math.min(total, bytes + chunk)));
      if (buf.length === 0) { break; } // the file shrank while we read it
      for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) { newlines++; }
      bytes += buf.length;
      ctx.progress({ done: bytes, total, unit: 'bytes' });
    }
    return { bytes, newlines };
  } finally {
    await file.close();
  }
}
