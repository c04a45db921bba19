// Matches the rows of one partition of the two versions: by key hash (a hash join; duplicate or
// missing keys stop it so the caller can match by content instead), by row content (a multiset of
// row hashes, so moved rows are not changes), or not at all when the versions share no column.
// Rows whose hashes differ are compared cell by cell, with the numeric tolerance.
import { cellDisplay } from '../formats/cellValue';
import type { ColumnData, } from '../formats/columns';
import type { Field } from '../formats/dataset';
import { HashCountTable } from '../profile/hashCountTable';
import { cellValue, sameCell } from './cellCompare';
import { KeyIndex } from './keyIndex';
import type { DiffPlan } from './diffPlan';
import type { CellText, DiffSide, DuplicateKeys, RowChange, RowCounts } from './diffTypes';
import { rowOf, type RowBlock } from './rowBlock';

export type JoinMode = 'key' | 'content' | 'disjoint';

export interface PartitionResult {
  counts: RowCounts;
  /** Per pair: cells that differ in changed rows. */
  changedCells: number[];
  /** Up to `plan.maxExamples` rows of each type, in row order. */
  changes: RowChange[];
  /** Set when a keyed join found duplicate or missing keys (its counts are then meaningless). */
  keyProblems: DuplicateKeys | null;
}

/** Display text is cut to this many characters in examples (a cell can be megabytes long). */
export const MAX_CELL_CHARS = 2000;
const MAX_DUPLICATE_EXAMPLES = 5;

interface Rows {
  blocks: RowBlock[];
  starts: number[];
  total: number;
}

function rowsOf(blocks: RowBlock[]): Rows {
  const starts: number[] = [];
  let total = 0;
  for (const b of blocks) { starts.push(total); total += b.rows; }
  return { blocks, starts, total };
}

/** Block index of global position `p`. */
function blockAt(r: Rows, p: number): number {
  let lo = 0, hi = r.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (r.starts[mid] <= p) { lo = mid; } else { hi = mid - 1; }
  }
  return lo;
}

export function joinPartition(plan: DiffPlan, blocksA: RowBlock[], blocksB: RowBlock[], mode: JoinMode): PartitionResult {
  const out = new Collector(plan, mode === 'key');
  const A = rowsOf(blocksA), B = rowsOf(blocksB);
  if (mode === 'disjoint') {
    for (const b of A.blocks) { for (let i = 0; i < b.rows; i++) { out.removed(b, i); } }
    for (const b of B.blocks) { for (let j = 0; j < b.rows; j++) { out.added(b, j); } }
    return out.result(null);
  }
  if (mode === 'key') { return keyedJoin(plan, A, B, out); }
  return contentJoin(A, B, out);
}

function keyedJoin(plan: DiffPlan, A: Rows, B: Rows, out: Collector): PartitionResult {
  const problems = new KeyProblems(plan);
  const keys = new Uint32Array(2 * A.total);
  let p = 0;
  for (const b of A.blocks) { keys.set(b.key.subarray(0, 2 * b.rows), 2 * p); p += b.rows; }
  const index = new KeyIndex(keys, A.total);
  p = 0;
  for (const b of A.blocks) {
    for (let i = 0; i < b.rows; i++, p++) {
      if (b.keyMissing?.[i]) { problems.missing('a'); }
      const earlier = index.insert(p);
      if (earlier >= 0) { problems.duplicate('a', b, i, () => ordinalAt(A, earlier)); }
    }
  }
  // a repeated older key lets repeated newer keys match distinct older rows, so they would go unseen:
  // the join is given up anyway, and the newer version's keys are counted on their own
  if (problems.any()) {
    problems.countSide('b', B.blocks);
    return out.result(problems.result());
  }
  // per older row: 1 + the newer row that matched it (0: none yet), so a repeated key can name both rows
  const matched = new Float64Array(Math.max(1, A.total));
  const onlyB = new HashCountTable(1024, false);
  const onlyBOrdinal: number[] = [];
  // Versions mostly keep their row order: each newer row is first tried against the older row after
  // the last match (a sequential read), and only a miss probes the index (a random read).
  let cb = 0, ci = 0, cp = 0;
  for (const b of B.blocks) {
    const bKey = b.key, bHash = b.hash;
    for (let j = 0; j < b.rows; j++) {
      if (b.keyMissing?.[j]) { problems.missing('b'); }
      const lo = bKey[2 * j], hi = bKey[2 * j + 1];
      let pa = -1, k = cb, i = ci;
      if (cp < A.total) {
        const ka = A.blocks[cb].key;
        if (ka[2 * ci] === lo && ka[2 * ci + 1] === hi) { pa = cp; }
      }
      if (pa < 0) {
        pa = index.find(lo, hi);
        if (pa < 0) {
          const id = onlyB.add(lo, hi, 1);
          if (onlyB.lastWasNew) { onlyBOrdinal[id] = rowOf(b, j); out.added(b, j); } else { problems.duplicate('b', b, j, () => onlyBOrdinal[id]); }
          continue;
        }
        k = blockAt(A, pa);
        i = pa - A.starts[k];
      }
      if (matched[pa]) { const first = matched[pa] - 1; problems.duplicate('b', b, j, () => first); continue; }
      matched[pa] = rowOf(b, j) + 1;
      const ba = A.blocks[k];
      // the cursor moves to the row after this match
      cp = pa + 1; cb = k; ci = i + 1;
      while (cb < A.blocks.length && ci >= A.blocks[cb].rows) { cb++; ci = 0; }
      if (ba.hash[2 * i] === bHash[2 * j] && ba.hash[2 * i + 1] === bHash[2 * j + 1]) { out.counts.unchanged++; continue; }
      out.compare(ba, i, b, j);
    }
  }
  p = 0;
  for (const b of A.blocks) {
    for (let i = 0; i < b.rows; i++, p++) { if (!matched[p]) { out.removed(b, i); } }
  }
  return out.result(problems.any() ? problems.result() : null);
}

function ordinalAt(r: Rows, p: number): number {
  const k = blockAt(r, p);
  return rowOf(r.blocks[k], p - r.starts[k]);
}

function contentJoin(A: Rows, B: Rows, out: Collector): PartitionResult {
  const table = new HashCountTable(Math.max(16, A.total), false);
  for (const b of A.blocks) {
    for (let i = 0; i < b.rows; i++) { table.add(b.hash[2 * i], b.hash[2 * i + 1], 1); }
  }
  const used = new Float64Array(Math.max(1, table.size));
  for (const b of B.blocks) {
    for (let j = 0; j < b.rows; j++) {
      const e = table.find(b.hash[2 * j], b.hash[2 * j + 1]);
      if (e >= 0 && used[e] < table.counts[e]) { used[e]++; out.counts.unchanged++; } else { out.added(b, j); }
    }
  }
  // of several equal rows, the first ones found in the newer version matched; the rest were removed
  const seen = new Float64Array(Math.max(1, table.size));
  for (const b of A.blocks) {
    for (let i = 0; i < b.rows; i++) {
      const e = table.find(b.hash[2 * i], b.hash[2 * i + 1]);
      if (++seen[e] > used[e]) { out.removed(b, i); }
    }
  }
  return out.result(null);
}

/** Counts duplicate and missing keys of a partition without matching rows (after a keyed join failed elsewhere). */
export function keyProblemsOf(plan: DiffPlan, blocksA: RowBlock[], blocksB: RowBlock[]): DuplicateKeys | null {
  const problems = new KeyProblems(plan);
  problems.countSide('a', blocksA);
  problems.countSide('b', blocksB);
  return problems.any() ? problems.result() : null;
}

class KeyProblems {
  private readonly d: DuplicateKeys = { a: 0, b: 0, missingA: 0, missingB: 0, examples: [] };
  constructor(private readonly plan: DiffPlan) {}

  /** Counts the duplicate and missing keys of one version's rows, on their own. */
  countSide(side: DiffSide, blocks: RowBlock[]): void {
    const table = new HashCountTable(1024, false);
    const first: number[] = [];
    for (const b of blocks) {
      for (let i = 0; i < b.rows; i++) {
        if (b.keyMissing?.[i]) { this.missing(side); }
        const e = table.add(b.key[2 * i], b.key[2 * i + 1], 1);
        if (table.lastWasNew) { first[e] = rowOf(b, i); } else { this.duplicate(side, b, i, () => first[e]); }
      }
    }
  }

  missing(side: DiffSide): void {
    if (side === 'a') { this.d.missingA++; } else { this.d.missingB++; }
  }

  duplicate(side: DiffSide, b: RowBlock, i: number, earlier: () => number | null): void {
    if (side === 'a') { this.d.a++; } else { this.d.b++; }
    if (this.d.examples.length >= MAX_DUPLICATE_EXAMPLES) { return; }
    const fields = side === 'a' ? this.plan.a.fields : this.plan.b.fields;
    const key = (this.plan.keyPairs ?? []).map(k => {
      const f = side === 'a' ? this.plan.pairs[k].a : this.plan.pairs[k].b;
      return display(b.columns[f], i, fields[f]);
    });
    const prev = earlier();
    this.d.examples.push({ side, key, rows: prev === null ? [rowOf(b, i)] : [prev, rowOf(b, i)] });
  }

  any(): boolean { return this.d.a + this.d.b + this.d.missingA + this.d.missingB > 0; }
  result(): DuplicateKeys { return this.d; }
}

export function display(col: ColumnData, i: number, field: Field): CellText {
  const s = cellDisplay(col, i, field);
  return s !== null && s.length > MAX_CELL_CHARS ? `${s.slice(0, MAX_CELL_CHARS)}…` : s;
}

/** Counts, per-column changed cells and the first examples of each change type. */
class Collector {
  readonly counts: RowCounts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  readonly changedCells: number[];
  private readonly kept = { added: [] as RowChange[], removed: [] as RowChange[], changed: [] as RowChange[] };
  private readonly pairColumn: number[];
  private readonly changedNow: number[] = [];

  /** `keyed`: rows are matched by the plan's key, so examples carry their key values. */
  constructor(private readonly plan: DiffPlan, private readonly keyed: boolean) {
    this.changedCells = plan.pairs.map(() => 0);
    this.pairColumn = plan.pairs.map((_, k) => plan.columns.findIndex(c => c.pair === k));
  }

  added(b: RowBlock, j: number): void {
    this.counts.added++;
    if (this.kept.added.length < this.plan.maxExamples) {
      this.kept.added.push({ type: 'added', rowA: null, rowB: rowOf(b, j), key: this.keyOf('b', b, j), values: this.values(null, 0, b, j) });
    }
  }

  removed(a: RowBlock, i: number): void {
    this.counts.removed++;
    if (this.kept.removed.length < this.plan.maxExamples) {
      this.kept.removed.push({ type: 'removed', rowA: rowOf(a, i), rowB: null, key: this.keyOf('a', a, i), values: this.values(a, i, null, 0) });
    }
  }

  /** Compares a matched pair whose row hashes differ: changed when a cell differs beyond epsilon. */
  compare(a: RowBlock, i: number, b: RowBlock, j: number): void {
    const plan = this.plan;
    const changed = this.changedNow;
    changed.length = 0;
    for (let k = 0; k < plan.pairs.length; k++) {
      const p = plan.pairs[k];
      const kind = plan.kinds[k];
      const va = cellValue(a.columns[p.a], i, plan.a.fields[p.a], kind);
      const vb = cellValue(b.columns[p.b], j, plan.b.fields[p.b], kind);
      if (!sameCell(va, vb, plan.tolerant[k] ? plan.epsilon : 0)) { changed.push(k); }
    }
    if (changed.length === 0) { this.counts.unchanged++; return; }
    this.counts.changed++;
    for (const k of changed) { this.changedCells[k]++; }
    if (this.kept.changed.length < plan.maxExamples) {
      this.kept.changed.push({
        type: 'changed', rowA: rowOf(a, i), rowB: rowOf(b, j), key: this.keyOf('b', b, j), values: this.values(a, i, b, j),
        changed: changed.map(k => this.pairColumn[k]),
        old: changed.map(k => display(a.columns[plan.pairs[k].a], i, plan.a.fields[plan.pairs[k].a])),
      });
    }
  }

  private keyOf(side: DiffSide, blk: RowBlock, i: number): CellText[] | null {
    const plan = this.plan;
    if (!this.keyed || !plan.keyPairs) { return null; }
    return plan.keyPairs.map(k => {
      const f = side === 'a' ? plan.pairs[k].a : plan.pairs[k].b;
      return display(blk.columns[f], i, (side === 'a' ? plan.a.fields : plan.b.fields)[f]);
    });
  }

  /** Values over the display columns: the newer version's where it has the column, else the older's. */
  private values(a: RowBlock | null, i: number, b: RowBlock | null, j: number): CellText[] {
    const plan = this.plan;
    return plan.columns.map(c => {
      if (b && c.b >= 0) { return display(b.columns[c.b], j, plan.b.fields[c.b]); }
      if (a && c.a >= 0) { return display(a.columns[c.a], i, plan.a.fields[c.a]); }
      return null;
    });
  }

  result(keyProblems: DuplicateKeys | null): PartitionResult {
    const changes = [...this.kept.changed, ...this.kept.added, ...this.kept.removed];
    return { counts: this.counts, changedCells: this.changedCells, changes, keyProblems };
  }
}

/** Orders examples by row (newer version's row, else the older's); at a tie a removed row comes first, as it stood before. */
export function byRow(x: RowChange, y: RowChange): number {
  const rx = x.rowB ?? x.rowA ?? 0, ry = y.rowB ?? y.rowA ?? 0;
  return rx - ry || typeRank(x) - typeRank(y);
}

function typeRank(c: RowChange): number {
  return c.type === 'removed' ? 0 : 1;
}
