// Streamed md5 of files with node:crypto: big double-buffered reads (the next read runs while this chunk is hashed), optional copy.
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { HashAlgorithm } from '../../core/versioning/pointerFile';
import { createDos2Unix, isTextBlock, TEXT_SAMPLE_BYTES } from '../../core/versioning/dos2unix';
import { throwIfCancelled, VersioningError, type OperationOptions } from '../../core/versioning/versioningError';

/** 4 MiB reads: large enough that syscalls and promise turns vanish next to the hashing itself. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/** An md5 that follows DVC's rule for `md5-dos2unix` (text judged on the first 512 bytes) or plain md5. */
export interface Md5Sink {
  update(chunk: Uint8Array): void;
  digest(): string;
}

export function createMd5(algorithm: HashAlgorithm = 'md5'): Md5Sink {
  const hash = createHash('md5');
  if (algorithm === 'md5') {
    return { update: c => { hash.update(c); }, digest: () => hash.digest('hex') };
  }
  let head: Uint8Array[] | undefined = [];
  let headBytes = 0;
  let conv: ReturnType<typeof createDos2Unix> | undefined;
  const decide = (h: Hash) => {
    const all = Buffer.concat(head ?? []);
    head = undefined;
    if (isTextBlock(all.subarray(0, TEXT_SAMPLE_BYTES))) { conv = createDos2Unix(); h.update(conv.push(all)); } else { h.update(all); }
  };
  return {
    update(chunk) {
      if (head) {
        head.push(Uint8Array.from(chunk));
        headBytes += chunk.length;
        if (headBytes >= TEXT_SAMPLE_BYTES) { decide(hash); }
        return;
      }
      hash.update(conv ? conv.push(chunk) : chunk);
    },
    digest() {
      if (head) { decide(hash); }
      if (conv) { hash.update(conv.end()); }
      return hash.digest('hex');
    },
  };
}

export interface StreamHashOptions extends OperationOptions {
  algorithm?: HashAlgorithm;
  /** Workspace path for progress reports. */
  label?: string;
  /** Each chunk is also written here (the copy is made in the same pass as the hash). */
  copyTo?: FileHandle;
}

/** While copying, flush written data to disk every this many bytes, in the background, so the final fsync is short. */
const SYNC_EVERY_BYTES = 64 * 1024 * 1024;

export interface StreamHashResult { md5: string; size: number }

/** Hash (and optionally copy) an open file from its start to its end. */
export async function hashHandle(src: FileHandle, opts: StreamHashOptions = {}): Promise<StreamHashResult> {
  const sink = createMd5(opts.algorithm);
  const total = (await src.stat()).size;
  let bufs = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  let pos = 0;
  let syncedAt = 0;
  let syncing: Promise<void> | undefined;
  let read = await src.read(bufs[0], 0, CHUNK_BYTES, 0);
  while (read.bytesRead > 0) {
    throwIfCancelled(opts.signal);
    const chunk = bufs[0].subarray(0, read.bytesRead);
    pos += read.bytesRead;
    const next = src.read(bufs[1], 0, CHUNK_BYTES, pos);
    const written = opts.copyTo ? writeAll(opts.copyTo, chunk) : undefined;
    sink.update(chunk);
    if (written) {
      await written;
      // overlap disk writeback with hashing; one flush in flight at a time
      if (pos - syncedAt >= SYNC_EVERY_BYTES && !syncing) {
        syncedAt = pos;
        syncing = opts.copyTo!.datasync().finally(() => { syncing = undefined; });
      }
    }
    read = await next;
    bufs = [bufs[1], bufs[0]];
    opts.onProgress?.({ phase: 'hash', unit: 'bytes', done: pos, total: Math.max(total, pos), path: opts.label });
  }
  if (syncing) { await syncing; }
  return { md5: sink.digest(), size: pos };
}

async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let off = 0;
  while (off < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
    off += bytesWritten;
  }
}

/** md5 of a file's bytes (DVC 3), or its md5-dos2unix for DVC 2.x pointers. */
export async function hashFile(path: string, opts: StreamHashOptions = {}): Promise<StreamHashResult> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw ioError(e, `cannot read ${opts.label ?? path}`);
  }
  try {
    return await hashHandle(fh, opts);
  } finally {
    await fh.close();
  }
}

export function ioError(e: unknown, what: string): VersioningError {
  if (e instanceof VersioningError) { return e; }
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') { return new VersioningError('missing-file', `${what}: no such file`, { cause: e }); }
  if (code === 'ENOSPC') { return new VersioningError('io', `${what}: the disk is full`, { cause: e }); }
  return new VersioningError('io', `${what}: ${code ?? (e as Error).message}`, { cause: e });
}
