// What the Problems panel shows for one validated dataset: validator issues turned into plain diagnostic specs (no vscode here).
import { formatCounts, issueHelpUrl, type IssueType, type TableIssue, type TextRange } from '../../core/schema/tableIssues';
import type { TypeWidening, ValidateDatasetOutput, ValidatedSchema } from '../../node/jobs/validateJobs';

export type SpecSeverity = 'error' | 'warning' | 'information';

/** Codes of Strata's own diagnostics that are not validator issue types. */
export type StrataDiagnosticCode = 'summary' | 'no-schema' | 'schema-error' | 'incomplete' | 'note' | 'format-error' | 'source-error';

/** What a quick fix needs to know about the problem it fixes. */
export interface FixContext {
  code: IssueType | StrataDiagnosticCode;
  fieldName: string | null;
  cell: string | null;
  /** For constraint-error (and unique-error): the constraint and its value as the note gives them, e.g. minimum / "0", required / "True". */
  constraint?: { name: string; expected: string };
  /** The schema to edit (null when none applies). */
  schema: ValidatedSchema | null;
  /** For type-error: the type that would accept the rejected values. */
  widening?: TypeWidening;
}

export interface DiagnosticSpec {
  range: TextRange;
  severity: SpecSeverity;
  message: string;
  code: { value: string; target?: string };
  fix: FixContext;
  /** The broken schema file and the JSON pointer of the problem, to point at from the dataset's diagnostic. */
  related?: { file: string; pointer: string; message: string };
}

export interface PlanOptions {
  /** Diagnostics from issues at most; one summary diagnostic is added when there were more. */
  maxProblems: number;
}

const FILE_START: TextRange = { line: 0, char: 0, endLine: 0, endChar: 0 };
const FRICTIONLESS_ERRORS = 'https://framework.frictionlessdata.io/docs/errors';
/** Resource-level Frictionless types, which the validator's own help table leaves out. */
const RESOURCE_PAGES: Partial<Record<string, string>> = {
  'encoding-error': `${FRICTIONLESS_ERRORS}/resource.html#encoding-error`,
  'format-error': `${FRICTIONLESS_ERRORS}/resource.html#format-error`,
  'source-error': `${FRICTIONLESS_ERRORS}/resource.html#source-error`,
};

/** The page explaining a diagnostic code, when there is one. */
export function helpUrlOf(code: string): string | undefined {
  return issueHelpUrl(code as IssueType) ?? RESOURCE_PAGES[code];
}

const NOTE_CONSTRAINT = /^constraint "([^"]+)" is "(.*)"$/s;

/** The diagnostics of one validation result, in the order the Problems panel should list them. */
export function planDiagnostics(result: ValidateDatasetOutput, options: PlanOptions): DiagnosticSpec[] {
  const out: DiagnosticSpec[] = [];
  const schema = result.schema;
  const fileLevel = (code: StrataDiagnosticCode, severity: SpecSeverity, message: string, extra: Partial<DiagnosticSpec> = {}): void => {
    const target = helpUrlOf(code);
    out.push({
      range: FILE_START, severity, message, code: { value: code, ...(target ? { target } : {}) },
      fix: { code, fieldName: null, cell: null, schema }, ...extra,
    });
  };
  if (result.dataError) {
    fileLevel(result.dataError.code === 'io' ? 'source-error' : 'format-error', 'error', result.dataError.message);
    return out;
  }
  if (result.schemaError) {
    const e = result.schemaError;
    fileLevel('schema-error', 'error',
      `The schema that applies (${baseName(e.source)}) is invalid, so only the structure was checked: ${e.pointer ? `${e.pointer}: ` : ''}${e.problem}`,
      { related: { file: e.source, pointer: e.pointer, message: e.problem } });
  }
  const widenings = new Map(result.widenings.map(w => [w.field, w]));
  const issues = result.issues.slice(0, Math.max(0, options.maxProblems));
  for (const issue of issues) { out.push(issueSpec(issue, result, widenings)); }
  const s = result.summary;
  const hidden = s.total - issues.length;
  if (hidden > 0) {
    fileLevel('summary', 'information',
      `${s.total.toLocaleString('en-US')} problems in this file; the first ${issues.length.toLocaleString('en-US')} are listed. By type: ${formatCounts(s.counts)}.`);
  }
  for (const note of s.notes ?? []) { fileLevel('note', 'information', `${capitalize(note)}.`); }
  for (const note of s.incomplete) { fileLevel('incomplete', 'information', `Not fully checked: ${note}.`); }
  if (s.schemaSuggested && !result.schemaError) {
    fileLevel('no-schema', 'information',
      'No Table Schema applies to this file, so only its structure and personal data were checked. Infer a schema to check types and constraints too.');
  }
  return out;
}

/**
 * The diagnostics of a pass still running: the issues found so far (the first of the file, up to the cap) and
 * one information diagnostic saying the list and its counts are not final yet. Quick fixes wait for the end.
 */
export function planEarlyDiagnostics(issues: readonly TableIssue[], options: PlanOptions & { textPositions: boolean }): DiagnosticSpec[] {
  const shown = issues.slice(0, Math.max(0, options.maxProblems));
  const partial: ValidateDatasetOutput = {
    format: null, textPositions: options.textPositions, schema: null, schemaError: null, dataError: null, issues: shown,
    summary: { counts: {}, total: shown.length, reported: shown.length, truncated: false, rowsChecked: 0, schemaSuggested: false, incomplete: [] },
    widenings: [], candidates: [],
  };
  const out = planDiagnostics(partial, options);
  const n = shown.length;
  out.push({
    range: FILE_START, severity: 'information',
    message: `Validating: ${n.toLocaleString('en-US')} problem${n === 1 ? '' : 's'} found so far; the full count follows when the pass ends.`,
    code: { value: 'summary' }, fix: { code: 'summary', fieldName: null, cell: null, schema: null },
  });
  return out;
}

function issueSpec(issue: TableIssue, result: ValidateDatasetOutput, widenings: Map<string, TypeWidening>): DiagnosticSpec {
  const positioned = result.textPositions && issue.range !== undefined;
  const message = positioned ? capitalize(issue.message) : `${where(issue)}: ${issue.message}`;
  const target = helpUrlOf(issue.type);
  const fix: FixContext = { code: issue.type, fieldName: issue.fieldName, cell: issue.cell, schema: result.schema };
  const m = issue.note !== undefined ? NOTE_CONSTRAINT.exec(issue.note) : null;
  if (m && (issue.type === 'constraint-error' || issue.type === 'unique-error')) {
    fix.constraint = { name: m[1], expected: m[2] };
  }
  if (issue.type === 'type-error' && issue.fieldName !== null) {
    const w = widenings.get(issue.fieldName);
    if (w) { fix.widening = w; }
  }
  return {
    range: positioned ? (issue.range as TextRange) : FILE_START,
    severity: issue.severity === 'warning' ? 'warning' : 'error',
    message,
    code: { value: issue.type, ...(target ? { target } : {}) },
    fix,
  };
}

/**
 * `Row 12, column "price"` for formats without text positions (Parquet, Arrow, JSON Lines): the 1-based data row,
 * as the preview numbers rows (these formats have no header line to count).
 */
function where(issue: TableIssue): string {
  const parts: string[] = [];
  if (issue.row !== null) { parts.push(`Row ${issue.row + 1}`); } else if (issue.rowNumber === 1) { parts.push('Header'); }
  if (issue.fieldName !== null) { parts.push(`column ${JSON.stringify(issue.fieldName)}`); } else if (issue.fieldNumber !== null) { parts.push(`column ${issue.fieldNumber}`); }
  return parts.length ? capitalize(parts.join(', ')) : 'File';
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** One line for a notification: `3 problems (2 type-error, 1 missing-cell)` or `no problems`. */
export function describeResult(result: ValidateDatasetOutput): string {
  if (result.dataError) { return `could not be read: ${result.dataError.message}`; }
  const s = result.summary;
  const head = s.total === 0 ? 'no problems' : `${s.total.toLocaleString('en-US')} problem${s.total === 1 ? '' : 's'} (${formatCounts(s.counts)})`;
  const schema = result.schemaError ? 'its schema is invalid' : result.schema ? `checked against ${result.schema.description}` : 'no schema applies';
  return `${head}; ${schema}`;
}
