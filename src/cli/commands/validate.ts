// `strata validate PATH... [--schema S] [--json]`: Table Schema validation of files, folders and data packages, for CI.
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { datasetFormatOf } from '../../core/formats/datasetFiles';
import { isDatasetError } from '../../core/formats/errors';
import { isSchemaError } from '../../core/schema/schemaError';
import { formatCounts, ISSUE_TYPES, type IssueType, type TableIssue, type ValidationSummary } from '../../core/schema/tableIssues';
import {
  describeSchemaOrigin, findSchemaFor, loadDataPackage, loadSchemaFile, resourceSchema, type DatasetSchema,
} from '../../node/schema/schemaDiscovery';
import { packageForeignKeys, validateFile } from '../../node/schema/tableFiles';
import { validateInParts } from '../../node/schema/validateSplit';
import { terminalProgress } from '../../node/io/terminalProgress';
import { WorkerPool } from '../../node/workerPool';
import { CliUsageError, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type CliCommand, type CliIO } from '../cliTypes';

const DEFAULT_MAX_ISSUES = 500;
/** Folders never searched for datasets. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.dvc', '.venv', '__pycache__', '.vscode-test']);

interface Target {
  path: string;
  /** The schema decided up front (data package resources, --schema); undefined: find the one that applies. */
  schema?: DatasetSchema | null;
}

interface FileReport {
  path: string;
  valid: boolean;
  schema: string | null;
  errors: JsonIssue[];
  /** `notes`: what reading left out of the table on purpose (lines skipped above the header); absent when nothing. */
  summary?: { counts: ValidationSummary['counts']; total: number; truncated: boolean; incomplete: string[]; notes?: string[] };
  /** Set when the file could not be validated at all (bad input). */
  error?: string;
}

/** One issue of `--json`: where it is in the file (line, col), and the Frictionless positions of the cell. */
interface JsonIssue {
  type: IssueType;
  severity: TableIssue['severity'];
  line: number;
  col: number;
  /** The same as `rowNumber` (kept for readers written before it). */
  row: number | null;
  /** The same as `fieldName` (kept for readers written before it). */
  field: string | null;
  /** Row number as Frictionless counts it (1-based, the header being row 1); null for file-level issues. */
  rowNumber: number | null;
  /** 1-based column position; null when the issue is not about one column. */
  fieldNumber: number | null;
  fieldName: string | null;
  /** The cell's text as written; null when there is no single cell. */
  cell: string | null;
  /** Frictionless-style note, e.g. `constraint "minimum" is "0"`; absent when there is none. */
  note?: string;
  message: string;
}

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check datasets against their Table Schema (files, folders, datapackage.json; --schema S, --json)',
  options: [
    { name: 'schema', kind: 'string' },
    { name: 'json', kind: 'flag' },
    { name: 'max-issues', kind: 'number' },
    { name: 'no-pii', kind: 'flag' },
  ],
  async run(args, io) {
    if (args.positionals.length === 0) {
      throw new CliUsageError('what should be validated? usage: strata validate PATH... [--schema S] [--json] [--max-issues N] [--no-pii]');
    }
    const maxIssues = args.values['max-issues'] ?? DEFAULT_MAX_ISSUES;
    if (typeof maxIssues !== 'number' || !Number.isSafeInteger(maxIssues) || maxIssues < 1) {
      throw new CliUsageError(`--max-issues needs a whole number ≥ 1, got ${String(maxIssues)}`);
    }
    const schemaArg = args.values.schema as string | undefined;
    const json = args.flags.json === true;
    let explicit: DatasetSchema | undefined;
    if (schemaArg) {
      const schemaPath = resolve(io.cwd, schemaArg);
      try {
        explicit = { schema: await loadSchemaFile(schemaPath), origin: { kind: 'explicit', schemaPath } };
      } catch (e) {
        io.err(`strata validate: ${messageOf(e, undefined, io)}`);
        return EXIT_ERROR;
      }
    }

    const reports: FileReport[] = [];
    let badInput = false;
    const targets: Target[] = [];
    for (const arg of args.positionals) {
      try {
        targets.push(...await expand(resolve(io.cwd, arg), arg, explicit));
      } catch (e) {
        badInput = true;
        const path = display(io, resolve(io.cwd, arg));
        reports.push({ path, valid: false, schema: null, errors: [], error: messageOf(e, undefined, io) });
        if (!json) { io.err(`strata validate: ${messageOf(e, undefined, io)}`); }
      }
    }
    const pool = workerPool();
    try {
      for (const target of targets) {
        const report = (pool && await inParts(io, pool, target, maxIssues, args.flags['no-pii'] === true, json))
          ?? await validateOne(io, target, maxIssues, args.flags['no-pii'] === true, json);
        if (report.error) { badInput = true; }
        reports.push(report);
      }
    } finally {
      await pool?.dispose();
    }

    if (json) {
      io.out(JSON.stringify({ files: reports }, null, 2));
    } else {
      io.out(summaryLine(reports));
    }
    if (badInput) { return EXIT_ERROR; }
    return reports.every(r => r.valid) ? EXIT_OK : EXIT_FINDINGS;
  },
};

/** A path as the user sees it: relative to where they are when it is inside, else absolute. */
function display(io: CliIO, path: string): string {
  const rel = relative(io.cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

async function expand(path: string, given: string, explicit: DatasetSchema | undefined): Promise<Target[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`${given}: no such file or folder`);
  }
  if (info.isDirectory()) {
    const found: string[] = [];
    await walk(path, found);
    if (found.length === 0) { throw new Error(`${given}: no datasets in this folder`); }
    return found.sort().map(p => ({ path: p, ...(explicit ? { schema: explicit } : {}) }));
  }
  if (basename(path).toLowerCase() === 'datapackage.json') {
    if (explicit) { throw new Error(`${given}: --schema cannot be combined with a data package; its resources name their own schemas`); }
    return packageTargets(path);
  }
  if (!datasetFormatOf(basename(path))) {
    throw new Error(`${given}: not a dataset file Strata reads (CSV, TSV, .csv.gz, Parquet, Arrow/Feather, JSON Lines) nor a datapackage.json`);
  }
  return [{ path, ...(explicit ? { schema: explicit } : {}) }];
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) { await walk(join(dir, e.name), out); }
    } else if (e.isFile() && datasetFormatOf(e.name)) {
      out.push(join(dir, e.name));
    }
  }
}

/** Every tabular resource of a data package (one with a schema, or a file Strata reads), with its schema and dialect. */
async function packageTargets(packagePath: string): Promise<Target[]> {
  const loaded = await loadDataPackage(packagePath);
  const out: Target[] = [];
  for (const resource of loaded.pkg.resources) {
    for (const rel of resource.paths) {
      const tabular = resource.schema !== null || datasetFormatOf(rel) !== undefined;
      if (!tabular) { continue; }
      const { schema, dialect, schemaPath } = await resourceSchema(loaded, resource);
      out.push({
        path: join(loaded.dir, rel),
        schema: schema ? {
          schema,
          origin: { kind: 'datapackage', packagePath, resource: resource.name, ...(schemaPath ? { schemaPath } : {}) },
          ...(dialect ? { dialect } : {}),
          dataPackage: loaded,
        } : null,
      });
    }
  }
  if (out.length === 0) { throw new Error(`${packagePath}: no tabular resources`); }
  return out;
}

/** Large CSV files are validated in two parts at once when the bundled worker sits beside this program. */
function workerPool(): WorkerPool | undefined {
  const path = join(__dirname, 'worker.js');
  if (process.env.STRATA_VALIDATE_THREADS === '0' || !existsSync(path)) { return undefined; }
  return new WorkerPool({ workerPath: path, maxThreads: 2, idleShutdownMs: 1000 });
}

const PARTS_MIN_BYTES = 8 * 1024 * 1024;

/**
 * A large file validated in two worker threads (with the schema found as `validateOne` finds it, or --schema): a plain
 * CSV/TSV cut at row starts, a Parquet, Arrow or JSON Lines file by row numbers. Undefined when it is not one, or when
 * its schema or data has a problem `validateOne` words.
 */
async function inParts(io: CliIO, pool: WorkerPool, target: Target, maxIssues: number, noPii: boolean, json: boolean): Promise<FileReport | undefined> {
  const format = datasetFormatOf(basename(target.path));
  if (format === undefined || (target.schema !== undefined && target.schema?.origin.kind !== 'explicit')) { return undefined; }
  const size = (await stat(target.path)).size;
  if (size < PARTS_MIN_BYTES) { return undefined; }
  const explicitPath = target.schema?.origin.kind === 'explicit' ? target.schema.origin.schemaPath : undefined;
  // one redrawn line on stderr while a terminal waits; the issues are printed once the parts are merged
  const progress = terminalProgress();
  const path = display(io, target.path);
  let out;
  try {
    out = await validateInParts((name, input, opts) => pool.run(name, input, opts), {
      path: target.path, maxIssues, pii: !noPii, schema: { workspaceRoot: io.cwd, ...(explicitPath ? { schemaPath: explicitPath } : {}) },
    }, {
      onProgress: p => { if (p.unit === 'bytes' && p.total) { progress.onProgress?.({ phase: 'validating', unit: 'bytes', done: p.done, total: p.total, path }); } },
    });
  } finally {
    progress.done();
  }
  if (out.schemaError || out.dataError) { return undefined; }
  const errors: JsonIssue[] = [];
  for (const issue of out.issues) {
    const j = toJson(issue, out.textPositions, out.format === 'jsonl');
    errors.push(j);
    if (!json) { io.out(`${path}:${j.line}:${j.col}: ${issue.severity === 'warning' ? 'warning: ' : ''}${issue.type}: ${issue.message}`); }
  }
  const summary = out.summary;
  const errorCount = ISSUE_TYPES.filter(t => t !== 'personal-data').reduce((n, t) => n + (summary.counts[t] ?? 0), 0);
  if (!json) {
    if (summary.truncated) { io.err(`strata validate: ${path}: showing ${summary.reported} of ${summary.total} issues (${formatCounts(summary.counts)}); --max-issues N shows more`); }
    for (const note of summary.notes ?? []) { io.err(`strata validate: ${path}: note: ${note}`); }
    for (const note of summary.incomplete) { io.err(`strata validate: ${path}: note: ${note}`); }
    if (!out.schema) {
      io.err(`strata validate: ${path}: note: no schema applies, so only structure, encoding and personal data were checked; 'strata infer ${path}' writes one`);
    }
  }
  return {
    path, valid: errorCount === 0, schema: out.schema ? describeSchemaOrigin(out.schema.origin, io.cwd) : null, errors,
    summary: {
      counts: summary.counts, total: summary.total, truncated: summary.truncated, incomplete: summary.incomplete,
      ...(summary.notes ? { notes: summary.notes } : {}),
    },
  };
}

async function validateOne(io: CliIO, target: Target, maxIssues: number, noPii: boolean, json: boolean): Promise<FileReport> {
  const path = display(io, target.path);
  // one redrawn line on stderr while a terminal waits, cleared before each issue is printed (then drawn again)
  const progress = terminalProgress();
  let validation;
  try {
    const schema = target.schema !== undefined ? target.schema : await findSchemaFor(target.path, { workspaceRoot: io.cwd });
    validation = await validateFile(target.path, {
      schema, maxIssues, pii: !noPii,
      ...(schema?.dataPackage ? { foreignKeys: packageForeignKeys(schema.dataPackage) } : {}),
      ...(progress.onProgress ? {
        onProgress: p => { if (p.bytesTotal > 0) { progress.onProgress?.({ phase: 'validating', unit: 'bytes', done: p.bytesDone, total: p.bytesTotal, path }); } },
      } : {}),
    });
  } catch (e) {
    progress.done();
    if (!json) { io.err(`strata validate: ${path}: ${messageOf(e, target.path, io)}`); }
    return { path, valid: false, schema: null, errors: [], error: messageOf(e, target.path, io) };
  }
  const { run, table, schema } = validation;
  const errors: JsonIssue[] = [];
  try {
    for await (const issue of run) {
      const j = toJson(issue, table.textPositions, table.format === 'jsonl');
      errors.push(j);
      if (!json) {
        progress.done();
        io.out(`${path}:${j.line}:${j.col}: ${issue.severity === 'warning' ? 'warning: ' : ''}${issue.type}: ${issue.message}`);
      }
    }
  } catch (e) {
    progress.done();
    if (!json) { io.err(`strata validate: ${path}: ${messageOf(e, target.path, io)}`); }
    return { path, valid: false, schema: schema ? describeSchemaOrigin(schema.origin, io.cwd) : null, errors, error: messageOf(e, target.path, io) };
  } finally {
    progress.done();
    await table.close();
  }
  const summary = await run.summary;
  const errorCount = ISSUE_TYPES.filter(t => t !== 'personal-data').reduce((n, t) => n + (summary.counts[t] ?? 0), 0);
  if (!json) {
    if (summary.truncated) { io.err(`strata validate: ${path}: showing ${summary.reported} of ${summary.total} issues (${formatCounts(summary.counts)}); --max-issues N shows more`); }
    for (const note of summary.notes ?? []) { io.err(`strata validate: ${path}: note: ${note}`); }
    for (const note of summary.incomplete) { io.err(`strata validate: ${path}: note: ${note}`); }
    if (!schema) {
      io.err(`strata validate: ${path}: note: no schema applies, so only structure, encoding and personal data were checked; 'strata infer ${path}' writes one`);
    }
  }
  return {
    path,
    valid: errorCount === 0,
    schema: schema ? describeSchemaOrigin(schema.origin, io.cwd) : null,
    errors,
    summary: {
      counts: summary.counts, total: summary.total, truncated: summary.truncated, incomplete: summary.incomplete,
      ...(summary.notes ? { notes: summary.notes } : {}),
    },
  };
}

/**
 * 1-based line and column of the cell in a delimited text file or of the value in a JSON Lines record; for binary
 * formats the row number and the field number. The issues of a JSON Lines file's field names (it has no header line)
 * are on line 1, at the field's number.
 */
function toJson(issue: TableIssue, text: boolean, lines: boolean): JsonIssue {
  let line = 1, col = 1;
  if ((text || lines) && issue.range) {
    line = issue.range.line + 1;
    col = issue.range.char + 1;
  } else if (!text || lines) {
    line = lines ? (issue.row ?? 0) + 1 : issue.rowNumber ?? 1;
    col = issue.fieldNumber ?? 1;
  }
  return {
    type: issue.type, severity: issue.severity, line, col, row: issue.rowNumber, field: issue.fieldName,
    rowNumber: issue.rowNumber, fieldNumber: issue.fieldNumber, fieldName: issue.fieldName, cell: issue.cell,
    ...(issue.note !== undefined ? { note: issue.note } : {}),
    message: issue.message,
  };
}

function summaryLine(reports: FileReport[]): string {
  const files = reports.length;
  const counts: Partial<Record<IssueType, number>> = {};
  for (const r of reports) {
    for (const [t, n] of Object.entries(r.summary?.counts ?? {})) { counts[t as IssueType] = (counts[t as IssueType] ?? 0) + (n ?? 0); }
  }
  const warnings = counts['personal-data'] ?? 0;
  const errors = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0) - warnings;
  const failed = reports.filter(r => r.error).length;
  const invalid = reports.filter(r => !r.valid && !r.error).length;
  const parts = [`${files} file${files === 1 ? '' : 's'}`];
  if (invalid === 0 && failed === 0) {
    parts.push('all valid');
  } else if (invalid > 0) {
    const errorCounts = { ...counts };
    delete errorCounts['personal-data'];
    parts.push(`${invalid} with problems: ${errors} error${errors === 1 ? '' : 's'} (${formatCounts(errorCounts)})`);
  }
  if (failed) { parts.push(`${failed} could not be read`); }
  if (warnings) { parts.push(`${warnings} personal-data warning${warnings === 1 ? '' : 's'}`); }
  return parts.join(', ');
}

function messageOf(e: unknown, path?: string, io?: CliIO): string {
  if (isSchemaError(e)) { return io ? `${display(io, e.source)}: ${e.pointer ? `${e.pointer}: ` : ''}${e.problem}` : e.message; }
  if (isDatasetError(e)) {
    // dataset errors often start with the file's own path: say it once
    const m = e.message;
    return path && m.startsWith(`${path}: `) ? m.slice(path.length + 2) : path && m.startsWith(path) ? m.slice(path.length).replace(/^[: ]+/, '') : m;
  }
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}
