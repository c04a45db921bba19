// From validator issues to Problems-panel diagnostics: ranges, codes with links, severities, the cap and its summary.
import { describe, expect, it } from 'vitest';
import type { TableIssue, ValidationSummary } from '../../../src/core/schema/tableIssues';
import type { ValidateDatasetOutput, ValidatedSchema } from '../../../src/node/jobs/validateJobs';
import { describeResult, helpUrlOf, planDiagnostics } from '../../../src/vscode/schema/diagnosticPlan';

const SCHEMA: ValidatedSchema = {
  origin: { kind: 'sidecar', schemaPath: '/w/data.schema.json' },
  description: 'schema data.schema.json (beside the file)',
  file: '/w/data.schema.json',
  jsonPath: [],
  files: ['/w/data.schema.json'],
  fields: [{ name: 'age', type: 'integer', format: 'default', piiAllowed: false }],
  missingValues: [''],
};

function issue(over: Partial<TableIssue>): TableIssue {
  return {
    type: 'type-error', severity: 'error', message: '"x" is not an integer', row: 0, rowNumber: 2, fieldName: 'age', fieldNumber: 2, cell: 'x',
    note: 'type is "integer/default"', range: { line: 1, char: 4, endLine: 1, endChar: 5 }, ...over,
  };
}

function summary(over: Partial<ValidationSummary> = {}): ValidationSummary {
  return { counts: {}, total: 0, reported: 0, truncated: false, rowsChecked: 1, schemaSuggested: false, incomplete: [], ...over };
}

function result(over: Partial<ValidateDatasetOutput>): ValidateDatasetOutput {
  const issues = over.issues ?? [];
  return {
    format: 'csv', textPositions: true, schema: SCHEMA, schemaError: null, dataError: null, issues,
    summary: summary({ total: issues.length, reported: issues.length }), widenings: [], candidates: [], ...over,
  };
}

describe('planDiagnostics', () => {
  it('places a CSV issue at its cell, with the Frictionless type and its page as code', () => {
    const [d] = planDiagnostics(result({ issues: [issue({})] }), { maxProblems: 500 });
    expect(d.range).toEqual({ line: 1, char: 4, endLine: 1, endChar: 5 });
    expect(d.severity).toBe('error');
    expect(d.code).toEqual({ value: 'type-error', target: 'https://framework.frictionlessdata.io/docs/errors/cell.html#type-error' });
    expect(d.message).toBe('"x" is not an integer');
  });

  it('links each Frictionless family to its page; Strata-only types have no page', () => {
    expect(helpUrlOf('duplicate-label')).toBe('https://framework.frictionlessdata.io/docs/errors/label.html#duplicate-label');
    expect(helpUrlOf('blank-row')).toBe('https://framework.frictionlessdata.io/docs/errors/row.html#blank-row');
    expect(helpUrlOf('encoding-error')).toBe('https://framework.frictionlessdata.io/docs/errors/resource.html#encoding-error');
    expect(helpUrlOf('unclosed-quote')).toBeUndefined();
    const [d] = planDiagnostics(result({ issues: [issue({ type: 'unclosed-quote', message: 'a quote is never closed', note: undefined })] }), { maxProblems: 5 });
    expect(d.code).toEqual({ value: 'unclosed-quote' });
  });

  it('personal data is a warning', () => {
    const [d] = planDiagnostics(result({
      issues: [issue({ type: 'personal-data', severity: 'warning', message: 'column "email" may hold personal data: 100% of 20 values look like email addresses (e.g. row 2)', cell: null })],
    }), { maxProblems: 5 });
    expect(d.severity).toBe('warning');
    expect(d.fix).toMatchObject({ code: 'personal-data', fieldName: 'age', schema: SCHEMA });
  });

  it('binary formats: at the file start, the row and column in the message', () => {
    const [d] = planDiagnostics(result({ format: 'parquet', textPositions: false, issues: [issue({ range: undefined, row: 11, rowNumber: 13 })] }), { maxProblems: 5 });
    expect(d.range).toEqual({ line: 0, char: 0, endLine: 0, endChar: 0 });
    expect(d.message).toBe('Row 12, column "age": "x" is not an integer');
    const [h] = planDiagnostics(result({ format: 'parquet', textPositions: false, issues: [issue({ type: 'extra-label', row: null, rowNumber: 1, range: undefined })] }), { maxProblems: 5 });
    expect(h.message.startsWith('Header, column "age": ')).toBe(true);
  });

  it('caps the issue diagnostics and adds one summary with the count per type', () => {
    const issues = Array.from({ length: 4 }, (_, i) => issue({ row: i, range: { line: i + 1, char: 0, endLine: i + 1, endChar: 1 } }));
    const out = planDiagnostics(result({
      issues,
      summary: summary({ counts: { 'type-error': 1200, 'missing-cell': 34 }, total: 1234, reported: 4, truncated: true }),
    }), { maxProblems: 3 });
    expect(out).toHaveLength(4);
    expect(out.slice(0, 3).map(d => d.code.value)).toEqual(['type-error', 'type-error', 'type-error']);
    const s = out[3];
    expect(s.code).toEqual({ value: 'summary' });
    expect(s.severity).toBe('information');
    expect(s.message).toBe('1,234 problems in this file; the first 3 are listed. By type: 1200 type-error, 34 missing-cell.');
  });

  it('no summary when everything is listed', () => {
    const out = planDiagnostics(result({ issues: [issue({})] }), { maxProblems: 3 });
    expect(out.map(d => d.code.value)).toEqual(['type-error']);
  });

  it('without a schema: one information diagnostic offering to infer one', () => {
    const out = planDiagnostics(result({ schema: null, summary: summary({ schemaSuggested: true }) }), { maxProblems: 3 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ severity: 'information', code: { value: 'no-schema' }, range: { line: 0, char: 0, endLine: 0, endChar: 0 } });
  });

  it('a broken schema: an error that points at the schema file, and no offer to infer', () => {
    const out = planDiagnostics(result({
      schema: null,
      schemaError: { source: '/w/data.schema.json', pointer: '/fields/0/type', problem: 'unknown type "integr"' },
      summary: summary({ schemaSuggested: true }),
    }), { maxProblems: 3 });
    expect(out.map(d => d.code.value)).toEqual(['schema-error']);
    expect(out[0].message).toBe('The schema that applies (data.schema.json) is invalid, so only the structure was checked: /fields/0/type: unknown type "integr"');
    expect(out[0].related).toEqual({ file: '/w/data.schema.json', pointer: '/fields/0/type', message: 'unknown type "integr"' });
  });

  it('data that cannot be read: one error, nothing else', () => {
    const out = planDiagnostics(result({ dataError: { code: 'corrupt', message: 'data.parquet: truncated footer' }, issues: [issue({})] }), { maxProblems: 3 });
    expect(out).toEqual([expect.objectContaining({ code: { value: 'format-error', target: 'https://framework.frictionlessdata.io/docs/errors/resource.html#format-error' }, message: 'data.parquet: truncated footer' })]);
  });

  it('checks that could not finish are said', () => {
    const out = planDiagnostics(result({ summary: summary({ incomplete: ['foreign key (a) → b not checked: resource "b" was not found'] }) }), { maxProblems: 3 });
    expect(out.map(d => [d.code.value, d.severity])).toEqual([['incomplete', 'information']]);
  });

  it('says what reading left out of the table, as information', () => {
    const out = planDiagnostics(result({ summary: summary({ notes: ['skipped 2 lines above the header (a title or comments)'] }) }), { maxProblems: 3 });
    expect(out.map(d => [d.code.value, d.severity, d.message, d.range.line])).toEqual([
      ['note', 'information', 'Skipped 2 lines above the header (a title or comments).', 0],
    ]);
  });

  it('gives quick fixes the constraint and the type the data holds', () => {
    const out = planDiagnostics(result({
      issues: [
        issue({ type: 'constraint-error', cell: '-4', note: 'constraint "minimum" is "0"' }),
        issue({ type: 'constraint-error', cell: '', note: 'constraint "required" is "True"' }),
        issue({ cell: '1.5' }),
      ],
      widenings: [{ field: 'age', type: 'number', format: 'default' }],
    }), { maxProblems: 10 });
    expect(out[0].fix.constraint).toEqual({ name: 'minimum', expected: '0' });
    expect(out[1].fix.constraint).toEqual({ name: 'required', expected: 'True' });
    expect(out[2].fix.widening).toEqual({ field: 'age', type: 'number', format: 'default' });
  });
});

describe('describeResult', () => {
  it('says the count per type and which schema', () => {
    expect(describeResult(result({ issues: [issue({})], summary: summary({ counts: { 'type-error': 1 }, total: 1, reported: 1 }) })))
      .toBe('1 problem (1 type-error); checked against schema data.schema.json (beside the file)');
    expect(describeResult(result({ schema: null }))).toBe('no problems; no schema applies');
  });
});
