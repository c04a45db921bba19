// Posix path arithmetic for workspace-relative paths, and the refusal of paths that leave the workspace.
import { VersioningError } from './versioningError';

/** Throws `path-escape` unless `p` is a relative path that stays inside its base; returns it normalized. */
export function checkRelPath(p: string, label: string): string {
  if (p === '' || p.includes('\0')) {
    throw new VersioningError('path-escape', `${label}: empty or invalid path`);
  }
  if (p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p)) {
    throw new VersioningError('path-escape', `${label}: absolute path '${p}' is refused; paths must stay inside the workspace`);
  }
  const out: string[] = [];
  for (const part of p.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') { continue; }
    if (part === '..') {
      if (out.length === 0) {
        throw new VersioningError('path-escape', `${label}: path '${p}' leaves the workspace and is refused`);
      }
      out.pop();
      continue;
    }
    out.push(part);
  }
  if (out.length === 0) {
    throw new VersioningError('path-escape', `${label}: path '${p}' names the workspace itself`);
  }
  return out.join('/');
}

export function posixDirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function posixBasename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function posixJoin(dir: string, rel: string): string {
  return dir === '' ? rel : `${dir}/${rel}`;
}

/**
 * The workspace-relative path of a pointer's output: `outPath` is relative to the folder of the
 * pointer file `pointerRel`. Anything that leaves the workspace is refused.
 */
export function resolveOutputPath(pointerRel: string, outPath: string): string {
  if (outPath.startsWith('/') || outPath.startsWith('\\') || /^[A-Za-z]:/.test(outPath)) {
    throw new VersioningError('path-escape', `${pointerRel}: output path '${outPath}' is absolute; it must stay inside the workspace`);
  }
  return checkRelPath(posixJoin(posixDirname(pointerRel), outPath), pointerRel);
}

/** The pointer file that tracks a workspace path: `data/x.csv` → `data/x.csv.dvc`. */
export function pointerPathFor(outputRel: string): string {
  return `${outputRel}.dvc`;
}
