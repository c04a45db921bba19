// Which Table Schema applies to a dataset and where it came from, in words, for the explorer tooltip and the preview.
import * as vscode from 'vscode';
import { isSchemaError } from '../../core/schema/schemaError';
import { describeSchemaOrigin, findSchemaFor } from '../../node/schema/schemaDiscovery';
import { readValidationSettings } from './validationSettings';

/**
 * `schema people.schema.json (beside the file)`, `resource "people" of datapackage.json`, `schema s.json
 * (strata.schemas: data/*.csv)`; for a schema that cannot be read, its path and why; undefined when none applies.
 * Paths are relative to the workspace folder. Never throws.
 */
export async function schemaSourceOf(uri: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme !== 'file') { return undefined; }
  const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  try {
    const found = await findSchemaFor(uri.fsPath, { ...(root ? { workspaceRoot: root } : {}), mappings: readValidationSettings(uri).mappings });
    return found ? describeSchemaOrigin(found.origin, root) : undefined;
  } catch (e) {
    if (isSchemaError(e)) {
      const rel = root ? vscode.workspace.asRelativePath(e.source, false) : e.source;
      return `schema ${rel} (invalid: ${e.pointer ? `${e.pointer}: ` : ''}${e.problem})`;
    }
    return undefined;
  }
}
