// How the cells of one column are compared across two versions: by number (parsed by each side's type,
// so CSV text and Parquet doubles agree) or by display text; key hashes built the same way.
import { cellDisplay } from '../formats/cellValue';
import { type ColumnData } from '../formats/columns';
import type { Field, LogicalType } from '../formats/dataset';
import { isMissingValue } from '../formats/inferType';
import { foldInto, hashBytes, hashHigh, hashNumber } from '../profile/hashing';
import { fieldParser, parseInteger, parsed } from '../profile/textParse';

/** `number`: both sides hold numbers, booleans or instants of one kind; `text`: anything else, as display text. */
export type CompareKind = 'number' | 'text';

const NUMERIC: ReadonlySet<LogicalType> = new Set(['integer', 'number']);
const INSTANT: ReadonlySet<LogicalType> = new Set(['date', 'datetime']);

export function compareKind(a: LogicalType, b: LogicalType): CompareKind {
  if (NUMERIC.has(a) && NUMERIC.has(b)) { return 'number'; }
  if (INSTANT.has(a) && INSTANT.has(b)) { return 'number'; }
  if (a === b && (a === 'boolean' || a === 'time')) { return 'number'; }
  return 'text';
}

/** Whether a numeric tolerance applies to the pair (numbers only: an epsilon is not a time span). */
export function toleranceApplies(a: LogicalType, b: LogicalType): boolean {
  return NUMERIC.has(a) && NUMERIC.has(b);
}

export { fieldParser } from '../profile/textParse';
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * A cell as compared: `null` when missing (an empty text cell, a missing marker such as `NA` in a
 * typed column, NaN), a number, or a string (text columns, and typed cells that do not parse).
 */
export function cellValue(col: ColumnData, i: number, field: Field, kind: CompareKind): number | string | null {
  if (col.valid[i] !== 1) { return null; }
  if (kind === 'text') {
    const s = cellDisplay(col, i, field);
    return s === '' ? null : s; // CSV cannot tell an empty string from a missing value
  }
  switch (col.kind) {
    case 'number': return col.values[i] === col.values[i] ? col.values[i] : null;
    case 'bigint': {
      // beyond 2^53 a double would make neighbours equal: such integers compare by their digits
      const v = Number(col.values[i]);
      return Number.isSafeInteger(v) ? v : col.values[i].toString();
    }
    case 'text': {
      const s = col.offsets[i], e = col.offsets[i + 1];
      const parse = fieldParser(field);
      if (parse) {
        const v = parse(col.bytes, s, e);
        if (parsed.ok && field.type === 'integer' && !Number.isSafeInteger(v)) { return integerDigits(decoder.decode(col.bytes.subarray(s, e))); }
        if (parsed.ok) { return v === v ? v : null; }
      }
      const text = decoder.decode(col.bytes.subarray(s, e));
      return text === '' || isMissingValue(text) ? null : text;
    }
  }
}

/** An integer written in text as its canonical digits (no plus sign, no leading zeros), as bigint's toString gives them. */
function integerDigits(text: string): string {
  const t = text.trim();
  const negative = t.startsWith('-');
  const digits = t.replace(/^[+-]/, '').replace(/^0+(?=\d)/, '');
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/** Equality of two compared cells; numbers within `epsilon` are equal. */
export function sameCell(x: number | string | null, y: number | string | null, epsilon: number): boolean {
  if (x === y) { return true; }
  if (typeof x === 'number' && typeof y === 'number') { return Math.abs(x - y) <= epsilon; }
  return false;
}

/** A 64-bit integer column as doubles when every value is exact as one (so it hashes like the same numbers elsewhere). */
export function bigintAsNumbers(col: ColumnData): ColumnData {
  if (col.kind !== 'bigint') { return col; }
  const n = col.valid.length;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (col.valid[i] !== 1) { continue; }
    const v = Number(col.values[i]);
    if (!Number.isSafeInteger(v)) { return col; }
    values[i] = v;
  }
  return { kind: 'number', values, valid: col.valid };
}

/**
 * Folds the digits of integers beyond 2^53 written as text into the row hashes: parsed to doubles,
 * neighbours such as 9007199254740993 and …992 would hash alike and a change would go unseen.
 */
export function foldExactIntegers(col: ColumnData, field: Field, out: Uint32Array): void {
  if (field.type !== 'integer' || col.kind !== 'text') { return; }
  for (let i = 0; i < col.valid.length; i++) {
    const s = col.offsets[i], e = col.offsets[i + 1];
    if (col.valid[i] !== 1 || e - s <= 15) { continue; }
    const v = parseInteger(col.bytes, s, e);
    if (!parsed.ok || Number.isSafeInteger(v)) { continue; }
    const lo = hashText(integerDigits(decoder.decode(col.bytes.subarray(s, e))));
    foldInto(out, i, lo, hashHigh.value);
  }
}

const MISSING_LO = 0x510e527f, MISSING_HI = 0x9b05688c;

/**
 * Folds the key cells of column `col` into `out` (two lanes per row), canonically: numbers by value
 * (CSV text parsed by the field's type), text by its bytes. Returns the rows whose cell is missing.
 * `cells`: the column's cell hashes already taken the same way (by a DriftAccumulator of the
 * column's compare kind), used where `redo` is 0.
 */
export function foldKeyColumn(
  col: ColumnData, field: Field, kind: CompareKind, out: Uint32Array, missing: Uint8Array,
  cells?: { hash: Uint32Array; redo: Uint8Array },
): number {
  const n = col.valid.length;
  let nulls = 0;
  const miss = (i: number): void => { foldInto(out, i, MISSING_LO, MISSING_HI); if (!missing[i]) { missing[i] = 1; nulls++; } };
  const parse = kind === 'number' ? fieldParser(field) : null;
  for (let i = 0; i < n; i++) {
    if (cells && cells.redo[i] === 0) { foldInto(out, i, cells.hash[2 * i], cells.hash[2 * i + 1]); continue; }
    if (col.valid[i] !== 1) { miss(i); continue; }
    let lo: number;
    if (col.kind === 'number') {
      const v = col.values[i];
      if (v !== v) { miss(i); continue; }
      if (kind === 'number') { lo = hashNumber(v); } else { lo = hashText(cellDisplay(col, i, field) as string); }
    } else if (col.kind === 'bigint') {
      const v = Number(col.values[i]);
      lo = kind === 'number' && Number.isSafeInteger(v) ? hashNumber(v) : hashText(col.values[i].toString());
    } else {
      const s = col.offsets[i], e = col.offsets[i + 1];
      if (s === e) { miss(i); continue; }
      if (parse) {
        const v = parse(col.bytes, s, e);
        if (parsed.ok && field.type === 'integer' && !Number.isSafeInteger(v)) {
          // keys beyond 2^53 by their digits, as a 64-bit integer column gives them
          lo = hashText(integerDigits(decoder.decode(col.bytes.subarray(s, e))));
          foldInto(out, i, lo, hashHigh.value);
          continue;
        }
        if (parsed.ok && v === v) { lo = hashNumber(v); foldInto(out, i, lo, hashHigh.value); continue; }
        if (isMissingValue(decoder.decode(col.bytes.subarray(s, e)))) { miss(i); continue; }
      }
      lo = hashBytes(col.bytes, s, e);
    }
    foldInto(out, i, lo, hashHigh.value);
  }
  return nulls;
}

function hashText(s: string): number {
  const b = encoder.encode(s);
  return hashBytes(b, 0, b.length);
}
