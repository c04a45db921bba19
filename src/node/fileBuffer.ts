// An AsyncBuffer over a file on disk: positional reads through one open handle, nothing read up front.
import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { AsyncBuffer } from '../core/formats/asyncBuffer';
import { DatasetError } from '../core/formats/errors';

export interface FileBuffer extends AsyncBuffer {
  readonly path: string;
  /** Modification time in ms, as seen when opened (part of a file version's identity). */
  readonly mtimeMs: number;
  close(): Promise<void>;
}

/** Why a file system call failed, in words: `no such file`, `permission denied`, or the error's code. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') { return 'no such file'; }
  if (code === 'EACCES' || code === 'EPERM') { return 'permission denied'; }
  return code ?? (e instanceof Error ? e.message : String(e));
}

export async function openFileBuffer(path: string): Promise<FileBuffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new DatasetError('io', `cannot open ${path}: ${fsReason(e)}`, { cause: e });
  }
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new DatasetError('io', `${path} is a folder, not a dataset file`);
  }
  const byteLength = stat.size;
  let closed = false;
  return {
    path,
    byteLength,
    mtimeMs: stat.mtimeMs,
    async slice(start: number, end = byteLength): Promise<ArrayBuffer> {
      if (closed) { throw new DatasetError('io', `${path} was closed`); }
      const from = Math.max(0, Math.min(start, byteLength));
      const to = Math.max(from, Math.min(end, byteLength));
      const out = new Uint8Array(to - from);
      let done = 0;
      while (done < out.length) {
        const { bytesRead } = await handle.read(out, done, out.length - done, from + done);
        if (bytesRead === 0) { break; } // the file shrank while open: return what exists
        done += bytesRead;
      }
      return done === out.length ? out.buffer : out.buffer.slice(0, done);
    },
    async readInto(target: Uint8Array, position: number): Promise<number> {
      if (closed) { throw new DatasetError('io', `${path} was closed`); }
      let done = 0;
      while (done < target.length && position + done < byteLength) {
        const { bytesRead } = await handle.read(target, done, Math.min(target.length - done, byteLength - position - done), position + done);
        if (bytesRead === 0) { break; }
        done += bytesRead;
      }
      return done;
    },
    readIntoSync(target: Uint8Array, position: number): number {
      if (closed) { throw new DatasetError('io', `${path} was closed`); }
      let done = 0;
      while (done < target.length && position + done < byteLength) {
        const bytesRead = readSync(handle.fd, target, done, Math.min(target.length - done, byteLength - position - done), position + done);
        if (bytesRead === 0) { break; }
        done += bytesRead;
      }
      return done;
    },
    async close(): Promise<void> {
      if (!closed) { closed = true; await handle.close(); }
    },
  };
}
