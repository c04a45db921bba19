// The schema jobs the worker runs: validateDataset (a file or the unsaved text of one, with the schema that applies) and inferSchema.
import { basename, relative, sep } from 'node:path';
import { bufferFromBytes } from '../../core/formats/asyncBuffer';
import { CsvDataset, openCsv } from '../../core/formats/csv/csvDataset';
import type { RowIndex } from '../../core/formats/csv/rowIndex';
import { cellDisplay } from '../../core/formats/cellValue';
import type { Dataset, DatasetFormat } from '../../core/formats/dataset';
import { JsonlDataset, type RowSplit } from '../../core/formats/jsonl/jsonlDataset';
import { formatOf, openDataset } from '../../core/formats/openDataset';
import { isDatasetError, throwIfAborted, type DatasetErrorCode } from '../../core/formats/errors';
import { parseDataPackageText, resourceForPath } from '../../core/schema/dataPackage';
import {
  csvDialectOf, csvTableSource, datasetTableSource, isRowPart, partBytes, partFirstRow, type PartRange, type RowPart,
} from '../../core/schema/datasetTableSource';
import { CAST_FAIL, compileFieldCodec } from '../../core/schema/fieldCodec';
import { isSchemaError, type SchemaError } from '../../core/schema/schemaError';
import type { IssueType, TableIssue, TextRange, ValidationSummary } from '../../core/schema/tableIssues';
import type { RecordRanges, TableSource } from '../../core/schema/tableSource';
import { crossPartDuplicates, duplicateType, mergedPiiFindings, mergePartIssues, piiIssue } from '../../core/schema/validationParts';
import {
  missingValuesOf, parseTableSchemaText, stringifyTableSchema, type FieldType, type SchemaField, type TableSchema,
} from '../../core/schema/tableSchema';
import {
  keyRepeatMessage, keyRepeatNote, UNIQUE_NOTE, uniqueErrorMessage, validateTable, type PartState, type ValidateOptions, type ValidationRun,
} from '../../core/schema/validateTable';
import { openFileBuffer } from '../fileBuffer';
import {
  describeSchemaOrigin, findSchemaFor, resourceSchema, sidecarPaths, type DatasetSchema, type LoadedDataPackage, type SchemaOrigin,
} from '../schema/schemaDiscovery';
import { csvOpenOptions, inferFileSchema, packageForeignKeys, validateFile } from '../schema/tableFiles';
import { transferResult, type JobContext, type JobProgress, type TransferResult } from './jobTypes';

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
  return (await validateWith(input, ctx, null)).output;
}

/** A file, or one part of it (`part`), validated in this thread; a part also gives its key sets and counts. */
async function validateWith(input: ValidateDatasetInput, ctx: JobContext, part: PartOf | null): Promise<{ output: ValidateDatasetOutput; state: PartState | null }> {
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
  const early = new EarlyIssues(ctx, input.maxIssues ?? 500);
  const options: ValidateOptions = {
    maxIssues: input.maxIssues ?? 500,
    pii: input.pii !== false,
    signal: ctx.signal,
    onProgress: p => {
      const from = part && !isRowPart(part.range) ? part.range.from : 0;
      const total = part ? partBytes(part.range) : p.bytesTotal;
      early.progress({ done: Math.max(0, p.bytesDone - from), total: total || undefined, unit: 'bytes', phase: 'validating' });
    },
    ...(schema?.dataPackage && !part ? { foreignKeys: packageForeignKeys(schema.dataPackage) } : {}),
    ...(part ? { part: { labels: part.labels, first: partFirstRow(part.range) === 0 } } : {}),
  };
  let run: ValidationRun;
  let format: DatasetFormat;
  let textPositions = true;
  let close = async (): Promise<void> => undefined;
  try {
    if (part) {
      const opened = await openPart(input.path, schema, part.range, part.index, ctx.signal);
      format = opened.dataset.format;
      textPositions = opened.dataset instanceof CsvDataset || opened.dataset instanceof JsonlDataset;
      close = opened.close;
      run = validateTable(opened.source, schema?.schema ?? null, options);
    } else if (input.text !== undefined) {
      const buffer = bufferFromBytes(new TextEncoder().encode(input.text));
      const d = schema?.dialect;
      const dataset = await openCsv(buffer, { name: input.path, signal: ctx.signal, gzip: false, ...csvOpenOptions(d, schema?.schema) });
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
        output: {
          ...base, format: null, textPositions: false, schema: schema && describe(schema, lookup), schemaError,
          dataError: { code: e.code, message: e.message }, issues: [], summary: EMPTY_SUMMARY,
        },
        state: null,
      };
    }
    throw e;
  }
  const issues: TableIssue[] = [];
  try {
    for await (const issue of run) {
      issues.push(issue);
      early.add(issue);
    }
  } finally {
    await close();
  }
  const summary = await run.summary;
  if (schemaError) { summary.schemaSuggested = false; } // a schema exists: it needs fixing, not inferring
  return {
    output: {
      ...base,
      format, textPositions, schema: schema && describe(schema, lookup), schemaError, dataError: null, issues, summary,
      widenings: schema ? typeWidenings(schema.schema, issues) : [],
    },
    state: part ? run.partState() : null,
  };
}

/**
 * Issues found so far ride on progress reports (`JobProgress.issues`, those since the last report), so the
 * first ones can be shown before the pass ends; reports are at most every 100 ms, the first issues at once.
 */
class EarlyIssues {
  private unsent: TableIssue[] = [];
  private sent = 0;
  private last = 0;
  private lastProgress: JobProgress | null = null;

  constructor(private readonly ctx: JobContext, private readonly max: number) {}

  add(issue: TableIssue): void {
    if (this.sent + this.unsent.length >= this.max) { return; }
    this.unsent.push(issue);
    if (this.sent === 0 && this.lastProgress) { this.progress(this.lastProgress, true); }
  }

  progress(p: JobProgress, force = false): void {
    this.lastProgress = p;
    const now = Date.now();
    if (!force && now - this.last < 100) { return; }
    this.last = now;
    if (this.unsent.length) {
      this.ctx.progress({ ...p, issues: this.unsent });
      this.sent += this.unsent.length;
      this.unsent = [];
    } else {
      this.ctx.progress(p);
    }
  }
}

/**
 * A part of a file to validate: a CSV's byte range (with the file's row index, for cell positions) or the row range of
 * another format; and the header's labels (a Parquet, Arrow or JSON Lines file's field names).
 */
export interface PartOf {
  range: PartRange;
  /** A CSV's row index when it was built (a small file's comes with opening it). */
  index: RowIndex | null;
  labels: string[] | null;
}

/**
 * Splits of a file validated in parts, when that pays: a file of 8 MB or more with no foreign keys to check, either plain
 * UTF-8 CSV/TSV (cut at row starts) or Parquet, Arrow or JSON Lines (cut by row numbers).
 */
export interface ValidatePlanInput extends ValidateDatasetInput {
  parts: number;
  /** Smaller files are validated whole (default 8 MB). */
  minBytes?: number;
}

export interface ValidatePlan {
  parts: PartRange[];
  index: RowIndex | null;
  labels: string[] | null;
}

export interface ValidatePartInput extends ValidateDatasetInput {
  part: PartOf;
}

export interface ValidatePartOutput {
  output: ValidateDatasetOutput;
  state: PartState | null;
}

export interface ValidateMergeInput {
  input: ValidateDatasetInput;
  index: RowIndex | null;
  labels: string[] | null;
  parts: ValidatePartOutput[];
}

const SPLIT_MIN_BYTES = 8 * 1024 * 1024;

/** Decides whether a file is validated in parts and, if so, builds its row index and cuts it (null: validate it whole). */
export async function validatePlanJob(input: ValidatePlanInput, ctx: JobContext): Promise<TransferResult<ValidatePlan | null> | null> {
  throwIfAborted(ctx.signal);
  if (input.text !== undefined || input.parts < 2) { return null; }
  let schema: DatasetSchema | null;
  try {
    schema = await resolveSchema(input.path, input.schema ?? {});
  } catch (e) {
    if (isSchemaError(e)) { return null; }
    throw e;
  }
  if (schema && schema.schema.foreignKeys.length > 0) { return null; }
  const buffer = await openFileBuffer(input.path);
  try {
    if (buffer.byteLength < (input.minBytes ?? SPLIT_MIN_BYTES)) { return null; }
    const format = await formatOf(buffer, input.path);
    if (format === 'parquet' || format === 'arrow' || format === 'jsonl') { return await planRows(buffer, input, ctx.signal); }
    if (format !== 'csv' && format !== 'tsv') { return null; }
    let dataset: CsvDataset;
    try {
      dataset = await openCsvFile(buffer, input.path, schema, ctx.signal);
    } catch (e) {
      if (isDatasetError(e) && e.code !== 'cancelled') { return null; }
      throw e;
    }
    if (dataset.gzip || dataset.encoding !== 'utf-8' || !dataset.randomAccess) { return null; }
    const dialect = csvDialectOf(dataset.dialect, schema?.dialect);
    let labels: string[] | null = null;
    if (dialect.header) {
      for await (const b of csvTableSource(buffer, dataset, { name: input.path, dialect }).batches(ctx.signal)) {
        labels = (b.rows?.[0] ?? []).map(c => c ?? '');
        break;
      }
    }
    // cut by a quote-aware scan of the data before the last cut only: the parts start without waiting for a
    // whole row index (a part builds one itself only when it has issues to place far into the file)
    ctx.progress({ done: 0, unit: 'bytes', phase: 'splitting' });
    const ranges = await dataset.splitRanges(input.parts, { signal: ctx.signal });
    if (ranges.length < 2) { return null; }
    const parts = ranges.map((r, k) => ({ from: r.from, to: r.to, firstRow: r.firstRow, last: k === ranges.length - 1 }));
    const index = dataset.rowIndex ?? null;
    return transferResult({ parts, index, labels }, index ? [index.rows.buffer, index.offsets.buffer, index.lines.buffer] as ArrayBuffer[] : []);
  } finally {
    await buffer.close();
  }
}

/**
 * Parts of a Parquet, Arrow or JSON Lines file by row numbers. A JSON Lines file is cut by bytes at row-index
 * checkpoints (its rows counted only as far as the last cut: a newline scan), its last part reading to the end.
 */
async function planRows(buffer: Awaited<ReturnType<typeof openFileBuffer>>, input: ValidatePlanInput, signal: AbortSignal): Promise<TransferResult<ValidatePlan> | null> {
  let dataset: Dataset;
  let split: RowSplit[] | undefined;
  try {
    dataset = await openDataset(buffer, { name: input.path, signal });
    if (dataset instanceof JsonlDataset) { split = await dataset.splitRows(input.parts, { signal }); }
  } catch (e) {
    if (isDatasetError(e) && e.code !== 'cancelled') { return null; } // validated whole, which words the fault
    throw e;
  }
  const labels = dataset.fields.map(f => f.name);
  if (split) {
    if (split.length < 2) { return null; }
    const last = split.length - 1;
    // each part starts (and the next one starts) where this count found, so the parts count no rows again
    const starts = split.map(r => ({ row: r.start, offset: r.from, line: r.line }));
    const parts = split.map((r, k): RowPart => ({ startRow: r.start, endRow: r.end, bytes: r.to - r.from, last: k === last, rowStarts: starts.slice(k, k + 2) }));
    return transferResult({ parts, index: null, labels }, []);
  }
  const n = dataset.rowCount.value;
  if (!dataset.rowCount.exact || n < input.parts) { return null; }
  const parts: RowPart[] = [];
  for (let k = 0; k < input.parts; k++) {
    const startRow = Math.floor((n * k) / input.parts), endRow = Math.floor((n * (k + 1)) / input.parts);
    parts.push({ startRow, endRow, bytes: Math.round((buffer.byteLength * (endRow - startRow)) / n), last: k === input.parts - 1 });
  }
  return transferResult({ parts, index: null, labels }, []);
}

export async function validatePartJob(input: ValidatePartInput, ctx: JobContext): Promise<TransferResult<ValidatePartOutput>> {
  const out = await validateWith(input, ctx, input.part);
  return transferResult(out, partBuffers(out.state));
}

function partBuffers(state: PartState | null): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const k of state?.keys ?? []) {
    if (!k.set) { continue; }
    for (const a of [k.set.runStart, k.set.runEnd, k.set.runRow]) { out.add(a.buffer as ArrayBuffer); }
    for (const seg of k.set.segments) { for (const a of [seg.lo, seg.hi, seg.rows]) { out.add(a.buffer as ArrayBuffer); } }
  }
  return [...out];
}

async function openCsvFile(buffer: Awaited<ReturnType<typeof openFileBuffer>>, path: string, schema: DatasetSchema | null, signal: AbortSignal): Promise<CsvDataset> {
  return openCsv(buffer, { name: path, signal, ...csvOpenOptions(schema?.dialect, schema?.schema) });
}

/** Opens a file for a part (`range`), or whole (null) for the merge to read cells again. */
async function openPart(path: string, schema: DatasetSchema | null, range: PartRange | null, index: RowIndex | null, signal: AbortSignal): Promise<{ dataset: Dataset; source: TableSource; close: () => Promise<void> }> {
  const buffer = await openFileBuffer(path);
  try {
    const format = await formatOf(buffer, path);
    if (format !== 'csv' && format !== 'tsv') {
      const dataset = await openDataset(buffer, { name: path, format, signal });
      if (dataset instanceof JsonlDataset && range && isRowPart(range) && range.rowStarts) { dataset.adoptRowStarts(range.rowStarts); }
      const source = datasetTableSource(dataset, { name: path, bytesTotal: buffer.byteLength, ...(range && isRowPart(range) ? { rows: range } : {}) });
      return { dataset, source, close: () => buffer.close() };
    }
    if (range && isRowPart(range)) { throw new RangeError('a delimited file is validated in byte ranges'); }
    const dataset = await openCsvFile(buffer, path, schema, signal);
    if (index) { dataset.adoptIndex(index); }
    const dialect = csvDialectOf(dataset.dialect, schema?.dialect);
    const source = csvTableSource(buffer, dataset, { name: path, dialect, ...(range ? { range } : {}) });
    return { dataset, source, close: () => buffer.close() };
  } catch (e) {
    await buffer.close();
    throw e;
  }
}

/**
 * Adds up the parts of a file validated in parts: duplicates across parts (their cells read again, for the
 * message and the range), personal data over all rows, issues in row order up to the cap, counts.
 */
export async function validateMergeJob(m: ValidateMergeInput, ctx: JobContext): Promise<ValidateDatasetOutput> {
  throwIfAborted(ctx.signal);
  const input = m.input;
  const maxIssues = input.maxIssues ?? 500;
  const first = m.parts[0].output;
  const failed = m.parts.find(p => p.output.dataError || p.output.schemaError);
  if (failed) { return failed.output; }
  const schema = await resolveSchema(input.path, input.schema ?? {});
  const states = m.parts.map(p => p.state).filter((s): s is PartState => s !== null);
  const extraIssues: TableIssue[] = [];
  const counts: Partial<Record<IssueType, number>> = {};
  const cross = crossPartDuplicates(states);
  const keys = states[0]?.keys ?? [];
  const opened = await openPart(input.path, schema, null, m.index, ctx.signal);
  try {
    const hasHeader = opened.source.hasHeader;
    const rowNumber = (row: number): number => row + (hasHeader ? 2 : 1) + (opened.source.linesAbove ?? 0);
    const names = m.labels ?? schema?.schema.fields.map(f => f.name) ?? [];
    const nameOf = (col: number): string => schema?.schema.fields.find(f => f.name === names[col])?.name ?? names[col] ?? `field${col + 1}`;
    const wanted: { issue: TableIssue; row: number; cols: number[] }[] = [];
    // repeated keys are read again by row: through the row index, not by scanning from the top each time
    if (cross.length && opened.dataset instanceof CsvDataset && !opened.dataset.rowIndex) { await opened.dataset.buildIndex({ signal: ctx.signal }); }
    for (const d of cross) {
      const key = keys[d.key];
      const type = duplicateType(key);
      counts[type] = (counts[type] ?? 0) + 1;
      if (wanted.length >= maxIssues) { continue; }
      const cells = await cellTexts(opened.dataset, d.row, key.columns, ctx.signal);
      const shown = cells.join(', ');
      const col = key.columns[0];
      const issue: TableIssue = key.kind === 'unique'
        ? {
          type, severity: 'error', message: uniqueErrorMessage(cells[0], rowNumber(d.firstRow), key.fields[0]),
          row: d.row, rowNumber: rowNumber(d.row), fieldName: key.fields[0], fieldNumber: col + 1, cell: cells[0], note: UNIQUE_NOTE,
        }
        : {
          type, severity: 'error', message: keyRepeatMessage(key.kind, key.fields, shown, rowNumber(d.firstRow)),
          row: d.row, rowNumber: rowNumber(d.row), fieldName: nameOf(col), fieldNumber: col + 1, cell: shown, note: keyRepeatNote(rowNumber(d.firstRow)),
        };
      wanted.push({ issue, row: d.row, cols: key.columns });
    }
    const findings = input.pii === false ? [] : mergedPiiFindings(states, names.length);
    for (const f of findings) {
      counts['personal-data'] = (counts['personal-data'] ?? 0) + 1;
      wanted.push({ issue: piiIssue(f, nameOf(f.column), rowNumber), row: hasHeader ? -1 : f.exampleRow, cols: [f.column] });
    }
    if (wanted.length && opened.source.rangesOf) {
      const ranges = await opened.source.rangesOf(wanted.map(w => w.row), ctx.signal);
      for (const w of wanted) {
        const r = ranges.get(w.row);
        const range = r ? spanOf(r, w.cols) : undefined;
        if (range) { w.issue.range = range; }
      }
    }
    extraIssues.push(...wanted.map(w => w.issue));
  } finally {
    await opened.close();
  }
  const merged = mergePartIssues(m.parts.map(p => p.output), { issues: extraIssues, counts }, maxIssues);
  return {
    ...first,
    issues: merged.issues, summary: merged.summary,
    widenings: schema ? typeWidenings(schema.schema, merged.issues) : [],
  };
}

/** The texts of some cells of one row, as the validator read them. */
async function cellTexts(dataset: Dataset, row: number, cols: number[], signal: AbortSignal): Promise<string[]> {
  const batch = await dataset.readRows(row, 1, cols, signal);
  return batch.columns.map((c, k) => cellDisplay(c, 0, dataset.fields[cols[k]]) ?? '');
}

function spanOf(r: RecordRanges, cols: number[]): TextRange | undefined {
  const a = r.cells[Math.min(...cols)], b = r.cells[Math.max(...cols)];
  return a && b ? { line: a.line, char: a.char, endLine: b.endLine, endChar: b.endChar } : undefined;
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
