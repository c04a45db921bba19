// One column's streaming profile: reads each batch's cells once (parsing CSV text by the field's
// type straight from bytes), feeds moments, the KLL sketch, the value counter, date periods and
// text shapes, folds each cell's hash into the row hashes, and merges with another half's state.
import type { ColumnData } from '../formats/columns';
import type { Field, LogicalType } from '../formats/dataset';
import { DateCounter, type DateCounterState } from './dateCounter';
import { foldInto, hashBigInt, hashBytes, hashBytesInto, hashHigh, hashNumberInto, fmix32 } from './hashing';
import { KllSketch, KLL_DEFAULT_K, type KllState } from './kllSketch';
import { Moments, type MomentsState } from './moments';
import { parseBoolean, parseDate, parseDatetime, parseInteger, parseNumber, parseTime, parsed } from './textParse';
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
  text: TextState | null;
  memoryBytes: number;
}

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

/** A cell's state in a batch: a value, missing, or text that does not parse as the column's type. */
const VALUE = 0, MISSING = 1, INVALID = 2;

/**
 * Per-batch scratch shared by every accumulator (a batch column is added synchronously, one at a
 * time): cell states, hash lanes (two int32 per cell), text-shape lanes, parsed numbers, and the
 * finite values handed to the moments and the KLL sketch.
 */
const scratch = { state: new Uint8Array(0), lanes: new Int32Array(0), shapes: new Int32Array(0), numbers: new Float64Array(0), finite: new Float64Array(0) };

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

type TextParser = (b: Uint8Array, s: number, e: number) => number;
function parserFor(type: LogicalType): TextParser | null {
  switch (type) {
    case 'integer': return parseInteger;
    case 'number': return parseNumber;
    case 'time': return parseTime;
    case 'date': return parseDate;
    case 'datetime': return parseDatetime;
    case 'boolean': return parseBoolean;
    default: return null;
  }
}

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
    return new ColumnAccumulator(index, field.name, field.type, options);
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
      if (this.values.needsRep()) { this.values.setRep(Number.isSafeInteger(v) ? v : big.toString()); }
      this.values.settle();
      m = this.addStat(v, m);
    }
    this.finishBatch(m);
  }

  /**
   * Counts a batch of numbers whose cell states are in `scratch.state` (INVALID cells already hashed
   * into `scratch.lanes`): hashes, row hashes, the value table, then the statistics, each as one loop.
   */
  private addCells(values: Float64Array, n: number, rowHash: Uint32Array | null): void {
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
    if (rowHash) { foldLanes(rowHash, lanes, n); }
    this.values.addBatch(lanes, state, n, this.kind === 'boolean' ? row => (values[row] !== 0 ? 'true' : 'false') : row => values[row]);
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
    switch (this.type) {
      case 'integer': for (let i = 0; i < n; i++) { if (valid[i] === 1) { numbers[i] = parseInteger(bytes, offsets[i], offsets[i + 1]); state[i] = parsed.ok ? VALUE : INVALID; } else { state[i] = MISSING; } } break;
      case 'number': for (let i = 0; i < n; i++) { if (valid[i] === 1) { numbers[i] = parseNumber(bytes, offsets[i], offsets[i + 1]); state[i] = parsed.ok ? VALUE : INVALID; } else { state[i] = MISSING; } } break;
      case 'date': for (let i = 0; i < n; i++) { if (valid[i] === 1) { numbers[i] = parseDate(bytes, offsets[i], offsets[i + 1]); state[i] = parsed.ok ? VALUE : INVALID; } else { state[i] = MISSING; } } break;
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
        hashBytesInto(bytes, s, e, lanes, 2 * i);
        if (this.invalidExamples.length < MAX_EXAMPLES) { this.noteInvalid(decoder.decode(bytes.subarray(s, e))); }
      }
    }
    this.addCells(numbers, n, rowHash);
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
    c.memoryBytes = s.memoryBytes;
    if (s.text) {
      c.lenMin = s.text.lenMin; c.lenMax = s.text.lenMax; c.lenSum = s.text.lenSum;
      c.empty = s.text.empty; c.whitespace = s.text.whitespace;
      c.patterns = ValueCounter.fromState(s.text.patterns);
    }
    return c;
  }
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
