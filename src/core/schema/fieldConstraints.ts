// Field constraints (length, range, pattern, enum, categories, jsonSchema) compiled into one check per field.
import { CAST_FAIL, type CellValue, type FieldCodec } from './fieldCodec';
import { SchemaError, type SchemaWarning } from './schemaError';
import type { FieldConstraints, FieldType, JsonValue, SchemaField, TableSchema } from './tableSchema';
import { checkJsonSchema } from './jsonSchemaLite';

export type ConstraintName =
  | 'minLength' | 'maxLength' | 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum'
  | 'pattern' | 'enum' | 'categories' | 'jsonSchema';

export interface ConstraintFailure {
  constraint: ConstraintName;
  /** The constraint as written in the schema, for notes: `constraint "minimum" is "0"`. */
  expected: string;
  /** What is wrong, said of the value: `is below the minimum 0` (the caller puts the value in front). */
  message: string;
}

/** Checks a cast, non-missing value (and its text); null when every constraint holds. */
export type ConstraintCheck = (value: CellValue, text: string) => ConstraintFailure | null;

/** The check of a field without value constraints (compared by identity to skip casting). */
export const NO_CONSTRAINTS: ConstraintCheck = () => null;

type ValueConstraint = Exclude<keyof FieldConstraints, 'required' | 'unique'>;

const LENGTHS: readonly ValueConstraint[] = ['minLength', 'maxLength'];
const BOUNDS: readonly ValueConstraint[] = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];

/**
 * The value constraints each type supports (every type supports required, unique and enum): strings a length and a
 * pattern; numbers and temporal types bounds; collections a length, arrays and objects a JSON Schema too.
 */
const SUPPORTED: Partial<Record<FieldType, readonly ValueConstraint[]>> = {
  string: [...LENGTHS, 'pattern'],
  integer: BOUNDS, number: BOUNDS, date: BOUNDS, time: BOUNDS, datetime: BOUNDS, year: BOUNDS, yearmonth: BOUNDS, duration: BOUNDS,
  array: [...LENGTHS, 'jsonSchema'], object: [...LENGTHS, 'jsonSchema'], list: LENGTHS,
};

/** The constraints of a field its type does not support, in the order the schema gives them: they are not checked. */
export function unsupportedConstraints(field: SchemaField): ValueConstraint[] {
  const supported = SUPPORTED[field.type] ?? [];
  return (Object.keys(field.constraints) as (keyof FieldConstraints)[])
    .filter((k): k is ValueConstraint => k !== 'required' && k !== 'unique' && k !== 'enum' && !supported.includes(k));
}

/** Every constraint of a schema that its field's type does not support (`pointer` is relative to the schema object). */
export function ignoredConstraints(schema: Pick<TableSchema, 'fields'>): SchemaWarning[] {
  return schema.fields.flatMap((field, i) => unsupportedConstraints(field).map((name): SchemaWarning => ({
    code: 'unsupported',
    pointer: `/fields/${i}/constraints/${name}`,
    message: `constraint "${name}" of field "${field.name}" is ignored: ${field.type} fields do not support it`,
  })));
}

/**
 * Compiles the value constraints of a field (required and unique are the validator's: they span rows). Constraints
 * the field's type does not support are left out (see `unsupportedConstraints`).
 */
export function compileConstraints(codec: FieldCodec, source = '<schema>', pointer = ''): ConstraintCheck {
  const { field } = codec;
  const c = { ...field.constraints };
  for (const name of unsupportedConstraints(field)) { delete c[name]; }
  const checks: ConstraintCheck[] = [];
  const bad = (key: string, problem: string): never => {
    throw new SchemaError('invalid-schema', source, `field "${field.name}": ${problem}`, `${pointer}/constraints/${key}`);
  };
  const bound = (key: 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum'): number | bigint | undefined => {
    const raw = c[key];
    if (raw === undefined) { return undefined; }
    const v = typeof raw === 'string' ? codec.cast(raw) : raw;
    if (v === CAST_FAIL || (typeof v !== 'number' && typeof v !== 'bigint')) {
      return bad(key, `"${key}" ${JSON.stringify(raw)} is not a ${codec.typeLabel} value`);
    }
    return v;
  };
  if (c.minLength !== undefined || c.maxLength !== undefined) {
    const min = c.minLength ?? 0, max = c.maxLength ?? Infinity;
    checks.push(value => {
      const n = lengthOf(value);
      if (n < min) { return failure('minLength', String(min), `has length ${n}, below the minimum length ${min}`); }
      if (n > max) { return failure('maxLength', String(max), `has length ${n}, above the maximum length ${max}`); }
      return null;
    });
  }
  const ranges: [ConstraintName, number | bigint | undefined, (v: number | bigint, b: number | bigint) => boolean, string][] = [
    ['minimum', bound('minimum'), (v, b) => v >= b, 'below the minimum'],
    ['maximum', bound('maximum'), (v, b) => v <= b, 'above the maximum'],
    ['exclusiveMinimum', bound('exclusiveMinimum'), (v, b) => v > b, 'not above the exclusive minimum'],
    ['exclusiveMaximum', bound('exclusiveMaximum'), (v, b) => v < b, 'not below the exclusive maximum'],
  ];
  for (const [name, b, ok, words] of ranges) {
    if (b === undefined) { continue; }
    const written = String(c[name as 'minimum']);
    // a bound beyond 2^53 read from JSON holds only a double's digits: a 64-bit value compares at that precision
    const rounded = typeof b === 'number' && Math.abs(b) > Number.MAX_SAFE_INTEGER;
    checks.push(value => {
      if (typeof value !== 'number' && typeof value !== 'bigint') { return null; }
      if (value !== value) { return null; } // NaN has no order; it is not out of range
      return ok(rounded && typeof value === 'bigint' ? Number(value) : value, b) ? null : failure(name, written, `is ${words} ${written}`);
    });
  }
  if (c.pattern !== undefined) {
    let re: RegExp;
    try { re = new RegExp(`^(?:${c.pattern})$`, 'u'); } catch { re = new RegExp(`^(?:${c.pattern})$`); }
    checks.push((_v, text) => (re.test(text) ? null : failure('pattern', c.pattern as string, `does not match the pattern ${c.pattern}`)));
  }
  for (const [name, list] of [['enum', c.enum], ['categories', field.categories]] as const) {
    if (!list) { continue; }
    const keys = new Set<string>();
    for (const member of list) {
      const v = enumMember(codec, member);
      if (v === CAST_FAIL) { bad(name, `${name} value ${JSON.stringify(member)} is not a ${codec.typeLabel} value`); }
      keys.add(codec.key(v as CellValue));
    }
    const written = JSON.stringify(list);
    checks.push(value => (keys.has(codec.key(value)) ? null : failure(name, written, `is not one of ${abbreviate(list)}`)));
  }
  if (c.jsonSchema !== undefined) {
    const schema = c.jsonSchema;
    checks.push(value => {
      const problem = checkJsonSchema(value as JsonValue, schema);
      return problem ? failure('jsonSchema', 'set', `does not match the field's JSON Schema: ${problem}`) : null;
    });
  }
  if (checks.length === 0) { return NO_CONSTRAINTS; }
  if (checks.length === 1) { return checks[0]; }
  return (value, text) => {
    for (const check of checks) {
      const f = check(value, text);
      if (f) { return f; }
    }
    return null;
  };
}

function failure(constraint: ConstraintName, expected: string, message: string): ConstraintFailure {
  return { constraint, expected, message };
}

/** Enum members may be written as JSON values or as the field's text form. */
function enumMember(codec: FieldCodec, member: JsonValue): CellValue | typeof CAST_FAIL {
  if (typeof member === 'string') { return codec.cast(member); }
  if (member === null) { return CAST_FAIL; }
  if (typeof member === 'number' && (codec.field.type === 'string' || codec.field.type === 'any')) { return String(member); }
  return member as CellValue;
}

function lengthOf(v: CellValue): number {
  if (typeof v === 'string') {
    // code points, as Python's len() counts them
    let n = v.length;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) { n--; i++; }
    }
    return n;
  }
  if (Array.isArray(v)) { return v.length; }
  if (typeof v === 'object' && v !== null) { return Object.keys(v).length; }
  return String(v).length;
}

function abbreviate(list: readonly JsonValue[]): string {
  const shown = list.slice(0, 8).map(v => JSON.stringify(v)).join(', ');
  return list.length > 8 ? `${shown}, ... (${list.length} values)` : shown;
}
