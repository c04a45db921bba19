// The .gitignore line that ignores exactly one file of its folder, whatever characters its name holds.
import { VersioningError } from './versioningError';

/** Characters git reads as pattern syntax anywhere in a line (`!` and `#` only at its start, escaped everywhere as DVC does). */
const PATTERN_CHARS = /[\\[\]*?!#]/g;

/**
 * `/<name>` with every pattern character escaped, so git matches that name only: `a[1].csv` →
 * `/a\[1\].csv`, `*.csv` → `/\*.csv`, and trailing spaces (which git strips) kept as `\ `.
 */
export function gitignoreEntry(name: string): string {
  if (/[\r\n]/.test(name)) {
    throw new VersioningError('unsupported', `${JSON.stringify(name)} cannot be named in a .gitignore (line break in the name); rename it to track it`);
  }
  const escaped = name.replace(PATTERN_CHARS, c => `\\${c}`);
  const body = escaped.replace(/ +$/, spaces => '\\ '.repeat(spaces.length));
  return `/${body}`;
}

/**
 * The lines that ignore exactly `name` (as keys, see `gitignoreLineKey`): its entry, and `/<name>` as
 * written when that means the same (no `\\`, `[`, `]`, `*`, `?` or trailing space; `!` and `#` only
 * count at the start of a line), as earlier Strata versions wrote it.
 */
export function gitignoreEntriesFor(name: string): string[] {
  const entry = gitignoreEntry(name);
  return /[\\[\]*?]| $/.test(name) ? [entry] : [entry, `/${name}`];
}

/**
 * A .gitignore line as git reads it: without its line ending and its unescaped trailing spaces, so
 * `/a.csv  ` and `/a.csv` are one entry but `/b.csv\ ` keeps its escaped space.
 */
export function gitignoreLineKey(line: string): string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  let end = text.length;
  while (end > 0 && text[end - 1] === ' ' && !escapedAt(text, end - 1)) { end--; }
  return text.slice(0, end);
}

/** Whether the character at `i` follows an odd run of backslashes. */
function escapedAt(text: string, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && text[i - n - 1] === '\\') { n++; }
  return n % 2 === 1;
}
