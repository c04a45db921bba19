// What validation reports: issue types (Frictionless names plus Strata's own), positions, and the run summary.

/**
 * Frictionless error types, with `unique-error` split out of `constraint-error` (as Frictionless does). A missing
 * value in a required field (or in a primary-key field, which is required) is a `constraint-error`.
 */
export type FrictionlessIssueType =
  | 'type-error' | 'constraint-error' | 'unique-error' | 'primary-key' | 'foreign-key'
  | 'missing-cell' | 'extra-cell' | 'blank-row'
  | 'duplicate-label' | 'blank-label' | 'incorrect-label' | 'missing-label' | 'extra-label';

/**
 * Strata's own: faults of the text itself, and likely personal data. `encoding-error` and `format-error` take the
 * names Frictionless gives a file that cannot be read, for a part of the file that cannot: `format-error` is a record
 * that is not in the file's format (a JSON Lines line that is not a JSON object).
 */
export type StrataIssueType = 'unclosed-quote' | 'encoding-error' | 'format-error' | 'mixed-line-endings' | 'personal-data';

export type IssueType = FrictionlessIssueType | StrataIssueType;

export const ISSUE_TYPES: readonly IssueType[] = [
  'type-error', 'constraint-error', 'unique-error', 'primary-key', 'foreign-key',
  'missing-cell', 'extra-cell', 'blank-row', 'duplicate-label', 'blank-label', 'incorrect-label', 'missing-label',
  'extra-label', 'unclosed-quote', 'encoding-error', 'format-error', 'mixed-line-endings', 'personal-data',
];

export type IssueSeverity = 'error' | 'warning';

/** A range in the text of the file: 0-based lines and UTF-16 character columns, end exclusive (as VS Code counts). */
export interface TextRange {
  line: number;
  char: number;
  endLine: number;
  endChar: number;
}

export interface TableIssue {
  type: IssueType;
  severity: IssueSeverity;
  message: string;
  /** 0-based data row (header excluded); null for header and whole-table issues. */
  row: number | null;
  /** Row number as Frictionless counts it: 1-based over the file's rows, the header row being 1. */
  rowNumber: number | null;
  fieldName: string | null;
  /** 1-based column position. */
  fieldNumber: number | null;
  /** The cell's text as written (null when there is no single cell). */
  cell: string | null;
  /** Frictionless-style note, e.g. `type is "integer/default"`, `constraint "minimum" is "0"`. */
  note?: string;
  /** Where in the text file, when the source is text (CSV/TSV); absent for binary formats. */
  range?: TextRange;
}

export interface ValidationSummary {
  /** Issues found per type, including those past the cap. */
  counts: Partial<Record<IssueType, number>>;
  /** Sum of counts. */
  total: number;
  /** Issues handed out by the stream (at most maxIssues). */
  reported: number;
  /** True when more issues were found than reported. */
  truncated: boolean;
  rowsChecked: number;
  /** No schema applied: only structure, encoding and personal data were checked; inferring a schema would add more. */
  schemaSuggested: boolean;
  /**
   * Checks that could not run to the end (a memory budget, a foreign-key resource that could not be read) or were
   * left out (a constraint the field's type does not support), in words.
   */
  incomplete: string[];
  /** What reading the file left out of the table on purpose (lines skipped above the header), in words; absent when nothing. */
  notes?: string[];
}

const FRICTIONLESS_DOCS = 'https://framework.frictionlessdata.io/docs/errors';
const DOC_PAGE: Partial<Record<IssueType, string>> = {
  'type-error': 'cell', 'constraint-error': 'cell', 'unique-error': 'cell',
  'missing-cell': 'cell', 'extra-cell': 'cell',
  'primary-key': 'row', 'foreign-key': 'row', 'blank-row': 'row',
  'duplicate-label': 'label', 'blank-label': 'label', 'incorrect-label': 'label', 'missing-label': 'label', 'extra-label': 'label',
};

/** A page explaining the issue type (Frictionless's error reference), or undefined for Strata's own types. */
export function issueHelpUrl(type: IssueType): string | undefined {
  const page = DOC_PAGE[type];
  return page ? `${FRICTIONLESS_DOCS}/${page}.html#${type}` : undefined;
}

/** A cell's text for a message: quoted, shortened past 60 characters. */
export function quoteCell(text: string): string {
  const t = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(t);
}

/** One line per type for summaries: `3 type-error, 1 missing-cell`. */
export function formatCounts(counts: Partial<Record<IssueType, number>>): string {
  return ISSUE_TYPES.filter(t => counts[t]).map(t => `${counts[t]} ${t}`).join(', ');
}
