// Quick fixes for Strata's dataset diagnostics: each edits the schema file through a WorkspaceEdit, so it can be undone.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { parseDataPackageText } from '../../core/schema/dataPackage';
import { parseTableSchemaText, type FieldType } from '../../core/schema/tableSchema';
import type { InferSchemaOutput } from '../../node/jobs/validateJobs';
import type { FixContext } from './diagnosticPlan';
import { constraintFixChoices, missingValueChoice } from './fixChoices';
import { applySchemaFix, replacementBetween, SchemaFixError, type SchemaFix } from './schemaFixes';

export interface SchemaCodeActionsOptions {
  fixFor(uri: vscode.Uri, d: vscode.Diagnostic): FixContext | undefined;
  /** Infers the dataset's schema (for the type of a field being added). */
  infer(path: string, signal?: AbortSignal): Promise<InferSchemaOutput>;
}

/** A fix whose edit is worked out when chosen (adding a field asks the worker for the column's type). */
class AddFieldAction extends vscode.CodeAction {
  constructor(title: string, readonly dataset: vscode.Uri, readonly fix: FixContext, readonly label: string) {
    super(title, vscode.CodeActionKind.QuickFix);
  }
}

export class SchemaCodeActions implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly options: SchemaCodeActionsOptions) {}

  static register(provider: SchemaCodeActions): vscode.Disposable {
    return vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, provider, SchemaCodeActions.metadata);
  }

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== 'strata') { continue; }
      const fix = this.options.fixFor(document.uri, d);
      if (fix) { out.push(...await this.actionsFor(document.uri, d, fix)); }
    }
    return out;
  }

  async resolveCodeAction(action: vscode.CodeAction, token: vscode.CancellationToken): Promise<vscode.CodeAction> {
    if (!(action instanceof AddFieldAction) || action.edit) { return action; }
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    let type: FieldType = 'string';
    let format = 'default';
    try {
      const inferred = await this.options.infer(action.dataset.fsPath, controller.signal);
      const field = (JSON.parse(inferred.text) as { fields: { name: string; type?: FieldType; format?: string }[] }).fields.find(f => f.name === action.label);
      if (field?.type) { type = field.type; format = field.format ?? 'default'; }
    } catch {
      // the column's type could not be inferred: string takes any text
    } finally {
      sub.dispose();
    }
    const made = await this.edit(action.fix, { kind: 'addField', name: action.label, type, format });
    if (made) { action.edit = made; }
    return action;
  }

  private async actionsFor(dataset: vscode.Uri, d: vscode.Diagnostic, fix: FixContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    const add = async (title: string, change: SchemaFix, preferred = false): Promise<void> => {
      const edit = await this.edit(fix, change);
      if (!edit) { return; }
      const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      a.edit = edit;
      a.diagnostics = [d];
      a.isPreferred = preferred;
      actions.push(a);
    };
    const field = fix.fieldName;
    const q = (s: string): string => JSON.stringify(s);
    const fieldInfo = field !== null ? fix.schema?.fields.find(f => f.name === field) : undefined;
    const where = fix.schema ? basename(fix.schema.file) : '';
    switch (fix.code) {
      case 'no-schema': {
        const a = new vscode.CodeAction('Infer a Table Schema for this file…', vscode.CodeActionKind.QuickFix);
        a.command = { command: 'strata.inferSchema', title: 'Infer Schema', arguments: [dataset] };
        a.diagnostics = [d];
        a.isPreferred = true;
        actions.push(a);
        break;
      }
      case 'type-error':
        if (field !== null && fix.widening) {
          const w = fix.widening;
          const to = w.format !== 'default' ? `${w.type} (format ${q(w.format)})` : w.type;
          await add(`Change the type of ${q(field)} to ${to} (in ${where})`, { kind: 'setType', field, type: w.type, format: w.format }, true);
        }
        for (const c of missingValueChoice(fix)) { await add(c.title, c.change, c.preferred); }
        break;
      case 'constraint-error':
        for (const c of constraintFixChoices(fix)) { await add(c.title, c.change, c.preferred); }
        break;
      case 'unique-error':
        if (field !== null && fix.constraint?.name === 'unique') {
          await add(`Remove the "unique" constraint of ${q(field)} (in ${where})`, { kind: 'removeConstraint', field, constraint: 'unique' }, true);
        }
        break;
      case 'extra-label':
        if (fix.schema && fix.cell !== null && fix.cell.trim() !== '') {
          const a = new AddFieldAction(`Add the field ${q(fix.cell)} to the schema (${where})`, dataset, fix, fix.cell);
          a.diagnostics = [d];
          a.isPreferred = true;
          actions.push(a);
        }
        break;
      case 'missing-label':
        if (field !== null) { await add(`Remove the field ${q(field)} from the schema (${where})`, { kind: 'removeField', field }); }
        break;
      case 'incorrect-label':
        if (field !== null && fix.cell !== null && fix.cell.trim() !== '') {
          await add(`Rename the field ${q(field)} to ${q(fix.cell)} (in ${where})`, { kind: 'renameField', field, name: fix.cell }, true);
        }
        break;
      case 'personal-data':
        if (field !== null && fieldInfo && !fieldInfo.piiAllowed) {
          await add(`Mark ${q(field)} as allowed personal data ("strata:pii": "allowed" in ${where})`, { kind: 'allowPii', field }, true);
        }
        break;
      default:
        break;
    }
    return actions;
  }

  /** The WorkspaceEdit of a fix, or undefined when it cannot apply or would leave the schema invalid. */
  private async edit(fix: FixContext, change: SchemaFix): Promise<vscode.WorkspaceEdit | undefined> {
    const schema = fix.schema;
    if (!schema) { return undefined; }
    const uri = vscode.Uri.file(schema.file);
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(uri);
    } catch {
      return undefined;
    }
    const before = doc.getText();
    let after: string;
    try {
      after = applySchemaFix(before, schema.jsonPath, change);
      // a fix never leaves a schema Strata would refuse
      if (schema.jsonPath.length) { parseDataPackageText(after, schema.file); } else { parseTableSchemaText(after, schema.file); }
    } catch (e) {
      if (e instanceof SchemaFixError || (e instanceof Error && e.name === 'SchemaError')) { return undefined; }
      throw e;
    }
    const r = replacementBetween(before, after);
    if (!r) { return undefined; }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(r.offset), doc.positionAt(r.offset + r.length)), r.text);
    return edit;
  }
}
