// A remote that is a local or network folder with DVC's layout (`<url>/files/md5/xx/rest`).
import { createReadStream } from 'node:fs';
import { chmod, mkdir, open, rename, rm, stat, copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { VersioningError } from '../../../core/versioning/versioningError';
import { tempPathBeside } from '../atomicFile';
import type { RemoteStore } from './remoteStore';

export class LocalRemote implements RemoteStore {
  constructor(readonly url: string, private readonly root: string) {}

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async has(keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    await Promise.all(keys.map(async k => {
      try { if ((await stat(this.pathOf(k))).isFile()) { found.add(k); } } catch { /* absent */ }
    }));
    return found;
  }

  /** Copy into a temp file beside the target, fsync, rename: the remote never holds a partial object. */
  async upload(localPath: string, key: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = tempPathBeside(target);
    try {
      await copyFile(localPath, tmp);
      const fh = await open(tmp, 'r+');
      try { await fh.sync(); } finally { await fh.close(); }
      await chmod(tmp, 0o444);
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw new VersioningError('remote-failed', `cannot write ${key} to remote ${this.url}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
    }
  }

  async download(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      await stat(path);
    } catch {
      throw new VersioningError('missing-object', `${key} is not on remote ${this.url}`);
    }
    return createReadStream(path, { highWaterMark: 1024 * 1024 });
  }

  close(): void { /* nothing held */ }
}
