// Problems of schema files themselves (bad JSON, an unknown type, a key naming no field), at the offending place in the file.
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { DATASET_EXTENSIONS } from '../../core/formats/datasetFiles';
import { dataPackageWarnings, parseDataPackageText } from '../../core/schema/dataPackage';
import { ignoredConstraints } from '../../core/schema/fieldConstraints';
import { isSchemaError, type SchemaWarning } from '../../core/schema/schemaError';
import { parseTableSchemaText } from '../../core/schema/tableSchema';
import { firstSyntaxError, spanOfPointer } from './schemaFixes';

export type SchemaFileKind = 'table-schema' | 'data-package';

/** One problem of a schema file: where (offsets in its text) and what. */
export interface SchemaFileProblem {
  code: 'invalid-json' | 'invalid-schema' | 'unsupported';
  offset: number;
  length: number;
  message: string;
}

/** What is wrong in a schema or data package file Strata can use (see `dataPackageWarnings`), at the offending place. */
export interface SchemaFileWarning {
  code: SchemaWarning['code'];
  offset: number;
  length: number;
  message: string;
}

/** The warnings of a schema or data package file that parses (empty when it does not: see `checkSchemaText`). Pure. */
export function schemaTextWarnings(text: string, path: string, kind: SchemaFileKind): SchemaFileWarning[] {
  let warnings: SchemaWarning[];
  try {
    warnings = kind === 'data-package' ? dataPackageWarnings(parseDataPackageText(text, path)) : ignoredConstraints(parseTableSchemaText(text, path));
  } catch (e) {
    if (isSchemaError(e)) { return []; }
    throw e;
  }
  return warnings.map(w => {
    const span = spanOfPointer(text, w.pointer) ?? { offset: 0, length: 0 };
    return { code: w.code, offset: span.offset, length: span.length, message: w.message };
  });
}

/** Checks the text of a schema or data package file; null when Strata can use it. Pure: no files read. */
export function checkSchemaText(text: string, path: string, kind: SchemaFileKind): SchemaFileProblem | null {
  try {
    if (kind === 'data-package') { parseDataPackageText(text, path); } else { parseTableSchemaText(text, path); }
    return null;
  } catch (e) {
    if (!isSchemaError(e)) { throw e; }
    const body = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (e.code === 'invalid-json') {
      const at = firstSyntaxError(text.slice(body));
      return { code: 'invalid-json', offset: (at?.offset ?? 0) + body, length: Math.max(1, at?.length ?? 0), message: e.problem };
    }
    const span = spanOfPointer(text, e.pointer) ?? { offset: 0, length: 0 };
    return { code: e.code === 'unsupported' ? 'unsupported' : 'invalid-schema', offset: span.offset, length: span.length, message: e.problem };
  }
}

/** The range a JSON pointer names in a file (its open document, else the file on disk). */
export async function rangeOfPointer(uri: vscode.Uri, pointer: string): Promise<vscode.Range> {
  const text = await textOf(uri);
  const problemAt = pointer === '' ? firstSyntaxError(text) : null;
  const span = problemAt ?? spanOfPointer(text, pointer) ?? { offset: 0, length: 0 };
  return rangeOf(text, span.offset, span.length);
}

export class SchemaFileDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('strata-schema');
  /** Schema files datasets are known to use (whatever their names). */
  private readonly known = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    const ws = vscode.workspace;
    this.subscriptions.push(
      this.collection,
      ws.onDidOpenTextDocument(d => this.schedule(d.uri, 0)),
      ws.onDidChangeTextDocument(e => { if (e.contentChanges.length) { this.schedule(e.document.uri, 250); } }),
      ws.onDidSaveTextDocument(d => this.schedule(d.uri, 0)),
    );
    const w = ws.createFileSystemWatcher('**/{*.schema.json,tableschema.json,datapackage.json}');
    w.onDidChange(uri => this.schedule(uri, 50));
    w.onDidCreate(uri => this.schedule(uri, 50));
    w.onDidDelete(uri => this.collection.delete(uri));
    this.subscriptions.push(w);
    for (const d of ws.textDocuments) { this.schedule(d.uri, 0); }
  }

  /** Schema files a validation used: they are checked even when their names do not say so. */
  noteSchemaFiles(paths: readonly string[]): void {
    for (const p of paths) {
      this.known.add(p);
      this.schedule(vscode.Uri.file(p), 0);
    }
  }

  private schedule(uri: vscode.Uri, delay: number): void {
    if (uri.scheme !== 'file' || !uri.fsPath.toLowerCase().endsWith('.json')) { return; }
    const k = uri.toString();
    clearTimeout(this.timers.get(k));
    this.timers.set(k, setTimeout(() => {
      this.timers.delete(k);
      void this.check(uri).catch(() => undefined);
    }, delay));
  }

  private async check(uri: vscode.Uri): Promise<void> {
    let text: string;
    try {
      text = await textOf(uri);
    } catch {
      this.collection.delete(uri);
      return;
    }
    const kind = await this.kindOf(uri.fsPath, text);
    if (!kind) { this.collection.delete(uri); return; }
    const problem = checkSchemaText(text, uri.fsPath, kind);
    if (problem) {
      this.collection.set(uri, [diagnosticOf(text, problem, vscode.DiagnosticSeverity.Error)]);
      return;
    }
    // a key naming no resource is wrong; a constraint the type ignores is only left unchecked
    const warnings = schemaTextWarnings(text, uri.fsPath, kind).map(w => diagnosticOf(text, w,
      w.code === 'invalid-schema' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning));
    if (warnings.length) { this.collection.set(uri, warnings); } else { this.collection.delete(uri); }
  }

  /**
   * Whether a JSON file is a Table Schema or data package Strata should check: data packages by name; other
   * files when a dataset uses them, when they look like a Table Schema (a "fields" key), or when they sit
   * beside a dataset they would describe (`people.schema.json` next to `people.csv`).
   */
  private async kindOf(path: string, text: string): Promise<SchemaFileKind | null> {
    const name = basename(path).toLowerCase();
    if (name === 'datapackage.json') { return 'data-package'; }
    if (this.known.has(path)) { return 'table-schema'; }
    if (!name.endsWith('.schema.json') && name !== 'tableschema.json') { return null; }
    if (/^\s*\{\s*"fields"\s*:/.test(text.replace(/^\uFEFF/, '')) || /"fields"\s*:\s*\[/.test(text)) { return 'table-schema'; }
    if (name === 'tableschema.json') { return 'table-schema'; }
    const stem = basename(path).slice(0, -'.schema.json'.length);
    const dir = dirname(path);
    const candidates = DATASET_EXTENSIONS.map(e => join(dir, stem + e.ext));
    if (DATASET_EXTENSIONS.some(e => stem.toLowerCase().endsWith(e.ext))) { candidates.push(join(dir, stem)); }
    for (const c of candidates) {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.file(c));
        return 'table-schema';
      } catch {
        // not there
      }
    }
    return null;
  }

  dispose(): void {
    for (const t of this.timers.values()) { clearTimeout(t); }
    for (const s of this.subscriptions) { s.dispose(); }
  }
}

function diagnosticOf(text: string, p: SchemaFileProblem | SchemaFileWarning, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const d = new vscode.Diagnostic(rangeOf(text, p.offset, p.length), p.message, severity);
  d.source = 'strata';
  d.code = p.code;
  return d;
}

async function textOf(uri: vscode.Uri): Promise<string> {
  const k = uri.toString();
  const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === k);
  if (doc) { return doc.getText(); }
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** A range from offsets into text (as a document of that text would count lines and characters). */
function rangeOf(text: string, offset: number, length: number): vscode.Range {
  const at = (o: number): vscode.Position => {
    const before = text.slice(0, o);
    const line = before.split(/\r\n|\r|\n/).length - 1;
    const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
    return new vscode.Position(line, o - lineStart);
  };
  return new vscode.Range(at(offset), at(offset + length));
}
