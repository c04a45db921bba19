// Diff partitions on disk: one append-only file per version and partition in a private temp folder,
// which any thread can reopen by its path (scans in two workers, the join in a third).
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../../core/formats/errors';
import type { DiffSide } from '../../core/diff/diffTypes';
import type { PartitionStore } from '../../core/diff/partitionStore';

export interface TempPartitionStore extends PartitionStore {
  readonly dir: string;
}

export async function createTempPartitionStore(parent = tmpdir()): Promise<TempPartitionStore> {
  return openTempPartitionStore(await mkdtemp(join(parent, 'strata-diff-parts-')));
}

/** A store over a folder made by `createTempPartitionStore` (e.g. in another thread). */
export function openTempPartitionStore(dir: string): TempPartitionStore {
  const file = (side: DiffSide, p: number): string => join(dir, `${side}-${p}.bin`);
  return {
    dir,
    async append(side, p, bytes) {
      try {
        await appendFile(file(side, p), bytes);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new DatasetError('io', code === 'ENOSPC'
          ? `no space left for the diff's temporary files in ${dir}`
          : `cannot write the diff's temporary file ${file(side, p)}: ${code ?? (e as Error).message}`, { cause: e });
      }
    },
    async read(side, p) {
      try {
        const buf = await readFile(file(side, p));
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') { return new Uint8Array(0); }
        throw new DatasetError('io', `cannot read the diff's temporary file ${file(side, p)}`, { cause: e });
      }
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
