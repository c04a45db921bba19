// Remembers the md5 of workspace files by (path, inode, size, mtime) so an unchanged file is never hashed again.
import { mkdir, readFile } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { dirname, join } from 'node:path';
import { removeStaleTempsBeside, writeFileAtomic } from './atomicFile';

/** [inode, size, mtime in ns, hash], all as strings so 64-bit values survive JSON. */
type Entry = [string, string, string, string];

interface StateFile { version: 1; entries: Record<string, Entry> }

/** The state file's place: `.dvc/tmp/` is ignored by git (see `.dvc/.gitignore`). */
export const STATE_FILE = join('tmp', 'strata-state.json');

export class StateStore {
  private changed = new Map<string, Entry | null>();

  private constructor(private readonly file: string, private entries: Record<string, Entry>) {}

  /** Load the state of the repository whose `.dvc` folder is `dvcDir`; a missing or unreadable file is an empty state. */
  static async open(dvcDir: string): Promise<StateStore> {
    const file = join(dvcDir, STATE_FILE);
    return new StateStore(file, await readEntries(file));
  }

  /** The recorded hash of `relPath` when the file is still the same inode, size and mtime. */
  lookup(relPath: string, st: BigIntStats): string | undefined {
    const e = this.changed.has(relPath) ? this.changed.get(relPath) : this.entries[relPath];
    if (!e) { return undefined; }
    return e[0] === String(st.ino) && e[1] === String(st.size) && e[2] === String(st.mtimeNs) ? e[3] : undefined;
  }

  record(relPath: string, st: BigIntStats, hash: string): void {
    this.changed.set(relPath, [String(st.ino), String(st.size), String(st.mtimeNs), hash]);
  }

  forget(relPath: string): void {
    this.changed.set(relPath, null);
  }

  /** Write changes atomically, merged over what other processes saved meanwhile. */
  async save(): Promise<void> {
    if (this.changed.size === 0) { return; }
    const current = await readEntries(this.file);
    for (const [k, v] of this.changed) {
      if (v) { current[k] = v; } else { delete current[k]; }
    }
    await mkdir(dirname(this.file), { recursive: true });
    await removeStaleTempsBeside(this.file);
    const body: StateFile = { version: 1, entries: current };
    await writeFileAtomic(this.file, JSON.stringify(body));
    this.entries = current;
    this.changed.clear();
  }
}

async function readEntries(file: string): Promise<Record<string, Entry>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<StateFile>;
    return parsed.version === 1 && parsed.entries && typeof parsed.entries === 'object' ? parsed.entries : {};
  } catch {
    return {}; // only a cache of hashes: a missing or damaged file means hashing again
  }
}
