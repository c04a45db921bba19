// Turns git failures (missing binary, no repository, held index.lock, bad revision) into one clear VersioningError.
import { VersioningError } from '../../core/versioning/versioningError';

export function gitError(e: unknown, what: string): VersioningError {
  if (e instanceof VersioningError) { return e; }
  const text = e instanceof Error ? e.message : String(e);
  if (/ENOENT/.test(text) && /spawn/.test(text)) {
    return new VersioningError('git-missing', 'git is not installed (or not on PATH); install git to version data', { cause: e });
  }
  if (/not a git repository/i.test(text)) {
    return new VersioningError('not-a-git-repo', 'this folder is not in a git repository; run `git init` first', { cause: e });
  }
  if (/index\.lock/.test(text)) {
    return new VersioningError('index-locked', 'another git process holds .git/index.lock; wait for it to finish (or remove the stale lock), then retry', { cause: e });
  }
  if (/aborted|AbortError/i.test(text)) {
    return new VersioningError('cancelled', 'cancelled', { cause: e });
  }
  if (/unknown revision|bad revision|Needed a single revision|invalid object name|not a valid object name/i.test(text)) {
    return new VersioningError('unknown-revision', `${what}: unknown revision`, { cause: e });
  }
  const line = text.split('\n').map(l => l.trim()).find(l => /^(fatal|error):/.test(l)) ?? text.split('\n')[0];
  return new VersioningError('git-failed', `${what}: ${line.replace(/^(fatal|error):\s*/, '')}`, { cause: e });
}
