// Folder manifests (`<hash>.dir`): the JSON list of {md5, relpath} byte-for-byte as DVC writes it with Python's json.dumps.
import { VersioningError } from './versioningError';
import { checkRelPath } from './workspacePaths';

export interface ManifestEntry {
  md5: string;
  /** Posix path relative to the tracked folder. */
  relpath: string;
}

const MD5_RE = /^[0-9a-f]{32}$/;

/** Entries sorted by relpath as Python sorts strings (by code point, not UTF-16 unit). */
export function sortManifest(entries: readonly ManifestEntry[]): ManifestEntry[] {
  return [...entries].sort((a, b) => compareCodePoints(a.relpath, b.relpath));
}

/**
 * The manifest text: `json.dumps(sorted_entries, sort_keys=True)` — separators ", " and ": ",
 * ASCII only (`\uXXXX` escapes), keys `md5` then `relpath`. Its md5 plus `.dir` is the folder's hash.
 */
export function serializeManifest(entries: readonly ManifestEntry[]): string {
  const parts = sortManifest(entries).map(e => `{"md5": ${pyJsonString(e.md5)}, "relpath": ${pyJsonString(e.relpath)}}`);
  return `[${parts.join(', ')}]`;
}

/** Read a manifest object; every relpath must stay inside the folder. */
export function parseManifest(text: string, label: string): ManifestEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new VersioningError('invalid-pointer', `${label}: folder manifest is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(raw)) { throw new VersioningError('invalid-pointer', `${label}: folder manifest is not a JSON list`); }
  return raw.map((item: unknown, i) => {
    const e = item as Record<string, unknown> | null;
    if (!e || typeof e !== 'object' || typeof e.md5 !== 'string' || !MD5_RE.test(e.md5) || typeof e.relpath !== 'string') {
      throw new VersioningError('invalid-pointer', `${label}: manifest entry ${i} needs an md5 and a relpath`);
    }
    checkRelPath(e.relpath, `${label}: manifest entry ${JSON.stringify(e.relpath)}`);
    return { md5: e.md5, relpath: e.relpath };
  });
}

/** A string as Python's json.dumps writes it with ensure_ascii=True. */
export function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) { out += '\\"'; }
    else if (c === 0x5c) { out += '\\\\'; }
    else if (c === 0x0a) { out += '\\n'; }
    else if (c === 0x0d) { out += '\\r'; }
    else if (c === 0x09) { out += '\\t'; }
    else if (c === 0x08) { out += '\\b'; }
    else if (c === 0x0c) { out += '\\f'; }
    else if (c < 0x20 || c > 0x7e) { out += '\\u' + c.toString(16).padStart(4, '0'); } // UTF-16 units: astral chars become surrogate pairs, as in Python
    else { out += s[i]; }
  }
  return out + '"';
}

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) { continue; }
    // UTF-16 order equals code-point order except surrogates (astral) vs U+E000..U+FFFF
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) { return xs ? 1 : -1; }
    return x - y;
  }
  return a.length - b.length;
}
