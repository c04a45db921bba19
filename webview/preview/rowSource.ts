// Windows of rows fetched from the host by request: pages of rows x blocks of columns, kept in an LRU cache.
import type {
  ColumnBatchDto, ColumnDataDto, COLUMN_BLOCK as HOST_COLUMN_BLOCK, PAGE_ROWS as HOST_PAGE_ROWS, RowsMessage, ViewSpec,
} from '../../src/shared/protocol';
import type { HostClient } from './hostClient';
import { LruCache } from './lruCache';
import { isNaturalView } from './uiState';

export type CellValue = number | bigint | string | null;

// the host reads the first page before it is asked (InitMessage.firstRows) with the protocol's geometry: the
// types make these equal to it
export const PAGE_ROWS: typeof HOST_PAGE_ROWS = 200;
/** Columns per request when a dataset is wide, so a window of 10,000 columns never travels at once. */
export const COLUMN_BLOCK: typeof HOST_COLUMN_BLOCK = 48;
const CACHE_PAGES = 160;
/** Bound on rows per request for copies of larger ranges. */
const FETCH_CHUNK = 5000;

interface Page {
  start: number;
  rowCount: number;
  columns: Map<number, ColumnDataDto>;
  sourceRows: Float64Array | null;
}

interface PendingPage { requestId: number; key: string; page: number }
interface PendingFetch { resolve: (p: Page) => void; reject: (e: Error) => void }

export type RowState = 'loaded' | 'loading' | 'failed' | 'absent';

const decoder = new TextDecoder();

export function cellAt(col: ColumnDataDto, i: number): CellValue {
  if (col.valid[i] !== 1) { return null; }
  switch (col.kind) {
    case 'number': return col.values[i];
    case 'bigint': return col.values[i];
    case 'text': return decoder.decode(col.bytes.subarray(col.offsets[i], col.offsets[i + 1]));
  }
}

export class RowSource {
  private readonly cache = new LruCache<string, Page>(CACHE_PAGES);
  private readonly pendingByKey = new Map<string, PendingPage>();
  private readonly pendingById = new Map<number, PendingPage>();
  private readonly fetches = new Map<number, PendingFetch>();
  private readonly failed = new Set<string>();
  private fileVersion = 0;
  private fieldCount = 0;
  private view: ViewSpec = {};
  private rows = 0;
  private natural = true;

  constructor(
    private readonly client: HostClient,
    private readonly onChange: () => void,
    private readonly onError: (message: string) => void,
  ) {}

  /** A new file version or view: drop every page and in-flight request. */
  reset(options: { fileVersion: number; fieldCount: number; view: ViewSpec; rowCount: number }): void {
    for (const id of [...this.pendingById.keys(), ...this.fetches.keys()]) { this.client.post({ type: 'cancel', requestId: id }); }
    for (const f of this.fetches.values()) { f.reject(new Error('The data changed while copying.')); }
    this.pendingById.clear();
    this.pendingByKey.clear();
    this.fetches.clear();
    this.cache.clear();
    this.failed.clear();
    this.fileVersion = options.fileVersion;
    this.fieldCount = options.fieldCount;
    this.view = options.view;
    this.natural = isNaturalView(options.view);
    this.rows = options.rowCount;
  }

  setRowCount(rows: number): void { this.rows = rows; }
  get rowCount(): number { return this.rows; }

  private blocks(): number { return Math.max(1, Math.ceil(this.fieldCount / COLUMN_BLOCK)); }
  private static key(page: number, block: number): string { return `${page}:${block}`; }

  private page(row: number, field: number): Page | undefined {
    return this.cache.peek(RowSource.key(Math.floor(row / PAGE_ROWS), Math.floor(field / COLUMN_BLOCK)));
  }

  /** The value of a cell, or undefined while its page is not here. */
  cell(row: number, field: number): CellValue | undefined {
    const p = this.page(row, field);
    if (!p) { return undefined; }
    const i = row - p.start;
    const col = p.columns.get(field);
    if (i < 0 || i >= p.rowCount || !col) { return undefined; }
    return cellAt(col, i);
  }

  /** The 0-based source row shown at view position `row`, once any page holding it has arrived. */
  sourceRow(row: number): number | undefined {
    // natural order needs no lookup, so row numbers show even before their page arrives
    if (this.natural) { return row < this.rows ? row : undefined; }
    const pageIndex = Math.floor(row / PAGE_ROWS);
    for (let b = 0; b < this.blocks(); b++) {
      const p = this.cache.peek(RowSource.key(pageIndex, b));
      if (p) {
        const i = row - p.start;
        if (i < 0 || i >= p.rowCount) { return undefined; }
        return p.sourceRows ? p.sourceRows[i] : row;
      }
    }
    return undefined;
  }

  rowState(row: number, field: number): RowState {
    const key = RowSource.key(Math.floor(row / PAGE_ROWS), Math.floor(field / COLUMN_BLOCK));
    const p = this.cache.peek(key);
    if (p) { return row - p.start < p.rowCount ? 'loaded' : 'absent'; }
    if (this.failed.has(key)) { return 'failed'; }
    return 'loading';
  }

  /** Makes sure the pages covering rows [r0, r1) and fields [f0, f1) are cached or requested; drops stale requests. */
  ensure(r0: number, r1: number, f0: number, f1: number): void {
    if (this.rows === 0 || this.fieldCount === 0) { return; }
    const p0 = Math.max(0, Math.floor(r0 / PAGE_ROWS) - 1);
    const p1 = Math.min(Math.floor(Math.max(r0, r1 - 1) / PAGE_ROWS) + 1, Math.floor((this.rows - 1) / PAGE_ROWS));
    const b0 = Math.floor(f0 / COLUMN_BLOCK);
    const b1 = Math.floor(Math.max(f0, f1 - 1) / COLUMN_BLOCK);
    const wanted = new Set<string>();
    for (let p = p0; p <= p1; p++) {
      for (let b = b0; b <= b1; b++) {
        const key = RowSource.key(p, b);
        wanted.add(key);
        if (this.cache.get(key) || this.pendingByKey.has(key) || this.failed.has(key)) { continue; }
        this.request(p, b, key);
      }
    }
    // A fast scroll leaves requests for pages nobody looks at any more: cancel them.
    for (const [key, pending] of this.pendingByKey) {
      if (!wanted.has(key)) {
        this.pendingByKey.delete(key);
        this.pendingById.delete(pending.requestId);
        this.client.post({ type: 'cancel', requestId: pending.requestId });
      }
    }
  }

  private request(page: number, block: number, key: string): void {
    const requestId = this.client.newRequestId();
    const pending = { requestId, key, page };
    this.pendingByKey.set(key, pending);
    this.pendingById.set(requestId, pending);
    const start = page * PAGE_ROWS;
    this.client.post({
      type: 'rows', requestId, fileVersion: this.fileVersion, start, count: Math.min(PAGE_ROWS, this.rows - start),
      ...(this.blocks() > 1 ? { columns: blockFields(block, this.fieldCount) } : {}),
      view: this.view,
    });
  }

  /** Caches page 0 (column block 0) sent with `init` in natural order; returns false when the batch is not that page. */
  seed(batch: ColumnBatchDto): boolean {
    const block0 = blockFields(0, this.fieldCount);
    const matches = this.natural && batch.rowStart === 0 && batch.rowCount <= PAGE_ROWS && batch.rowCount <= this.rows
      && batch.columns.length === batch.fieldIndexes.length
      && batch.fieldIndexes.length === block0.length && block0.every((f, i) => batch.fieldIndexes[i] === f);
    if (!matches) { return false; }
    this.cache.set(RowSource.key(0, 0), pageOf(batch, undefined));
    return true;
  }

  /** True when this source sent the request. */
  owns(requestId: number): boolean { return this.pendingById.has(requestId) || this.fetches.has(requestId); }

  handleRows(m: RowsMessage): void {
    const page = pageOf(m.batch, m.sourceRows);
    const fetch = this.fetches.get(m.requestId);
    if (fetch) { this.fetches.delete(m.requestId); fetch.resolve(page); return; }
    const pending = this.pendingById.get(m.requestId);
    if (!pending) { return; }
    this.pendingById.delete(m.requestId);
    this.pendingByKey.delete(pending.key);
    this.cache.set(pending.key, page);
    this.onChange();
  }

  handleEnd(requestId: number, error?: string): void {
    const fetch = this.fetches.get(requestId);
    if (fetch) { this.fetches.delete(requestId); fetch.reject(new Error(error ?? 'Cancelled.')); return; }
    const pending = this.pendingById.get(requestId);
    if (!pending) { return; }
    this.pendingById.delete(requestId);
    this.pendingByKey.delete(pending.key);
    if (error !== undefined) {
      this.failed.add(pending.key);
      this.onError(error);
      this.onChange();
    }
  }

  /** Reads rows [r0, r1) of `fields` straight from the host (for copying ranges larger than the screen). */
  async read(r0: number, r1: number, fields: number[], signal?: AbortSignal): Promise<CellValue[][]> {
    const out: CellValue[][] = [];
    for (let start = r0; start < r1; start += FETCH_CHUNK) {
      if (signal?.aborted) { throw new Error('Cancelled.'); }
      const count = Math.min(FETCH_CHUNK, r1 - start);
      const cached = this.readCached(start, count, fields);
      const rows = cached ?? pageRows(await this.fetchPage(start, count, fields), fields);
      for (const r of rows) { out.push(r); }
    }
    return out;
  }

  private readCached(start: number, count: number, fields: number[]): CellValue[][] | null {
    const rows: CellValue[][] = [];
    for (let r = start; r < start + count; r++) {
      const row: CellValue[] = [];
      for (const f of fields) {
        const v = this.cell(r, f);
        if (v === undefined) { return null; }
        row.push(v);
      }
      rows.push(row);
    }
    return rows;
  }

  private fetchPage(start: number, count: number, fields: number[]): Promise<Page> {
    const requestId = this.client.newRequestId();
    return new Promise<Page>((resolve, reject) => {
      this.fetches.set(requestId, { resolve, reject });
      this.client.post({ type: 'rows', requestId, fileVersion: this.fileVersion, start, count, columns: fields, view: this.view });
    });
  }
}

function pageOf(batch: ColumnBatchDto, sourceRows: Float64Array | undefined): Page {
  return {
    start: batch.rowStart,
    rowCount: batch.rowCount,
    columns: new Map(batch.fieldIndexes.map((f, i) => [f, batch.columns[i]])),
    sourceRows: sourceRows ?? null,
  };
}

function blockFields(block: number, fieldCount: number): number[] {
  const out: number[] = [];
  for (let f = block * COLUMN_BLOCK; f < Math.min(fieldCount, (block + 1) * COLUMN_BLOCK); f++) { out.push(f); }
  return out;
}

function pageRows(p: Page, fields: number[]): CellValue[][] {
  const rows: CellValue[][] = [];
  for (let i = 0; i < p.rowCount; i++) {
    rows.push(fields.map(f => { const c = p.columns.get(f); return c ? cellAt(c, i) : null; }));
  }
  return rows;
}
