// Logical type inference from sample text values: which LogicalType a column of strings holds, and whether it has gaps.
import type { LogicalType } from './dataset';
import {
  COMMA_FRACTION, COMMA_GROUP_SHIFT, COMMA_UNAMBIGUOUS, THOUSANDS_UNAMBIGUOUS, decimalCommaFormat, decimalCommaShape,
  thousandsCommaFormat, thousandsCommaShape, type NumberFormat,
} from './numberFormat';
import { ALL_TEMPORAL_LAYOUTS, DAY_ABOVE_12, chosenLayout, temporalShape } from './temporalFormat';

/**
 * Cells read as missing unless a caller passes its own list. The empty string (Frictionless'
 * default) plus the markers pandas, R and SQL exports write for "no value". `NaN` counts as
 * missing here: in CSV exports it almost always means "not measured", and a column of numbers
 * with a few `NaN` should come out as `number`, nullable. `-` and `?` are not on the list:
 * they are too often real values.
 */
export const DEFAULT_MISSING_VALUES: readonly string[] = [
  '', 'NA', 'N/A', 'n/a', 'na', '#N/A', '<NA>', 'NULL', 'null', 'Null', 'None', 'NaN', 'nan',
];

/** Boolean spellings (Frictionless' defaults without `1`/`0`, which stay integers). */
const TRUE_VALUES = new Set(['true', 'True', 'TRUE']);
const FALSE_VALUES = new Set(['false', 'False', 'FALSE']);

export type ValueKind = 'missing' | 'boolean' | 'integer' | 'number' | 'date' | 'datetime' | 'time' | 'string';

export interface InferredType {
  type: LogicalType;
  nullable: boolean;
  /** Non-missing values seen. */
  count: number;
  /** Missing values seen. */
  missing: number;
  /** An integer column holding values beyond ±2^53: keep its digits as text, never round through a JS number. */
  exceedsSafeInteger: boolean;
  /**
   * A `number` column written with a decimal comma or with `,` thousands groups (see TypeInferrer's `decimalComma` and
   * `thousandsComma`): how its values read.
   */
  numberFormat?: NumberFormat;
  /**
   * A `date` or `datetime` column written in one of the layouts TypeInferrer's `temporalLayouts` looks for: its strptime
   * pattern (`%d/%m/%Y`). Absent for ISO 8601.
   */
  temporalFormat?: string;
}

export interface TypeInferrerOptions {
  missingValues?: readonly string[];
  /**
   * Numbers may be written with a decimal comma (`10,50`, `1.234,00`, `1 234,5`): true for delimited text whose
   * delimiter is not `,`. A column is then a `number` with that format when every value reads so (the group char,
   * if any, the same throughout) and at least one has a comma fraction that cannot be an English thousands
   * separator; `1.234` alone stays as it reads without this.
   */
  decimalComma?: boolean;
  /**
   * Numbers may be written with `,` thousands groups and a decimal point (`12,500`, `1,234.50`): true for delimited
   * text. A column is then a `number` with that format when every value is a plain number or reads so and some value
   * has a group. Where numbers may also have a decimal comma (`decimalComma`), `1,234` could be either: some value must
   * then rule the decimal comma out (`1,234.50`, `3,000,000`), else the column stays as it reads without this.
   */
  thousandsComma?: boolean;
  /**
   * Dates may be written in a common layout other than ISO 8601 (see TEMPORAL_LAYOUTS: `25/11/2026`, `25.11.2026`,
   * `11/25/2026 13:45`): true for delimited text. A column is then a `date` or `datetime` in the one layout that reads
   * every value, day-first only when some value's first part is a day above 12 and month-first only when some second
   * part is; a column that never tells (`01/02/2026`) or tells both stays as it reads without this.
   */
  temporalLayouts?: boolean;
}

// Leading zeros (`007`, `02134`) mark identifiers and codes; reading them as integers would lose the zeros.
const INTEGER = /^[+-]?(?:0|[1-9]\d*)$/;
const NUMBER = /^[+-]?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_NUMBER = /^[+-]?(?:INF|inf|Inf|Infinity|infinity)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?$/;
const MAX_SAFE_DIGITS = 15; // any integer with up to 15 digits is below 2^53

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) { return false; }
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1] && y > 0;
}

function validTime(h: number, mi: number, s: number): boolean {
  return h <= 23 && mi <= 59 && s <= 60; // 60: a leap second
}

function isMissingIn(value: string, missing: ReadonlySet<string>): boolean {
  return missing.has(value);
}

const defaultMissingSet: ReadonlySet<string> = new Set(DEFAULT_MISSING_VALUES);

/** True when `value` is one of the missing markers (default: DEFAULT_MISSING_VALUES). */
export function isMissingValue(value: string | null | undefined, missingValues?: readonly string[]): boolean {
  if (value === null || value === undefined) { return true; }
  return isMissingIn(value, missingValues ? new Set(missingValues) : defaultMissingSet);
}

/** The most specific kind a single non-missing text value fits (missing markers are not checked here). */
export function classifyValue(value: string): ValueKind {
  if (value.length === 0) { return 'missing'; }
  const c = value.charCodeAt(0);
  // Digits, signs and '.' start every number, date and time; anything else is boolean or string.
  const numeric = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 73 || c === 105;
  if (!numeric) {
    if (TRUE_VALUES.has(value) || FALSE_VALUES.has(value)) { return 'boolean'; }
    return 'string';
  }
  if (INTEGER.test(value)) { return 'integer'; }
  if (NUMBER.test(value) || SPECIAL_NUMBER.test(value)) { return 'number'; }
  let m = DATE.exec(value);
  if (m) { return validDate(+m[1], +m[2], +m[3]) ? 'date' : 'string'; }
  m = DATETIME.exec(value);
  if (m) {
    return validDate(+m[1], +m[2], +m[3]) && validTime(+m[4], +m[5], m[6] ? +m[6] : 0) ? 'datetime' : 'string';
  }
  m = TIME.exec(value);
  if (m) { return validTime(+m[1], +m[2], m[3] ? +m[3] : 0) ? 'time' : 'string'; }
  return 'string';
}

/** True when an integer's digits do not fit a double exactly (|v| > 2^53 - 1). */
function beyondSafeInteger(value: string): boolean {
  const digits = value.charCodeAt(0) === 43 || value.charCodeAt(0) === 45 ? value.length - 1 : value.length;
  if (digits <= MAX_SAFE_DIGITS) { return false; }
  return !Number.isSafeInteger(Number(value));
}

/**
 * Streaming type inference: feed values one by one, ask for the result at any time.
 * Kinds widen as values arrive: integer + number → number, date + datetime → datetime,
 * anything else mixed → string. A column with no values at all is a nullable string.
 */
export class TypeInferrer {
  private seen = new Set<ValueKind>();
  private count = 0;
  private missing = 0;
  private bigInteger = false;
  private readonly missingSet: ReadonlySet<string>;
  /** Every value so far reads as a decimal-comma number (false when not asked for). */
  private comma: boolean;
  /** The group char those values use (see decimalCommaShape), 0 while none was seen. */
  private commaGroup = 0;
  /** Whether one of them has a comma fraction that is surely decimal. */
  private commaDecimal = false;
  /** Every value so far is a plain number or one with `,` thousands groups (false when not asked for). */
  private thousands: boolean;
  /** Whether one of them has such groups. */
  private thousandsGrouped = false;
  /** Whether one of them cannot be read with a decimal comma, which then need not be ruled out. */
  private thousandsSure: boolean;
  /** The bits of the temporalShape layouts that read every value so far (0 when none does, or not asked for). */
  private layouts: number;
  /** Whether one of those values has a day above 12 first. */
  private dayAbove12 = false;

  constructor(options: TypeInferrerOptions = {}) {
    this.missingSet = options.missingValues ? new Set(options.missingValues) : defaultMissingSet;
    this.comma = options.decimalComma === true;
    this.thousands = options.thousandsComma === true;
    this.thousandsSure = options.decimalComma !== true;
    this.layouts = options.temporalLayouts === true ? ALL_TEMPORAL_LAYOUTS : 0;
  }

  add(value: string | null | undefined): void {
    if (value === null || value === undefined || isMissingIn(value, this.missingSet)) {
      this.missing++;
      return;
    }
    this.count++;
    if (this.comma) { this.addComma(value); }
    if (this.layouts !== 0) {
      const shape = temporalShape(value);
      this.layouts &= shape;
      if ((shape & DAY_ABOVE_12) !== 0) { this.dayAbove12 = true; }
    }
    // Once a column is plain text nothing narrows it again: skip the regexes.
    if (this.seen.has('string')) {
      if (this.thousands) { this.addThousands(value, undefined); }
      return;
    }
    const kind = classifyValue(value);
    this.seen.add(kind);
    if (this.thousands && kind !== 'integer' && kind !== 'number') { this.addThousands(value, kind); }
    if (kind === 'integer' && !this.bigInteger && beyondSafeInteger(value)) { this.bigInteger = true; }
  }

  private addComma(value: string): void {
    const shape = decimalCommaShape(value);
    if (shape < 0) {
      // INF, -Infinity: numbers in any notation
      if (!SPECIAL_NUMBER.test(value)) { this.comma = false; }
      return;
    }
    const group = shape >> COMMA_GROUP_SHIFT;
    if (group !== 0) {
      if (this.commaGroup !== 0 && group !== this.commaGroup) { this.comma = false; return; }
      this.commaGroup = group;
    }
    if ((shape & COMMA_FRACTION) !== 0 && (shape & COMMA_UNAMBIGUOUS) !== 0) { this.commaDecimal = true; }
  }

  /** `kind`: the value's classifyValue kind when known, which is then no plain number. */
  private addThousands(value: string, kind: ValueKind | undefined): void {
    const shape = thousandsCommaShape(value);
    if (shape >= 0) {
      this.thousandsGrouped = true;
      if ((shape & THOUSANDS_UNAMBIGUOUS) !== 0) { this.thousandsSure = true; }
      return;
    }
    const plain = kind ?? classifyValue(value);
    if (plain !== 'integer' && plain !== 'number') { this.thousands = false; }
  }

  result(): InferredType {
    const result: InferredType = {
      type: this.type(),
      nullable: this.missing > 0 || this.count === 0,
      count: this.count,
      missing: this.missing,
      exceedsSafeInteger: this.bigInteger && this.type() === 'integer',
    };
    if (this.comma && this.commaDecimal) {
      result.type = 'number';
      result.exceedsSafeInteger = false;
      result.numberFormat = decimalCommaFormat(this.commaGroup);
    } else if (this.thousands && this.thousandsGrouped && this.thousandsSure) {
      // never both: a value that makes a comma surely decimal (`1,25`, `0,125`) is no thousands-grouped number
      result.type = 'number';
      result.exceedsSafeInteger = false;
      result.numberFormat = thousandsCommaFormat();
    }
    const layout = this.count > 0 ? chosenLayout(this.layouts, this.dayAbove12) : undefined;
    if (layout) {
      result.type = layout.time === 0 ? 'date' : 'datetime';
      result.exceedsSafeInteger = false;
      result.temporalFormat = layout.pattern;
    }
    return result;
  }

  private type(): LogicalType {
    const s = this.seen;
    if (s.size === 0 || s.has('string')) { return 'string'; }
    if (s.size === 1) { return [...s][0] as LogicalType; }
    const only = (...kinds: ValueKind[]): boolean => [...s].every(k => kinds.includes(k));
    if (only('integer', 'number')) { return 'number'; }
    if (only('date', 'datetime')) { return 'datetime'; }
    return 'string';
  }
}

/** Infers the logical type of a column from sample values. */
export function inferType(values: Iterable<string | null | undefined>, options: TypeInferrerOptions = {}): InferredType {
  const t = new TypeInferrer(options);
  for (const v of values) { t.add(v); }
  return t.result();
}
