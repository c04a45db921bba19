// The host <-> webview contract of the data preview: every message, DTO and inbound guard. Imports nothing.
//
// ## Transport
// Messages travel through `webview.postMessage` / `acquireVsCodeApi().postMessage`. VS Code serialises
// them as JSON, except that ArrayBuffers and typed arrays (including BigInt64Array) are carried as
// binary and arrive as typed arrays of the same kind. Consequences the host must respect:
// - never put a `bigint` scalar in a message (JSON.stringify throws); 64-bit integers travel only
//   inside `BigInt64Array` columns, and profile figures are `number` (or `string` where exactness matters);
// - `NaN`/`Infinity` become `null`: every statistic that can be undefined is typed `number | null`;
// - a typed array sends its whole underlying buffer: send compact arrays (`slice`, not `subarray`
//   of a large buffer).
//
// ## Handshake and lifetime
// 1. The webview loads and sends `ready`. 2. The host answers `init` (schema, row count, file version).
// 3. The webview asks for `rows`, `view`s and a `profile` by request id (ids are unique per webview
//    load); the host answers each request with zero or more `progress` messages, then exactly one
//    terminal message for that id: `rows` | `viewReady` | `profile` (see ProfileRequest) | `cancelled` | `error`.
//    Requests carry the `fileVersion` they were made for; the host answers `cancelled` for a stale one.
// 4. `cancel { requestId }` stops a request; the host confirms with `cancelled` (or nothing if it had
//    already answered). The webview cancels rows it scrolled past and a view it replaced by another.
// 5. `fileChanged` replaces `init` when the file changes on disk; every earlier request id is void.
// Sending `ready` again (after the webview reloads) must produce a fresh `init`.
// The webview keeps only UI state (`getState`/`setState`); data is always fetched again.
//
// What the webview sends on its own: `profile { full: false }` right after `init` (header charts),
// `profile { full: true }` when the Profile tab opens, `view` when sort/filter/search change (only
// for a non-natural view; natural order needs no request), and `rows` pages of 200 rows (all
// columns, or blocks of 48 columns for wide datasets) around what is on screen.
//
// ## HTML the host must serve (see webview/preview/index.html for the reference template)
// - CSP: `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource} 'nonce-${nonce}';
//   font-src ${cspSource}; script-src 'nonce-${nonce}'` (no `unsafe-*`).
// - `<style nonce>` holding dist/webview/preview.css and, at the end of body, `<script nonce>` holding
//   dist/webview/preview.js (both written into the page; see src/vscode/inlineText.ts).
// - `<div id="strata-preview" data-codicons="${codiconsUri}" data-controls="${controlsUri}"></div>`: the webview
//   builds its whole UI inside this element. codiconsUri is `dist/webview/codicons/codicon.css` (the script links it
//   with the id `vscode-codicon-stylesheet`, which the icon element of @vscode-elements needs); controlsUri is
//   `dist/webview/preview-controls.js`, loaded with the page's nonce once the first rows are drawn.
// - `localResourceRoots`: `dist/webview` and `media` only; `enableScripts: true`, command URIs off.

// ---------------------------------------------------------------------------------------------
// Schema and data

/** Dataset formats (mirrors core's DatasetFormat). */
export type PreviewFormat = 'csv' | 'tsv' | 'parquet' | 'arrow' | 'jsonl';

/** Logical types (mirrors core's LogicalType). `json` holds nested values as JSON text. */
export type PreviewType = 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'time' | 'string' | 'binary' | 'json';

export interface FieldDto {
  name: string;
  type: PreviewType;
  nullable: boolean;
  /** The format's own type name, e.g. `INT96`, `Decimal(10,2)` (shown in the header tooltip). */
  sourceType?: string;
  /** A `number` column of delimited text written with a decimal comma or thousands groups (`1.234,5`, `1,234.5`): how. */
  numberFormat?: NumberFormatDto;
  /**
   * A `date` or `datetime` column of delimited text written in a layout other than ISO 8601: its strptime pattern
   * (`%d/%m/%Y`), as a Table Schema's `format` (mirrors core's Field.temporalFormat).
   */
  temporalFormat?: string;
}

/** How numbers are written when not as `1234.5` (mirrors core's NumberFormat: Frictionless' `decimalChar`, `groupChar`). */
export interface NumberFormatDto {
  decimalChar: string;
  groupChar?: string;
}

export interface RowCountDto {
  value: number;
  /** False while the value is an estimate (CSV before its row index completes). */
  exact: boolean;
}

/**
 * One column of a batch; the same shape as core's `ColumnData`, so a core batch can be posted as is.
 * - `number`: Float64 values; booleans are 0/1, `date`/`datetime` are epoch milliseconds (UTC),
 *   `time` is milliseconds since midnight.
 * - `bigint`: 64-bit integers kept exactly.
 * - `text`: UTF-8 bytes; cell i is `bytes[offsets[i]..offsets[i+1])`, so `offsets.length === rowCount + 1`.
 * `valid[i] === 0` marks a missing value (distinct from an empty string, which is valid with no bytes).
 */
export type ColumnDataDto =
  | { kind: 'number'; values: Float64Array; valid: Uint8Array }
  | { kind: 'bigint'; values: BigInt64Array; valid: Uint8Array }
  | { kind: 'text'; bytes: Uint8Array; offsets: Uint32Array; valid: Uint8Array };

/** A window of rows, columnar (the same shape as core's `ColumnBatch`). */
export interface ColumnBatchDto {
  /** Position of the first row within the requested view (natural order: the 0-based row index). */
  rowStart: number;
  rowCount: number;
  /** Field indexes, parallel to `columns`. */
  fieldIndexes: number[];
  columns: ColumnDataDto[];
}

// ---------------------------------------------------------------------------------------------
// Views: sort and filter, computed by the host over the whole dataset

export type SortDirection = 'asc' | 'desc';

export interface SortKey {
  /** Field index. */
  field: number;
  direction: SortDirection;
}

/**
 * A per-column filter. Comparisons are on the typed value: `equals` compares the cell's display text
 * for text columns and the parsed number/date for others; `contains` is case-insensitive on the text;
 * `range` bounds are inclusive, numbers for numeric columns, ISO-8601 strings for dates and datetimes
 * (either bound may be absent). `missing` / `present` test for missing values only.
 */
export type ColumnFilter =
  | { field: number; op: 'equals'; value: string }
  | { field: number; op: 'contains'; value: string }
  | { field: number; op: 'range'; min?: number | string; max?: number | string }
  | { field: number; op: 'missing' }
  | { field: number; op: 'present' };

export type ColumnFilterOp = ColumnFilter['op'];

/** All conditions hold (AND). `search` matches rows where any cell's text contains it, case-insensitive. */
export interface FilterSpec {
  columns: ColumnFilter[];
  search?: string;
}

/** The order and subset of rows the webview looks at. Both absent or empty means natural order. */
export interface ViewSpec {
  /** Keys in priority order; ties keep natural order (stable). Missing values sort last in both directions. */
  sort?: SortKey[];
  filter?: FilterSpec;
}

// ---------------------------------------------------------------------------------------------
// Profile
//
// These shapes are a structural subset of core's `DatasetProfile` (src/core/profile/profileTypes.ts):
// a core profile object can be posted as is (it is plain JSON), and extra fields are ignored.

/** ydata-profiling's alert vocabulary, so reports look familiar. */
export type ProfileAlert =
  | 'CONSTANT' | 'ZEROS' | 'HIGH_CARDINALITY' | 'UNSUPPORTED' | 'DUPLICATES' | 'SKEWED'
  | 'IMBALANCE' | 'MISSING' | 'INFINITE' | 'UNIQUE' | 'CONSTANT_LENGTH' | 'UNIFORM' | 'EMPTY';

/** Equal-width bins: `edges.length === counts.length + 1`; bin i is [edges[i], edges[i+1]) (last bin closed). */
export interface HistogramDto {
  edges: number[];
  counts: number[];
  approx?: boolean;
}

export interface ValueCount {
  /** The value as text (numbers in JavaScript's shortest form, dates as ISO-8601). */
  value: string;
  count: number;
}

export interface QuantilesDto {
  p1: number | null; p5: number | null; p25: number | null; p50: number | null;
  p75: number | null; p95: number | null; p99: number | null;
}

export interface NumberStatsDto {
  /** For time columns, numbers are milliseconds since midnight. */
  min: number | null;
  max: number | null;
  /** `min` and `max` with every digit, as text, when their double rounds them (e.g. integers beyond ±2^53). */
  minExact?: string | null;
  maxExact?: string | null;
  mean: number | null;
  std: number | null;
  sum: number | null;
  skewness?: number | null;
  kurtosis?: number | null;
  quantiles: QuantilesDto;
  /** True when quantiles come from a sketch (full pass) or a sample (quick pass). */
  quantilesApprox: boolean;
  zeros: number;
  negatives: number;
  infinite: number;
  histogram: HistogramDto;
  /** IQR rule: values below `lower` (Q1 - 1.5 IQR) or above `upper` (Q3 + 1.5 IQR). */
  outliers: { count: number; lower: number | null; upper: number | null; approx?: boolean };
}

export interface StringStatsDto {
  /** Lengths in Unicode code points. */
  minLength: number | null;
  maxLength: number | null;
  meanLength: number | null;
  /** Values of length 0 (not missing). */
  empty: number;
  /** Values made only of whitespace. */
  whitespace: number;
  /** Shapes of values: letters as `A`/`a`, digits as `9`, runs collapsed, e.g. `Aa 9` (up to 10). */
  patterns: ValueCount[];
  patternsApprox?: boolean;
}

export type DatePeriod = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface DateStatsDto {
  /** ISO-8601 (dates `YYYY-MM-DD`, datetimes with `T...Z`). */
  min: string | null;
  max: string | null;
  /** The period the histogram counts by, chosen from the range. */
  period: DatePeriod;
  histogram: { start: string; count: number }[];
  /** Periods of `unit` (default: `period`) inside [min, max] with no value; `largest` is the longest run of them. */
  gaps: { unit?: DatePeriod; count: number; largest: { from: string; to: string; periods?: number } | null };
}

export interface ColumnProfileDto {
  field: number;
  name: string;
  /** The declared type (CSV: inferred from a sample when the file is opened). */
  type?: PreviewType;
  /** The type the statistics were computed as. */
  inferredType: PreviewType;
  /** Non-missing values. */
  count: number;
  missing: number;
  distinct: number;
  /** True beyond the exact bound (HyperLogLog estimate) or when computed from a sample. */
  distinctApprox: boolean;
  /** Fraction 0..1 of non-missing values that parse as the type; null when not measured. */
  typeConsistency: number | null;
  /** Non-missing values that do not parse as the type, and a few of them. */
  invalid?: number;
  invalidExamples?: string[];
  /** Up to 10 most frequent values, most frequent first. */
  top: ValueCount[];
  /** True when `top` counts are estimates (sketch lower bounds or a sample). */
  topApprox: boolean;
  number?: NumberStatsDto;
  string?: StringStatsDto;
  date?: DateStatsDto;
  /** Estimated bytes of this column as in-memory arrays. */
  memoryBytes?: number;
  alerts: ProfileAlert[];
}

export type QualityDimensionName = 'completeness' | 'uniqueness' | 'validity' | 'consistency' | 'timeliness' | 'accuracy';

export interface QualityDimensionDto {
  /** 0..1, or null when not assessed (e.g. validity and accuracy without a schema). */
  score: number | null;
  /** What was measured, one sentence, e.g. "non-missing cells / all cells". */
  measured: string;
  /** Names of the columns that pull the score down most, worst first (up to 5). */
  worstColumns: string[];
}

export type QualitySummaryDto = Record<QualityDimensionName, QualityDimensionDto>;

export interface DatasetProfileDto {
  /** True for the quick figures from a sample; false for the exact full pass. */
  sample: boolean;
  /** Rows the figures were computed from (all rows when `sample` is false). */
  rowsProfiled: number;
  rows: RowCountDto;
  columns: number;
  /** Rows equal to an earlier row; null when not computed. */
  duplicateRows: number | null;
  /** False when `duplicateRows` is an estimate. */
  duplicateRowsExact?: boolean;
  /** Estimated in-memory size of the dataset as columnar arrays, in bytes; null when unknown. */
  memoryBytes: number | null;
  columnProfiles: ColumnProfileDto[];
  quality: QualitySummaryDto;
  /** Dataset-level alerts (DUPLICATES, EMPTY). */
  alerts?: ProfileAlert[];
  /** Wall time of this pass in milliseconds. */
  elapsedMs: number;
}

// ---------------------------------------------------------------------------------------------
// Host -> webview

/** How delimited text is read, in words: sniffed from the file, or as a data package's Table Dialect declares. */
export interface CsvReadingDto {
  /** After the format's name in the status bar: the delimiter where it is not the format's own (` (semicolon)`), else empty. */
  hint: string;
  /** The whole reading, for the tooltip (`Read as comma-separated, with a header row; sniffed from the file`). */
  line: string;
}

export interface InitMessage {
  type: 'init';
  /** Shown in the status bar, e.g. the file name. */
  title: string;
  format: PreviewFormat;
  fields: FieldDto[];
  rowCount: RowCountDto;
  /** Increases whenever the file changes; answers for an older version are ignored. */
  fileVersion: number;
  /** Where a Table Schema came from (path), when one applies. */
  schemaSource?: string;
  /** Delimited text: how it is read (shown in the status bar). */
  reading?: CsvReadingDto;
  /** True when `revealRow` means something (delimited text with a text editor). */
  canRevealRows: boolean;
  /** Non-fatal problems found on open (ragged rows, encoding), one line each. */
  warnings?: string[];
  /**
   * The first page of the natural order (rows from 0, at most `PAGE_ROWS`; the first `COLUMN_BLOCK` fields), read
   * while the webview was loading, so the grid can show data without asking. Absent when it could not be read.
   */
  firstRows?: ColumnBatchDto;
}

/** The file changed on disk: same payload as `init`. The webview keeps scroll, sort and filter where the columns still exist. */
export interface FileChangedMessage extends Omit<InitMessage, 'type'> {
  type: 'fileChanged';
}

/** The row count became exact (or its estimate moved) without the file changing. */
export interface RowCountMessage {
  type: 'rowCount';
  fileVersion: number;
  rowCount: RowCountDto;
}

export interface RowsMessage {
  type: 'rows';
  requestId: number;
  batch: ColumnBatchDto;
  /**
   * For a sorted or filtered view: the 0-based source row index of each row in the batch
   * (Float64Array, length `batch.rowCount`). Absent in natural order (source row = position).
   */
  sourceRows?: Float64Array;
}

export interface ViewReadyMessage {
  type: 'viewReady';
  requestId: number;
  /** Rows in the view (after filtering). */
  rowCount: number;
}

export interface ProgressMessage {
  type: 'progress';
  requestId: number;
  /** 0..1, or null when unknown (indeterminate). */
  fraction: number | null;
  /** Short, e.g. "Sorting 3.2M of 100M rows". */
  label: string;
}

/** A profile for a `profile` request; the quick one (`sample: true`) may precede the full one. */
export interface ProfileMessage {
  type: 'profile';
  requestId: number;
  profile: DatasetProfileDto;
}

/** The request was cancelled (by `cancel` or because the file changed); terminal for that id. */
export interface CancelledMessage {
  type: 'cancelled';
  requestId: number;
}

/** Terminal for `requestId` when given; otherwise a problem with the document itself (shown as a banner). */
export interface ErrorMessage {
  type: 'error';
  requestId?: number;
  message: string;
}

/** The text editor's cursor moved to this source row (0-based, header excluded). */
export interface HighlightRowMessage {
  type: 'highlightRow';
  row: number;
}

/**
 * What a command of the grid's context menu does. The menu is VS Code's own (`webview/context` in package.json): a
 * right-click or the context-menu key sets `data-vscode-context` on the grid (see `GridContext`) before VS Code reads
 * it; the command it runs asks the host to post this back to the preview that showed the menu.
 */
export type ContextAction =
  | 'sortAsc' | 'sortDesc' | 'clearSort' | 'filter' | 'filterValue'
  | 'copy' | 'copyCsv' | 'copyMarkdown' | 'copyColumnName' | 'revealRow' | 'profileColumn';

export const CONTEXT_ACTIONS: readonly ContextAction[] = [
  'sortAsc', 'sortDesc', 'clearSort', 'filter', 'filterValue', 'copy', 'copyCsv', 'copyMarkdown', 'copyColumnName', 'revealRow',
  'profileColumn',
];

/**
 * The grid's `data-vscode-context` when its context menu opens, which VS Code passes to the menu's `when` clauses
 * and, with `webview` (the view type) added, to the command chosen. `webviewSection` is `column` for a header,
 * `cell` for a data cell (which then holds the focus) and `grid` elsewhere (no Strata items).
 */
export interface GridContext {
  webviewSection: 'column' | 'cell' | 'grid';
  preventDefaultContextMenuItems: true;
  /** Field index of the header or cell. */
  field?: number;
  /** View row of the cell. */
  row?: number;
  /** The view is sorted by this column (offers Clear Sort). */
  strataColumnSorted?: boolean;
  /** Rows can be revealed in the text editor (delimited text). */
  strataCanRevealRows?: boolean;
}

/** A context-menu command for the column `field` (and the cell at view row `row`, for cell commands). */
export interface ContextActionMessage {
  type: 'contextAction';
  action: ContextAction;
  field: number;
  row?: number;
}

export type HostMessage =
  | InitMessage | FileChangedMessage | RowCountMessage | RowsMessage | ViewReadyMessage | ProgressMessage
  | ProfileMessage | CancelledMessage | ErrorMessage | HighlightRowMessage | ContextActionMessage;

export type HostMessageType = HostMessage['type'];

// ---------------------------------------------------------------------------------------------
// Webview -> host

export interface ReadyMessage {
  type: 'ready';
}

/**
 * Rows `[start, start + count)` of a view, answered by one `rows` message whose `batch.rowStart` is
 * `start` and whose `fieldIndexes` are `columns` (all fields, in order, when absent). `view` is the same spec last acknowledged by `viewReady`
 * (or empty for natural order); a host that no longer has it computed computes it again first.
 * `columns`: field indexes to return (all when absent). The answer may hold fewer rows at the end.
 */
export interface RowsRequest {
  type: 'rows';
  requestId: number;
  fileVersion: number;
  start: number;
  count: number;
  columns?: number[];
  view: ViewSpec;
}

/** Compute a sorted and/or filtered view over the whole dataset; answered by `viewReady`. */
export interface ViewRequest {
  type: 'view';
  requestId: number;
  fileVersion: number;
  view: ViewSpec;
}

/**
 * Profile the dataset. The host first answers a `profile` with `sample: true` (quick figures from the
 * first rows), which is terminal when `full` is false. When `full` is true it then sends `progress`
 * and finally a `profile` with `sample: false` (terminal); a small dataset may get only that one.
 */
export interface ProfileRequest {
  type: 'profile';
  requestId: number;
  fileVersion: number;
  full: boolean;
}

export interface CancelRequest {
  type: 'cancel';
  requestId: number;
}

/** Fallback when the webview's own clipboard write fails: the host writes `text` to the clipboard. */
export interface CopyRequest {
  type: 'copy';
  text: string;
  format: CopyFormat;
}

export type CopyFormat = 'tsv' | 'csv' | 'markdown';

/** Reveal a source row (0-based, header excluded) in the text editor; only sent when `canRevealRows`. */
export interface RevealRowRequest {
  type: 'revealRow';
  row: number;
}

/** Save the last full profile (Markdown data dictionary or JSON); the host asks where. */
export interface ExportProfileRequest {
  type: 'exportProfile';
  format: 'markdown' | 'json';
}

export type WebviewMessage =
  | ReadyMessage | RowsRequest | ViewRequest | ProfileRequest | CancelRequest | CopyRequest
  | RevealRowRequest | ExportProfileRequest;

export type WebviewMessageType = WebviewMessage['type'];

// ---------------------------------------------------------------------------------------------
// Guards for messages arriving at the host (the webview is input like any other).

/** Rows per page of the webview's row cache: its `rows` requests ask for pages of this many rows. */
export const PAGE_ROWS = 200;
/** Fields per `rows` request when a dataset is wide, so a window of 10,000 columns never travels at once. */
export const COLUMN_BLOCK = 48;

/** Upper bound on rows per `rows` request, so one message stays small. */
export const MAX_ROWS_PER_REQUEST = 10_000;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isRequestId(v: unknown): v is number {
  return isIndex(v);
}

function isOptional<T>(v: unknown, guard: (x: unknown) => x is T): boolean {
  return v === undefined || guard(v);
}

function isBound(v: unknown): v is number | string {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string';
}

export function isSortKey(v: unknown): v is SortKey {
  return isObject(v) && isIndex(v.field) && (v.direction === 'asc' || v.direction === 'desc');
}

export function isColumnFilter(v: unknown): v is ColumnFilter {
  if (!isObject(v) || !isIndex(v.field)) { return false; }
  switch (v.op) {
    case 'equals':
    case 'contains': return typeof v.value === 'string';
    case 'range': return isOptional(v.min, isBound) && isOptional(v.max, isBound);
    case 'missing':
    case 'present': return true;
    default: return false;
  }
}

export function isFilterSpec(v: unknown): v is FilterSpec {
  return isObject(v) && Array.isArray(v.columns) && v.columns.every(isColumnFilter)
    && (v.search === undefined || typeof v.search === 'string');
}

export function isViewSpec(v: unknown): v is ViewSpec {
  return isObject(v)
    && (v.sort === undefined || (Array.isArray(v.sort) && v.sort.every(isSortKey)))
    && isOptional(v.filter, isFilterSpec);
}

export function isReadyMessage(v: unknown): v is ReadyMessage {
  return isObject(v) && v.type === 'ready';
}

export function isRowsRequest(v: unknown): v is RowsRequest {
  return isObject(v) && v.type === 'rows' && isRequestId(v.requestId) && isIndex(v.fileVersion)
    && isIndex(v.start) && isIndex(v.count) && v.count <= MAX_ROWS_PER_REQUEST
    && (v.columns === undefined || (Array.isArray(v.columns) && v.columns.every(isIndex)))
    && isViewSpec(v.view);
}

export function isViewRequest(v: unknown): v is ViewRequest {
  return isObject(v) && v.type === 'view' && isRequestId(v.requestId) && isIndex(v.fileVersion) && isViewSpec(v.view);
}

export function isProfileRequest(v: unknown): v is ProfileRequest {
  return isObject(v) && v.type === 'profile' && isRequestId(v.requestId) && isIndex(v.fileVersion) && typeof v.full === 'boolean';
}

export function isCancelRequest(v: unknown): v is CancelRequest {
  return isObject(v) && v.type === 'cancel' && isRequestId(v.requestId);
}

export function isCopyRequest(v: unknown): v is CopyRequest {
  return isObject(v) && v.type === 'copy' && typeof v.text === 'string'
    && (v.format === 'tsv' || v.format === 'csv' || v.format === 'markdown');
}

export function isRevealRowRequest(v: unknown): v is RevealRowRequest {
  return isObject(v) && v.type === 'revealRow' && isIndex(v.row);
}

export function isExportProfileRequest(v: unknown): v is ExportProfileRequest {
  return isObject(v) && v.type === 'exportProfile' && (v.format === 'markdown' || v.format === 'json');
}

/** The one guard the host needs: true when `v` is a well-formed message from the preview webview. */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObject(v)) { return false; }
  switch (v.type) {
    case 'ready': return isReadyMessage(v);
    case 'rows': return isRowsRequest(v);
    case 'view': return isViewRequest(v);
    case 'profile': return isProfileRequest(v);
    case 'cancel': return isCancelRequest(v);
    case 'copy': return isCopyRequest(v);
    case 'revealRow': return isRevealRowRequest(v);
    case 'exportProfile': return isExportProfileRequest(v);
    default: return false;
  }
}

const hostMessageTypes: ReadonlySet<string> = new Set<HostMessageType>([
  'init', 'fileChanged', 'rowCount', 'rows', 'viewReady', 'progress', 'profile', 'cancelled', 'error', 'highlightRow',
  'contextAction',
]);

/**
 * A shallow check of a host message's discriminant (for tests and tools; the webview itself may only
 * import types from this file, so it carries its own equivalent check).
 */
export function isHostMessage(v: unknown): v is HostMessage {
  return isObject(v) && typeof v.type === 'string' && hostMessageTypes.has(v.type);
}
