// The schema jobs the worker runs: validateDataset (a file or the unsaved text of one, with the schema that applies) and inferSchema.
import { basename, relative, sep } from 'node:path';
import { bufferFromBytes } from '../../core/formats/asyncBuffer';
import { openCsv } from '../../core/formats/csv/csvDataset';
import type { DatasetFormat } from '../../core/formats/dataset';
import { isDatasetError, throwIfAborted, type DatasetErrorCode } from '../../core/formats/errors';
import { parseDataPackageText, resourceForPath } from '../../core/schema/dataPackage';
import { csvDialectOf, csvTableSource } from '../../core/schema/datasetTableSource';
import { CAST_FAIL, compileFieldCodec } from '../../core/schema/fieldCodec';
import { isSchemaError, type SchemaError } from '../../core/schema/schemaError';
import type { TableIssue, ValidationSummary } from '../../core/schema/tableIssues';
import {
  missingValuesOf, parseTableSchemaText, stringifyTableSchema, type FieldType, type SchemaField, type TableSchema,
} from '../../core/schema/tableSchema';
import { validateTable, type ValidateOptions, type ValidationRun } from '../../core/schema/validateTable';
import {
  describeSchemaOrigin, findSchemaFor, resourceSchema, sidecarPaths, type DatasetSchema, type LoadedDataPackage, type SchemaOrigin,
} from '../schema/schemaDiscovery';
import { inferFileSchema, packageForeignKeys, validateFile } from '../schema/tableFiles';
import type { JobContext } from './jobTypes';

/** How to find the schema of a dataset (the same order as `strata validate`). */
export interface SchemaLookup {
  /** The workspace folder: mapping globs are relative to it, data packages are looked for up to it. */
  workspaceRoot?: string;
  /** The `strata.schemas` setting: glob → schema path. */
  mappings?: Record<string, string>;
  /** A schema that applies whatever else exists. */
  schemaPath?: string;
  /** Unsaved text of open schema and data package files, by absolute path: used instead of the file on disk. */
  overrides?: { path: string; text: string }[];
}

export interface ValidateDatasetInput {
  path: string;
  /** The unsaved text of an open CSV/TSV document; without it the file on disk is read. */
  text?: string;
  schema?: SchemaLookup;
  /** Issues returned at most (default 500); the rest are only counted in the summary. */
  maxIssues?: number;
  /** Personal-data detection (default true). */
  pii?: boolean;
}

/** The schema a validation used, with what a quick fix needs to edit it. */
export interface ValidatedSchema {
  origin: SchemaOrigin;
  /** Where it came from, in words (relative to the workspace root when given). */
  description: string;
  /** The JSON file that holds the schema, and the JSON path of the schema object in it ([] for a schema file). */
  file: string;
  jsonPath: (string | number)[];
  /** Every file the schema was read from (schema file, data package): a change to one means validating again. */
  files: string[];
  fields: { name: string; type: FieldType; format: string; missingValues?: string[]; piiAllowed: boolean }[];
  /** The schema-level missing values (default `[""]`). */
  missingValues: string[];
}

/** A type (and format) that would accept every value a field rejected with a type-error. */
export interface TypeWidening {
  field: string;
  type: FieldType;
  format: string;
}

export interface ValidateDatasetOutput {
  format: DatasetFormat | null;
  /** True when issues carry line/character ranges (delimited text). */
  textPositions: boolean;
  schema: ValidatedSchema | null;
  /** The schema that applies is broken: structure only was checked, and this says where the schema is wrong. */
  schemaError: { source: string; pointer: string; problem: string } | null;
  /** The data could not be read at all (bad input); no issues then. */
  dataError: { code: DatasetErrorCode; message: string } | null;
  issues: TableIssue[];
  summary: ValidationSummary;
  widenings: TypeWidening[];
  /** The schema files that would apply if they existed (sidecars), for watching. */
  candidates: string[];
}

export interface InferSchemaInput {
  path: string;
  /** Data rows read at most (default: all). */
  sampleRows?: number;
  /** Add observed min/max constraints (default false). */
  ranges?: boolean;
}

export interface InferSchemaOutput {
  /** The schema as JSON text, as it would be written. */
  text: string;
  rowsScanned: number;
  complete: boolean;
  /** Where Strata writes it by default: `<name>.schema.json` beside the dataset. */
  target: string;
}

const EMPTY_SUMMARY: ValidationSummary = {
  counts: {}, total: 0, reported: 0, truncated: false, rowsChecked: 0, schemaSuggested: false, incomplete: [],
};

export async function validateDataset(input: ValidateDatasetInput, ctx: JobContext): Promise<ValidateDatasetOutput> {
  throwIfAborted(ctx.signal);
  const lookup = input.schema ?? {};
  const base = { candidates: sidecarPaths(input.path), widenings: [] as TypeWidening[] };
  let schema: DatasetSchema | null = null;
  let schemaError: ValidateDatasetOutput['schemaError'] = null;
  try {
    schema = await resolveSchema(input.path, lookup);
  } catch (e) {
    if (!isSchemaError(e)) { throw e; }
    schemaError = { source: e.source, pointer: e.pointer, problem: e.problem };
  }
  const options: ValidateOptions = {
    maxIssues: input.maxIssues ?? 500,
    pii: input.pii !== false,
    signal: ctx.signal,
    onProgress: p => ctx.progress({ done: p.bytesDone, total: p.bytesTotal || undefined, unit: 'bytes', phase: 'validating' }),
    ...(schema?.dataPackage ? { foreignKeys: packageForeignKeys(schema.dataPackage) } : {}),
  };
  let run: ValidationRun;
  let format: DatasetFormat;
  let textPositions = true;
  let close = async (): Promise<void> => undefined;
  try {
    if (input.text !== undefined) {
      const buffer = bufferFromBytes(new TextEncoder().encode(input.text));
      const d = schema?.dialect;
      const dataset = await openCsv(buffer, {
        name: input.path, signal: ctx.signal, gzip: false,
        ...(d?.delimiter ? { delimiter: d.delimiter } : {}), ...(d?.header !== undefined ? { header: d.header } : {}),
      });
      format = dataset.format;
      const source = csvTableSource(buffer, dataset, { name: input.path, dialect: csvDialectOf(dataset.dialect, d) });
      run = validateTable(source, schema?.schema ?? null, options);
    } else {
      const v = await validateFile(input.path, { ...options, schema });
      run = v.run;
      format = v.table.format;
      textPositions = v.table.textPositions;
      close = () => v.table.close();
    }
  } catch (e) {
    if (isDatasetError(e) && e.code !== 'cancelled') {
      return {
        ...base, format: null, textPositions: false, schema: schema && describe(schema, lookup), schemaError,
        dataError: { code: e.code, message: e.message }, issues: [], summary: EMPTY_SUMMARY,
      };
    }
    throw e;
  }
  const issues: TableIssue[] = [];
  try {
    for await (const issue of run) { issues.push(issue); }
  } finally {
    await close();
  }
  const summary = await run.summary;
  if (schemaError) { summary.schemaSuggested = false; } // a schema exists: it needs fixing, not inferring
  return {
    ...base,
    format, textPositions, schema: schema && describe(schema, lookup), schemaError, dataError: null, issues, summary,
    widenings: schema ? typeWidenings(schema.schema, issues) : [],
  };
}

export async function inferSchemaJob(input: InferSchemaInput, ctx: JobContext): Promise<InferSchemaOutput> {
  throwIfAborted(ctx.signal);
  const result = await inferFileSchema(input.path, {
    signal: ctx.signal,
    onProgress: p => ctx.progress({ done: p.bytesDone, total: p.bytesTotal || undefined, unit: 'bytes', phase: 'inferring' }),
    ...(input.sampleRows !== undefined ? { sampleRows: input.sampleRows } : {}),
    ...(input.ranges ? { ranges: true } : {}),
  });
  return { text: stringifyTableSchema(result.schema), rowsScanned: result.rowsScanned, complete: result.complete, target: sidecarPaths(input.path)[0] };
}

/**
 * The schema that applies, read from the unsaved text of an open schema or data package file when there
 * is one, so that editing a schema (or applying a quick fix to it) shows its effect before it is saved.
 */
export async function resolveSchema(path: string, lookup: SchemaLookup): Promise<DatasetSchema | null> {
  const overrides = new Map((lookup.overrides ?? []).map(o => [o.path, o.text]));
  const find = {
    ...(lookup.workspaceRoot ? { workspaceRoot: lookup.workspaceRoot } : {}),
    ...(lookup.mappings ? { mappings: lookup.mappings } : {}),
    ...(lookup.schemaPath ? { schemaPath: lookup.schemaPath } : {}),
  };
  let found: DatasetSchema | null;
  try {
    found = await findSchemaFor(path, find);
  } catch (e) {
    // the file on disk is broken, but its unsaved text may be fine
    if (!isSchemaError(e) || !overrides.has(e.source)) { throw e; }
    return fromOverride(path, e, overrides, lookup);
  }
  if (!found || overrides.size === 0) { return found; }
  const origin = found.origin;
  if (origin.kind === 'datapackage') {
    const pkgText = overrides.get(origin.packagePath);
    if (pkgText !== undefined) { return packageSchema(path, origin.packagePath, pkgText, overrides); }
    if (origin.schemaPath && overrides.has(origin.schemaPath)) {
      return { ...found, schema: parseTableSchemaText(overrides.get(origin.schemaPath) as string, origin.schemaPath) };
    }
    return found;
  }
  const text = overrides.get(origin.schemaPath);
  return text === undefined ? found : { ...found, schema: parseTableSchemaText(text, origin.schemaPath) };
}

async function fromOverride(path: string, e: SchemaError, overrides: Map<string, string>, lookup: SchemaLookup): Promise<DatasetSchema | null> {
  const file = e.source;
  const text = overrides.get(file) as string;
  if (basename(file).toLowerCase() === 'datapackage.json') { return packageSchema(path, file, text, overrides); }
  const origin: SchemaOrigin = lookup.schemaPath === file ? { kind: 'explicit', schemaPath: file }
    : sidecarPaths(path).includes(file) ? { kind: 'sidecar', schemaPath: file }
      : { kind: 'setting', schemaPath: file, pattern: mappingFor(lookup, file) };
  return { schema: parseTableSchemaText(text, file), origin };
}

function mappingFor(lookup: SchemaLookup, file: string): string {
  for (const [pattern, target] of Object.entries(lookup.mappings ?? {})) {
    if (file === target || (lookup.workspaceRoot && relative(lookup.workspaceRoot, file).split(sep).join('/') === target.replace(/^\.\//, ''))) {
      return pattern;
    }
  }
  return '';
}

async function packageSchema(path: string, packagePath: string, text: string, overrides: Map<string, string>): Promise<DatasetSchema | null> {
  const pkg = parseDataPackageText(text, packagePath);
  const dir = packagePath.slice(0, packagePath.length - basename(packagePath).length).replace(/[\\/]$/, '');
  const loaded: LoadedDataPackage = { path: packagePath, dir, pkg };
  const resource = resourceForPath(pkg, relative(dir, path).split(sep).join('/'));
  if (!resource) { return null; }
  const found = await resourceSchema(loaded, resource);
  let schema = found.schema;
  if (found.schemaPath && overrides.has(found.schemaPath)) { schema = parseTableSchemaText(overrides.get(found.schemaPath) as string, found.schemaPath); }
  if (!schema) { return null; }
  return {
    schema,
    origin: { kind: 'datapackage', packagePath, resource: resource.name, ...(found.schemaPath ? { schemaPath: found.schemaPath } : {}) },
    ...(found.dialect ? { dialect: found.dialect } : {}),
    dataPackage: loaded,
  };
}

function describe(found: DatasetSchema, lookup: SchemaLookup): ValidatedSchema {
  const { origin, schema } = found;
  let file: string;
  let jsonPath: (string | number)[] = [];
  const files: string[] = [];
  if (origin.kind === 'datapackage') {
    files.push(origin.packagePath);
    if (origin.schemaPath) {
      file = origin.schemaPath;
      files.push(origin.schemaPath);
    } else {
      file = origin.packagePath;
      const index = found.dataPackage?.pkg.resources.find(r => r.name === origin.resource)?.index ?? 0;
      jsonPath = ['resources', index, 'schema'];
    }
  } else {
    file = origin.schemaPath;
    files.push(file);
  }
  return {
    origin,
    description: describeSchemaOrigin(origin, lookup.workspaceRoot),
    file,
    jsonPath,
    files,
    fields: schema.fields.map(f => ({
      name: f.name, type: f.type, format: f.format, piiAllowed: f['strata:pii'] === 'allowed',
      ...(f.missingValues ? { missingValues: f.missingValues } : {}),
    })),
    missingValues: schema.missingValues,
  };
}

/** Types each step can widen to, narrowest first; `string` takes any text. */
const WIDER: Partial<Record<FieldType, FieldType[]>> = {
  year: ['integer', 'number'],
  integer: ['number'],
  boolean: [],
  date: [],
  time: [],
  datetime: [],
};

/**
 * For each field with type-errors, the narrowest type (or a temporal field's `any` format) that accepts
 * every rejected value reported, so "change the type to what the data holds" is one step.
 */
export function typeWidenings(schema: TableSchema, issues: readonly TableIssue[]): TypeWidening[] {
  const bad = new Map<string, string[]>();
  for (const i of issues) {
    if (i.type !== 'type-error' || i.fieldName === null || i.cell === null) { continue; }
    const list = bad.get(i.fieldName) ?? [];
    list.push(i.cell);
    bad.set(i.fieldName, list);
  }
  const out: TypeWidening[] = [];
  for (const [name, cells] of bad) {
    const field = schema.fields.find(f => f.name === name);
    if (!field) { continue; }
    const candidates: { type: FieldType; format: string }[] = [];
    if ((field.type === 'date' || field.type === 'time' || field.type === 'datetime') && field.format !== 'any') {
      candidates.push({ type: field.type, format: 'any' });
    }
    for (const t of WIDER[field.type] ?? []) { candidates.push({ type: t, format: 'default' }); }
    candidates.push({ type: 'string', format: 'default' });
    const missing = missingValuesOf(field, schema);
    for (const c of candidates) {
      const probe: SchemaField = { name, type: c.type, format: c.format, constraints: {} };
      const codec = compileFieldCodec(probe, missing);
      if (cells.every(t => codec.isMissing(t) || codec.cast(t) !== CAST_FAIL)) {
        out.push({ field: name, ...c });
        break;
      }
    }
  }
  return out;
}
