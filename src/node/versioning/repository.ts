// Finds and opens a versioned repository: the folder holding `.dvc/`, its config, cache, state store, pointers and git.
import { readFileSync, realpathSync } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { emptyConfig, getValue, mergeConfigs, parseDvcConfig, type DvcConfig } from '../../core/versioning/dvcConfig';
import { parsePointer, type DvcPointer, type PointerOutput } from '../../core/versioning/pointerFile';
import { resolveOutputPath } from '../../core/versioning/workspacePaths';
import { VersioningError } from '../../core/versioning/versioningError';
import { GitReader } from '../git/gitReader';
import { GitWriter } from '../git/gitWriter';
import { CacheStore } from './cacheStore';
import { dvcIgnoreOf } from './dvcIgnore';
import { ioError } from './md5Stream';
import { StateStore } from './stateStore';

export interface Repository {
  /** Absolute path of the folder that holds `.dvc/` (DVC's repository root). */
  readonly root: string;
  readonly dvcDir: string;
  readonly config: DvcConfig;
  readonly cache: CacheStore;
  readonly state: StateStore;
}

/** One output of one pointer, with its workspace path checked to stay inside the repository. */
export interface TrackedOutput {
  /** Pointer file, posix, relative to the root. */
  pointerPath: string;
  pointer: DvcPointer;
  index: number;
  out: PointerOutput;
  /** Output path, posix, relative to the root. */
  path: string;
}

/** Walk up from `cwd` to the folder holding `.dvc/`; `not-initialized` when there is none. */
export async function findRoot(cwd: string): Promise<string> {
  let dir = resolve(cwd);
  for (;;) {
    try {
      if ((await stat(join(dir, '.dvc'))).isDirectory()) { return dir; }
    } catch { /* keep walking up */ }
    const up = dirname(dir);
    if (up === dir) {
      throw new VersioningError('not-initialized', 'data versioning is not set up here (no .dvc folder in this folder or above); run `strata init` first');
    }
    dir = up;
  }
}

export async function openRepository(cwd: string): Promise<Repository> {
  const root = await findRoot(cwd);
  const dvcDir = join(root, '.dvc');
  const config = await loadConfig(dvcDir);
  const cacheDir = getValue(config, 'cache', 'dir');
  const cache = new CacheStore(cacheDir ? resolve(dvcDir, cacheDir) : join(dvcDir, 'cache'));
  return { root, dvcDir, config, cache, state: await StateStore.open(dvcDir) };
}

/** `.dvc/config` with `.dvc/config.local` over it. */
export async function loadConfig(dvcDir: string): Promise<DvcConfig> {
  const read = async (name: string): Promise<DvcConfig> => {
    let text: string;
    try {
      text = await readFile(join(dvcDir, name), 'utf8');
    } catch {
      return emptyConfig();
    }
    return parseDvcConfig(text, `.dvc/${name}`);
  };
  return mergeConfigs(await read('config'), await read('config.local'));
}

export function gitReader(repo: Repository, signal?: AbortSignal): GitReader {
  return new GitReader({ cwd: repo.root, signal });
}

export function gitWriter(repo: Repository, signal?: AbortSignal): GitWriter {
  return new GitWriter({ cwd: repo.root, signal });
}

/**
 * Absolute path of a root-relative posix path. Such paths are already normal (no `.`, `..` or empty
 * parts: they come through `toRepoPath` or `resolveOutputPath`), so joining by hand is exact, and
 * `path.join`'s normalisation was a tenth of the CPU of a status of a thousand files.
 */
export function absPath(repo: Repository, rel: string): string {
  if (rel === '') { return repo.root; }
  return (repo.root.endsWith(sep) ? repo.root : repo.root + sep) + (sep === '/' ? rel : rel.split('/').join(sep));
}

/**
 * A user-supplied path (relative to `cwd` or absolute) as a root-relative posix path; a trailing
 * `.dvc` names the data it tracks. Paths outside the repository are refused.
 */
export function toRepoPath(repo: Repository, cwd: string, p: string): string {
  const abs = resolve(cwd, p);
  const rel = relative(repo.root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new VersioningError('path-escape', `${p} is outside the repository at ${repo.root}`);
  }
  const posix = rel.split(sep).join('/');
  if (posix === '.dvc' || posix.startsWith('.dvc/') || posix === '.git' || posix.startsWith('.git/')) {
    throw new VersioningError('path-escape', `${p} is inside .dvc or .git`);
  }
  return posix.endsWith('.dvc') ? posix.slice(0, -4) : posix;
}

const SKIP_DIRS = new Set(['.git', '.dvc', 'node_modules']);

/** Every `.dvc` pointer file under the root (posix, root-relative), sorted; `.dvcignore` rules hide some, as in DVC. */
export async function listPointerFiles(repo: Repository): Promise<string[]> {
  const ignored = dvcIgnoreOf(repo);
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(rel ? absPath(repo, rel) : repo.root, { withFileTypes: true });
    } catch {
      return;
    }
    const subdirs: Promise<void>[] = [];
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !ignored.ignores(child, true)) { subdirs.push(walk(child)); }
      } else if (e.isFile() && e.name.endsWith('.dvc') && e.name !== '.dvc' && !ignored.ignores(child, false)) {
        out.push(child);
      }
    }
    await Promise.all(subdirs);
  };
  await walk('');
  return out.sort();
}

/** Read and validate one pointer file; every output path is checked to stay inside the repository. */
export async function readTracked(repo: Repository, pointerPath: string): Promise<TrackedOutput[]> {
  return readTrackedSync(repo, pointerPath);
}

/**
 * `readTracked` without a promise: a pointer is a few hundred bytes, and one blocking read costs a
 * fifth of the CPU of the thread-pool round trips (open, fstat, read, close) of an asynchronous one,
 * which is most of the time of a status of a thousand datasets.
 */
export function readTrackedSync(repo: Repository, pointerPath: string): TrackedOutput[] {
  let text: string;
  try {
    text = readFileSync(absPath(repo, pointerPath), 'utf8');
  } catch (e) {
    throw (e as NodeJS.ErrnoException).code === 'ENOENT'
      ? new VersioningError('not-tracked', `${pointerPath.slice(0, -4)} is not tracked (no ${pointerPath})`)
      : ioError(e, `cannot read ${pointerPath}`);
  }
  return trackedFromText(pointerPath, text);
}

/** Outputs of a pointer's text; `label` (e.g. `REV:path.dvc`) names it in error messages. */
export function trackedFromText(pointerPath: string, text: string, label = pointerPath): TrackedOutput[] {
  const pointer = parsePointer(text, label);
  return pointer.outs.map((out, index) => {
    try {
      return { pointerPath, pointer, index, out, path: resolveOutputPath(pointerPath, out.path) };
    } catch (e) {
      throw e instanceof VersioningError ? new VersioningError(e.code, e.message.replace(pointerPath, label)) : e;
    }
  });
}

/** realpath answers, per repository object (one operation), so a thousand files in one folder cost one call. */
const realpaths = new WeakMap<Repository, Map<string, string>>();

/** Throws like realpath (ENOENT, ...); a folder's answer is kept for the rest of the operation. */
function realpathOnce(repo: Repository, path: string): string {
  let m = realpaths.get(repo);
  if (!m) { m = new Map(); realpaths.set(repo, m); }
  let p = m.get(path);
  if (p === undefined) { p = realpathSync.native(path); m.set(path, p); }
  return p;
}

/** Refuse an output that is (or sits under) a symlink leading out of the repository. */
export async function assertInsideRoot(repo: Repository, rel: string, knownLink?: boolean): Promise<void> {
  const abs = absPath(repo, rel);
  let isLink: boolean;
  if (knownLink !== undefined) {
    isLink = knownLink;
  } else {
    try {
      isLink = (await lstat(abs)).isSymbolicLink();
    } catch {
      return; // nothing there yet: nothing to escape through
    }
  }
  assertRealInside(repo, rel, isLink ? await realpath(abs) : undefined);
}

/**
 * The check of `assertInsideRoot` for a path known not to be a symlink itself (its folder decides,
 * shared by its siblings), or with the symlink's target already resolved as `real`.
 */
export function assertRealInside(repo: Repository, rel: string, real?: string): void {
  const realRoot = realpathOnce(repo, repo.root);
  const abs = absPath(repo, rel);
  const resolved = real ?? join(realpathOnce(repo, dirname(abs)), basename(abs));
  if (resolved !== realRoot && !resolved.startsWith(realRoot + sep)) {
    throw new VersioningError('path-escape', `${rel} resolves to ${resolved}, outside the repository; refused`);
  }
}
