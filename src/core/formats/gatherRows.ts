// Builds one batch from rows picked out of other batches (a sorted view's window read as several spans).
import { TextColumnBuilder, type ColumnBatch, type ColumnData } from './columns';

export interface RowPick {
  batch: ColumnBatch;
  /** Row index within `batch`. */
  index: number;
}

/** Output row k is `picks[k]`; every pick's batch must hold the same field indexes in the same order. */
export function gatherRows(picks: readonly RowPick[], fieldIndexes: number[], rowStart: number): ColumnBatch {
  const n = picks.length;
  const columns: ColumnData[] = fieldIndexes.map((_, c) => {
    const kind = picks[0]?.batch.columns[c].kind ?? 'text';
    if (kind === 'text') {
      const b = new TextColumnBuilder();
      for (const p of picks) {
        const col = p.batch.columns[c];
        if (col.kind !== 'text' || col.valid[p.index] !== 1) { b.push(null); continue; }
        b.pushBytes(col.bytes.subarray(col.offsets[p.index], col.offsets[p.index + 1]));
      }
      return b.finish();
    }
    const valid = new Uint8Array(n);
    if (kind === 'number') {
      const values = new Float64Array(n);
      picks.forEach((p, k) => {
        const col = p.batch.columns[c];
        if (col.kind === 'number' && col.valid[p.index] === 1) { values[k] = col.values[p.index]; valid[k] = 1; }
      });
      return { kind: 'number', values, valid };
    }
    const values = new BigInt64Array(n);
    picks.forEach((p, k) => {
      const col = p.batch.columns[c];
      if (col.kind === 'bigint' && col.valid[p.index] === 1) { values[k] = col.values[p.index]; valid[k] = 1; }
    });
    return { kind: 'bigint', values, valid };
  });
  return { rowStart, rowCount: n, fieldIndexes, columns };
}
