// One JSON Lines record: its top-level values as text (numbers and nested values with their written digits) and their kinds.
import type { LogicalType } from '../dataset';

/** What a value looks like, for type inference over a sample. */
export type ValueKind = 'boolean' | 'integer' | 'number' | 'string' | 'date' | 'datetime' | 'nested';

export interface RecordValue {
  kind: ValueKind;
  /** Strings decoded; numbers, booleans and nested values as their JSON text. */
  text: string;
  /** The value's own JSON text (strings quoted), for fields that hold mixed or nested values. */
  json: string;
}

export type ParsedRecord =
  | { ok: true; values: Map<string, RecordValue | null> }
  | { ok: false; error: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;
const DIGITS = /^-?\d+$/;

/** The line's top-level object, or why it is none. */
function parseObject(text: string): { ok: true; object: Record<string, unknown> } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, error: 'expected a JSON object' };
  }
  return { ok: true, object: parsed as Record<string, unknown> };
}

/** A parsed value that loses what was written (nested values, integers past 2^53): its raw text is needed. */
function losesText(v: unknown): boolean {
  return (typeof v === 'object' && v !== null) || (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v));
}

export function parseRecord(text: string): ParsedRecord {
  const parsed = parseObject(text);
  if (!parsed.ok) { return parsed; }
  const object = parsed.object;
  const raw = Object.values(object).some(losesText) ? topLevelRaw(text) : undefined;
  const values = new Map<string, RecordValue | null>();
  for (const [key, v] of Object.entries(object)) {
    values.set(key, valueOf(v, raw?.get(key)));
  }
  return { ok: true, values };
}

/**
 * The cells of one record for the given fields (`json`: the field holds JSON text), as `cellText(valueOf(...))`
 * gives them, without the kinds and both texts of every value that type inference needs: the path of scans and
 * windows. `keys` gets the record's top-level keys.
 */
export function recordCells(text: string, names: readonly string[], json: readonly boolean[], keys?: (key: string) => void):
  { ok: true; cells: (string | null)[] } | { ok: false; error: string } {
  const parsed = parseObject(text);
  if (!parsed.ok) { return parsed; }
  const object = parsed.object;
  let raw: Map<string, string> | undefined;
  for (const key in object) {
    keys?.(key);
    if (raw === undefined && losesText(object[key])) { raw = topLevelRaw(text); }
  }
  const cells = new Array<string | null>(names.length);
  for (let i = 0; i < names.length; i++) {
    const v = Object.prototype.hasOwnProperty.call(object, names[i]) ? object[names[i]] : undefined;
    cells[i] = cellOf(v, raw?.get(names[i]), json[i]);
  }
  return { ok: true, cells };
}

/** What valueOf(v, raw) gives as its `json` (for a JSON field) or `text`, or null. */
function cellOf(v: unknown, raw: string | undefined, json: boolean): string | null {
  switch (typeof v) {
    case 'string': return json ? JSON.stringify(v) : v;
    case 'boolean': return String(v);
    case 'number':
      if (Number.isSafeInteger(v)) { return String(v); }
      if (Number.isInteger(v) && raw !== undefined && DIGITS.test(raw)) { return raw; }
      return raw ?? String(v);
    case 'object': return v === null ? null : raw ?? JSON.stringify(v);
    default: return null;
  }
}

function valueOf(v: unknown, raw: string | undefined): RecordValue | null {
  switch (typeof v) {
    case 'string': {
      const kind: ValueKind = DATE.test(v) ? 'date' : DATETIME.test(v) ? 'datetime' : 'string';
      return { kind, text: v, json: JSON.stringify(v) };
    }
    case 'boolean': return { kind: 'boolean', text: String(v), json: String(v) };
    case 'number': {
      if (Number.isSafeInteger(v)) { return { kind: 'integer', text: String(v), json: String(v) }; }
      if (Number.isInteger(v) && raw !== undefined && DIGITS.test(raw)) { return { kind: 'integer', text: raw, json: raw }; }
      const text = raw ?? String(v);
      return { kind: 'number', text, json: text };
    }
    case 'object': {
      if (v === null) { return null; }
      const json = raw ?? JSON.stringify(v);
      return { kind: 'nested', text: json, json };
    }
    default: return null;
  }
}

/** The field type a sample of kinds implies. */
export function inferType(kinds: ReadonlySet<ValueKind>): LogicalType {
  if (kinds.size === 0) { return 'string'; }
  if (kinds.has('nested')) { return 'json'; }
  if (kinds.size === 1) { return [...kinds][0] as Exclude<ValueKind, 'nested'>; }
  if (kinds.size === 2 && kinds.has('integer') && kinds.has('number')) { return 'number'; }
  return 'string';
}

/**
 * The exact text of each top-level value of a JSON object already known to be valid (JSON.parse accepted it),
 * so nested values and long integers keep every digit as written.
 */
export function topLevelRaw(text: string): Map<string, string> {
  return new Map(topLevelMembers(text).map(m => [m.key, text.slice(m.start, m.end)]));
}

/**
 * Each top-level member of a JSON object, in order: its key and where its value is in `text` (UTF-16 offsets of
 * its first character and just after its last). Meant for text JSON.parse accepted; other text may throw.
 */
export function topLevelMembers(text: string): { key: string; start: number; end: number }[] {
  const out: { key: string; start: number; end: number }[] = [];
  let i = skipSpace(text, 0);
  if (text[i] !== '{') { return out; }
  i = skipSpace(text, i + 1);
  while (i < text.length && text[i] !== '}') {
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // past ':'
    const valueEnd = valueEndAt(text, i);
    out.push({ key, start: i, end: valueEnd });
    i = skipSpace(text, valueEnd);
    if (text[i] === ',') { i = skipSpace(text, i + 1); }
  }
  return out;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) { break; }
    i++;
  }
  return i;
}

/** Index just past the string literal starting at `i`. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') { j++; } else if (c === '"') { return j + 1; }
  }
  return text.length;
}

function valueEndAt(text: string, i: number): number {
  const c = text[i];
  if (c === '"') { return stringEnd(text, i); }
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') { j = stringEnd(text, j) - 1; } else if (d === '{' || d === '[') { depth++; } else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) { return j + 1; }
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !',}] \t\r\n'.includes(text[j])) { j++; }
  return j;
}
