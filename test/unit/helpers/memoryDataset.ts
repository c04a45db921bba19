// An in-memory Dataset for tests of code that consumes datasets (views, profiles, diffs).
import { numberColumn, textColumn, type ColumnBatch, type ColumnData } from '../../../src/core/formats/columns';
import type { Dataset, Field, LogicalType } from '../../../src/core/formats/dataset';
import type { NumberFormat } from '../../../src/core/formats/numberFormat';

type Cell = string | number | null;

/** Columns given as arrays; `number` fields become number columns, everything else text. */
export function memoryDataset(
  spec: { name: string; type: LogicalType; values: Cell[]; numberFormat?: NumberFormat; temporalFormat?: string }[], batchRows = 3,
): Dataset {
  const n = spec[0]?.values.length ?? 0;
  const fields: Field[] = spec.map(s => ({
    name: s.name, type: s.type, nullable: s.values.includes(null), ...(s.numberFormat ? { numberFormat: s.numberFormat } : {}),
    ...(s.temporalFormat !== undefined ? { temporalFormat: s.temporalFormat } : {}),
  }));
  const slice = (start: number, count: number, columns: number[]): ColumnBatch => {
    const end = Math.min(n, start + count);
    const cols: ColumnData[] = columns.map(c => {
      const vals = spec[c].values.slice(start, end);
      return vals.every(v => v === null || typeof v === 'number') && spec[c].type !== 'string'
        ? numberColumn(vals as (number | null)[])
        : textColumn(vals.map(v => (v === null ? null : String(v))));
    });
    return { rowStart: start, rowCount: Math.max(0, end - start), fieldIndexes: columns, columns: cols };
  };
  const all = () => fields.map((_, i) => i);
  return {
    format: 'csv',
    fields,
    rowCount: { value: n, exact: true },
    warnings: [],
    async readRows(start, count, columns) { return slice(start, count, columns ?? all()); },
    async scan(columns, onBatch, options) {
      for (let s = 0; s < n; s += batchRows) {
        if (options?.signal?.aborted) { throw new Error('cancelled'); }
        await onBatch(slice(s, batchRows, columns ?? all()));
      }
    },
  };
}
