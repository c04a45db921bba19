// Sorted and filtered views over a whole dataset: one streamed pass, then the order of source rows.
import { throwIfAborted } from '../formats/errors';
import type { ColumnBatch, ColumnData } from '../formats/columns';
import type { Dataset, Field } from '../formats/dataset';
import { cellDisplay } from '../formats/cellValue';
import { decimalCommaShape } from '../formats/numberFormat';
import { isMissingCell, isNumericField, numericKey, textToNumber } from './sortKeys';
import { radixSortRows } from './radixSort';

export interface ViewSortKey { field: number; direction: 'asc' | 'desc' }

export type ViewColumnFilter =
  | { field: number; op: 'equals'; value: string }
  | { field: number; op: 'contains'; value: string }
  | { field: number; op: 'range'; min?: number | string; max?: number | string }
  | { field: number; op: 'missing' }
  | { field: number; op: 'present' };

export interface ViewDefinition {
  sort?: ViewSortKey[];
  filter?: { columns: ViewColumnFilter[]; search?: string };
}

export interface ViewProgress { rowsDone: number; fraction: number | null; phase: 'filtering' | 'sorting' }

/** True when the view is the dataset in natural order (nothing to compute). */
export function isNaturalView(view: ViewDefinition | undefined): boolean {
  return !view || ((view.sort?.length ?? 0) === 0 && (view.filter?.columns.length ?? 0) === 0 && !view.filter?.search);
}

type RowTest = (batch: ColumnBatch, cols: Map<number, ColumnData>, i: number) => boolean;

/**
 * Source row indexes (0-based) in view order. Filters are ANDed; ties keep natural order; missing
 * values sort last in both directions. Text keys compare with a locale-aware, numeric-aware collator.
 */
export async function computeView(
  dataset: Dataset,
  view: ViewDefinition,
  options: { signal?: AbortSignal; onProgress?: (p: ViewProgress) => void } = {},
): Promise<Uint32Array> {
  const { signal, onProgress } = options;
  const fields = dataset.fields;
  const sort = (view.sort ?? []).filter(k => k.field >= 0 && k.field < fields.length);
  const filters = (view.filter?.columns ?? []).filter(f => f.field >= 0 && f.field < fields.length);
  const search = view.filter?.search?.trim().toLowerCase() || undefined;
  const needed = new Set<number>([...sort.map(k => k.field), ...filters.map(f => f.field)]);
  if (search) { fields.forEach((_, i) => needed.add(i)); }
  const columns = [...needed].sort((a, b) => a - b);

  const tests: RowTest[] = filters.map(f => filterTest(f, fields[f.field]));
  if (search) { tests.push(searchTest(search, fields)); }

  const total = dataset.rowCount.exact ? dataset.rowCount.value : null;
  // one numeric key and no filter: keys are taken a batch at a time (no per-row closures), into
  // arrays sized once when the row count is known (growing copies cost more than the sort's passes)
  const bulk = tests.length === 0 && sort.length === 1 && isNumericField(fields[sort[0].field]);
  const initial = bulk && total !== null ? Math.max(1024, total) : 1024;
  // the bulk path's rows are 0, 1, 2... while batches come in order: no array is made for them then
  let identity = bulk;
  let rows = new Uint32Array(bulk ? 0 : initial);
  let kept = 0;
  const numericKeys = sort.map(k => (isNumericField(fields[k.field]) ? new GrowableFloat64(initial) : undefined));
  const textKeys = sort.map(k => (isNumericField(fields[k.field]) ? undefined : [] as (string | null)[]));

  await dataset.scan(columns.length ? columns : [0], (batch) => {
    throwIfAborted(signal);
    if (bulk) {
      const n = batch.rowCount;
      if (identity && batch.rowStart !== kept) {
        identity = false;
        rows = new Uint32Array(Math.max(initial, kept + n));
        for (let i = 0; i < kept; i++) { rows[i] = i; }
      }
      if (!identity) {
        if (kept + n > rows.length) { const next = new Uint32Array(Math.max(rows.length * 2, kept + n)); next.set(rows.subarray(0, kept)); rows = next; }
        for (let i = 0; i < n; i++) { rows[kept + i] = batch.rowStart + i; }
      }
      kept += n;
      const k = sort[0].field;
      numericKeys[0]!.pushColumn(batch.columns[batch.fieldIndexes.indexOf(k)], n, fields[k]);
      const done = batch.rowStart + n;
      onProgress?.({ rowsDone: done, fraction: total ? Math.min(1, done / total) : null, phase: 'filtering' });
      return;
    }
    const cols = new Map<number, ColumnData>();
    batch.fieldIndexes.forEach((f, j) => cols.set(f, batch.columns[j]));
    for (let i = 0; i < batch.rowCount; i++) {
      let pass = true;
      for (const t of tests) { if (!t(batch, cols, i)) { pass = false; break; } }
      if (!pass) { continue; }
      if (kept === rows.length) { const next = new Uint32Array(rows.length * 2); next.set(rows); rows = next; }
      rows[kept++] = batch.rowStart + i;
      sort.forEach((k, s) => {
        const col = cols.get(k.field) as ColumnData;
        const field = fields[k.field];
        if (numericKeys[s]) { numericKeys[s]!.push(numericKey(col, i, field)); }
        else { textKeys[s]!.push(isMissingCell(col, i, field) ? null : cellDisplay(col, i, field)); }
      });
    }
    const done = batch.rowStart + batch.rowCount;
    onProgress?.({ rowsDone: done, fraction: total ? Math.min(1, done / total) : null, phase: 'filtering' });
  }, { signal });

  if (identity) {
    // the bulk path: one numeric key over rows 0..kept-1
    onProgress?.({ rowsDone: kept, fraction: null, phase: 'sorting' });
    throwIfAborted(signal);
    return radixSortRows(null, (numericKeys[0] as GrowableFloat64).view(), sort[0].direction === 'desc', { consumeKeys: true });
  }
  let order: Uint32Array = kept === rows.length ? rows : rows.slice(0, kept);
  if (sort.length === 0) { return order; }
  onProgress?.({ rowsDone: kept, fraction: null, phase: 'sorting' });
  throwIfAborted(signal);

  if (sort.length === 1 && numericKeys[0]) {
    // keys are parallel to the rows kept
    return radixSortRows(order, numericKeys[0].view(), sort[0].direction === 'desc', { consumeKeys: true });
  }
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const positions = Array.from({ length: kept }, (_, i) => i);
  positions.sort((a, b) => {
    for (let s = 0; s < sort.length; s++) {
      const dir = sort[s].direction === 'desc' ? -1 : 1;
      let c: number;
      const nk = numericKeys[s];
      if (nk) {
        const x = nk.at(a); const y = nk.at(b);
        const xm = x !== x; const ym = y !== y;
        if (xm || ym) { c = xm === ym ? 0 : xm ? 1 : -1; if (c) { return c; } continue; }
        c = x < y ? -dir : x > y ? dir : 0;
      } else {
        const x = textKeys[s]![a]; const y = textKeys[s]![b];
        if (x === null || y === null) { c = x === y ? 0 : x === null ? 1 : -1; if (c) { return c; } continue; }
        c = dir * collator.compare(x, y);
      }
      if (c) { return c; }
    }
    return a - b;
  });
  order = mapPositions(Uint32Array.from(positions), order);
  return order;
}

function mapPositions(positions: Uint32Array, rows: Uint32Array): Uint32Array {
  const out = new Uint32Array(positions.length);
  for (let i = 0; i < positions.length; i++) { out[i] = rows[positions[i]]; }
  return out;
}

class GrowableFloat64 {
  private data: Float64Array;
  private n = 0;
  constructor(capacity: number) { this.data = new Float64Array(capacity); }
  push(v: number): void {
    if (this.n === this.data.length) { const next = new Float64Array(this.data.length * 2); next.set(this.data); this.data = next; }
    this.data[this.n++] = v;
  }
  /** Appends the numeric keys of a batch column's first `n` cells (NaN for missing ones). */
  pushColumn(col: ColumnData, n: number, field: Field): void {
    if (this.n + n > this.data.length) {
      const next = new Float64Array(Math.max(this.data.length * 2, this.n + n));
      next.set(this.data.subarray(0, this.n));
      this.data = next;
    }
    const out = this.data, at = this.n;
    if (col.kind === 'number') {
      const { values, valid } = col;
      for (let i = 0; i < n; i++) { out[at + i] = valid[i] === 1 ? values[i] : NaN; }
    } else {
      for (let i = 0; i < n; i++) { out[at + i] = numericKey(col, i, field); }
    }
    this.n += n;
  }
  at(i: number): number { return this.data[i]; }
  view(): Float64Array { return this.data.subarray(0, this.n); }
}

function filterTest(f: ViewColumnFilter, field: Field): RowTest {
  const col = (cols: Map<number, ColumnData>) => cols.get(f.field) as ColumnData;
  switch (f.op) {
    case 'missing': return (_b, cols, i) => isMissingCell(col(cols), i, field);
    case 'present': return (_b, cols, i) => !isMissingCell(col(cols), i, field);
    case 'contains': {
      const needle = f.value.toLowerCase();
      return (_b, cols, i) => (cellDisplay(col(cols), i, field) ?? '').toLowerCase().includes(needle);
    }
    case 'equals': {
      if (isNumericField(field)) {
        const target = typedNumber(f.value.trim(), field);
        return (_b, cols, i) => numericKey(col(cols), i, field) === target;
      }
      return (_b, cols, i) => cellDisplay(col(cols), i, field) === f.value;
    }
    case 'range': {
      if (isNumericField(field)) {
        const bound = (v: number | string | undefined) =>
          v === undefined || v === '' ? undefined : typeof v === 'number' ? v : typedNumber(v, field);
        const min = bound(f.min); const max = bound(f.max);
        return (_b, cols, i) => {
          const v = numericKey(col(cols), i, field);
          return v === v && (min === undefined || v >= min) && (max === undefined || v <= max);
        };
      }
      const min = f.min === undefined ? undefined : String(f.min);
      const max = f.max === undefined ? undefined : String(f.max);
      return (_b, cols, i) => {
        const v = cellDisplay(col(cols), i, field);
        return v !== null && (min === undefined || v >= min) && (max === undefined || v <= max);
      };
    }
  }
}

/**
 * A number typed into a filter: as the column writes its numbers when it is written so (`10,5` or `1.000` in a
 * decimal-comma column), else as `10.5`; dates likewise as the column writes them, else as `2026-11-25`.
 */
function typedNumber(text: string, field: Field): number {
  if (field.temporalFormat !== undefined && (field.type === 'date' || field.type === 'datetime')) {
    // a date typed as the column writes them (`25/11/2026`), else in ISO 8601
    const v = textToNumber(text, field.type, undefined, field.temporalFormat);
    return v === v ? v : textToNumber(text, field.type);
  }
  const format = field.numberFormat;
  const written = format !== undefined && (format.decimalChar !== ',' || decimalCommaShape(text) >= 0);
  return textToNumber(text, field.type, written ? format : undefined);
}

function searchTest(needle: string, fields: readonly Field[]): RowTest {
  return (batch, _cols, i) => {
    for (let j = 0; j < batch.columns.length; j++) {
      const text = cellDisplay(batch.columns[j], i, fields[batch.fieldIndexes[j]]);
      if (text !== null && text.toLowerCase().includes(needle)) { return true; }
    }
    return false;
  };
}
