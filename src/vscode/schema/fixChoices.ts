// Which schema edits a quick fix offers for a constraint-error, worded for the light bulb menu (no vscode here).
import type { JsonValue } from '../../core/schema/tableSchema';
import type { FixContext } from './diagnosticPlan';
import type { SchemaFix } from './schemaFixes';

export interface FixChoice {
  title: string;
  change: SchemaFix;
  preferred: boolean;
}

const ORDER = new Set(['integer', 'number', 'year']);

const q = (s: string): string => JSON.stringify(s);

function schemaFileName(fix: FixContext): string {
  return fix.schema ? fix.schema.file.split(/[\\/]/).pop() ?? fix.schema.file : '';
}

/** Treating the rejected cell as a missing value, when there is a cell to treat so. */
export function missingValueChoice(fix: FixContext): FixChoice[] {
  const field = fix.fieldName;
  if (field === null || fix.cell === null || fix.cell === '') { return []; }
  return [{
    title: `Treat ${q(fix.cell)} as a missing value (in ${schemaFileName(fix)})`,
    change: { kind: 'addMissingValue', field, value: fix.cell },
    preferred: false,
  }];
}

/**
 * The edits for a constraint-error: for a missing required value, making the field optional; for a value outside
 * a bound, length or enum, moving the bound or adding the value (preferred), or removing the constraint; and
 * treating the cell as a missing value.
 */
export function constraintFixChoices(fix: FixContext): FixChoice[] {
  const field = fix.fieldName;
  const fieldInfo = field !== null ? fix.schema?.fields.find(f => f.name === field) : undefined;
  if (field === null || !fix.constraint || !fieldInfo) { return missingValueChoice(fix); }
  const where = schemaFileName(fix);
  const { name } = fix.constraint;
  if (name === 'required') {
    return [{ title: `Make ${q(field)} optional (remove "required" in ${where})`, change: { kind: 'removeConstraint', field, constraint: 'required' }, preferred: true }];
  }
  const out: FixChoice[] = [];
  const cell = fix.cell ?? '';
  if ((name === 'minimum' || name === 'maximum') && cell !== '') {
    const value: JsonValue = ORDER.has(fieldInfo.type) ? Number(cell) : cell;
    if (typeof value !== 'number' || Number.isFinite(value)) {
      out.push({
        title: `${name === 'minimum' ? 'Lower the minimum' : 'Raise the maximum'} of ${q(field)} to ${cell} (in ${where})`,
        change: { kind: 'setConstraint', field, constraint: name, value }, preferred: true,
      });
    }
  } else if (name === 'minLength' || name === 'maxLength') {
    const length = [...cell].length;
    out.push({
      title: `${name === 'minLength' ? 'Lower the minimum length' : 'Raise the maximum length'} of ${q(field)} to ${length} (in ${where})`,
      change: { kind: 'setConstraint', field, constraint: name, value: length }, preferred: true,
    });
  } else if (name === 'enum') {
    const value: JsonValue = (fieldInfo.type === 'integer' || fieldInfo.type === 'number') && Number.isFinite(Number(cell)) ? Number(cell) : cell;
    out.push({ title: `Allow ${q(cell)} in ${q(field)} (add it to "enum" in ${where})`, change: { kind: 'addEnumValue', field, value }, preferred: true });
  }
  out.push({ title: `Remove the "${name}" constraint of ${q(field)} (in ${where})`, change: { kind: 'removeConstraint', field, constraint: name }, preferred: false });
  return [...out, ...missingValueChoice(fix)];
}
