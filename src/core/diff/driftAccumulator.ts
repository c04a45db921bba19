// One shared column's figures for drift, built from the profile's accumulators (Moments, the KLL
// sketch, the ValueCounter with its HyperLogLog and heavy hitters) without the profile's extras
// (text shapes, date periods): one pass over each batch's cells that also folds each cell's hash,
// taken the way the column is compared, into the row hashes.
import { cellDisplay } from '../formats/cellValue';
import type { ColumnData } from '../formats/columns';
import type { Field, LogicalType } from '../formats/dataset';
import { isMissingValue } from '../formats/inferType';
import { foldInto, fmix32, hashBigInt, hashBytes, hashHigh, hashNumber } from '../profile/hashing';
import { KllSketch, KLL_DEFAULT_K, type KllState } from '../profile/kllSketch';
import { Moments, type MomentsState } from '../profile/moments';
import { parsed } from '../profile/textParse';
import { ValueCounter, type ValueCounterState } from '../profile/valueCounter';
import { fieldParser, type CompareKind } from './cellCompare';

/** `numeric` and `temporal` get moments and quantiles; `boolean` and `text` get category counts. */
export type DriftKind = 'numeric' | 'temporal' | 'boolean' | 'text';

export function driftKind(type: LogicalType, compare: CompareKind): DriftKind {
  if (compare === 'text') { return 'text'; }
  switch (type) {
    case 'integer': case 'number': case 'time': return 'numeric';
    case 'date': case 'datetime': return 'temporal';
    case 'boolean': return 'boolean';
    default: return 'text';
  }
}

export interface DriftAccumulatorState {
  type: LogicalType;
  kind: DriftKind;
  rows: number;
  missing: number;
  invalid: number;
  values: ValueCounterState;
  moments: MomentsState | null;
  kll: KllState | null;
}

/** Distinct numbers counted exactly (so small domains get exact quantiles); beyond, HyperLogLog. */
const NUMERIC_EXACT = 2048;
const MAX_REP_CHARS = 200;
/** The hash lanes of a missing cell. */
const MISSING_LO = 0x6a09e667, MISSING_HI = 0xbb67ae85;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Each cell's hash as folded into the row hash (two lanes per row), for a key column, so that the
 * key hash needs no second parse; `redo[i]` = 1 where the key hash is taken another way (missing
 * cells, cells that do not parse, integers beyond 2^53, which keys take by their digits).
 */
export interface CellHashes {
  hash: Uint32Array;
  redo: Uint8Array;
}

export class DriftAccumulator {
  rows = 0;
  missing = 0;
  /** Typed cells that do not parse (counted with neither the values nor the missing ones). */
  invalid = 0;
  values: ValueCounter;
  moments: Moments | null = null;
  kll: KllSketch | null = null;
  private scratch = new Float64Array(1024);
  /** Per batch: each counted cell's value and hash lanes, and which cells the value counter skips. */
  private cellValues = new Float64Array(1024);
  private lanes = new Int32Array(2048);
  private skip = new Uint8Array(1024);

  constructor(readonly type: LogicalType, readonly kind: DriftKind, seed = 1) {
    const numeric = kind === 'numeric' || kind === 'temporal';
    this.values = new ValueCounter(numeric ? { exactBound: NUMERIC_EXACT } : { heavyHitters: 256 });
    if (numeric) {
      this.moments = new Moments();
      this.kll = new KllSketch(KLL_DEFAULT_K, fmix32(seed));
    }
  }

  /** Adds one batch column; each cell's hash is folded into `rowHash` (two lanes per row) and, given `cells`, kept there. */
  add(col: ColumnData, field: Field, rowHash: Uint32Array, cells?: CellHashes): void {
    const n = col.valid.length;
    this.rows += n;
    if (cells) { cells.redo.fill(0, 0, n); }
    if (this.kind === 'text') { this.addText(col, field, rowHash, cells); return; }
    if (this.scratch.length < n) { this.scratch = new Float64Array(n); this.cellValues = new Float64Array(n); this.lanes = new Int32Array(2 * n); this.skip = new Uint8Array(n); }
    // cells are hashed and folded here; the value counter takes the batch's lanes in one call
    const lanes = this.lanes, skip = this.skip, cellValues = this.cellValues;
    let m = 0;
    const parse = col.kind === 'text' ? fieldParser(field) : null;
    const bigDigits = col.kind === 'text' && field.type === 'integer';
    const redo = cells?.redo;
    for (let i = 0; i < n; i++) {
      skip[i] = 1;
      if (col.valid[i] !== 1) { this.miss(rowHash, i, redo); continue; }
      let v: number;
      if (col.kind === 'number') {
        v = col.values[i];
      } else if (col.kind === 'bigint') {
        const big = col.values[i];
        v = Number(big);
        if (!Number.isSafeInteger(v)) {
          if (redo) { redo[i] = 1; }
          foldInto(rowHash, i, hashBigInt(big), hashHigh.value); m = this.stat(v, m); continue;
        }
      } else {
        const s = col.offsets[i], e = col.offsets[i + 1];
        if (s === e) { this.miss(rowHash, i, redo); continue; }
        v = parse ? parse(col.bytes, s, e) : NaN;
        if (!parse || !parsed.ok) {
          if (isMissingValue(decoder.decode(col.bytes.subarray(s, e)))) { this.miss(rowHash, i, redo); continue; }
          this.invalid++;
          if (redo) { redo[i] = 1; }
          foldInto(rowHash, i, hashBytes(col.bytes, s, e), hashHigh.value);
          continue;
        }
        if (redo && bigDigits && e - s > 15) { redo[i] = 1; }
      }
      if (v !== v) { this.miss(rowHash, i, redo); continue; }
      const lo = hashNumber(v), hi = hashHigh.value;
      foldInto(rowHash, i, lo, hi);
      if (cells) { cells.hash[2 * i] = lo; cells.hash[2 * i + 1] = hi; }
      lanes[2 * i] = lo; lanes[2 * i + 1] = hi;
      skip[i] = 0;
      cellValues[i] = v;
      if (this.kind !== 'boolean') { m = this.stat(v, m); }
    }
    this.values.addBatch(lanes, skip, n, this.kind === 'boolean' ? row => (cellValues[row] !== 0 ? 'true' : 'false') : row => cellValues[row]);
    if (m > 0 && this.moments && this.kll) {
      this.moments.addMany(this.scratch, m);
      this.kll.addMany(this.scratch, m);
    }
  }

  private stat(v: number, m: number): number {
    if (v === Infinity || v === -Infinity) { return m; }
    this.scratch[m] = v;
    return m + 1;
  }

  private miss(rowHash: Uint32Array, i: number, redo?: Uint8Array): void {
    this.missing++;
    if (redo) { redo[i] = 1; }
    foldInto(rowHash, i, MISSING_LO, MISSING_HI);
  }

  /** Text: hashed by its UTF-8 bytes (other columns compared as text: by their display text); empty is missing. */
  private addText(col: ColumnData, field: Field, rowHash: Uint32Array, cells?: CellHashes): void {
    const n = col.valid.length;
    const values = this.values;
    if (col.kind !== 'text') {
      cells?.redo.fill(1, 0, n);
      for (let i = 0; i < n; i++) {
        const s = col.valid[i] === 1 ? cellDisplay(col, i, field) : null;
        if (s === null || s === '') { this.miss(rowHash, i); continue; }
        const b = encoder.encode(s);
        const lo = hashBytes(b, 0, b.length), hi = hashHigh.value;
        foldInto(rowHash, i, lo, hi);
        values.add(lo, hi, s.length > MAX_REP_CHARS ? s.slice(0, MAX_REP_CHARS) : s);
      }
      return;
    }
    const { bytes, offsets, valid } = col;
    if (this.skip.length < n) { this.lanes = new Int32Array(2 * n); this.skip = new Uint8Array(n); }
    const lanes = this.lanes, skip = this.skip;
    for (let i = 0; i < n; i++) {
      const s = offsets[i], e = offsets[i + 1];
      if (valid[i] !== 1 || s === e) { skip[i] = 1; this.miss(rowHash, i, cells?.redo); continue; }
      const lo = hashBytes(bytes, s, e), hi = hashHigh.value;
      foldInto(rowHash, i, lo, hi);
      if (cells) { cells.hash[2 * i] = lo; cells.hash[2 * i + 1] = hi; }
      lanes[2 * i] = lo; lanes[2 * i + 1] = hi;
      skip[i] = 0;
    }
    values.addBatch(lanes, skip, n, row => repOf(bytes, offsets[row], offsets[row + 1]));
  }

  toState(): DriftAccumulatorState {
    return {
      type: this.type, kind: this.kind, rows: this.rows, missing: this.missing, invalid: this.invalid,
      values: this.values.toState(),
      moments: this.moments ? this.moments.toState() : null,
      kll: this.kll ? this.kll.toState() : null,
    };
  }

  static fromState(s: DriftAccumulatorState): DriftAccumulator {
    const a = new DriftAccumulator(s.type, s.kind);
    a.rows = s.rows;
    a.missing = s.missing;
    a.invalid = s.invalid;
    a.values = ValueCounter.fromState(s.values);
    a.moments = s.moments ? Moments.fromState(s.moments) : null;
    a.kll = s.kll ? KllSketch.fromState(s.kll) : null;
    return a;
  }
}

function repOf(bytes: Uint8Array, s: number, e: number): string {
  const str = decoder.decode(bytes.subarray(s, Math.min(e, s + MAX_REP_CHARS * 4)));
  return str.length > MAX_REP_CHARS ? str.slice(0, MAX_REP_CHARS) : str;
}
