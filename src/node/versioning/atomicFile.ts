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
  const prefix = `.${basename(target)}${TEMP_MARK}`;
  let names: string[];
  try { names = await readdir(dirname(target)); } catch { return; }
  for (const n of names) {
    if (!n.startsWith(prefix)) { continue; }
    const pid = Number(n.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && !processAlive(pid)) { await rm(join(dirname(target), n), { force: true }); }
  }
}

export function processAlive(pid: number): boolean {
  if (pid === process.pid) { return true; }
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}
