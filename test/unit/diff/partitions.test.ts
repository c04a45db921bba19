// Partitioned diffs (rows split by key hash through a store) give exactly the in-memory result; row
// blocks survive encoding; the temp-file store round-trips and cleans up.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { numberColumn, textColumn } from '../../../src/core/formats/columns';
import { memoryPartitionStore } from '../../../src/core/diff/partitionStore';
import { decodeBlocks, encodeBlock, partitionBlock, type RowBlock } from '../../../src/core/diff/rowBlock';
import type { DatasetDiff } from '../../../src/core/diff/diffTypes';
import { createTempPartitionStore } from '../../../src/node/diff/tempPartitionStore';
import { diffOf } from './diffHelpers';

function table(n: number, change: (i: number) => boolean, drop: (i: number) => boolean, extra: number): string {
  const lines = ['id,group,value,label'];
  for (let i = 0; i < n + extra; i++) {
    if (i < n && drop(i)) { continue; }
    const v = change(i) ? i * 3 + 1 : i * 3;
    lines.push(`${i},${i % 13},${v},"l${i % 97}"`);
  }
  return lines.join('\n') + '\n';
}

const stable = (d: DatasetDiff) => ({
  key: d.key, rows: d.rows, columns: d.columns, changes: d.changes, duplicateKeys: d.duplicateKeys, omitted: d.omitted,
});

describe('partitioned diff', () => {
  const a = table(3000, () => false, () => false, 0);
  const b = table(3000, i => i % 17 === 0, i => i % 101 === 0, 25);

  it('gives the same counts, cells, examples and drift as the diff in memory', async () => {
    const whole = await diffOf(a, b, { maxExamples: 50 });
    expect(whole.partitions).toBe(1);
    // 177 multiples of 17 below 3000 changed, less 0 and 1717 (also multiples of 101, so dropped)
    expect(whole.rows).toMatchObject({ removed: 30, added: 25, changed: 177 - 2 });
    const store = memoryPartitionStore();
    const split = await diffOf(a, b, { maxExamples: 50, partitions: 8, store });
    expect(split.partitions).toBe(8);
    expect(store.bytesHeld()).toBeGreaterThan(0);
    expect(stable(split)).toEqual(stable(whole));
  });

  it('partitions on disk give the same result, and the folder is removed after', async () => {
    const store = await createTempPartitionStore();
    try {
      const split = await diffOf(a, b, { maxExamples: 20, partitions: 4, store });
      const whole = await diffOf(a, b, { maxExamples: 20 });
      expect(stable(split)).toEqual(stable(whole));
      expect(existsSync(store.dir)).toBe(true);
    } finally {
      await store.dispose();
    }
    expect(existsSync(store.dir)).toBe(false);
  });

  it('the memory budget decides the partition count', async () => {
    const d = await diffOf(a, b, { memoryBytes: 64 * 1024, store: memoryPartitionStore() });
    expect(d.partitions).toBeGreaterThan(1);
  });

  it('falls back to content matching across partitions when a key repeats in one of them', async () => {
    const dup = `${a}5,5,15,"l5"\n`;
    const split = await diffOf(dup, b, { key: ['id'], partitions: 4, store: memoryPartitionStore() });
    const whole = await diffOf(dup, b, { key: ['id'] });
    expect(split.key.source).toBe('content');
    expect(split.duplicateKeys).toMatchObject({ a: 1, b: 0 });
    expect(stable(split)).toEqual(stable(whole));
  });
});

describe('row blocks', () => {
  const block: RowBlock = {
    rows: 3,
    ordinal: null,
    firstRow: 0,
    key: Uint32Array.from([1, 0x10000000, 2, 0x90000000, 3, 0xf0000000]),
    hash: Uint32Array.from([7, 8, 9, 10, 11, 12]),
    keyMissing: Uint8Array.from([0, 1, 0]),
    columns: [numberColumn([1.5, null, 3]), textColumn(['a', 'héllo', null])],
  };

  it('encode → decode gives the same arrays (several blocks back to back)', () => {
    const one = encodeBlock(block);
    expect(one.length % 8).toBe(0);
    const both = new Uint8Array(one.length * 2);
    both.set(one); both.set(one, one.length);
    const decoded = decodeBlocks(both);
    expect(decoded).toHaveLength(2);
    for (const d of decoded) {
      expect(Array.from(d.ordinal ?? [])).toEqual([0, 1, 2]);
      expect(Array.from(d.key)).toEqual(Array.from(block.key));
      expect(Array.from(d.keyMissing ?? [])).toEqual([0, 1, 0]);
      expect(d.columns[0]).toEqual(block.columns[0]);
      expect(d.columns[1]).toEqual(block.columns[1]);
    }
  });

  it('refuses damaged bytes', () => {
    const bytes = encodeBlock(block);
    bytes[0] ^= 0xff;
    expect(() => decodeBlocks(bytes)).toThrow(/damaged/);
  });

  it('splits rows by the top bits of the key hash', () => {
    const parts = partitionBlock(block, 4);
    expect(parts.map(p => Array.from(p.ordinal ?? []))).toEqual([[0], [], [1], [2]]);
    expect(parts[2].columns[1]).toEqual(textColumn(['héllo']));
  });
});
