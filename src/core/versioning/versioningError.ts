// Typed errors and the options shape shared by every data-versioning operation.

export type VersioningErrorCode =
  | 'not-initialized'   // no .dvc/ folder above the working directory
  | 'not-tracked'       // the path has no .dvc pointer
  | 'invalid-pointer'   // a .dvc file that is truncated, not YAML, or missing required keys
  | 'merge-conflict'    // a .dvc file with git conflict markers
  | 'path-escape'       // a pointer or argument path that leaves the workspace
  | 'hash-mismatch'     // an object whose bytes do not match its md5
  | 'missing-object'    // an object in neither the cache nor the remote
  | 'missing-file'      // a workspace path that does not exist
  | 'invalid-config'    // .dvc/config that cannot be read
  | 'no-remote'         // push/pull with no remote configured or named
  | 'remote-failed'     // a remote answered with an error
  | 'git-missing'       // the git executable is not installed
  | 'not-a-git-repo'
  | 'index-locked'      // .git/index.lock is held by another git process
  | 'detached-head'
  | 'unknown-revision'
  | 'nothing-to-commit'
  | 'git-failed'        // any other git failure (its first line is the message)
  | 'unsupported'
  | 'cancelled'
  | 'io';

export class VersioningError extends Error {
  override readonly name = 'VersioningError';
  constructor(readonly code: VersioningErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isVersioningError(e: unknown): e is VersioningError {
  return e instanceof Error && e.name === 'VersioningError' && typeof (e as VersioningError).code === 'string';
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) { throw new VersioningError('cancelled', 'cancelled'); }
}

/** One progress report: `done` of `total` units of work in the named phase. */
export interface VersioningProgress {
  phase: 'hash' | 'cache' | 'checkout' | 'push' | 'pull' | 'scan' | 'git';
  unit: 'bytes' | 'objects' | 'files';
  done: number;
  total: number;
  /** The workspace path (posix, relative to the repository root) being worked on, when there is one. */
  path?: string;
}

/** What every operation accepts besides its own inputs. */
export interface OperationOptions {
  signal?: AbortSignal;
  onProgress?: (p: VersioningProgress) => void;
}
