// The first issues of a pass reach the caller before the pass ends: on job progress, then as Problems-panel specs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TableIssue } from '../../../src/core/schema/tableIssues';
import type { JobProgress } from '../../../src/node/jobs/jobTypes';
import { validateDataset } from '../../../src/node/jobs/validateJobs';
import { inThreadValidationJobs, validateInParts } from '../../../src/node/schema/validateSplit';
import { planEarlyDiagnostics } from '../../../src/vscode/schema/diagnosticPlan';

const dir = mkdtempSync(join(tmpdir(), 'strata-early-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** About 3 MB of rows whose first ten hold a bad integer; a schema beside it. */
function badEarly(name: string): string {
  const lines = ['id,n,text'];
  for (let i = 0; i < 60_000; i++) { lines.push(`${i},${i < 10 ? 'x' : i},some words to make the row longer than a few bytes`); }
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  writeFileSync(path.replace(/\.csv$/, '.schema.json'), JSON.stringify({ fields: [{ name: 'id', type: 'integer' }, { name: 'n', type: 'integer' }, { name: 'text', type: 'string' }] }));
  return path;
}

describe('issues before the pass ends', () => {
  it('the job reports its first issues on progress while bytes are still to read', async () => {
    const path = badEarly('one.csv');
    const events: JobProgress[] = [];
    const out = await validateDataset({ path, pii: false }, { signal: new AbortController().signal, progress: p => events.push(p) });
    const first = events.find(p => p.issues?.length);
    expect(first).toBeDefined();
    expect(first?.done).toBeLessThan(first?.total ?? 0);
    const early = events.flatMap(p => p.issues ?? []);
    expect(early.map(i => i.rowNumber)).toEqual(out.issues.slice(0, early.length).map(i => i.rowNumber));
    expect(out.summary.counts['type-error']).toBe(10);
  });

  it('validation in parts hands the first issues to onIssues before it resolves', async () => {
    const path = badEarly('parts.csv');
    const seen: TableIssue[][] = [];
    let resolved = false;
    const out = await validateInParts(inThreadValidationJobs, { path, pii: false }, {
      parts: 2, minBytes: 0, onIssues: list => { if (!resolved) { seen.push(list); } },
    });
    resolved = true;
    expect(seen.length).toBeGreaterThan(0);
    // each early list is the start of the final one (rows in order, the first part's first)
    for (const list of seen) { expect(list.map(i => i.rowNumber)).toEqual(out.issues.slice(0, list.length).map(i => i.rowNumber)); }
    expect(out.issues.map(i => i.rowNumber)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('planEarlyDiagnostics', () => {
  const issue = (row: number): TableIssue => ({
    type: 'type-error', severity: 'error', message: '"x" is not an integer', row, rowNumber: row + 2, fieldName: 'n', fieldNumber: 2, cell: 'x',
    range: { line: row + 1, char: 2, endLine: row + 1, endChar: 3 },
  });

  it('lists the issues found so far at their cells, capped, and says the list is not final', () => {
    const specs = planEarlyDiagnostics([issue(0), issue(1), issue(2)], { maxProblems: 2, textPositions: true });
    expect(specs.map(s => s.range.line)).toEqual([1, 2, 0]);
    const note = specs[specs.length - 1];
    expect(note.severity).toBe('information');
    expect(note.code.value).toBe('summary');
    expect(note.message).toBe('Validating: 2 problems found so far; the full count follows when the pass ends.');
  });
});
