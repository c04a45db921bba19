// One column's streaming profile: reads each batch's cells once (parsing CSV text by the field's
// type straight from bytes), feeds moments, the KLL sketch, the value counter, date periods and
// text shapes, folds each cell's hash into the row hashes, and merges with another half's state.
import type { ColumnData } from '../formats/columns';
import type { Field, LogicalType } from '../formats/dataset';
import { DateCounter, type DateCounterState } from './dateCounter';
import { foldInto, hashBigInt, hashBytes, hashHigh, hashNumber, fmix32 } from './hashing';
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

  private scratch = new Float64Array(1024);

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
    if (this.scratch.length < n) { this.scratch = new Float64Array(n); }
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
    this.memoryBytes += 9 * n;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (valid[i] !== 1 || v !== v) {
        this.missing++;
        if (rowHash) { foldInto(rowHash, i, MISSING_LO, MISSING_HI); }
        continue;
      }
      m = this.addValue(v, m, rowHash, i);
    }
    this.finishBatch(m);
  }

  private addBigInts(values: BigInt64Array, valid: Uint8Array, rowHash: Uint32Array | null): void {
    const n = valid.length;
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

  /** Counts one valid value: hash, value table, statistics. Returns the new scratch length. */
  private addValue(v: number, m: number, rowHash: Uint32Array | null, i: number): number {
    const lo = hashNumber(v), hi = hashHigh.value;
    if (rowHash) { foldInto(rowHash, i, lo, hi); }
    if (this.kind === 'boolean') {
      this.values.add(lo, hi, v !== 0 ? 'true' : 'false');
      return m;
    }
    this.values.add(lo, hi, v);
    return this.addStat(v, m);
  }

  private addStat(v: number, m: number): number {
    if (v === Infinity || v === -Infinity) {
      this.infinite++;
      if (v < 0) { this.negatives++; }
      return m;
    }
    if (v === 0) { this.zeros++; } else if (v < 0) { this.negatives++; }
    this.scratch[m] = v;
    return m + 1;
  }

  private finishBatch(m: number): void {
    if (m === 0) { return; }
    (this.moments as Moments).addMany(this.scratch, m);
    if (this.kll) { this.kll.addMany(this.scratch, m); }
    if (this.dates) {
      const d = this.dates, s = this.scratch;
      for (let i = 0; i < m; i++) { d.add(s[i]); }
    }
  }

  private addParsed(col: Extract<ColumnData, { kind: 'text' }>, rowHash: Uint32Array | null): void {
    const { bytes, offsets, valid } = col;
    const n = valid.length;
    const parse = parserFor(this.type) as TextParser;
    this.memoryBytes += 9 * n;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const s = offsets[i], e = offsets[i + 1];
      if (valid[i] !== 1) {
        this.missing++;
        if (rowHash) { foldInto(rowHash, i, MISSING_LO, MISSING_HI); }
        continue;
      }
      const v = parse(bytes, s, e);
      if (!parsed.ok) {
        this.invalid++;
        const lo = hashBytes(bytes, s, e), hi = hashHigh.value;
        if (rowHash) { foldInto(rowHash, i, lo, hi); }
        if (this.invalidExamples.length < MAX_EXAMPLES) { this.noteInvalid(decoder.decode(bytes.subarray(s, e))); }
        continue;
      }
      if (v !== v) {
        this.missing++;
        if (rowHash) { foldInto(rowHash, i, MISSING_LO, MISSING_HI); }
        continue;
      }
      m = this.addValue(v, m, rowHash, i);
    }
    this.finishBatch(m);
  }

  private noteInvalid(s: string): void {
    const v = s.length > 80 ? s.slice(0, 80) + '…' : s;
    if (!this.invalidExamples.includes(v)) { this.invalidExamples.push(v); }
  }

  private addText(col: Extract<ColumnData, { kind: 'text' }>, rowHash: Uint32Array | null): void {
    const { bytes, offsets, valid } = col;
    const n = valid.length;
    this.memoryBytes += (offsets[n] - offsets[0]) + 5 * n;
    const values = this.values, patterns = this.patterns as ValueCounter;
    values.beginDeferred(row => repOf(bytes, offsets[row], offsets[row + 1]));
    patterns.beginDeferred(row => shapeOf(decoder.decode(bytes.subarray(offsets[row], offsets[row + 1]))));
    for (let i = 0; i < n; i++) {
      const s = offsets[i], e = offsets[i + 1];
      if (valid[i] !== 1) {
        this.missing++;
        if (rowHash) { foldInto(rowHash, i, MISSING_LO, MISSING_HI); }
        continue;
      }
      const lo = hashBytes(bytes, s, e), hi = hashHigh.value;
      if (rowHash) { foldInto(rowHash, i, lo, hi); }
      values.insert(lo, hi);
      if (values.needsRep()) { values.deferRep(i); }
      values.settle();
      // one pass over the bytes: code points, blank check, and the shape's hash
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
      if (chars < this.lenMin) { this.lenMin = chars; }
      if (chars > this.lenMax) { this.lenMax = chars; }
      this.lenSum += chars;
      if (chars === 0) { this.empty++; } else if (blank) { this.whitespace++; }
      patterns.insert(fmix32(p1 ^ (plen > MAX_PATTERN ? 0x55 : 0)), fmix32(p2));
      if (patterns.needsRep()) { patterns.deferRep(i); }
      patterns.settle();
    }
    values.endDeferred();
    patterns.endDeferred();
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
