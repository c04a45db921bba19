// How a cell value reads: display text per logical type (locale numbers, ISO dates, compact JSON) and plain text for copying.
import type { FieldDto, NumberFormatDto } from '../../src/shared/protocol';
import type { CellValue } from './rowSource';

export type CellKind = 'missing' | 'empty' | 'number' | 'text' | 'boolean' | 'date' | 'json';

export interface CellDisplay {
  text: string;
  kind: CellKind;
  /** The full value when the display may be cut short (shown as a tooltip). */
  full?: string;
}

/** Longest text put into a cell's DOM; CSS ellipsis cuts it visually long before this. */
const MAX_CELL_CHARS = 400;
const MAX_TOOLTIP_CHARS = 4000;

const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

export function formatNumber(v: number, type: FieldDto['type']): string {
  if (Number.isNaN(v)) { return 'NaN'; }
  if (!Number.isFinite(v)) { return v > 0 ? '∞' : '-∞'; }
  if (type === 'integer' || Number.isInteger(v)) { return Math.abs(v) < 1e21 ? integerFormat.format(v) : String(v); }
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-6 || a >= 1e15)) { return v.toExponential(6).replace(/\.?0+e/, 'e'); }
  return decimalFormat.format(v);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Days in 400 Gregorian years, after which the calendar repeats. */
const CYCLE_MS = 146_097 * 86_400_000;
/** The largest |epoch ms| a Date holds. */
const MAX_DATE_MS = 8.64e15;

/**
 * A Date of the same calendar day and time as epoch ms `ms` and the years to add to its year: beyond Date's range the
 * value is moved by whole 400-year cycles into it. Undefined when `ms` is not finite.
 */
function utc(ms: number): { d: Date; years: number } | undefined {
  if (!Number.isFinite(ms)) { return undefined; }
  const cycles = Math.abs(ms) > MAX_DATE_MS ? Math.trunc(ms / CYCLE_MS) : 0;
  return { d: new Date(ms - cycles * CYCLE_MS), years: cycles * 400 };
}

/** A year as ISO 8601 writes it: four digits for 0000-9999, otherwise a sign and six digits. */
function isoYear(y: number): string {
  return y >= 0 && y <= 9999 ? pad(y, 4) : `${y < 0 ? '-' : '+'}${pad(Math.abs(y), 6)}`;
}

/** Epoch ms as `YYYY-MM-DD` (UTC). */
export function isoDate(ms: number): string {
  const t = utc(ms);
  if (!t) { return String(ms); }
  const { d, years } = t;
  return `${isoYear(d.getUTCFullYear() + years)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Epoch ms as `YYYY-MM-DD HH:MM:SS[.mmm]` (UTC). */
export function isoDateTime(ms: number): string {
  const t = utc(ms);
  if (!t) { return String(ms); }
  const { d } = t;
  const frac = d.getUTCMilliseconds();
  return `${isoDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac ? '.' + pad(frac, 3) : ''}`;
}

/**
 * An ISO-8601 date-time as the grid shows it (`2024-01-01T08:00:00.000Z` → `2024-01-01 08:00:00`, fractions kept
 * when not zero); dates and other text unchanged.
 */
export function displayIso(text: string): string {
  const m = /^([+-]?\d{4,}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) { return text; }
  const frac = m[3] && /[1-9]/.test(m[3]) ? m[3] : '';
  const zone = m[4] && m[4] !== 'Z' ? ` ${m[4]}` : '';
  return `${m[1]} ${m[2]}${frac}${zone}`;
}

/** Milliseconds since midnight as `HH:MM:SS[.mmm]`. */
export function timeOfDay(ms: number): string {
  const t = ((ms % 86_400_000) + 86_400_000) % 86_400_000;
  const frac = Math.round(t % 1000);
  const s = Math.floor(t / 1000);
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${frac ? '.' + pad(frac, 3) : ''}`;
}

function compactJson(text: string): string {
  if (text.length > 100_000) { return text; }
  try { return JSON.stringify(JSON.parse(text)); } catch { return text; }
}

/** A value on one line with its invisible parts made visible: line breaks as ↵, tabs as →, blank values quoted. */
export function oneLine(text: string): string {
  if (text.trim() === '') { return `"${text}"`; }
  return text.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, '→');
}

function shorten(text: string, kind: CellKind): CellDisplay {
  // Line breaks would break the one-line row; show them as a visible mark instead.
  const cut = text.length > MAX_CELL_CHARS ? text.slice(0, MAX_CELL_CHARS) + '…' : text;
  const shown = cut.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, '→');
  const d: CellDisplay = { text: shown, kind };
  if (shown !== text || text.length > 24) { d.full = text.length > MAX_TOOLTIP_CHARS ? text.slice(0, MAX_TOOLTIP_CHARS) + '…' : text; }
  return d;
}

export function displayCell(v: CellValue, field: FieldDto): CellDisplay {
  if (v === null) { return { text: 'null', kind: 'missing' }; }
  if (typeof v === 'bigint') { return { text: v.toLocaleString(), kind: 'number' }; }
  if (typeof v === 'number') {
    switch (field.type) {
      case 'boolean': return { text: v ? 'true' : 'false', kind: 'boolean' };
      case 'date': return { text: isoDate(v), kind: 'date' };
      case 'datetime': return { text: isoDateTime(v), kind: 'date' };
      case 'time': return { text: timeOfDay(v), kind: 'date' };
      default: return { text: formatNumber(v, field.type), kind: 'number' };
    }
  }
  if (v === '') { return { text: '""', kind: 'empty', full: 'empty string' }; }
  // blank text would look like an empty cell: quote it so its spaces show
  if (v.trim() === '' && v.length <= MAX_CELL_CHARS) { return { text: oneLine(v), kind: 'empty', full: `${v.length} whitespace character${v.length === 1 ? '' : 's'}` }; }
  if (field.type === 'json') { return shorten(compactJson(v), 'json'); }
  return shorten(v, 'text');
}

/** The value as plain text for the clipboard: no grouping separators, ISO dates, missing as empty. */
export function plainCell(v: CellValue, field: FieldDto): string {
  if (v === null) { return ''; }
  if (typeof v === 'bigint') { return v.toString(); }
  if (typeof v === 'number') {
    switch (field.type) {
      case 'boolean': return v ? 'true' : 'false';
      case 'date': return isoDate(v);
      case 'datetime': return isoDateTime(v);
      case 'time': return timeOfDay(v);
      default: return String(v);
    }
  }
  return v;
}

const SEPARATOR_NAMES: Readonly<Record<string, string>> = { ' ': 'space', '\u00a0': 'no-break space', '\u202f': 'narrow no-break space' };

/** How a column writes its numbers, for its header's tooltip: `decimal ",", groups "."`. */
export function numberFormatText(f: NumberFormatDto): string {
  const name = (c: string): string => SEPARATOR_NAMES[c] ?? `"${c}"`;
  return `decimal ${name(f.decimalChar)}${f.groupChar !== undefined ? `, groups ${name(f.groupChar)}` : ''}`;
}

/** How a column writes its dates when not in ISO 8601, for its header's tooltip: `format %d/%m/%Y`. */
export function temporalFormatText(pattern: string): string {
  return `format ${pattern}`;
}

/** Codicon name for a logical type. */
export function typeIcon(type: FieldDto['type']): string {
  switch (type) {
    case 'integer': case 'number': return 'symbol-number';
    case 'boolean': return 'symbol-boolean';
    case 'date': case 'datetime': return 'calendar';
    case 'time': return 'clock';
    case 'json': return 'json';
    case 'binary': return 'file-binary';
    default: return 'symbol-string';
  }
}

export function isNumericType(type: FieldDto['type']): boolean {
  return type === 'integer' || type === 'number';
}
