// The storage port for diff partitions too large to keep in memory: append encoded row blocks per
// version and partition, read a partition back whole. src/node/diff implements it over temp files.
import type { DiffSide } from './diffTypes';

export interface PartitionStore {
  /** Appends bytes (encoded row blocks) to one partition of one version. */
  append(side: DiffSide, partition: number, bytes: Uint8Array): Promise<void>;
  /** Everything appended to the partition, in order (empty when nothing was). */
  read(side: DiffSide, partition: number): Promise<Uint8Array>;
  /** Deletes what the store holds. */
  dispose(): Promise<void>;
}

/** A store in memory: for tests, and for partitioned runs small enough not to need disk. */
export function memoryPartitionStore(): PartitionStore & { bytesHeld(): number } {
  const parts = new Map<string, Uint8Array[]>();
  return {
    async append(side, partition, bytes) {
      const id = `${side}${partition}`;
      const list = parts.get(id) ?? [];
      list.push(bytes.slice());
      parts.set(id, list);
    },
    async read(side, partition) {
      const list = parts.get(`${side}${partition}`) ?? [];
      const size = list.reduce((a, b) => a + b.length, 0);
      const out = new Uint8Array(size);
      let at = 0;
      for (const b of list) { out.set(b, at); at += b.length; }
      return out;
    },
    async dispose() { parts.clear(); },
    bytesHeld() { let n = 0; for (const l of parts.values()) { for (const b of l) { n += b.length; } } return n; },
  };
}
