// Sort keys for one cell: numbers (incl. dates as epoch ms) or text; missing and unparseable values sort last.
import { textAt, type ColumnData } from '../formats/columns';
import type { Field, LogicalType } from '../formats/dataset';
import { isMissingValue } from '../formats/inferType';
import { plainNumberText, type NumberFormat } from '../formats/numberFormat';

const NUMERIC_TYPES: ReadonlySet<LogicalType> = new Set(['integer', 'number', 'boolean', 'date', 'datetime', 'time']);

export function isNumericField(field: Field): boolean {
  return NUMERIC_TYPES.has(field.type);
}

const TRUE_TEXT = new Set(['true', 'True', 'TRUE', '1']);
const FALSE_TEXT = new Set(['false', 'False', 'FALSE', '0']);

/** The numeric key of a cell of a numeric field, or NaN when it is missing or does not parse. */
export function numericKey(col: ColumnData, i: number, field: Field): number {
  if (col.valid[i] !== 1) { return NaN; }
  switch (col.kind) {
    case 'number': return col.values[i];
    case 'bigint': return Number(col.values[i]); // order is kept except between neighbours beyond 2^53
    case 'text': return textToNumber(textAt(col, i) as string, field.type, field.numberFormat);
  }
}

/** The number a text means as a value of `type`; a `number` written in `format` (`1.234,5`) is read in it. */
export function textToNumber(text: string, type: LogicalType, format?: NumberFormat): number {
  if (isMissingValue(text)) { return NaN; }
  if (format && type === 'number') {
    const plain = plainNumberText(text, format);
    return plain === null || plain === '' ? NaN : Number(plain);
  }
  switch (type) {
    case 'boolean': return TRUE_TEXT.has(text) ? 1 : FALSE_TEXT.has(text) ? 0 : NaN;
    case 'date':
    case 'datetime': {
      const ms = Date.parse(type === 'datetime' && !/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
      return Number.isFinite(ms) ? ms : NaN;
    }
    case 'time': {
      const m = /^(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/.exec(text);
      return m ? ((+m[1] * 60 + +m[2]) * 60 + (m[3] ? +m[3] : 0)) * 1000 : NaN;
    }
    default: {
      const t = text.trim();
      return t === '' ? NaN : Number(t);
    }
  }
}

/** True when a cell holds no value (missing in the batch, or a missing marker/empty text). */
export function isMissingCell(col: ColumnData, i: number, field: Field): boolean {
  if (col.valid[i] !== 1) { return true; }
  if (col.kind !== 'text') { return false; }
  const start = col.offsets[i];
  if (col.offsets[i + 1] === start) { return true; }
  return field.type !== 'string' && isMissingValue(textAt(col, i));
}
