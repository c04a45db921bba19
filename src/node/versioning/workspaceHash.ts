// Hashes what is in the workspace at a tracked path (file or folder), through the state store, optionally storing it in the cache.
import { lstat, readdir, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { serializeManifest, type ManifestEntry } from '../../core/versioning/dirManifest';
import type { HashAlgorithm } from '../../core/versioning/pointerFile';
import { throwIfCancelled, VersioningError, type OperationOptions } from '../../core/versioning/versioningError';
import { hashFile, ioError } from './md5Stream';
import { dvcIgnoreOf } from './dvcIgnore';
import { absPath, assertInsideRoot, type Repository } from './repository';

export interface WorkspaceHash {
  exists: boolean;
  isDir: boolean;
  /** md5, or md5 + `.dir` for a folder. */
  hash?: string;
  size?: number;
  nfiles?: number;
  /** For a folder: its manifest entries. */
  entries?: ManifestEntry[];
}

export interface HashPathOptions extends OperationOptions {
  algorithm?: HashAlgorithm;
  /** Also copy every file (and the folder manifest) into the cache, in the same read. */
  store?: boolean;
}

/** How many files of a folder are hashed at once (reads overlap; md5 itself runs on this thread). */
const FOLDER_CONCURRENCY = 4;

export async function hashWorkspacePath(repo: Repository, rel: string, opts: HashPathOptions = {}): Promise<WorkspaceHash> {
  throwIfCancelled(opts.signal);
  let st: BigIntStats;
  try {
    // one lstat serves both the symlink check and, for a plain file, the state-store key
    st = await lstat(absPath(repo, rel), { bigint: true });
    await assertInsideRoot(repo, rel, st.isSymbolicLink());
    if (st.isSymbolicLink()) { st = await stat(absPath(repo, rel), { bigint: true }); }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') { return { exists: false, isDir: false }; }
    throw ioError(e, `cannot read ${rel}`);
  }
  if (st.isDirectory()) { return hashFolder(repo, rel, opts); }
  if (!st.isFile()) { throw new VersioningError('unsupported', `${rel} is neither a file nor a folder`); }
  const { hash, size } = await hashOneFile(repo, rel, st, opts);
  return { exists: true, isDir: false, hash, size };
}

/** The state store is keyed by algorithm too, so a DVC 2.x hash never answers for a DVC 3 one. */
export function stateKey(rel: string, algorithm: HashAlgorithm): string {
  return algorithm === 'md5' ? rel : `${rel}\0${algorithm}`;
}

async function hashOneFile(repo: Repository, rel: string, st: BigIntStats, opts: HashPathOptions): Promise<{ hash: string; size: number }> {
  const algorithm = opts.algorithm ?? 'md5';
  const key = stateKey(rel, algorithm);
  const known = repo.state.lookup(key, st);
  const abs = absPath(repo, rel);
  let result: { md5: string; size: number };
  if (known && (!opts.store || await repo.cache.has(known, algorithm))) {
    return { hash: known, size: Number(st.size) };
  }
  if (opts.store) {
    result = await repo.cache.addFile(abs, { algorithm, knownHash: known, signal: opts.signal, onProgress: opts.onProgress, label: rel });
  } else {
    result = await hashFile(abs, { algorithm, signal: opts.signal, onProgress: opts.onProgress, label: rel });
  }
  const after = await stat(abs, { bigint: true });
  if (after.ino === st.ino && after.size === st.size && after.mtimeNs === st.mtimeNs) {
    repo.state.record(key, st, result.md5);
  }
  return { hash: result.md5, size: result.size };
}

async function hashFolder(repo: Repository, rel: string, opts: HashPathOptions): Promise<WorkspaceHash> {
  const files = await listFolderFiles(repo, rel);
  const entries: ManifestEntry[] = new Array(files.length);
  let size = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      throwIfCancelled(opts.signal);
      const fileRel = `${rel}/${files[i]}`;
      const st = await stat(absPath(repo, fileRel), { bigint: true });
      const r = await hashOneFile(repo, fileRel, st, { ...opts, onProgress: undefined });
      entries[i] = { relpath: files[i], md5: r.hash };
      size += r.size;
      opts.onProgress?.({ phase: 'hash', unit: 'files', done: i + 1, total: files.length, path: fileRel });
    }
  };
  await Promise.all(Array.from({ length: Math.min(FOLDER_CONCURRENCY, files.length) }, worker));
  const manifest = Buffer.from(serializeManifest(entries), 'utf8');
  const hash = createHash('md5').update(manifest).digest('hex') + '.dir';
  if (opts.store) { await repo.cache.addBytes(hash, manifest); }
  return { exists: true, isDir: true, hash, size, nfiles: files.length, entries };
}

/**
 * Every file under a folder (posix, relative to it), less what `.dvcignore` rules exclude (as DVC
 * leaves them out of the folder's hash); symlinks leading out of the repository are refused.
 */
export async function listFolderFiles(repo: Repository, rel: string): Promise<string[]> {
  const ignored = dvcIgnoreOf(repo);
  const out: string[] = [];
  const walk = async (sub: string): Promise<void> => {
    const dirRel = sub ? `${rel}/${sub}` : rel;
    for (const e of await readdir(absPath(repo, dirRel), { withFileTypes: true })) {
      const child = sub ? `${sub}/${e.name}` : e.name;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        await assertInsideRoot(repo, `${rel}/${child}`);
        const st = await stat(absPath(repo, `${rel}/${child}`));
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if ((!isDir && !isFile) || ignored.ignores(`${rel}/${child}`, isDir)) { continue; }
      if (isDir) { await walk(child); } else { out.push(child); }
    }
  };
  await walk('');
  return out;
}

/** Whether a file is there now (without hashing it). */
export async function pathExists(repo: Repository, rel: string): Promise<boolean> {
  try {
    await lstat(absPath(repo, rel));
    return true;
  } catch {
    return false;
  }
}
