// One column's streaming profile: reads each batch's cells once (parsing CSV text by the field's
// type straight from bytes), feeds moments, the KLL sketch, the value counter, date periods and
// text shapes, folds each cell's hash into the row hashes, and merges with another half's state.
import type { ColumnData } from '../formats/columns';
import type { Field, LogicalType } from '../formats/dataset';
import { DEFAULT_MISSING_VALUES, isMissingValue } from '../formats/inferType';
import { DateCounter, type DateCounterState } from './dateCounter';
import { compareDecimals } from './decimalText';
import { foldInto, hashBigInt, hashBytes, hashBytesInto, hashHigh, hashNumberInto, fmix32 } from './hashing';
import { KllSketch, KLL_DEFAULT_K, type KllState } from './kllSketch';
import { Moments, type MomentsState } from './moments';
import { formattedFieldParser, parseDate, parseDatetime, parseInteger, parseNumber, parserFor, parsed, type TextParser } from './textParse';
import type { RepValue } from './hashCountTable';
import { ValueCounter, type ValueCounterState } from './valueCounter';

export type ColumnKind = 'numeric' | 'temporal' | 'boolean' | 'text';

export function columnKind(type: LogicalType): ColumnKind {
  switch (type) {
    case 'integer': case 'number': case 'time': return 'numeric';
    case 'date': case 'datetime': return 'temporal';
    case 'boolean': return 'boolean';
    default: return 'text';
  }
}

export interface ColumnAccumulatorOptions {
  exactBound?: number;
  kllK?: number;
  /** Misra-Gries counters for text values and shapes past the exact bound. */
  heavyHitters?: number;
}

export interface ColumnAccumulatorState {
  field: number;
  name: string;
  type: LogicalType;
  rows: number;
  missing: number;
  invalid: number;
  invalidExamples: string[];
  values: ValueCounterState;
  moments: MomentsState | null;
  kll: KllState | null;
  zeros: number;
  negatives: number;
  infinite: number;
  dates: DateCounterState | null;
  /** Datetimes: whether the field's values are wall-clock times, and how many text values had no zone. */
  wallClock: boolean;
  zoneless: number;
  /** The least and greatest values a double does not hold, as written (see `WideExtremes`). */
  wide: WideExtremes | null;
  text: TextState | null;
  memoryBytes: number;
}

/**
 * The least and greatest of the whole numbers beyond ±2^53, whose double may round them, as written: the column's min
 * and max keep every digit when they are among them.
 */
export interface WideExtremes { low: string; high: string }

interface TextState {
  lenMin: number;
  lenMax: number;
  lenSum: number;
  empty: number;
  whitespace: number;
  patterns: ValueCounterState;
}

const MAX_EXAMPLES = 5;
const MAX_REP_CHARS = 1000;
const MAX_PATTERN = 40;
/** The hash lanes a missing cell contributes to its row's hash. */
const MISSING_LO = 0x6a09e667, MISSING_HI = 0xbb67ae85;

const decoder = new TextDecoder();
/** The longest missing-value marker (`NULL`, `None`, `#N/A`, `<NA>`) in bytes: longer cells are not read as text to check. */
const MAX_MARKER_BYTES = Math.max(...DEFAULT_MISSING_VALUES.map(m => m.length));

/** A cell's state in a batch: a value, missing, or text that does not parse as the column's type. */
const VALUE = 0, MISSING = 1, INVALID = 2;

/**
 * Per-batch scratch shared by every accumulator (a batch column is added synchronously, one at a
 * time): cell states, hash lanes (two int32 per cell), text-shape lanes, parsed numbers, and the
 * finite values handed to the moments and the KLL sketch.
 */
const scratch = { state: new Uint8Array(0), lanes: new Int32Array(0), shapes: new Int32Array(0), numbers: new Float64Array(0), finite: new Float64Array(0) };

/** The rows of the batch being added that hold a whole number beyond ±2^53 (see `parsed.exact`), and a flag per row. */
const wide = { rows: [] as number[], flags: new Uint8Array(0) };

function scratchFor(n: number): typeof scratch {
  if (scratch.state.length < n) {
    const cap = Math.max(n, 2 * scratch.state.length);
    scratch.state = new Uint8Array(cap);
    scratch.lanes = new Int32Array(2 * cap);
    scratch.shapes = new Int32Array(2 * cap);
    scratch.numbers = new Float64Array(cap);
    scratch.finite = new Float64Array(cap);
  }
  return scratch;
}

/**
 * Shape class of each byte: continuation bytes are skipped, letters, digits and whitespace are
 * classes whose runs collapse, any other ASCII byte stands for itself; a multi-byte character's
 * lead byte counts as a lower-case letter.
 */
const SKIP = 0, LOWER = 1, UPPER = 2, DIGIT = 3, SPACE = 4;
const SHAPE_CLASS = (() => {
  const t = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    t[b] = b >= 97 && b <= 122 ? LOWER : b >= 65 && b <= 90 ? UPPER : b >= 48 && b <= 57 ? DIGIT
      : b === 32 || b === 9 || b === 10 || b === 13 ? SPACE : (b & 0xc0) === 0x80 ? SKIP : b >= 0xc0 ? LOWER : 0x100 | b;
  }
  return t;
})();

export class ColumnAccumulator {
  readonly kind: ColumnKind;
  rows = 0;
  missing = 0;
  invalid = 0;
  invalidExamples: string[] = [];
  values: ValueCounter;
  moments: Moments | null = null;
  kll: KllSketch | null = null;
  zeros = 0;
  negatives = 0;
  infinite = 0;
  dates: DateCounter | null = null;
  /** A datetime field of wall-clock times (no zone), e.g. a Parquet TIMESTAMP with isAdjustedToUTC=false. */
  wallClock = false;
  /** Datetime text values written without a zone. */
  zoneless = 0;
  wide: WideExtremes | null = null;
  /**
   * The parser of a field's text written in its own format (a `number` as `1.234,5`, a `date` as `25/11/2026`), or null
   * for text written as numbers and ISO 8601 dates are.
   */
  private formatted: TextParser | null = null;
  /** The doubles of `wide`'s values: a value strictly between them cannot be a new least or greatest. */
  private wideLow = Infinity;
  private wideHigh = -Infinity;
  memoryBytes = 0;
  // text
  lenMin = Infinity;
  lenMax = -Infinity;
  lenSum = 0;
  empty = 0;
  whitespace = 0;
  patterns: ValueCounter | null = null;

  constructor(readonly field: number, readonly name: string, readonly type: LogicalType, options: ColumnAccumulatorOptions = {}) {
    this.kind = columnKind(type);
    const hh = options.heavyHitters ?? 256;
    this.values = new ValueCounter({ exactBound: options.exactBound, heavyHitters: this.kind === 'text' ? hh : 0 });
    if (this.kind === 'numeric' || this.kind === 'temporal') { this.moments = new Moments(); }
    if (this.kind === 'numeric') { this.kll = new KllSketch(options.kllK ?? KLL_DEFAULT_K, fmix32(field + 1)); }
    if (this.kind === 'temporal') { this.dates = new DateCounter(type === 'date' ? 'day' : 'second'); }
    if (this.kind === 'text') { this.patterns = new ValueCounter({ exactBound: 4096, heavyHitters: hh }); }
  }

  static forField(field: Field, index: number, options?: ColumnAccumulatorOptions): ColumnAccumulator {
    const acc = new ColumnAccumulator(index, field.name, field.type, options);
    acc.wallClock = field.wallClock === true;
    acc.formatted = formattedFieldParser(field);
    return acc;
  }

  /** Adds one batch column; `rowHash` (2 lanes per row) receives each cell's hash, when given. */
  add(col: ColumnData, rowHash: Uint32Array | null): void {
    const n = col.valid.length;
    this.rows += n;
    if (col.kind === 'text') {
      if (this.kind === 'text') { this.addText(col, rowHash); } else { this.addParsed(col, rowHash); }
    } else if (col.kind === 'number') {
      this.addNumbers(col.values, col.valid, rowHash);
    } else {
      this.addBigInts(col.values, col.valid, rowHash);
    }
  }

  private addNumbers(values: Float64Array, valid: Uint8Array, rowHash: Uint32Array | null): void {
    const n = valid.length;
    if (this.kind === 'text') {
      // a numeric column declared as text: profile the numbers' text forms
      const strings = new Array<string | null>(n);
      for (let i = 0; i < n; i++) { strings[i] = valid[i] === 1 && values[i] === values[i] ? String(values[i]) : null; }
      this.addStrings(strings, rowHash);
      return;
    }
    const { state } = scratchFor(n);
    for (let i = 0; i < n; i++) { state[i] = valid[i] === 1 && values[i] === values[i] ? VALUE : MISSING; }
    this.addCells(values, n, rowHash);
  }

  private addBigInts(values: BigInt64Array, valid: Uint8Array, rowHash: Uint32Array | null): void {
    const n = valid.length;
    scratchFor(n);
    // as text (a 64-bit integer column declared as text) each value counts its own bytes
    if (this.kind !== 'text') { this.memoryBytes += 9 * n; }
    wide.rows.length = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (valid[i] !== 1) {
        this.missing++;
        if (rowHash) { foldInto(rowHash, i, MISSING_LO, MISSING_HI); }
        continue;
      }
      const big = values[i];
      const v = Number(big);
      if (this.kind === 'text') {
        const lo = hashBigInt(big), hi = hashHigh.value;
        if (rowHash) { foldInto(rowHash, i, lo, hi); }
        this.addTextValue(lo, hi, big.toString());
        continue;
      }
      // the value table and row hash see every bit of the integer; the statistics see the double
      const lo = hashBigInt(big), hi = hashHigh.value;
      if (rowHash) { foldInto(rowHash, i, lo, hi); }
      this.values.insert(lo, hi);
      const safe = Number.isSafeInteger(v);
      if (this.values.needsRep()) { this.values.setRep(safe ? v : big.toString()); }
      this.values.settle();
      if (!safe) { wide.rows.push(i); }
      m = this.addStat(v, m);
    }
    this.noteWideRows(row => Number(values[row]), row => values[row].toString());
    this.finishBatch(m);
  }

  /**
   * Counts a batch of numbers whose cell states are in `scratch.state` (INVALID cells already hashed
   * into `scratch.lanes`): hashes, row hashes, the value table, then the statistics, each as one loop.
   */
  private addCells(values: Float64Array, n: number, rowHash: Uint32Array | null, wideCells?: Extract<ColumnData, { kind: 'text' }>): void {
    const { state, lanes } = scratch;
    this.memoryBytes += 9 * n;
    let missing = 0, invalid = 0;
    for (let i = 0; i < n; i++) {
      const st = state[i];
      if (st === VALUE) { hashNumberInto(values[i], lanes, 2 * i); }
      else if (st === MISSING) { missing++; lanes[2 * i] = MISSING_LO; lanes[2 * i + 1] = MISSING_HI; }
      else { invalid++; }
    }
    this.missing += missing;
    this.invalid += invalid;
    if (wideCells) { hashWideRows(wideCells, lanes); }
    if (rowHash) { foldLanes(rowHash, lanes, n); }
    this.values.addBatch(lanes, state, n, this.kind === 'boolean' ? row => (values[row] !== 0 ? 'true' : 'false')
      : wideCells ? wideRepMaker(values, wideCells) : row => values[row]);
    if (this.kind === 'boolean') { return; }
    const finite = scratch.finite;
    let m = 0, zeros = 0, negatives = 0, infinite = 0;
    for (let i = 0; i < n; i++) {
      if (state[i] !== VALUE) { continue; }
      const v = values[i];
      if (v === Infinity || v === -Infinity) {
        infinite++;
        if (v < 0) { negatives++; }
        continue;
      }
      if (v === 0) { zeros++; } else if (v < 0) { negatives++; }
      finite[m++] = v;
    }
    this.zeros += zeros;
    this.negatives += negatives;
    this.infinite += infinite;
    this.finishBatch(m);
  }

  private addStat(v: number, m: number): number {
    if (v === Infinity || v === -Infinity) {
      this.infinite++;
      if (v < 0) { this.negatives++; }
      return m;
    }
    if (v === 0) { this.zeros++; } else if (v < 0) { this.negatives++; }
    scratch.finite[m] = v;
    return m + 1;
  }

  private finishBatch(m: number): void {
    if (m === 0) { return; }
    const finite = scratch.finite;
    (this.moments as Moments).addMany(finite, m);
    if (this.kll) { this.kll.addMany(finite, m); }
    if (this.dates) {
      const d = this.dates, s = finite;
      for (let i = 0; i < m; i++) { d.add(s[i]); }
    }
  }

  private addParsed(col: Extract<ColumnData, { kind: 'text' }>, rowHash: Uint32Array | null): void {
    const { bytes, offsets, valid } = col;
    const n = valid.length;
    const { state, lanes, numbers } = scratchFor(n);
    // one loop per parser, so that each call site sees one function (and inlines it)
    const wideRows = wide.rows;
    wideRows.length = 0;
    let zoneless = 0;
    const formatted = this.formatted;
    switch (formatted ? (this.type === 'datetime' ? 'formattedDatetime' : 'formatted') : this.type) {
      case 'formatted': for (let i = 0; i < n; i++) { if (valid[i] === 1) { numbers[i] = (formatted as TextParser)(bytes, offsets[i], offsets[i + 1]); state[i] = parsed.ok ? VALUE : INVALID; } else { state[i] = MISSING; } } break;
      case 'formattedDatetime': for (let i = 0; i < n; i++) { if (valid[i] === 1) { numbers[i] = (formatted as TextParser)(bytes, offsets[i], offsets[i + 1]); state[i] = parsed.ok ? VALUE : INVALID; if (parsed.ok && !parsed.zoned) { zoneless++; } } else { state[i] = MISSING; } } break;
      case 'integer': for (let i = 0; i < n; i++) { if (valid[i] === 1) { numbers[i] = parseInteger(bytes, offsets[i], offsets[i + 1]); state[i] = parsed.ok ? VALUE : INVALID; if (parsed.ok && !parsed.exact) { wideRows.push(i); } } else { state[i] = MISSING; } } break;
      case 'number': for (let i = 0; i < n; i++) { if (valid[i] === 1) { numbers[i] = parseNumber(bytes, offsets[i], offsets[i + 1]); state[i] = parsed.ok ? VALUE : INVALID; if (parsed.ok && !parsed.exact) { wideRows.push(i); } } else { state[i] = MISSING; } } break;
      case 'date': for (let i = 0; i < n; i++) { if (valid[i] === 1) { numbers[i] = parseDate(bytes, offsets[i], offsets[i + 1]); state[i] = parsed.ok ? VALUE : INVALID; } else { state[i] = MISSING; } } break;
      case 'datetime': for (let i = 0; i < n; i++) { if (valid[i] === 1) { numbers[i] = parseDatetime(bytes, offsets[i], offsets[i + 1]); state[i] = parsed.ok ? VALUE : INVALID; if (parsed.ok && !parsed.zoned) { zoneless++; } } else { state[i] = MISSING; } } break;
      default: {
        const parse = parserFor(this.type) as TextParser;
        for (let i = 0; i < n; i++) { if (valid[i] === 1) { numbers[i] = parse(bytes, offsets[i], offsets[i + 1]); state[i] = parsed.ok ? VALUE : INVALID; } else { state[i] = MISSING; } }
      }
    }
    for (let i = 0; i < n; i++) {
      const st = state[i];
      if (st === VALUE) {
        // NaN (a "NaN" cell) counts as missing
        if (numbers[i] !== numbers[i]) { state[i] = MISSING; }
      } else if (st === INVALID) {
        const s = offsets[i], e = offsets[i + 1];
        // a marker of no value (`NA`, `null`, `N/A`...) in a typed column is missing, as the grid and `strata head` read it
        if (e - s <= MAX_MARKER_BYTES && isMissingValue(decoder.decode(bytes.subarray(s, e)))) { state[i] = MISSING; continue; }
        hashBytesInto(bytes, s, e, lanes, 2 * i);
        if (this.invalidExamples.length < MAX_EXAMPLES) { this.noteInvalid(decoder.decode(bytes.subarray(s, e))); }
      }
    }
    this.zoneless += zoneless;
    if (wideRows.length === 0) { this.addCells(numbers, n, rowHash); return; }
    if (wide.flags.length < n) { wide.flags = new Uint8Array(Math.max(n, 2 * wide.flags.length)); }
    for (const row of wideRows) { wide.flags[row] = 1; }
    this.noteWideRows(row => numbers[row], row => cellText(col, row));
    this.addCells(numbers, n, rowHash, col);
    for (const row of wideRows) { wide.flags[row] = 0; }
  }

  /**
   * Keeps the least and greatest of the batch's whole numbers beyond ±2^53 (`wide.rows`) as written, reading the text
   * only of those whose double is the batch's least or greatest (ids in order make each batch's last a new greatest).
   */
  private noteWideRows(doubleOf: (row: number) => number, textOf: (row: number) => string): void {
    let lo = Infinity, hi = -Infinity;
    for (const row of wide.rows) {
      const v = doubleOf(row);
      if (v < lo) { lo = v; }
      if (v > hi) { hi = v; }
    }
    // an overflow ("1e400") counts as infinite, like its double; only finite values set the range
    for (const row of wide.rows) {
      const v = doubleOf(row);
      if ((v === lo || v === hi) && Number.isFinite(v)) { this.noteWide(v, () => textOf(row)); }
    }
  }

  /** Keeps a whole number beyond ±2^53 (its double `v`, its `text` as written) when it is the least or the greatest so far. */
  private noteWide(v: number, text: () => string): void {
    if (v > this.wideLow && v < this.wideHigh) { return; }
    const t = text();
    const w = this.wide ??= { low: t, high: t };
    if (v <= this.wideLow && compareDecimals(t, w.low) < 0) { w.low = t; }
    if (v >= this.wideHigh && compareDecimals(t, w.high) > 0) { w.high = t; }
    this.wideLow = Number(w.low);
    this.wideHigh = Number(w.high);
  }

  private noteInvalid(s: string): void {
    const v = s.length > 80 ? s.slice(0, 80) + '…' : s;
    if (!this.invalidExamples.includes(v)) { this.invalidExamples.push(v); }
  }

  private addText(col: Extract<ColumnData, { kind: 'text' }>, rowHash: Uint32Array | null): void {
    const { bytes, offsets, valid } = col;
    const n = valid.length;
    this.memoryBytes += (offsets[n] - offsets[0]) + 5 * n;
    const { state, lanes, shapes } = scratchFor(n);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      if (valid[i] !== 1) {
        missing++;
        state[i] = MISSING;
        lanes[2 * i] = MISSING_LO; lanes[2 * i + 1] = MISSING_HI;
      } else {
        state[i] = VALUE;
        hashBytesInto(bytes, offsets[i], offsets[i + 1], lanes, 2 * i);
      }
    }
    this.missing += missing;
    if (rowHash) { foldLanes(rowHash, lanes, n); }
    this.values.addBatch(lanes, state, n, row => repOf(bytes, offsets[row], offsets[row + 1]));
    // one pass over each value's bytes: code points, blank check, and the shape's hash
    let lenMin = this.lenMin, lenMax = this.lenMax, lenSum = this.lenSum, empty = 0, whitespace = 0;
    for (let i = 0; i < n; i++) {
      if (state[i] !== VALUE) { continue; }
      const s = offsets[i], e = offsets[i + 1];
      let chars = 0, blank = true, p1 = 0x811c9dc5, p2 = 0x01000193, prev = -1, plen = 0;
      for (let j = s; j < e; j++) {
        const c = SHAPE_CLASS[bytes[j]];
        if (c === SKIP) { continue; }
        chars++;
        if (c !== SPACE) { blank = false; }
        if (c === prev && c <= SPACE) { continue; }
        prev = c;
        if (plen < MAX_PATTERN) {
          p1 = Math.imul(p1 ^ c, 0x01000193);
          p2 = Math.imul(p2 ^ c, 0x5bd1e995) + 0x27d4eb2f;
        }
        plen++;
      }
      if (chars < lenMin) { lenMin = chars; }
      if (chars > lenMax) { lenMax = chars; }
      lenSum += chars;
      if (chars === 0) { empty++; } else if (blank) { whitespace++; }
      shapes[2 * i] = fmix32(p1 ^ (plen > MAX_PATTERN ? 0x55 : 0));
      shapes[2 * i + 1] = fmix32(p2);
    }
    this.lenMin = lenMin; this.lenMax = lenMax; this.lenSum = lenSum;
    this.empty += empty; this.whitespace += whitespace;
    (this.patterns as ValueCounter).addBatch(shapes, state, n, row => shapeOf(decoder.decode(bytes.subarray(offsets[row], offsets[row + 1]))));
  }

  private addStrings(strings: (string | null)[], rowHash: Uint32Array | null): void {
    const enc = new TextEncoder();
    for (let i = 0; i < strings.length; i++) {
      const str = strings[i];
      if (str === null) {
        this.missing++;
        if (rowHash) { foldInto(rowHash, i, MISSING_LO, MISSING_HI); }
        continue;
      }
      const b = enc.encode(str);
      const lo = hashBytes(b, 0, b.length), hi = hashHigh.value;
      if (rowHash) { foldInto(rowHash, i, lo, hi); }
      this.addTextValue(lo, hi, str);
    }
  }

  /** Text statistics for one value already decoded (slow path: non-text columns declared as text). */
  private addTextValue(lo: number, hi: number, str: string): void {
    this.memoryBytes += str.length + 5;
    this.values.add(lo, hi, str.length > MAX_REP_CHARS ? str.slice(0, MAX_REP_CHARS) : str);
    const chars = [...str].length;
    if (chars < this.lenMin) { this.lenMin = chars; }
    if (chars > this.lenMax) { this.lenMax = chars; }
    this.lenSum += chars;
    if (chars === 0) { this.empty++; } else if (str.trim() === '') { this.whitespace++; }
    const shape = shapeOf(str);
    const b = new TextEncoder().encode(shape);
    const plo = hashBytes(b, 0, b.length);
    (this.patterns as ValueCounter).add(plo, hashHigh.value, shape);
  }

  merge(o: ColumnAccumulator): void {
    this.mergeState(o.toState());
  }

  /** Adds the figures of another part of the same column (e.g. another row range), from its state. */
  mergeState(o: ColumnAccumulatorState): void {
    this.rows += o.rows;
    this.missing += o.missing;
    this.invalid += o.invalid;
    for (const x of o.invalidExamples) { if (this.invalidExamples.length < MAX_EXAMPLES && !this.invalidExamples.includes(x)) { this.invalidExamples.push(x); } }
    this.values.mergeState(o.values);
    if (this.moments && o.moments) { this.moments.merge(Moments.fromState(o.moments)); }
    if (this.kll && o.kll) { this.kll.merge(KllSketch.fromState(o.kll)); }
    this.zeros += o.zeros;
    this.negatives += o.negatives;
    this.infinite += o.infinite;
    if (this.dates && o.dates) { this.dates.merge(DateCounter.fromState(o.dates)); }
    this.zoneless += o.zoneless;
    if (o.wide) {
      const { low, high } = o.wide;
      this.noteWide(Number(low), () => low);
      this.noteWide(Number(high), () => high);
    }
    this.memoryBytes += o.memoryBytes;
    if (o.text) {
      this.lenMin = Math.min(this.lenMin, o.text.lenMin);
      this.lenMax = Math.max(this.lenMax, o.text.lenMax);
      this.lenSum += o.text.lenSum;
      this.empty += o.text.empty;
      this.whitespace += o.text.whitespace;
      if (this.patterns) { this.patterns.mergeState(o.text.patterns); }
    }
  }

  toState(): ColumnAccumulatorState {
    return {
      field: this.field,
      name: this.name,
      type: this.type,
      rows: this.rows,
      missing: this.missing,
      invalid: this.invalid,
      invalidExamples: this.invalidExamples.slice(),
      values: this.values.toState(),
      moments: this.moments ? this.moments.toState() : null,
      kll: this.kll ? this.kll.toState() : null,
      zeros: this.zeros,
      negatives: this.negatives,
      infinite: this.infinite,
      dates: this.dates ? this.dates.toState() : null,
      wallClock: this.wallClock,
      zoneless: this.zoneless,
      wide: this.wide ? { ...this.wide } : null,
      text: this.patterns ? {
        lenMin: this.lenMin, lenMax: this.lenMax, lenSum: this.lenSum, empty: this.empty, whitespace: this.whitespace,
        patterns: this.patterns.toState(),
      } : null,
      memoryBytes: this.memoryBytes,
    };
  }

  static fromState(s: ColumnAccumulatorState): ColumnAccumulator {
    const c = new ColumnAccumulator(s.field, s.name, s.type);
    c.rows = s.rows;
    c.missing = s.missing;
    c.invalid = s.invalid;
    c.invalidExamples = s.invalidExamples.slice();
    c.values = ValueCounter.fromState(s.values);
    c.moments = s.moments ? Moments.fromState(s.moments) : null;
    c.kll = s.kll ? KllSketch.fromState(s.kll) : null;
    c.zeros = s.zeros;
    c.negatives = s.negatives;
    c.infinite = s.infinite;
    c.dates = s.dates ? DateCounter.fromState(s.dates) : null;
    c.wallClock = s.wallClock;
    c.zoneless = s.zoneless;
    if (s.wide) {
      c.wide = { ...s.wide };
      c.wideLow = Number(s.wide.low);
      c.wideHigh = Number(s.wide.high);
    }
    c.memoryBytes = s.memoryBytes;
    if (s.text) {
      c.lenMin = s.text.lenMin; c.lenMax = s.text.lenMax; c.lenSum = s.text.lenSum;
      c.empty = s.text.empty; c.whitespace = s.text.whitespace;
      c.patterns = ValueCounter.fromState(s.text.patterns);
    }
    return c;
  }
}

/**
 * Hashes the batch's whole numbers beyond ±2^53 (`wide.rows`) by their digits, without sign, leading zeros or spaces,
 * so that numbers sharing a double stay apart and `+0123…` counts as `123…`. No other value of the column shares a
 * hash with them: every other number is within ±2^53, hashed by its double.
 */
function hashWideRows(col: Extract<ColumnData, { kind: 'text' }>, lanes: Int32Array): void {
  const { bytes, offsets } = col;
  for (const row of wide.rows) {
    let s = offsets[row], e = offsets[row + 1];
    while (s < e && bytes[s] <= 32) { s++; }
    while (e > s && bytes[e - 1] <= 32) { e--; }
    const negative = bytes[s] === 45;
    if (negative || bytes[s] === 43) { s++; }
    while (s < e - 1 && bytes[s] === 48) { s++; }
    hashBytesInto(bytes, s, e, lanes, 2 * row);
    if (negative) { lanes[2 * row] = ~lanes[2 * row]; }
  }
}

/** Representatives for a batch with whole numbers beyond ±2^53: their text as written, the double for the others. */
function wideRepMaker(values: Float64Array, col: Extract<ColumnData, { kind: 'text' }>): (row: number) => RepValue {
  return row => (wide.flags[row] === 1 ? cellText(col, row) : values[row]);
}

/** A cell's text without the spaces around it. */
function cellText(col: Extract<ColumnData, { kind: 'text' }>, row: number): string {
  return decoder.decode(col.bytes.subarray(col.offsets[row], col.offsets[row + 1])).trim();
}

/** Folds each cell's lanes into its row's hash (see `foldInto`). */
function foldLanes(rowHash: Uint32Array, lanes: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) { foldInto(rowHash, i, lanes[2 * i], lanes[2 * i + 1]); }
}

function repOf(bytes: Uint8Array, s: number, e: number): string {
  const str = decoder.decode(bytes.subarray(s, Math.min(e, s + MAX_REP_CHARS * 4)));
  return str.length > MAX_REP_CHARS ? str.slice(0, MAX_REP_CHARS) : str;
}

/**
 * The shape of a value: upper-case letters → `A`, other letters → `a`, digits → `9`, whitespace → ` `,
 * runs of each collapsed to one; punctuation kept as is; capped at 40 symbols (then `…`).
 * Non-ASCII characters count as lower-case letters (`a`): case is not told apart without decoding.
 */
export function shapeOf(s: string): string {
  let out = '';
  let prev = '';
  let len = 0;
  for (const ch of s) {
    let c: string;
    if (ch >= 'a' && ch <= 'z') { c = 'a'; }
    else if (ch >= 'A' && ch <= 'Z') { c = 'A'; }
    else if (ch >= '0' && ch <= '9') { c = '9'; }
    else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') { c = ' '; }
    else if (ch.charCodeAt(0) >= 0x80) { c = 'a'; }
    else { c = ch; prev = ''; }
    if (c === prev) { continue; }
    if (c === 'a' || c === 'A' || c === '9' || c === ' ') { prev = c; }
    if (len < MAX_PATTERN) { out += c; }
    len++;
  }
  return len > MAX_PATTERN ? out + '…' : out;
}
