// The diff's job handlers: each opens the files it is given by path, so the two scans can run in two
// threads at once; row blocks come back as transferred ArrayBuffers, never copied.
import { joinScans } from '../../core/diff/diffDatasets';
import { planDiff, type DiffPlan } from '../../core/diff/diffPlan';
import type { DatasetDiff } from '../../core/diff/diffTypes';
import { scanSide, type SideScan } from '../../core/diff/sideScan';
import type { Dataset } from '../../core/formats/dataset';
import { DatasetError, isDatasetError } from '../../core/formats/errors';
import { openDataset } from '../../core/formats/openDataset';
import { openFileBuffer, type FileBuffer } from '../fileBuffer';
import { declaredReading } from '../schema/tableFiles';
import { openTempPartitionStore } from '../diff/tempPartitionStore';
import type { DatasetDiffJoinInput, DatasetDiffPlanInput, DatasetDiffScanInput, DiffFileRef } from './datasetDiffJobTypes';
import { transferResult, type JobContext, type TransferResult } from './jobTypes';

interface Opened { dataset: Dataset | null; file: FileBuffer | null }

async function open(ref: DiffFileRef, signal: AbortSignal): Promise<Opened> {
  if (ref.path === null) { return { dataset: null, file: null }; }
  const file = await openFileBuffer(ref.path);
  try {
    return { dataset: await openDataset(file, { name: ref.name, signal, ...await declaredReading(ref.datasetPath ?? ref.path) }), file };
  } catch (e) {
    await file.close();
    throw namedOpenError(ref.label, e);
  }
}

/** A reader's error when opening one version, with the version's label in front (which of the two was bad). */
export function namedOpenError(label: string, e: unknown): unknown {
  if (!isDatasetError(e) || e.code === 'cancelled' || e.message.startsWith(`${label}:`)) { return e; }
  return new DatasetError(e.code, `${label}: ${e.message}`, { cause: e });
}

export async function datasetDiffPlan(input: DatasetDiffPlanInput, ctx: JobContext): Promise<DiffPlan> {
  const a = await open(input.a, ctx.signal);
  try {
    const b = await open(input.b, ctx.signal);
    try {
      return await planDiff(
        { dataset: a.dataset, label: input.a.label, bytes: input.a.bytes },
        { dataset: b.dataset, label: input.b.label, bytes: input.b.bytes },
        input.options, ctx.signal);
    } finally {
      await b.file?.close();
    }
  } finally {
    await a.file?.close();
  }
}

export async function datasetDiffScan(input: DatasetDiffScanInput, ctx: JobContext): Promise<TransferResult<SideScan>> {
  const { dataset, file } = await open(input.file, ctx.signal);
  try {
    const store = input.storeDir ? openTempPartitionStore(input.storeDir) : undefined;
    const scan = await scanSide(dataset, input.plan, input.side, {
      store,
      signal: ctx.signal,
      onProgress: p => ctx.progress({ done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', phase: `scan ${input.side}` }),
    });
    return transferResult(scan, sideScanBuffers(scan));
  } finally {
    await file?.close();
  }
}

export async function datasetDiffJoin(input: DatasetDiffJoinInput, ctx: JobContext): Promise<DatasetDiff> {
  const store = input.storeDir ? openTempPartitionStore(input.storeDir) : undefined;
  return joinScans(input.plan, input.a, input.b, {
    store,
    signal: ctx.signal,
    startedAt: input.startedAt,
    onProgress: p => ctx.progress({ done: p.done, total: p.total, unit: 'items', phase: p.phase }),
  });
}

/** The distinct ArrayBuffers a scan's row blocks hold, to move them between threads. */
export function sideScanBuffers(scan: SideScan): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const b of scan.blocks ?? []) {
    for (const a of [b.ordinal, b.key, b.hash, b.keyMissing]) { if (a) { out.add(a.buffer as ArrayBuffer); } }
    for (const c of b.columns) {
      out.add(c.valid.buffer as ArrayBuffer);
      if (c.kind === 'text') { out.add(c.bytes.buffer as ArrayBuffer); out.add(c.offsets.buffer as ArrayBuffer); } else { out.add(c.values.buffer as ArrayBuffer); }
    }
  }
  return [...out];
}
