// Where an object lives in a cache or remote: `files/md5/xx/rest` (DVC 3), `xx/rest` (DVC 2.x legacy).
import type { HashAlgorithm } from './pointerFile';

const HASH_RE = /^[0-9a-f]{32}(\.dir)?$/;

export function isObjectHash(s: string): boolean {
  return HASH_RE.test(s);
}

/** Posix path of an object relative to the cache (or remote) root. */
export function objectRelPath(hash: string, algorithm: HashAlgorithm = 'md5'): string {
  if (!HASH_RE.test(hash)) { throw new Error(`not an object hash: ${hash}`); }
  const tail = `${hash.slice(0, 2)}/${hash.slice(2)}`;
  return algorithm === 'md5' ? `files/md5/${tail}` : tail;
}

/** The hash an object path names (`files/md5/ab/cdef...` or `ab/cdef...`), or undefined. */
export function hashFromObjectRelPath(rel: string): { hash: string; algorithm: HashAlgorithm } | undefined {
  const m = /^(files\/md5\/)?([0-9a-f]{2})\/([0-9a-f]{30}(\.dir)?)$/.exec(rel);
  if (!m) { return undefined; }
  return { hash: m[2] + m[3], algorithm: m[1] ? 'md5' : 'md5-dos2unix' };
}

/** The 32-hex md5 of an object's bytes (a folder hash without its `.dir`). */
export function contentMd5(hash: string): string {
  return hash.endsWith('.dir') ? hash.slice(0, -4) : hash;
}
