// Atomic file replacement: write a temp file in the target's folder, fsync it, rename it over the target.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp path beside `target`, named so a crash leaves an obviously stray file (`.name.strata-tmp-<pid>-<rand>`). */
export function tempPathBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.strata-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

export const TEMP_MARK = '.strata-tmp-';

/** Replace `target` with `data` so that readers see either the old or the new file, never a mix. */
export async function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  await replaceAtomic(target, async fh => { await fh.writeFile(data); }, mode);
}

/** Fill a temp file through `fill`, fsync it, then rename it over `target`; the temp file is removed on failure. */
export async function replaceAtomic(target: string, fill: (fh: FileHandle) => Promise<void>, mode = 0o644): Promise<void> {
  const tmp = tempPathBeside(target);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fill(fh);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Remove temp files beside `target` left by processes that died mid-write (a kill during checkout or add). */
export async function removeStaleTempsBeside(target: string): Promise<void> {
  await removeStaleTempsBesideAll([target]);
}

/** `removeStaleTempsBeside` for many targets, reading each folder once (a thousand files in one folder: one listing, not a thousand). */
export async function removeStaleTempsBesideAll(targets: readonly string[]): Promise<void> {
  const byDir = new Map<string, Set<string>>();
  for (const t of targets) {
    const dir = dirname(t);
    let names = byDir.get(dir);
    if (!names) { names = new Set(); byDir.set(dir, names); }
    names.add(basename(t));
  }
  for (const [dir, names] of byDir) {
    let entries: string[];
    try { entries = await readdir(dir); } catch { continue; }
    for (const n of entries) {
      // `.<name>.strata-tmp-<pid>-<random>`
      const at = n.lastIndexOf(TEMP_MARK);
      if (!n.startsWith('.') || at < 1 || !names.has(n.slice(1, at))) { continue; }
      const pid = Number(n.slice(at + TEMP_MARK.length).split('-')[0]);
      if (Number.isInteger(pid) && !processAlive(pid)) { await rm(join(dir, n), { force: true }); }
    }
  }
}

export function processAlive(pid: number): boolean {
  if (pid === process.pid) { return true; }
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}
