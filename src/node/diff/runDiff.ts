// Runs a diff of two sides (files or git/DVC revisions): opens the sources, finds the schema's primary
// key, then either runs every phase in this thread or, given a worker pool, plans in one job, scans the
// two versions in two jobs at once and joins in a third. Temp copies and partitions are removed after.
import { resolve } from 'node:path';
import type { ResourceLimits } from 'node:worker_threads';
import { diffDatasets } from '../../core/diff/diffDatasets';
import type { DiffPlan } from '../../core/diff/diffPlan';
import type { DatasetDiff, DiffOptions, DiffProgress } from '../../core/diff/diffTypes';
import type { SideScan } from '../../core/diff/sideScan';
import type { Dataset } from '../../core/formats/dataset';
import { openDataset } from '../../core/formats/openDataset';
import type { WorkerPool } from '../workerPool';
import type { DiffFileRef } from '../jobs/datasetDiffJobTypes';
import { namedOpenError, sideScanBuffers } from '../jobs/datasetDiffJobs';
import { findSchemaFor } from '../schema/schemaDiscovery';
import { declaredReading } from '../schema/tableFiles';
import { openSide, type OpenedSide, type SideSpec } from './diffSources';
import { createTempPartitionStore, type TempPartitionStore } from './tempPartitionStore';

/**
 * Heap limits for threads that run diffs: a young generation capped at 16 MB keeps the parsers'
 * short-lived strings from piling up per thread (about 40 MB less peak memory on the 100 MB pair,
 * at the same CPU time); the rows themselves live outside the heap, in typed arrays.
 */
export const DIFF_THREAD_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 16 };

export interface RunDiffRequest {
  a: SideSpec;
  b: SideSpec;
  cwd: string;
  options?: DiffOptions;
  /** Look for a Table Schema beside the newer working file and use its primary key (default true). */
  useSchema?: boolean;
}

export interface RunDiffDeps {
  /** Scans run in two of its threads at once; without a pool everything runs in this thread. */
  pool?: WorkerPool;
  signal?: AbortSignal;
  onProgress?: (p: DiffProgress) => void;
  /** Where partitions too large for memory go (default: the OS temp folder). */
  tempDir?: string;
}

export async function runDiff(req: RunDiffRequest, deps: RunDiffDeps = {}): Promise<DatasetDiff> {
  const t0 = Date.now();
  const opened: OpenedSide[] = [];
  let store: TempPartitionStore | undefined;
  try {
    opened.push(await openSide(req.a, { cwd: req.cwd, signal: deps.signal }));
    opened.push(await openSide(req.b, { cwd: req.cwd, signal: deps.signal }));
    const [a, b] = opened;
    const options: DiffOptions = { ...req.options };
    if (!options.key?.length && req.useSchema !== false) {
      const primaryKey = await primaryKeyOf(req);
      if (primaryKey) { options.primaryKey = primaryKey; }
    }
    if (deps.pool) {
      return await inPool(deps.pool, a, b, options, deps, t0, s => { store = s; });
    }
    const openOne = (s: OpenedSide): Promise<Dataset | null> => (s.buffer
      ? declaredReading(s.datasetPath).then(reading => openDataset(s.buffer!, { name: s.name, signal: deps.signal, ...reading }))
        .catch(e => { throw namedOpenError(s.label, e); })
      : Promise.resolve(null));
    const dsA = await openOne(a);
    const dsB = await openOne(b);
    store = await createTempPartitionStore(deps.tempDir);
    return await diffDatasets(
      { dataset: dsA, label: a.label, bytes: a.bytes },
      { dataset: dsB, label: b.label, bytes: b.bytes },
      { ...options, signal: deps.signal, onProgress: deps.onProgress, store },
    );
  } finally {
    await store?.dispose();
    for (const s of opened) { await s.dispose(); }
  }
}

async function inPool(
  pool: WorkerPool, a: OpenedSide, b: OpenedSide, options: DiffOptions, deps: RunDiffDeps, t0: number,
  keepStore: (s: TempPartitionStore) => void,
): Promise<DatasetDiff> {
  const { signal, onProgress } = deps;
  const ref = (s: OpenedSide): DiffFileRef => ({ path: s.buffer?.path ?? null, name: s.name, datasetPath: s.datasetPath, label: s.label, bytes: s.bytes });
  onProgress?.({ phase: 'plan', done: 0, total: 1, unit: 'partitions' });
  const plan: DiffPlan = await pool.run('datasetDiffPlan', { a: ref(a), b: ref(b), options }, { signal });
  let storeDir: string | undefined;
  if (plan.partitions > 1) {
    const store = await createTempPartitionStore(deps.tempDir);
    keepStore(store);
    storeDir = store.dir;
  }
  const scan = (side: 'a' | 'b', s: OpenedSide): Promise<SideScan> => pool.run('datasetDiffScan', { plan, side, file: ref(s), storeDir }, {
    signal,
    onProgress: p => onProgress?.({ phase: 'scan', side, done: p.done, total: p.total ?? 0, unit: 'bytes' }),
  });
  const [scanA, scanB] = await Promise.all([scan('a', a), scan('b', b)]);
  return pool.run('datasetDiffJoin', { plan, a: scanA, b: scanB, storeDir, startedAt: t0 }, {
    signal,
    transfer: [...sideScanBuffers(scanA), ...sideScanBuffers(scanB)],
    onProgress: p => onProgress?.({ phase: p.phase === 'drift' ? 'drift' : 'join', done: p.done, total: p.total ?? 0, unit: 'partitions' }),
  });
}

/** The primary key of the schema beside the newer version's working file (or the older one's). */
async function primaryKeyOf(req: RunDiffRequest): Promise<string[] | undefined> {
  for (const spec of [req.b, req.a]) {
    try {
      const found = await findSchemaFor(resolve(req.cwd, spec.path.endsWith('.dvc') ? spec.path.slice(0, -4) : spec.path));
      if (found && found.schema.primaryKey.length) { return found.schema.primaryKey; }
    } catch {
      // a broken schema file is the validator's business; the diff just goes on without it
    }
  }
  return undefined;
}
