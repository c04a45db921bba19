// Where one side of a diff comes from: a working file, or a dataset at a git revision — through its
// DVC pointer at that revision (the cache object), a git-lfs object, or the git blob (streamed to a
// temp file, never held in memory). A revision where the dataset did not exist gives an absent side.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DatasetError } from '../../core/formats/errors';
import { VersioningError, isVersioningError } from '../../core/versioning/versioningError';
import { openFileBuffer, type FileBuffer } from '../fileBuffer';
import { GitReader } from '../git/gitReader';
import { LFS_POINTER_MAX_BYTES, lfsObjectPath, parseLfsPointer } from '../git/lfsPointer';
import { openRepository, trackedFromText } from '../versioning/repository';

export interface SideSpec {
  /** The dataset's path (relative to `cwd` or absolute); a trailing `.dvc` names the data it tracks. */
  path: string;
  /** A git revision; absent for the file as it is on disk now. */
  rev?: string;
  /** How messages and headers name this side (default `path` or `path@rev`, with commit ids shortened). */
  label?: string;
}

export type SideSource = 'file' | 'git' | 'dvc' | 'git-lfs' | 'absent';

export interface OpenedSide {
  /** For messages and headers, e.g. `data/events.csv@HEAD~1`. */
  label: string;
  /** The name whose extension picks the reader. */
  name: string;
  /** The dataset's path in the working tree (whose data package declares how it is written), whatever the version. */
  datasetPath: string;
  source: SideSource;
  /** Null when the dataset did not exist at the revision. */
  buffer: FileBuffer | null;
  bytes: number;
  /** Closes the file and removes any temp copy. */
  dispose(): Promise<void>;
}

/** A side found at a revision, before `openSide` adds its working-tree path. */
type RevisionSide = Omit<OpenedSide, 'datasetPath'>;

export interface OpenSideOptions {
  cwd: string;
  signal?: AbortSignal;
}

export async function openSide(spec: SideSpec, options: OpenSideOptions): Promise<OpenedSide> {
  const abs = resolve(options.cwd, spec.path.endsWith('.dvc') ? spec.path.slice(0, -4) : spec.path);
  const name = basename(abs);
  if (spec.rev === undefined) {
    const buffer = await openFileBuffer(abs).catch(e => { throw missingFile(e, spec.path); });
    return { label: spec.label ?? spec.path, name, datasetPath: abs, source: 'file', buffer, bytes: buffer.byteLength, dispose: () => buffer.close() };
  }
  const rev = /^[0-9a-f]{40}$/.test(spec.rev) ? spec.rev.slice(0, 7) : spec.rev;
  return { ...await openAtRevision(abs, spec.rev, spec.label ?? `${spec.path}@${rev}`, options), datasetPath: abs };
}

function missingFile(e: unknown, path: string): Error {
  if (((e as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') { return new DatasetError('io', `${path}: no such file`); }
  return e as Error;
}

/** The nearest existing folder at or above `p` (a file may exist only at some revision). */
async function existingFolder(p: string): Promise<string> {
  let dir = dirname(p);
  for (;;) {
    try {
      if ((await stat(dir)).isDirectory()) { return dir; }
    } catch { /* go up */ }
    const up = dirname(dir);
    if (up === dir) { return dir; }
    dir = up;
  }
}

async function openAtRevision(abs: string, rev: string, label: string, options: OpenSideOptions): Promise<RevisionSide> {
  const folder = await existingFolder(abs);
  const git = new GitReader({ cwd: folder, signal: options.signal });
  const top = await git.topLevel();
  const rel = relative(top, abs).split(sep).join('/');
  if (rel.startsWith('..')) { throw new VersioningError('path-escape', `${label}: the file is outside the git repository at ${top}`); }
  const commit = await git.resolveCommit(rev);
  const name = basename(abs);
  const absent = (): RevisionSide => ({ label, name, source: 'absent', buffer: null, bytes: 0, dispose: async () => undefined });

  const pointer = await dvcPointerAt(git, commit, rel);
  if (pointer) { return openDvcObject(folder, pointer, label, name); }

  const size = await git.blobSize(commit, rel);
  if (size === undefined) { return absent(); }
  if (size <= LFS_POINTER_MAX_BYTES) {
    const lfs = parseLfsPointer((await git.show(commit, rel)) ?? new Uint8Array());
    if (lfs) {
      const object = lfsObjectPath(await git.gitDir(), lfs.oid);
      const buffer = await openFileBuffer(object).catch(() => {
        throw new VersioningError('missing-object', `${label}: the git-lfs object ${lfs.oid.slice(0, 12)}… is not on this machine; run \`git lfs fetch\` (or \`git lfs pull\`) first`);
      });
      return { label, name, source: 'git-lfs', buffer, bytes: buffer.byteLength, dispose: () => buffer.close() };
    }
  }
  // a plain git blob: streamed to a temp file, so a large one never sits in memory whole
  const dir = await mkdtemp(join(tmpdir(), 'strata-diff-'));
  const file = join(dir, name);
  try {
    await pipeline(git.showStream(commit, rel), createWriteStream(file), { signal: options.signal });
    const buffer = await openFileBuffer(file);
    return {
      label, name, source: 'git', buffer, bytes: buffer.byteLength,
      dispose: async () => { await buffer.close(); await rm(dir, { recursive: true, force: true }); },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    if ((e as Error).name === 'AbortError') { throw new DatasetError('cancelled', 'cancelled'); }
    throw e;
  }
}

interface PointerAtRevision {
  /** The pointer file (posix, relative to git's top level) and the output within it. */
  pointerPath: string;
  md5: string;
  algorithm: 'md5' | 'md5-dos2unix';
  /** For a file inside a tracked folder: its path within the folder. */
  inFolder?: string;
}

/** The DVC pointer tracking `rel` at `commit`: `rel.dvc`, or the pointer of a tracked folder above it. */
async function dvcPointerAt(git: GitReader, commit: string, rel: string): Promise<PointerAtRevision | undefined> {
  const parts = rel.split('/');
  for (let n = parts.length; n >= 1; n--) {
    const target = parts.slice(0, n).join('/');
    const pointerPath = `${target}.dvc`;
    const blob = await git.show(commit, pointerPath);
    if (!blob) { continue; }
    const outs = trackedFromText(`${commit.slice(0, 7)}:${pointerPath}`, blob.toString('utf8'));
    // a pointer's output path is relative to the DVC root, which may sit below git's top level
    const out = outs.find(t => target.endsWith(t.path))?.out ?? outs[0]?.out;
    if (!out?.md5) { throw new VersioningError('invalid-pointer', `${pointerPath} at ${commit.slice(0, 7)} has no hash`); }
    if (n === parts.length) {
      if (out.isDir) { throw new DatasetError('unsupported', `${rel} at ${commit.slice(0, 7)} is a tracked folder, not a dataset file`); }
      return { pointerPath, md5: out.md5, algorithm: out.algorithm };
    }
    if (out.isDir) { return { pointerPath, md5: out.md5, algorithm: out.algorithm, inFolder: parts.slice(n).join('/') }; }
    return undefined;
  }
  return undefined;
}

async function openDvcObject(folder: string, p: PointerAtRevision, label: string, name: string): Promise<RevisionSide> {
  const repo = await openRepository(folder).catch(e => {
    if (isVersioningError(e) && e.code === 'not-initialized') {
      throw new VersioningError('not-initialized', `${label} is tracked by ${p.pointerPath}, but there is no .dvc folder here to hold its data`);
    }
    throw e;
  });
  let md5 = p.md5;
  if (p.inFolder !== undefined) {
    if (!(await repo.cache.has(md5, p.algorithm))) { throw notInCache(label, md5); }
    const entry = (await repo.cache.readManifest(md5, p.algorithm)).find(e => e.relpath === p.inFolder);
    if (!entry) { return { label, name, source: 'absent', buffer: null, bytes: 0, dispose: async () => undefined }; }
    md5 = entry.md5;
  }
  const path = repo.cache.objectPath(md5, p.algorithm);
  const buffer = await openFileBuffer(path).catch(() => { throw notInCache(label, md5); });
  return { label, name, source: 'dvc', buffer, bytes: buffer.byteLength, dispose: () => buffer.close() };
}

function notInCache(label: string, md5: string): VersioningError {
  return new VersioningError('missing-object',
    `${label}: its data (md5 ${md5.slice(0, 12)}…) is not in the DVC cache; run \`strata pull\` (or \`dvc pull\`) to fetch it from the remote`);
}
