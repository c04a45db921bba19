// Adding up a table validated in parts: duplicate keys across parts, personal-data counts, issues and summaries.
import { crossDuplicates } from './keySet';
import { describePiiFinding, PiiScanner, type PiiOptions } from './pii';
import { quoteCell, type IssueType, type TableIssue, type ValidationSummary } from './tableIssues';
import type { PartKey, PartState } from './validateTable';

/** A row of a later part whose key (or unique value) an earlier part already holds. */
export interface CrossDuplicate {
  /** Index of the key in each part's `keys`. */
  key: number;
  row: number;
  /** The first row holding the value (in an earlier part). */
  firstRow: number;
}

/**
 * Duplicates that no single part could see: for each part after the first, the rows whose value an
 * earlier part holds (its first row in the earliest part), in row order. A key looked up in a column's
 * own unique set (`shares`) repeats that set's duplicates, as a one-pass run reports both.
 */
export function crossPartDuplicates(states: readonly PartState[]): CrossDuplicate[] {
  const out: CrossDuplicate[] = [];
  if (states.length < 2) { return out; }
  const keys = states[0].keys;
  const found = new Map<number, Map<number, number>>();
  keys.forEach((key, k) => {
    if (key.set === null) { return; }
    const rows = new Map<number, number>();
    for (let j = 1; j < states.length; j++) {
      const later = states[j].keys[k]?.set;
      if (!later) { continue; }
      for (let i = 0; i < j; i++) {
        const earlier = states[i].keys[k]?.set;
        if (!earlier) { continue; }
        crossDuplicates(earlier, later, (row, first) => {
          const seen = rows.get(row);
          if (seen === undefined || first < seen) { rows.set(row, first); }
        });
      }
    }
    found.set(k, rows);
  });
  keys.forEach((key, k) => {
    const rows = key.set === null && key.shares !== undefined ? found.get(key.shares) : found.get(k);
    if (!rows) { return; }
    for (const [row, firstRow] of rows) { out.push({ key: k, row, firstRow }); }
  });
  return out.sort((a, b) => a.row - b.row || a.key - b.key);
}

/** The issue type a duplicate of this key is. */
export function duplicateType(key: PartKey): IssueType {
  return key.kind === 'primary-key' ? 'primary-key' : 'unique-error';
}

/** Personal-data findings over all parts, by column (counts added up, the earliest example kept). */
export function mergedPiiFindings(states: readonly PartState[], columns: number, options: PiiOptions = {}): ReturnType<PiiScanner['findings']> {
  const scanner = new PiiScanner(columns, options);
  let any = false;
  for (const s of states) {
    if (s.pii) { scanner.absorb(s.pii); any = true; }
  }
  return any ? scanner.findings() : [];
}

/** The personal-data issue of a finding (as a one-pass run words it); placed by the caller. */
export function piiIssue(f: ReturnType<PiiScanner['findings']>[number], fieldName: string, rowNumber: (row: number) => number): TableIssue {
  return {
    type: 'personal-data', severity: 'warning',
    message: `column ${quoteCell(fieldName)} may hold personal data: ${describePiiFinding(f, rowNumber)}`,
    row: f.exampleRow, rowNumber: rowNumber(f.exampleRow), fieldName, fieldNumber: f.column + 1, cell: null,
    note: `${f.kind}: ${f.matches} of ${f.checked}`,
  };
}

/**
 * The issues and summary of the whole table from its parts' (each capped at `maxIssues`) and the issues
 * found on merging (`extra`: cross-part duplicates and personal data, with their total counts by type).
 * Row issues come in row order, then personal data; the first `maxIssues` are kept.
 */
export function mergePartIssues(
  parts: readonly { issues: readonly TableIssue[]; summary: ValidationSummary }[],
  extra: { issues: readonly TableIssue[]; counts: Partial<Record<IssueType, number>> },
  maxIssues: number,
): { issues: TableIssue[]; summary: ValidationSummary } {
  const counts: Partial<Record<IssueType, number>> = {};
  const add = (c: Partial<Record<IssueType, number>>): void => {
    for (const [t, n] of Object.entries(c) as [IssueType, number][]) { counts[t] = (counts[t] ?? 0) + n; }
  };
  const all: TableIssue[] = [];
  let mixedSeen = false;
  for (const p of parts) {
    add(p.summary.counts);
    for (const i of p.issues) {
      // each part reports the first row whose line ending differs; the file has one such first row
      if (i.type === 'mixed-line-endings') {
        if (mixedSeen) { counts['mixed-line-endings'] = (counts['mixed-line-endings'] ?? 1) - 1; continue; }
        mixedSeen = true;
      }
      all.push(i);
    }
  }
  add(extra.counts);
  all.push(...extra.issues);
  const order = (i: TableIssue): number => (i.type === 'personal-data' ? Number.MAX_SAFE_INTEGER : i.row ?? -1);
  const sorted = all.map((issue, k) => ({ issue, k })).sort((a, b) => order(a.issue) - order(b.issue) || a.k - b.k).map(x => x.issue);
  const issues = sorted.slice(0, maxIssues);
  const total = Object.values(counts).reduce((n, c) => n + (c ?? 0), 0);
  const incomplete = [...new Set(parts.flatMap(p => p.summary.incomplete))];
  const notes = [...new Set(parts.flatMap(p => p.summary.notes ?? []))];
  return {
    issues,
    summary: {
      counts, total, reported: issues.length, truncated: total > issues.length,
      // a part counts rows up to its last row's number
      rowsChecked: parts.reduce((n, p) => Math.max(n, p.summary.rowsChecked), 0),
      schemaSuggested: parts.some(p => p.summary.schemaSuggested), incomplete,
      ...(notes.length ? { notes } : {}),
    },
  };
}
