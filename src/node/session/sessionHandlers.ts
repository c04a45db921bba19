// The session thread's handlers: datasets stay open per file version, with their computed views, until closed.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { batchTransferables } from '../../core/formats/columns';
import type { Dataset } from '../../core/formats/dataset';
import { countAllRows, openDataset } from '../../core/formats/openDataset';
import { computeView, isNaturalView, type ViewDefinition } from '../../core/view/computeView';
import { readViewWindow } from '../../core/view/viewWindow';
import { CsvDataset } from '../../core/formats/csv/csvDataset';
import { JsonlDataset } from '../../core/formats/jsonl/jsonlDataset';
import { mergeProfiles, profileDataset, profilePartial, profileRowRange, quickProfile, type PartialProfile } from '../../core/profile/datasetProfiler';
import { openFileBuffer, type FileBuffer } from '../fileBuffer';
import { declaredReading } from '../schema/tableFiles';
import { transferResult, type FileVersion, type JobContext, type JobHandlers } from '../jobs/jobTypes';
import type { SessionJobs } from './sessionJobs';

interface OpenDataset {
  version: FileVersion;
  buffer: FileBuffer;
  dataset: Dataset;
  /** Read as a data package's Table Dialect declares (not sniffed). */
  declared: boolean;
  views: Map<string, Promise<Uint32Array>>;
  lastUsed: number;
}

/** Datasets kept open at once per thread; the least recently used is closed first. */
const MAX_OPEN = 8;
/** Computed views remembered per dataset (each is 4 bytes a row). */
const MAX_VIEWS = 4;

const open = new Map<string, Promise<OpenDataset>>();

async function currentVersion(path: string): Promise<FileVersion> {
  const s = await stat(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

/** The open dataset for the file as it is now; a changed file is opened again. */
async function datasetFor(path: string, signal: AbortSignal): Promise<OpenDataset> {
  const version = await currentVersion(path);
  const existing = open.get(path);
  if (existing) {
    const o = await existing.catch(() => undefined);
    if (o && o.version.size === version.size && o.version.mtimeMs === version.mtimeMs) {
      o.lastUsed = Date.now();
      return o;
    }
    open.delete(path);
    if (o) { void o.buffer.close(); }
  }
  const opening = (async () => {
    const buffer = await openFileBuffer(path);
    try {
      const reading = await declaredReading(path);
      const dataset = await openDataset(buffer, { name: basename(path), signal, ...reading });
      return { version, buffer, dataset, declared: reading.csv !== undefined, views: new Map(), lastUsed: Date.now() };
    } catch (e) {
      await buffer.close();
      throw e;
    }
  })();
  open.set(path, opening);
  opening.catch(() => open.delete(path));
  await evict();
  return opening;
}

async function evict(): Promise<void> {
  if (open.size <= MAX_OPEN) { return; }
  const entries = await Promise.all([...open].map(async ([p, o]) => [p, await o.catch(() => undefined)] as const));
  const victims = entries.filter(([, o]) => o).sort((a, b) => a[1]!.lastUsed - b[1]!.lastUsed).slice(0, open.size - MAX_OPEN);
  for (const [p, o] of victims) { open.delete(p); void o!.buffer.close(); }
}

/** The view's order of source rows, computed once per (file version, view) and shared by concurrent requests. */
function viewOrder(o: OpenDataset, view: ViewDefinition, ctx: JobContext): Promise<Uint32Array> {
  const key = JSON.stringify(view);
  let order = o.views.get(key);
  if (!order) {
    order = computeView(o.dataset, view, {
      signal: ctx.signal,
      onProgress: p => ctx.progress({ done: p.rowsDone, total: p.fraction ? Math.round(p.rowsDone / p.fraction) : undefined, unit: 'rows', phase: p.phase }),
    });
    o.views.set(key, order);
    order.catch(() => o.views.delete(key));
    while (o.views.size > MAX_VIEWS) { o.views.delete(o.views.keys().next().value as string); }
  }
  return order;
}

function allColumns(d: Dataset): number[] {
  return d.fields.map((_, i) => i);
}

/** CSV datasets build their row index on demand (JSON Lines ones count their rows); Parquet and Arrow know their row count from metadata. */

export const sessionHandlers: JobHandlers<SessionJobs> = {
  async open({ path }, ctx) {
    const o = await datasetFor(path, ctx.signal);
    const d = o.dataset;
    return {
      format: d.format,
      fields: d.fields.map(f => ({ ...f })),
      rowCount: { ...d.rowCount },
      warnings: d.warnings.map(w => w.message),
      version: o.version,
      ...(d instanceof CsvDataset ? { reading: { ...d.reading, declared: o.declared } } : {}),
    };
  },

  async exactCount({ path }, ctx) {
    const o = await datasetFor(path, ctx.signal);
    await countAllRows(o.dataset, {
      signal: ctx.signal,
      onProgress: p => ctx.progress({ done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', phase: 'indexing' }),
    });
    return { rowCount: { ...o.dataset.rowCount }, version: o.version };
  },

  async view({ path, view }, ctx) {
    const o = await datasetFor(path, ctx.signal);
    if (isNaturalView(view)) {
      return { rowCount: o.dataset.rowCount.value, version: o.version };
    }
    const order = await viewOrder(o, view, ctx);
    return { rowCount: order.length, version: o.version };
  },

  async rows({ path, start, count, columns, view }, ctx) {
    const o = await datasetFor(path, ctx.signal);
    const cols = columns ?? allColumns(o.dataset);
    if (!view || isNaturalView(view)) {
      const batch = await o.dataset.readRows(start, count, cols, ctx.signal);
      return transferResult({ batch, version: o.version }, batchTransferables(batch));
    }
    const order = await viewOrder(o, view, ctx);
    const { batch, sourceRows } = await readViewWindow(o.dataset, order, start, count, cols, ctx.signal);
    return transferResult({ batch, sourceRows, version: o.version }, [...batchTransferables(batch), sourceRows.buffer as ArrayBuffer]);
  },

  async profile({ path, full, sampleRows }, ctx) {
    const o = await datasetFor(path, ctx.signal);
    if (!full) {
      return { profile: await quickProfile(o.dataset, { rows: sampleRows ?? 10_000, signal: ctx.signal }), version: o.version };
    }
    const profile = await profileDataset(o.dataset, {
      signal: ctx.signal,
      onProgress: p => ctx.progress({ done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', phase: 'profiling' }),
    });
    return { profile, version: o.version };
  },

  async profilePart({ path, part, parts }, ctx) {
    const o = await datasetFor(path, ctx.signal);
    return { partial: await profilePart(o.dataset, part, parts, ctx), version: o.version };
  },

  async profileMerge({ partials, elapsedMs }) {
    return { profile: mergeProfiles(partials, { elapsedMs }) };
  },

  async close({ path }) {
    const o = open.get(path);
    open.delete(path);
    const ds = await o?.catch(() => undefined);
    await ds?.buffer.close();
  },
};

/**
 * Profiles part `part` of `parts` consecutive row ranges: a CSV is cut at row starts (byte ranges,
 * found by a quote-aware scan up to the last cut), a JSON Lines file at row-index checkpoints near
 * equal bytes, other formats by row numbers; a dataset whose rows are still not known is profiled
 * whole by part 0.
 */
async function profilePart(ds: Dataset, part: number, parts: number, ctx: JobContext): Promise<PartialProfile | null> {
  const signal = ctx.signal;
  if (!Number.isInteger(parts) || parts < 1 || !Number.isInteger(part) || part < 0 || part >= parts) {
    throw new RangeError(`bad profile part ${part} of ${parts}`);
  }
  const bytes = (p: { bytesDone: number; bytesTotal: number }): void => ctx.progress({ done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', phase: 'profiling' });
  if (ds instanceof CsvDataset) {
    const ranges = await ds.splitRanges(parts, { signal });
    const r = ranges[part];
    if (!r) { return null; }
    const range = { from: r.from, to: Number.isFinite(r.to) ? r.to : undefined, firstRow: r.firstRow };
    return profilePartial(ds.fields, { signal }, (columns, onBatch) => ds.scanRange(range, columns, onBatch, { signal, onProgress: bytes, reuseBatches: true, parallel: ranges.length > 1 }));
  }
  // a JSON Lines file is cut by bytes at row-index checkpoints: its rows are counted only up to the last cut (a
  // newline scan, far quicker than parsing), and the last part reads on to the end of the file
  if (ds instanceof JsonlDataset) {
    const r = (await ds.splitRows(parts, { signal }))[part];
    if (!r) { return null; }
    return profilePartial(ds.fields, { signal }, (columns, onBatch) => ds.scanRows(r.start, r.end, columns, onBatch, {
      signal, reuseBatches: true, onProgress: p => ctx.progress({ done: p.bytesDone, total: r.to - r.from, unit: 'bytes', phase: 'profiling' }),
    }));
  }
  if (ds.rowCount.exact) {
    const n = ds.rowCount.value;
    const start = Math.floor((n * part) / parts), end = Math.floor((n * (part + 1)) / parts);
    return profileRowRange(ds, { start, end, signal, onProgress: done => ctx.progress({ done, total: end - start, unit: 'rows', phase: 'profiling' }) });
  }
  if (part > 0) { return null; }
  return profilePartial(ds.fields, { signal }, (columns, onBatch) => ds.scan(columns, onBatch, { signal, onProgress: bytes, reuseBatches: true }));
}
