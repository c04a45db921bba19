// The `jsonSchema` constraint: the JSON Schema keywords that field-level checks use in practice.
//
// Supported: type, enum, const, required, properties, additionalProperties (boolean or schema), items,
// minItems, maxItems, uniqueItems, minLength, maxLength, pattern, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum, multipleOf, anyOf, allOf, oneOf, not, and annotations ($schema, title, description...).
// Any other keyword is reported once when the schema is loaded (unsupportedJsonSchemaKeyword), never ignored silently.
import type { JsonValue } from './tableSchema';

type Schema = { [key: string]: JsonValue };

const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'format']);
const KEYWORDS = new Set([
  'type', 'enum', 'const', 'required', 'properties', 'additionalProperties', 'items', 'minItems', 'maxItems', 'uniqueItems',
  'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'anyOf', 'allOf', 'oneOf', 'not', 'minProperties', 'maxProperties',
]);

/** The first keyword (as a JSON pointer) this checker does not evaluate, or null. */
export function unsupportedJsonSchemaKeyword(schema: JsonValue, at = ''): string | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) { return null; }
  for (const [k, v] of Object.entries(schema)) {
    if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k)) { return `${at}/${k}`; }
    const subs: JsonValue[] = k === 'properties' && v && typeof v === 'object' && !Array.isArray(v) ? Object.values(v)
      : (k === 'anyOf' || k === 'allOf' || k === 'oneOf') && Array.isArray(v) ? v
        : k === 'items' || k === 'not' || k === 'additionalProperties' ? [v] : [];
    for (const s of subs) {
      const found = unsupportedJsonSchemaKeyword(s, `${at}/${k}`);
      if (found) { return found; }
    }
  }
  return null;
}

/** The first problem of `value` against `schema`, or null when it conforms. */
export function checkJsonSchema(value: JsonValue, schema: JsonValue, path = ''): string | null {
  if (schema === true) { return null; }
  if (schema === false) { return `${path || 'value'} is not allowed`; }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) { return null; }
  const s = schema as Schema;
  const here = path || 'value';
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some(t => typeof t === 'string' && hasType(value, t))) { return `${here} is not of type ${types.join(' or ')}`; }
  }
  if (Array.isArray(s.enum) && !s.enum.some(e => deepEqual(e, value))) { return `${here} is not one of the allowed values`; }
  if (s.const !== undefined && !deepEqual(s.const, value)) { return `${here} is not ${JSON.stringify(s.const)}`; }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) { return `${here} is below ${s.minimum}`; }
    if (typeof s.maximum === 'number' && value > s.maximum) { return `${here} is above ${s.maximum}`; }
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) { return `${here} is not above ${s.exclusiveMinimum}`; }
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) { return `${here} is not below ${s.exclusiveMaximum}`; }
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && Math.abs(value / s.multipleOf - Math.round(value / s.multipleOf)) > 1e-9) {
      return `${here} is not a multiple of ${s.multipleOf}`;
    }
  }
  if (typeof value === 'string') {
    const n = [...value].length;
    if (typeof s.minLength === 'number' && n < s.minLength) { return `${here} is shorter than ${s.minLength}`; }
    if (typeof s.maxLength === 'number' && n > s.maxLength) { return `${here} is longer than ${s.maxLength}`; }
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) { return `${here} does not match ${s.pattern}`; }
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) { return `${here} has fewer than ${s.minItems} items`; }
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) { return `${here} has more than ${s.maxItems} items`; }
    if (s.uniqueItems === true && new Set(value.map(v => JSON.stringify(v))).size !== value.length) { return `${here} has duplicate items`; }
    if (s.items !== undefined && !Array.isArray(s.items)) {
      for (let i = 0; i < value.length; i++) {
        const p = checkJsonSchema(value[i], s.items, `${path}[${i}]`);
        if (p) { return p; }
      }
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) { return `${here} has fewer than ${s.minProperties} properties`; }
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) { return `${here} has more than ${s.maxProperties} properties`; }
    if (Array.isArray(s.required)) {
      for (const r of s.required) {
        if (typeof r === 'string' && !(r in value)) { return `${here} lacks the property "${r}"`; }
      }
    }
    const props = (s.properties && typeof s.properties === 'object' && !Array.isArray(s.properties) ? s.properties : {}) as Schema;
    for (const k of keys) {
      const sub = k in props ? props[k] : s.additionalProperties;
      if (sub === undefined) { continue; }
      if (sub === false && !(k in props)) { return `${here} has the property "${k}", which is not allowed`; }
      const p = checkJsonSchema(value[k], sub, path ? `${path}.${k}` : k);
      if (p) { return p; }
    }
  }
  if (Array.isArray(s.allOf)) {
    for (const sub of s.allOf) { const p = checkJsonSchema(value, sub, path); if (p) { return p; } }
  }
  if (Array.isArray(s.anyOf) && !s.anyOf.some(sub => checkJsonSchema(value, sub, path) === null)) { return `${here} matches none of anyOf`; }
  if (Array.isArray(s.oneOf) && s.oneOf.filter(sub => checkJsonSchema(value, sub, path) === null).length !== 1) { return `${here} does not match exactly one of oneOf`; }
  if (s.not !== undefined && checkJsonSchema(value, s.not, path) === null) { return `${here} matches a schema it must not`; }
  return null;
}

function hasType(v: JsonValue, t: string): boolean {
  switch (t) {
    case 'null': return v === null;
    case 'boolean': return typeof v === 'boolean';
    case 'number': return typeof v === 'number';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'string': return typeof v === 'string';
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    default: return false;
  }
}

function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) { return true; }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) { return false; }
  if (Array.isArray(a) !== Array.isArray(b)) { return false; }
  if (Array.isArray(a) && Array.isArray(b)) { return a.length === b.length && a.every((x, i) => deepEqual(x, b[i])); }
  const ka = Object.keys(a), kb = Object.keys(b);
  const ob = b as { [k: string]: JsonValue };
  return ka.length === kb.length && ka.every(k => k in ob && deepEqual((a as { [k: string]: JsonValue })[k], ob[k]));
}
