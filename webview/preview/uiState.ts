// The UI state the preview persists through getState/setState (never data), and its validation on restore.
import type { ColumnFilter, FieldDto, SortDirection, SortKey, ViewSpec } from '../../src/shared/protocol';

/** Columns are remembered by name (and position, for duplicate names) so state survives a changed file. */
export interface ColumnRef { name: string; index: number }

export type SavedFilter = ColumnRef & { filter: DistributiveOmit<ColumnFilter, 'field'> };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type PaneName = 'data' | 'profile';

export interface UiState {
  v: 1;
  topRow: number;
  scrollLeft: number;
  sort: (ColumnRef & { direction: SortDirection })[];
  filters: SavedFilter[];
  search: string;
  selectedColumn: ColumnRef | null;
  focus: { row: number; column: ColumnRef } | null;
  pane: PaneName;
  widths: Record<string, number>;
}

export function emptyUiState(): UiState {
  return { v: 1, topRow: 0, scrollLeft: 0, sort: [], filters: [], search: '', selectedColumn: null, focus: null, pane: 'data', widths: {} };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIdx = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isRef = (v: unknown): v is ColumnRef => isObj(v) && typeof v.name === 'string' && isIdx(v.index);

function isSavedFilter(v: unknown): v is SavedFilter {
  if (!isRef(v) || !isObj((v as unknown as Obj).filter)) { return false; }
  const f = (v as unknown as { filter: Obj }).filter;
  switch (f.op) {
    case 'equals': case 'contains': return typeof f.value === 'string';
    case 'range': return ['number', 'string', 'undefined'].includes(typeof f.min) && ['number', 'string', 'undefined'].includes(typeof f.max);
    case 'missing': case 'present': return true;
    default: return false;
  }
}

/** Whatever getState returned (possibly from an older version, or nothing) as a valid UiState. */
export function restoreUiState(raw: unknown): UiState {
  const s = emptyUiState();
  if (!isObj(raw) || raw.v !== 1) { return s; }
  if (isIdx(raw.topRow)) { s.topRow = raw.topRow; }
  if (typeof raw.scrollLeft === 'number' && raw.scrollLeft >= 0) { s.scrollLeft = raw.scrollLeft; }
  if (Array.isArray(raw.sort)) {
    s.sort = raw.sort.filter((k): k is UiState['sort'][number] => isRef(k) && isObj(k) && (k.direction === 'asc' || k.direction === 'desc'));
  }
  if (Array.isArray(raw.filters)) { s.filters = raw.filters.filter(isSavedFilter); }
  if (typeof raw.search === 'string') { s.search = raw.search; }
  if (isRef(raw.selectedColumn)) { s.selectedColumn = raw.selectedColumn; }
  if (isObj(raw.focus) && isIdx(raw.focus.row) && isRef(raw.focus.column)) { s.focus = { row: raw.focus.row, column: raw.focus.column }; }
  if (raw.pane === 'profile') { s.pane = 'profile'; }
  if (isObj(raw.widths)) {
    for (const [k, w] of Object.entries(raw.widths)) { if (typeof w === 'number' && w >= 30 && w <= 2000) { s.widths[k] = w; } }
  }
  return s;
}

/** The field a remembered column points to now: same name at the same position, else the only field of that name. */
export function resolveColumn(ref: ColumnRef, fields: readonly FieldDto[]): number | null {
  if (fields[ref.index]?.name === ref.name) { return ref.index; }
  const matches = fields.flatMap((f, i) => (f.name === ref.name ? [i] : []));
  return matches.length === 1 ? matches[0] : null;
}

export function columnRef(field: number, fields: readonly FieldDto[]): ColumnRef {
  return { name: fields[field]?.name ?? '', index: field };
}

/** The protocol view for saved sort and filters; columns that no longer exist are dropped. */
export function viewFromState(s: UiState, fields: readonly FieldDto[]): ViewSpec {
  const sort: SortKey[] = [];
  for (const k of s.sort) {
    const field = resolveColumn(k, fields);
    if (field !== null) { sort.push({ field, direction: k.direction }); }
  }
  const columns: ColumnFilter[] = [];
  for (const f of s.filters) {
    const field = resolveColumn(f, fields);
    if (field !== null) { columns.push({ ...f.filter, field } as ColumnFilter); }
  }
  const view: ViewSpec = {};
  if (sort.length) { view.sort = sort; }
  if (columns.length || s.search) { view.filter = { columns, ...(s.search ? { search: s.search } : {}) }; }
  return view;
}

export function isNaturalView(v: ViewSpec): boolean {
  return !v.sort?.length && !v.filter?.columns.length && !v.filter?.search;
}

/** A stable key for a view, to name cached pages. */
export function viewKey(v: ViewSpec): string {
  return isNaturalView(v) ? '' : JSON.stringify([v.sort ?? [], v.filter?.columns ?? [], v.filter?.search ?? '']);
}
