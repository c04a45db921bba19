// Diffs two versions of a dataset: plan (schema, key), scan each version, match rows partition by
// partition (falling back to content matching when the key has duplicates), then drift per column.
// `diffDatasets` runs the phases in one thread; `joinScans` is the last phase alone, for callers that
// scan the two versions in parallel threads.
import type { Dataset } from '../formats/dataset';
import { throwIfAborted } from '../formats/errors';
import { columnDrift } from './columnDrift';
import { DriftAccumulator } from './driftAccumulator';
import { planDiff, type DiffPlan, type PlanInput } from './diffPlan';
import type { DatasetDiff, DiffColumn, DiffOptions, DiffProgress, DuplicateKeys, RowChange, RowCounts } from './diffTypes';
import type { PartitionStore } from './partitionStore';
import { decodeBlocks, type RowBlock } from './rowBlock';
import { byRow, joinPartition, keyProblemsOf, type JoinMode, type PartitionResult } from './rowJoin';
import { scanSide, type SideScan } from './sideScan';

export interface DiffRunOptions extends DiffOptions {
  signal?: AbortSignal;
  onProgress?: (p: DiffProgress) => void;
  /** Where partitions go when the rows do not fit in memory (required then). */
  store?: PartitionStore;
}

export async function diffDatasets(a: PlanInput, b: PlanInput, options: DiffRunOptions = {}): Promise<DatasetDiff> {
  const t0 = Date.now();
  const { signal, onProgress } = options;
  onProgress?.({ phase: 'plan', done: 0, total: 1, unit: 'partitions' });
  const plan = await planDiff(a, b, options, signal);
  const scan = (d: Dataset | null, side: 'a' | 'b'): Promise<SideScan> => scanSide(d, plan, side, {
    store: options.store, signal,
    onProgress: p => onProgress?.({ phase: 'scan', side, done: p.bytesDone, total: p.bytesTotal, unit: 'bytes' }),
  });
  const scanA = await scan(a.dataset, 'a');
  const scanB = await scan(b.dataset, 'b');
  return joinScans(plan, scanA, scanB, { store: options.store, signal, onProgress, startedAt: t0 });
}

export interface JoinOptions {
  store?: PartitionStore;
  signal?: AbortSignal;
  onProgress?: (p: DiffProgress) => void;
  /** When the diff started (ms since the epoch), for `elapsedMs`. */
  startedAt?: number;
}

export async function joinScans(plan: DiffPlan, scanA: SideScan, scanB: SideScan, options: JoinOptions = {}): Promise<DatasetDiff> {
  const t0 = options.startedAt ?? Date.now();
  const { signal, onProgress } = options;
  const parts = plan.partitions;
  const load = async (scan: SideScan, p: number): Promise<RowBlock[]> => {
    if (scan.blocks) { return scan.blocks; }
    if (!options.store) { throw new Error('partitioned scans need their partition store to be joined'); }
    return decodeBlocks(await options.store.read(scan.side, p));
  };
  let mode: JoinMode = plan.pairs.length === 0 ? 'disjoint' : plan.keyPairs ? 'key' : 'content';
  let results: PartitionResult[] = [];
  let keyProblems: DuplicateKeys | null = null;
  for (let p = 0; p < parts; p++) {
    throwIfAborted(signal);
    onProgress?.({ phase: 'join', done: p, total: parts, unit: 'partitions' });
    const blocksA = await load(scanA, p), blocksB = await load(scanB, p);
    const r = joinPartition(plan, blocksA, blocksB, mode);
    if (mode === 'key' && r.keyProblems) {
      // the key does not identify rows: note every partition's problems, then match all rows by content
      keyProblems = mergeProblems(null, r.keyProblems);
      for (let q = p + 1; q < parts; q++) {
        throwIfAborted(signal);
        keyProblems = mergeProblems(keyProblems, keyProblemsOf(plan, await load(scanA, q), await load(scanB, q)));
      }
      mode = 'content';
      results = [];
      p = -1;
      continue;
    }
    results.push(r);
  }
  onProgress?.({ phase: 'drift', done: 0, total: plan.pairs.length, unit: 'partitions' });

  const counts: RowCounts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  const changedCells = plan.pairs.map(() => 0);
  let changes: RowChange[] = [];
  for (const r of results) {
    counts.added += r.counts.added; counts.removed += r.counts.removed;
    counts.changed += r.counts.changed; counts.unchanged += r.counts.unchanged;
    r.changedCells.forEach((c, k) => { changedCells[k] += c; });
    changes.push(...r.changes);
    if (changes.length > 3 * plan.maxExamples) { changes = keepFirst(changes, plan.maxExamples); }
  }
  changes = keepFirst(changes, plan.maxExamples);
  const kept = { added: 0, removed: 0, changed: 0 };
  for (const c of changes) { kept[c.type]++; }

  const accsA = scanA.columns.map(s => DriftAccumulator.fromState(s));
  const accsB = scanB.columns.map(s => DriftAccumulator.fromState(s));
  const thresholds = { psi: plan.psiThreshold, ks: plan.ksThreshold };
  const columns: DiffColumn[] = plan.columns.map(c => ({
    name: c.name,
    status: c.status,
    ...(c.nameBefore !== undefined ? { nameBefore: c.nameBefore } : {}),
    typeBefore: c.a >= 0 ? plan.a.fields[c.a].type : null,
    typeAfter: c.b >= 0 ? plan.b.fields[c.b].type : null,
    changedCells: c.pair >= 0 ? changedCells[c.pair] : 0,
    drift: c.pair >= 0 && plan.a.exists && plan.b.exists ? columnDrift(accsA[c.pair], accsB[c.pair], thresholds) : null,
  }));

  const key = keyProblems
    ? { columns: null, source: 'content' as const, note: `${plan.key.columns?.join(', ')} ${keyNote(keyProblems)}: rows matched by content` }
    : plan.key;
  const schema = { ...plan.schema, rowsBefore: scanA.rows, rowsAfter: scanB.rows };
  const identical = counts.added + counts.removed + counts.changed === 0 && schemaUnchanged(schema) && plan.a.exists === plan.b.exists;
  return {
    diffVersion: 1,
    a: { label: plan.a.label, exists: plan.a.exists, format: plan.a.format, rows: scanA.rows, columns: plan.a.fields.length },
    b: { label: plan.b.label, exists: plan.b.exists, format: plan.b.format, rows: scanB.rows, columns: plan.b.fields.length },
    identical,
    key,
    schema,
    rows: counts,
    columns,
    duplicateKeys: keyProblems,
    changes,
    omitted: {
      added: counts.added - kept.added, removed: counts.removed - kept.removed, changed: counts.changed - kept.changed, unchanged: counts.unchanged,
    },
    epsilon: plan.epsilon,
    thresholds,
    warnings: [...plan.warnings, ...scanA.warnings, ...scanB.warnings],
    partitions: parts,
    elapsedMs: Date.now() - t0,
  };
}

/** Whether the columns are the same; a format change alone (`1234.5` → `1,234.5`) leaves equal values identical. */
function schemaUnchanged(s: DatasetDiff['schema']): boolean {
  return s.added.length + s.removed.length + s.renamed.length + s.reordered.length + s.typeChanged.length === 0;
}

function keyNote(d: DuplicateKeys): string {
  const parts: string[] = [];
  if (d.a + d.b > 0) { parts.push(`has duplicate values (${d.a} in the older version, ${d.b} in the newer)`); }
  if (d.missingA + d.missingB > 0) { parts.push(`is missing in ${d.missingA + d.missingB} rows`); }
  return parts.join(' and ');
}

function mergeProblems(x: DuplicateKeys | null, y: DuplicateKeys | null): DuplicateKeys | null {
  if (!x) { return y; }
  if (!y) { return x; }
  return {
    a: x.a + y.a, b: x.b + y.b, missingA: x.missingA + y.missingA, missingB: x.missingB + y.missingB,
    examples: [...x.examples, ...y.examples].slice(0, 5),
  };
}

/** The first `n` examples of each change type, by row. */
function keepFirst(changes: RowChange[], n: number): RowChange[] {
  changes.sort(byRow);
  const kept = { added: 0, removed: 0, changed: 0 };
  return changes.filter(c => kept[c.type]++ < n);
}
