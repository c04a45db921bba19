// git-lfs pointer files (three lines: version, oid sha256, size) and where git-lfs keeps their objects.
import { join } from 'node:path';

export interface LfsPointer {
  oid: string;
  size: number;
}

/** A pointer is tiny text; anything larger than this cannot be one. */
export const LFS_POINTER_MAX_BYTES = 1024;

export function parseLfsPointer(bytes: Uint8Array): LfsPointer | undefined {
  if (bytes.length > LFS_POINTER_MAX_BYTES) { return undefined; }
  const text = new TextDecoder().decode(bytes);
  const lines = text.split('\n').filter(l => l !== '');
  if (lines[0] !== 'version https://git-lfs.github.com/spec/v1') { return undefined; }
  let oid: string | undefined;
  let size: number | undefined;
  for (const l of lines.slice(1)) {
    const m = /^oid sha256:([0-9a-f]{64})$/.exec(l);
    if (m) { oid = m[1]; continue; }
    const s = /^size (\d+)$/.exec(l);
    if (s) { size = Number(s[1]); }
  }
  return oid !== undefined && size !== undefined ? { oid, size } : undefined;
}

/** `.git/lfs/objects/<2>/<2>/<oid>` */
export function lfsObjectPath(gitDir: string, oid: string): string {
  return join(gitDir, 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid);
}
