// The diff panel's contract between the extension host and its webview: message types and the diff
// they carry. Imports nothing; the webview may only `import type` from here.
//
// Who sends what, and when:
// - The webview posts `ready` once its script runs; the host answers `init` (titles, the request), then
//   `progress` while the diff runs and finally `result`, `error` or `cancelled`.
// - The webview posts `cancel` to stop a running diff and `rerun` to start it again (after an error or
//   a cancel, or with another key or epsilon). A panel restored after a reload gets `init` and a fresh run.
// - The webview keeps only UI state (tab, filter, scroll) and the request with `setState`; the diff itself
//   is always computed again.

/** One side of a comparison: a file, optionally at a git revision. */
export interface DiffSideRequest {
  /** Absolute file system path. */
  path: string;
  rev?: string;
  /** How the panel names it, e.g. `data/events.csv @ HEAD~1` or `working copy`. */
  label: string;
}

export interface DiffRequest {
  a: DiffSideRequest;
  b: DiffSideRequest;
  key?: string[];
  epsilon?: number;
}

export type DiffLogicalType = 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'time' | 'string' | 'binary' | 'json';

export interface DiffSideDto {
  label: string;
  exists: boolean;
  format: string | null;
  rows: number;
  columns: number;
}

export interface DiffRowCounts { added: number; removed: number; changed: number; unchanged: number }

export interface DiffStatsDto {
  rows: number;
  missing: number;
  missingShare: number;
  distinct: number;
  distinctApprox: boolean;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  quantiles: { p5: number | null; p25: number | null; p50: number | null; p75: number | null; p95: number | null } | null;
}

export interface DiffDriftDto {
  kind: 'numeric' | 'categorical';
  before: DiffStatsDto;
  after: DiffStatsDto;
  psi: number | null;
  ks: number | null;
  drifted: boolean;
  histogram: { labels: string[]; before: number[]; after: number[] } | null;
}

export type DiffColumnStatus = 'common' | 'added' | 'removed' | 'renamed';

export interface DiffColumnDto {
  name: string;
  status: DiffColumnStatus;
  nameBefore?: string;
  typeBefore: DiffLogicalType | null;
  typeAfter: DiffLogicalType | null;
  changedCells: number;
  drift: DiffDriftDto | null;
}

export type DiffChangeType = 'added' | 'removed' | 'changed';

export interface DiffChangeDto {
  type: DiffChangeType;
  rowA: number | null;
  rowB: number | null;
  key: (string | null)[] | null;
  /** Parallel to `columns`. */
  values: (string | null)[];
  changed?: number[];
  old?: (string | null)[];
}

export interface DiffDto {
  diffVersion: 1;
  a: DiffSideDto;
  b: DiffSideDto;
  identical: boolean;
  key: { columns: string[] | null; source: 'option' | 'primaryKey' | 'detected' | 'content'; note: string };
  schema: {
    rowsBefore: number; rowsAfter: number; columnsBefore: number; columnsAfter: number;
    added: string[]; removed: string[]; renamed: { from: string; to: string }[]; reordered: string[];
    typeChanged: { name: string; from: DiffLogicalType; to: DiffLogicalType }[];
    /** Same type, values written differently: `1234.5` → `1,234.5`, `ISO 8601` → `%d/%m/%Y`. */
    formatChanged: { name: string; type: DiffLogicalType; from: string; to: string }[];
  };
  rows: DiffRowCounts;
  columns: DiffColumnDto[];
  duplicateKeys: { a: number; b: number; missingA: number; missingB: number; examples: { side: 'a' | 'b'; key: (string | null)[]; rows: number[] }[] } | null;
  changes: DiffChangeDto[];
  omitted: DiffRowCounts;
  epsilon: number;
  thresholds: { psi: number; ks: number };
  warnings: string[];
  partitions: number;
  elapsedMs: number;
}

// ---- messages ------------------------------------------------------------------------------------

export type DiffHostMessage =
  | { type: 'init'; title: string; request: DiffRequest }
  | { type: 'progress'; fraction: number | null; label: string }
  | { type: 'result'; diff: DiffDto }
  | { type: 'error'; message: string }
  | { type: 'cancelled' };

export type DiffHostMessageType = DiffHostMessage['type'];

export type DiffWebviewMessage =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'rerun'; key?: string[]; epsilon?: number };

/** What the webview persists with `setState` (the serializer hands it back after a reload). */
export interface DiffPanelState {
  request: DiffRequest;
  tab?: 'rows' | 'drift';
  filter?: DiffChangeType | 'all';
  scrollTop?: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isSide(v: unknown): v is DiffSideRequest {
  return isObj(v) && typeof v.path === 'string' && typeof v.label === 'string' && (v.rev === undefined || typeof v.rev === 'string');
}

export function isDiffRequest(v: unknown): v is DiffRequest {
  return isObj(v) && isSide(v.a) && isSide(v.b)
    && (v.key === undefined || (Array.isArray(v.key) && v.key.every(k => typeof k === 'string')))
    && (v.epsilon === undefined || (typeof v.epsilon === 'number' && v.epsilon >= 0));
}

/** Guards an inbound webview message on the host. */
export function isDiffWebviewMessage(m: unknown): m is DiffWebviewMessage {
  if (!isObj(m)) { return false; }
  switch (m.type) {
    case 'ready': case 'cancel': return true;
    case 'rerun':
      return (m.key === undefined || (Array.isArray(m.key) && m.key.every(k => typeof k === 'string')))
        && (m.epsilon === undefined || (typeof m.epsilon === 'number' && m.epsilon >= 0));
    default: return false;
  }
}

/** The state a restored panel had, when it is well formed. */
export function diffPanelStateOf(v: unknown): DiffPanelState | null {
  return isObj(v) && isDiffRequest(v.request) ? v as unknown as DiffPanelState : null;
}
