// The schema edits offered for a constraint-error, from the validator's issue to the edited schema text.
import { describe, expect, it } from 'vitest';
import { parseTableSchema } from '../../../src/core/schema/tableSchema';
import { memoryTableSource } from '../../../src/core/schema/tableSource';
import { collectValidation, validateTable } from '../../../src/core/schema/validateTable';
import type { ValidatedSchema } from '../../../src/node/jobs/validateJobs';
import { planDiagnostics } from '../../../src/vscode/schema/diagnosticPlan';
import { constraintFixChoices } from '../../../src/vscode/schema/fixChoices';
import { applySchemaFix } from '../../../src/vscode/schema/schemaFixes';

const SCHEMA_JSON = {
  fields: [
    { name: 'a', type: 'integer', constraints: { required: true, minimum: 0 } },
    { name: 'b', type: 'string' },
  ],
};

const SCHEMA: ValidatedSchema = {
  origin: { kind: 'sidecar', schemaPath: '/w/d.schema.json' },
  description: 'schema d.schema.json (beside the file)',
  file: '/w/d.schema.json',
  jsonPath: [],
  files: ['/w/d.schema.json'],
  fields: [{ name: 'a', type: 'integer', format: 'default', piiAllowed: false }, { name: 'b', type: 'string', format: 'default', piiAllowed: false }],
  missingValues: [''],
};

async function fixesOf(rows: string[][]) {
  const { issues, summary } = await collectValidation(validateTable(memoryTableSource(rows, { name: 'd.csv' }), parseTableSchema(SCHEMA_JSON, 'd.schema.json'), { pii: false }));
  const specs = planDiagnostics({
    format: 'csv', textPositions: true, schema: SCHEMA, schemaError: null, dataError: null, issues, summary, widenings: [], candidates: [],
  }, { maxProblems: 10 });
  return specs.map(s => s.fix);
}

describe('constraintFixChoices', () => {
  it('offers to make a field optional for its missing required value, and the edit removes "required"', async () => {
    const [fix] = await fixesOf([['a', 'b'], ['', 'x']]);
    expect(fix.code).toBe('constraint-error');
    const choices = constraintFixChoices(fix);
    expect(choices.map(c => [c.title, c.preferred])).toEqual([['Make "a" optional (remove "required" in d.schema.json)', true]]);
    const edited = JSON.parse(applySchemaFix(JSON.stringify(SCHEMA_JSON, null, 2), [], choices[0].change));
    expect(edited.fields[0].constraints).toEqual({ minimum: 0 });
  });

  it('offers to move a bound, remove it, or treat the cell as missing for a value below the minimum', async () => {
    const [fix] = await fixesOf([['a', 'b'], ['-3', 'x']]);
    expect(constraintFixChoices(fix).map(c => [c.title, c.preferred])).toEqual([
      ['Lower the minimum of "a" to -3 (in d.schema.json)', true],
      ['Remove the "minimum" constraint of "a" (in d.schema.json)', false],
      ['Treat "-3" as a missing value (in d.schema.json)', false],
    ]);
  });
});
