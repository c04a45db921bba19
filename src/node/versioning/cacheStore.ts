// The content-addressed cache (.dvc/cache): objects are read-only, written by temp file + fsync + rename, verified on read.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { contentMd5, isObjectHash, objectRelPath } from '../../core/versioning/cachePaths';
import { parseManifest, type ManifestEntry } from '../../core/versioning/dirManifest';
import type { HashAlgorithm } from '../../core/versioning/pointerFile';
import { throwIfCancelled, VersioningError, type OperationOptions } from '../../core/versioning/versioningError';
import { processAlive, replaceAtomic, TEMP_MARK } from './atomicFile';
import { createMd5, hashHandle, ioError, type StreamHashResult } from './md5Stream';

export interface AddFileOptions extends OperationOptions {
  algorithm?: HashAlgorithm;
  label?: string;
}

export interface AddedObject extends StreamHashResult {
  /** False when an identical object was already there. */
  stored: boolean;
}

export class CacheStore {
  /** Folders this store made (or found) already: a pull of a thousand objects asks for the same 256 folders. */
  private readonly madeDirs = new Map<string, Promise<unknown>>();

  /** `root` is the cache folder, normally `<repo>/.dvc/cache`. */
  constructor(readonly root: string) {}

  private ensureDir(dir: string): Promise<unknown> {
    let made = this.madeDirs.get(dir);
    if (!made) {
      made = mkdir(dir, { recursive: true });
      made.catch(() => this.madeDirs.delete(dir));
      this.madeDirs.set(dir, made);
    }
    return made;
  }

  objectPath(hash: string, algorithm: HashAlgorithm = 'md5'): string {
    return join(this.root, ...objectRelPath(hash, algorithm).split('/'));
  }

  async has(hash: string, algorithm: HashAlgorithm = 'md5'): Promise<boolean> {
    try {
      return (await stat(this.objectPath(hash, algorithm))).isFile();
    } catch {
      return false;
    }
  }

  /**
   * `has` in one blocking call: status asks this for every dataset, and a thread-pool round trip
   * costs more than the check (an access(2), without the Date objects a Stats carries).
   */
  hasSync(hash: string, algorithm: HashAlgorithm = 'md5'): boolean {
    return existsSync(this.objectPath(hash, algorithm));
  }

  /** Where temp files go: one folder on the cache's own file system, so the final rename is atomic. */
  private tempPath(): string {
    return join(this.root, 'files', 'md5', `${TEMP_MARK}${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  /**
   * Copy a workspace file into the cache, hashing it in the same pass; never moves or changes the source.
   * When `knownHash` is given and that object exists, nothing is read.
   */
  async addFile(src: string, opts: AddFileOptions & { knownHash?: string } = {}): Promise<AddedObject> {
    const algorithm = opts.algorithm ?? 'md5';
    if (opts.knownHash && await this.has(opts.knownHash, algorithm)) {
      return { md5: opts.knownHash, size: (await stat(src)).size, stored: false };
    }
    const tmp = this.tempPath();
    await mkdir(dirname(tmp), { recursive: true });
    let srcFh: FileHandle | undefined;
    let tmpFh: FileHandle | undefined;
    try {
      srcFh = await open(src, 'r');
      tmpFh = await open(tmp, 'wx', 0o644);
      const result = await hashHandle(srcFh, { algorithm, signal: opts.signal, onProgress: opts.onProgress, label: opts.label, copyTo: tmpFh });
      const stored = await this.commitTemp(tmp, tmpFh, result.md5, algorithm);
      tmpFh = undefined;
      return { ...result, stored };
    } catch (e) {
      throw ioError(e, `cannot store ${opts.label ?? src} in the cache`);
    } finally {
      await srcFh?.close();
      if (tmpFh) { await tmpFh.close().catch(() => undefined); }
      await rm(tmp, { force: true });
    }
  }

  /** Store bytes already in memory (folder manifests) under `hash`, after checking that they match it. */
  async addBytes(hash: string, bytes: Uint8Array): Promise<boolean> {
    if (await this.has(hash)) { return false; }
    const actual = createHash('md5').update(bytes).digest('hex');
    if (actual !== contentMd5(hash)) {
      throw new VersioningError('hash-mismatch', `refusing to store bytes with md5 ${actual} as object ${hash}`);
    }
    const tmp = this.tempPath();
    await mkdir(dirname(tmp), { recursive: true });
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(bytes);
    } catch (e) {
      await fh.close();
      await rm(tmp, { force: true });
      throw ioError(e, `cannot store object ${hash}`);
    }
    try {
      return await this.commitTemp(tmp, fh, actual, 'md5', hash);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** fsync the temp file, make it read-only and rename it into place; closes `fh`. */
  private async commitTemp(tmp: string, fh: FileHandle, md5: string, algorithm: HashAlgorithm, hash = md5): Promise<boolean> {
    await fh.sync();
    await fh.close();
    const final = this.objectPath(hash, algorithm);
    if (this.hasSync(hash, algorithm)) { return false; }
    await this.ensureDir(dirname(final));
    await chmod(tmp, 0o444);
    try {
      await rename(tmp, final);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') { throw e; }
      // the folder went away since this store made it
      this.madeDirs.delete(dirname(final));
      await this.ensureDir(dirname(final));
      await rename(tmp, final);
    }
    return true;
  }

  /**
   * Accept a downloaded temp file as object `hash`: its md5 is checked first, so a partial or wrong
   * download never becomes an object. `tmp` must come from `incomingPath()`.
   */
  async acceptIncoming(tmp: string, hash: string, opts: AddFileOptions = {}): Promise<void> {
    const algorithm = opts.algorithm ?? 'md5';
    const fh = await open(tmp, 'r+');
    let closed = false;
    try {
      const { md5 } = await hashHandle(fh, { algorithm: hash.endsWith('.dir') ? 'md5' : algorithm, signal: opts.signal });
      if (md5 !== contentMd5(hash)) {
        throw new VersioningError('hash-mismatch', `object ${hash}${opts.label ? ` (${opts.label})` : ''} arrived with md5 ${md5}; it was discarded`);
      }
      closed = true;
      await this.commitTemp(tmp, fh, md5, algorithm, hash);
    } finally {
      if (!closed) { await fh.close().catch(() => undefined); }
      await rm(tmp, { force: true });
    }
  }

  /**
   * Store an object arriving as a stream (a download), hashing it while it is written: a partial or
   * wrong transfer is discarded and never becomes an object. Returns the bytes received.
   */
  async importStream(hash: string, source: AsyncIterable<Uint8Array>, opts: AddFileOptions = {}): Promise<number> {
    const algorithm = opts.algorithm ?? 'md5';
    const tmp = await this.incomingPath();
    const fh = await open(tmp, 'wx', 0o644);
    let closed = false;
    let committed = false;
    try {
      const sink = createMd5(hash.endsWith('.dir') ? 'md5' : algorithm);
      let bytes = 0;
      for await (const chunk of source) {
        throwIfCancelled(opts.signal);
        sink.update(chunk);
        let off = 0;
        while (off < chunk.length) { off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten; }
        bytes += chunk.length;
      }
      const md5 = sink.digest();
      if (md5 !== contentMd5(hash)) {
        throw new VersioningError('hash-mismatch', `object ${hash}${opts.label ? ` (${opts.label})` : ''} arrived with md5 ${md5}; it was discarded`);
      }
      closed = true;
      committed = await this.commitTemp(tmp, fh, md5, algorithm, hash);
      return bytes;
    } catch (e) {
      throw ioError(e, `cannot store object ${hash}`);
    } finally {
      if (!closed) { await fh.close().catch(() => undefined); }
      // renamed into place: nothing left to remove
      if (!committed) { await rm(tmp, { force: true }); }
    }
  }

  /** A fresh temp path inside the cache for a download; pass it to `acceptIncoming`. */
  async incomingPath(): Promise<string> {
    const tmp = this.tempPath();
    await this.ensureDir(dirname(tmp));
    return tmp;
  }

  /**
   * Copy object `hash` to `dest` atomically, verifying its md5 while copying: a corrupt object is
   * refused and never reaches the workspace. The written file is writable by the user.
   */
  async checkoutTo(hash: string, dest: string, opts: AddFileOptions = {}): Promise<void> {
    const algorithm = opts.algorithm ?? 'md5';
    const src = this.objectPath(hash, algorithm);
    let srcFh: FileHandle;
    try {
      srcFh = await open(src, 'r');
    } catch (e) {
      throw (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? new VersioningError('missing-object', `object ${hash}${opts.label ? ` of ${opts.label}` : ''} is not in the cache`)
        : ioError(e, `cannot read cache object ${hash}`);
    }
    try {
      await mkdir(dirname(dest), { recursive: true });
      await replaceAtomic(dest, async fh => {
        const { md5 } = await hashHandle(srcFh, { algorithm, copyTo: fh, signal: opts.signal, label: opts.label, onProgress: p => opts.onProgress?.({ ...p, phase: 'checkout' }) });
        if (md5 !== contentMd5(hash)) {
          throw new VersioningError('hash-mismatch', `cache object ${hash} is corrupt (its md5 is ${md5}); it was not written to ${opts.label ?? dest}`);
        }
      });
    } finally {
      await srcFh.close();
    }
  }

  /** Read and verify a folder manifest. */
  async readManifest(hash: string, algorithm: HashAlgorithm = 'md5'): Promise<ManifestEntry[]> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.objectPath(hash, algorithm));
    } catch (e) {
      throw (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? new VersioningError('missing-object', `folder manifest ${hash} is not in the cache`)
        : ioError(e, `cannot read folder manifest ${hash}`);
    }
    const md5 = createHash('md5').update(bytes).digest('hex');
    if (md5 !== contentMd5(hash)) {
      throw new VersioningError('hash-mismatch', `folder manifest ${hash} is corrupt (its md5 is ${md5})`);
    }
    return parseManifest(bytes.toString('utf8'), `manifest ${hash}`);
  }

  /** Re-hash an object; false when its bytes no longer match its name. */
  async verify(hash: string, algorithm: HashAlgorithm = 'md5'): Promise<boolean> {
    const fh = await open(this.objectPath(hash, algorithm), 'r');
    try {
      const { md5 } = await hashHandle(fh, { algorithm: hash.endsWith('.dir') ? 'md5' : algorithm });
      return md5 === contentMd5(hash);
    } finally {
      await fh.close();
    }
  }

  /** Every DVC 3 object in the cache (hash names only). */
  async listObjects(): Promise<string[]> {
    const base = join(this.root, 'files', 'md5');
    const out: string[] = [];
    let dirs: string[];
    try { dirs = await readdir(base); } catch { return out; }
    for (const d of dirs) {
      if (!/^[0-9a-f]{2}$/.test(d)) { continue; }
      for (const f of await readdir(join(base, d))) {
        if (isObjectHash(d + f)) { out.push(d + f); }
      }
    }
    return out;
  }

  /** Remove temp files left by processes that no longer run (a crash mid-write). */
  async removeStaleTemps(): Promise<number> {
    const base = join(this.root, 'files', 'md5');
    let names: string[];
    try { names = await readdir(base); } catch { return 0; }
    let removed = 0;
    for (const n of names) {
      const m = new RegExp(`^${TEMP_MARK.replace(/[.]/g, '\\.')}(\\d+)-`).exec(n);
      if (m && !processAlive(Number(m[1]))) { await rm(join(base, n), { force: true }); removed++; }
    }
    return removed;
  }
}
