// Edits to a Table Schema's JSON text that quick fixes make: at the exact JSON location, keeping the file's own formatting.
// jsonc-parser's ESM build: its UMD main loads its parts with a require() that bundles cannot follow
import { findNodeAtLocation, getNodeValue, modify, parseTree, applyEdits, type JSONPath, type Node } from 'jsonc-parser/lib/esm/main.js';
import type { FieldType, JsonValue } from '../../core/schema/tableSchema';

export type SchemaFix =
  | { kind: 'addField'; name: string; type: FieldType; format?: string }
  | { kind: 'removeField'; field: string }
  | { kind: 'renameField'; field: string; name: string }
  | { kind: 'setType'; field: string; type: FieldType; format: string }
  | { kind: 'removeConstraint'; field: string; constraint: string }
  | { kind: 'setConstraint'; field: string; constraint: string; value: JsonValue }
  | { kind: 'addEnumValue'; field: string; value: JsonValue }
  /** `field` null: the schema-level list (used unless the field has its own). */
  | { kind: 'addMissingValue'; field: string | null; value: string }
  | { kind: 'allowPii'; field: string };

/** One replacement in the original text (offsets in UTF-16 units). */
export interface TextReplacement {
  offset: number;
  length: number;
  text: string;
}

export class SchemaFixError extends Error {
  override readonly name = 'SchemaFixError';
}

/** Constraints that apply to ordered (numeric and temporal) types, and to types with a length. */
const ORDERED = new Set<FieldType>(['integer', 'number', 'date', 'time', 'datetime', 'year', 'yearmonth', 'duration']);
const LENGTHY = new Set<FieldType>(['string', 'array', 'object', 'list', 'any']);
const ORDER_CONSTRAINTS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];
const LENGTH_CONSTRAINTS = ['minLength', 'maxLength'];

/** The text of the schema file after the fix. `schemaPath` is the JSON path of the schema object ([] for a schema file). */
export function applySchemaFix(text: string, schemaPath: JSONPath, fix: SchemaFix): string {
  const fmt = formattingOf(text);
  let t = text;
  const set = (path: JSONPath, value: unknown): void => { t = setValue(t, path, value, fmt); };
  const fieldsPath = [...schemaPath, 'fields'];
  const fieldAt = (name: string): { path: JSONPath; value: Record<string, unknown> } => {
    const root = parseTree(t);
    const fields = root ? findNodeAtLocation(root, fieldsPath) : undefined;
    if (!fields || fields.type !== 'array') { throw new SchemaFixError('the schema has no "fields" array'); }
    const index = (fields.children ?? []).findIndex(c => nameOf(c) === name);
    if (index < 0) { throw new SchemaFixError(`the schema has no field named ${JSON.stringify(name)}`); }
    return { path: [...fieldsPath, index], value: getNodeValue((fields.children as Node[])[index]) as Record<string, unknown> };
  };
  switch (fix.kind) {
    case 'addField': {
      const root = parseTree(t);
      const fields = root ? findNodeAtLocation(root, fieldsPath) : undefined;
      if (!fields || fields.type !== 'array') { throw new SchemaFixError('the schema has no "fields" array'); }
      const field: Record<string, string> = { name: fix.name, type: fix.type };
      if (fix.format && fix.format !== 'default') { field.format = fix.format; }
      set([...fieldsPath, (fields.children ?? []).length], field);
      break;
    }
    case 'removeField':
      set(fieldAt(fix.field).path, undefined);
      break;
    case 'renameField':
      set([...fieldAt(fix.field).path, 'name'], fix.name);
      break;
    case 'setType': {
      const { path, value } = fieldAt(fix.field);
      set([...path, 'type'], fix.type);
      set([...path, 'format'], fix.format === 'default' ? undefined : fix.format);
      const constraints = value.constraints;
      if (constraints && typeof constraints === 'object' && !Array.isArray(constraints)) {
        const keys = Object.keys(constraints);
        for (const k of keys) {
          const drop = (ORDER_CONSTRAINTS.includes(k) && !ORDERED.has(fix.type)) || (LENGTH_CONSTRAINTS.includes(k) && !LENGTHY.has(fix.type));
          if (drop) { set([...path, 'constraints', k], undefined); }
        }
        const members = (constraints as Record<string, unknown>).enum;
        if (fix.type === 'string' && Array.isArray(members)) {
          set([...path, 'constraints', 'enum'], members.map(m => (typeof m === 'string' ? m : JSON.stringify(m))));
        }
      }
      break;
    }
    case 'removeConstraint': {
      const { path, value } = fieldAt(fix.field);
      const constraints = value.constraints as Record<string, unknown> | undefined;
      if (!constraints || !(fix.constraint in constraints)) {
        throw new SchemaFixError(`field ${JSON.stringify(fix.field)} has no "${fix.constraint}" constraint`);
      }
      set([...path, 'constraints', fix.constraint], undefined);
      break;
    }
    case 'setConstraint':
      set([...fieldAt(fix.field).path, 'constraints', fix.constraint], fix.value);
      break;
    case 'addEnumValue': {
      const { path, value } = fieldAt(fix.field);
      const members = (value.constraints as Record<string, unknown> | undefined)?.enum;
      if (!Array.isArray(members)) { throw new SchemaFixError(`field ${JSON.stringify(fix.field)} has no "enum" constraint`); }
      set([...path, 'constraints', 'enum', members.length], fix.value);
      break;
    }
    case 'addMissingValue': {
      let listPath: JSONPath = [...schemaPath, 'missingValues'];
      if (fix.field !== null) {
        const { path, value } = fieldAt(fix.field);
        if (Array.isArray(value.missingValues)) { listPath = [...path, 'missingValues']; }
      }
      const root = parseTree(t);
      const list = root ? findNodeAtLocation(root, listPath) : undefined;
      if (!list) {
        // the default list is [""]: keep empty cells missing
        set(listPath, fix.value === '' ? [''] : ['', fix.value]);
      } else {
        const current = getNodeValue(list) as unknown;
        if (!Array.isArray(current)) { throw new SchemaFixError('"missingValues" is not an array'); }
        if (current.some(v => v === fix.value || (typeof v === 'object' && v !== null && (v as { value?: unknown }).value === fix.value))) {
          throw new SchemaFixError(`${JSON.stringify(fix.value)} is already a missing value`);
        }
        set([...listPath, current.length], fix.value);
      }
      break;
    }
    case 'allowPii':
      set([...fieldAt(fix.field).path, 'strata:pii'], 'allowed');
      break;
  }
  return t;
}

/** The smallest single replacement that turns `before` into `after` (one undo step, cursor-friendly). */
export function replacementBetween(before: string, after: string): TextReplacement | null {
  if (before === after) { return null; }
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) { start++; }
  let endB = before.length, endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) { endB--; endA--; }
  return { offset: start, length: endB - start, text: after.slice(start, endA) };
}

/** The JSON path of a JSON pointer (`/fields/2/type` → ['fields', 2, 'type']); numeric segments are array indexes. */
export function pathOfPointer(pointer: string): JSONPath {
  if (!pointer) { return []; }
  return pointer.split('/').slice(1).map(s => {
    const seg = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(seg) ? Number(seg) : seg;
  });
}

/**
 * Where in the text a JSON pointer points: the value's span, or the nearest existing ancestor's
 * property name when the value is missing (a required key left out). Null for text that does not parse.
 */
export function spanOfPointer(text: string, pointer: string): { offset: number; length: number } | null {
  const root = parseTree(text);
  if (!root) { return null; }
  const path = pathOfPointer(pointer);
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (!node) { continue; }
    if (n === path.length) { return { offset: node.offset, length: node.length }; }
    // the value is absent: point at the key of the object that lacks it, or at the object's opening brace
    const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return key ? { offset: key.offset, length: key.length } : { offset: node.offset, length: 1 };
  }
  return { offset: 0, length: 0 };
}

/** The first syntax error of JSON text (offset and length), or null when it parses. */
export function firstSyntaxError(text: string): { offset: number; length: number } | null {
  const errors: { error: number; offset: number; length: number }[] = [];
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  return errors.length ? { offset: errors[0].offset, length: errors[0].length } : null;
}

function nameOf(node: Node): string | undefined {
  if (node.type !== 'object') { return undefined; }
  const prop = node.children?.find(p => p.children?.[0]?.value === 'name');
  const v = prop?.children?.[1];
  return v?.type === 'string' ? (v.value as string) : undefined;
}

interface Formatting { tabSize: number; insertSpaces: boolean; eol: string }

/**
 * Sets (or, with undefined, removes) the value at `path`, writing new text in the style around it: inline in
 * a container written on one line, one item per line (at the siblings' indentation) in a multi-line one. An
 * index one past the end of an array appends. Missing parents are created.
 */
function setValue(t: string, path: JSONPath, value: unknown, fmt: Formatting): string {
  const root = parseTree(t);
  if (!root) { throw new SchemaFixError('the schema file is not valid JSON'); }
  if (value === undefined) {
    return findNodeAtLocation(root, path) ? applyEdits(t, modify(t, path, undefined, {})) : t;
  }
  const node = findNodeAtLocation(root, path);
  if (node) {
    const block = t.slice(node.offset, node.offset + node.length).includes('\n');
    return splice(t, node.offset, node.length, render(value, block ? { indent: lineIndent(t, node.offset), fmt } : null));
  }
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = findNodeAtLocation(root, parentPath);
  if (!parent) { return setValue(t, parentPath, typeof key === 'number' ? [value] : { [key]: value }, fmt); }
  const children = parent.children ?? [];
  if (children.length === 0) {
    return applyEdits(t, modify(t, path, value, { formattingOptions: fmt, ...(typeof key === 'number' ? { isArrayInsertion: true } : {}) }));
  }
  const last = children[children.length - 1];
  const inline = !t.slice(parent.offset, parent.offset + parent.length).includes('\n');
  const indent = lineIndent(t, last.offset);
  // a new item looks like its last sibling: written on one line when that one is
  const siblingBlock = t.slice(last.offset, last.offset + last.length).includes('\n');
  const item = (parent.type === 'object' ? `${JSON.stringify(key)}: ` : '') + render(value, inline || !siblingBlock ? null : { indent, fmt });
  return splice(t, last.offset + last.length, 0, inline ? `, ${item}` : `,${fmt.eol}${indent}${item}`);
}

/** JSON text of a value: on one line (`{ "a": 1, "b": [1, 2] }`), or as an indented block continuing at `indent` (lists of plain values stay on one line). */
function render(value: unknown, block: { indent: string; fmt: Formatting } | null): string {
  const flat = !Array.isArray(value) || value.every(v => v === null || typeof v !== 'object');
  if (block && !(Array.isArray(value) && flat)) {
    const unit = block.fmt.insertSpaces ? ' '.repeat(block.fmt.tabSize) : '\t';
    return JSON.stringify(value, null, unit).split('\n').join(`${block.fmt.eol}${block.indent}`);
  }
  if (Array.isArray(value)) { return `[${value.map(v => render(v, null)).join(', ')}]`; }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${render(v, null)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

function lineIndent(t: string, offset: number): string {
  const start = t.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(t.slice(start, offset))?.[0] ?? '';
}

function splice(t: string, offset: number, length: number, text: string): string {
  return t.slice(0, offset) + text + t.slice(offset + length);
}

/** Indentation and line ends as the file already has them. */
function formattingOf(text: string): Formatting {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /\n([ \t]+)\S/.exec(text);
  if (m && m[1].startsWith('\t')) { return { tabSize: 1, insertSpaces: false, eol }; }
  return { tabSize: m ? m[1].length : 2, insertSpaces: true, eol };
}
