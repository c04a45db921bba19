// Sort keys for one cell: numbers (incl. dates as epoch ms) or text; missing and unparseable values sort last.
import { textAt, type ColumnData } from '../formats/columns';
import type { Field, LogicalType } from '../formats/dataset';
import { isMissingValue } from '../formats/inferType';
import { plainNumberText, type NumberFormat } from '../formats/numberFormat';
import { temporalTextParser } from '../formats/temporalFormat';
import { formattedTemporalParser, parsed } from '../profile/textParse';

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
    case 'text': {
      const parse = formattedDateParser(field);
      if (parse) {
        const v = parse(col.bytes, col.offsets[i], col.offsets[i + 1]);
        return parsed.ok ? v : NaN;
      }
      return textToNumber(textAt(col, i) as string, field.type, field.numberFormat);
    }
  }
}

type ByteParser = (b: Uint8Array, s: number, e: number) => number;
const dateParsers = new WeakMap<Field, ByteParser | null>();

/** The byte parser of a date or datetime field written in its own layout (`25/11/2026`), or null for other fields. */
function formattedDateParser(field: Field): ByteParser | null {
  let parse = dateParsers.get(field);
  if (parse === undefined) {
    parse = field.temporalFormat !== undefined && (field.type === 'date' || field.type === 'datetime')
      ? formattedTemporalParser(field.temporalFormat, field.type) : null;
    dateParsers.set(field, parse);
  }
  return parse;
}

/**
 * The number a text means as a value of `type`; a `number` written in `format` (`1.234,5`) is read in it, and a `date`
 * or `datetime` written in strptime pattern `temporalFormat` (`%d/%m/%Y`) in that.
 */
export function textToNumber(text: string, type: LogicalType, format?: NumberFormat, temporalFormat?: string): number {
  if (isMissingValue(text)) { return NaN; }
  if (format && type === 'number') {
    const plain = plainNumberText(text, format);
    return plain === null || plain === '' ? NaN : Number(plain);
  }
  if (temporalFormat !== undefined && (type === 'date' || type === 'datetime')) { return temporalTextParser(temporalFormat, type)(text); }
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
