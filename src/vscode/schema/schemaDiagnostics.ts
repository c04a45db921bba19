// Dataset diagnostics: validates on open, save and (debounced) typing in the worker, cancels superseded runs, publishes to Problems.
import { basename, dirname, normalize, sep } from 'node:path';
import * as vscode from 'vscode';
import { datasetFormatOf, isGzipName } from '../../core/formats/datasetFiles';
import { isDatasetError } from '../../core/formats/errors';
import type { TableIssue } from '../../core/schema/tableIssues';
import type { JobProgress } from '../../node/jobs/jobTypes';
import type { ValidateDatasetInput, ValidateDatasetOutput } from '../../node/jobs/validateJobs';
import { planDiagnostics, planEarlyDiagnostics, type DiagnosticSpec, type FixContext } from './diagnosticPlan';
import { rangeOfPointer } from './schemaFileDiagnostics';
import { extraExtensions, readValidationSettings, VALIDATION_SECTIONS } from './validationSettings';

export type ValidateJob = (
  input: ValidateDatasetInput,
  options: { signal: AbortSignal; onProgress?: (p: JobProgress) => void; onIssues?: (issues: TableIssue[]) => void },
) => Promise<ValidateDatasetOutput>;

export interface SchemaDiagnosticsOptions {
  validate: ValidateJob;
  log: vscode.LogOutputChannel;
  /** Told after each run which schema files a dataset used, so they can be checked themselves. */
  onSchemaFiles?: (paths: string[]) => void;
}

/** Custom editors whose files are validated when shown (binary formats are never opened as text). */
const PREVIEW_VIEW_TYPES = new Set(['strata.preview', 'strata.previewText']);
const TYPING_DELAY_MS = 400;
const EVENT_DELAY_MS = 50;
/**
 * A preview shown: its first rows and quick profile come first (a pass over a large file takes both cores for
 * seconds, and the preview's own reads would wait for a core).
 */
const PREVIEW_SHOWN_DELAY_MS = 1500;

interface Tracked {
  uri: vscode.Uri;
  timer?: ReturnType<typeof setTimeout>;
  controller?: AbortController;
  generation: number;
  /** Normalized paths of the schema files the last result depended on, and the sidecars that would apply. */
  deps: Set<string>;
  /** The last run read unsaved text (so closing without saving means reading the file again). */
  fromText: boolean;
  entries: { diagnostic: vscode.Diagnostic; fix: FixContext }[];
  result?: ValidateDatasetOutput;
  /** The generation whose final result is published (early issues of it must not replace that). */
  published?: number;
}

export interface RunOptions {
  /** Validate this unsaved text instead of the file (open CSV/TSV documents). */
  text?: string;
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
}

export class SchemaDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('strata');
  private readonly tracked = new Map<string, Tracked>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private datasetWatcher?: vscode.FileSystemWatcher;

  constructor(private readonly options: SchemaDiagnosticsOptions) {
    const ws = vscode.workspace;
    this.subscriptions.push(
      this.collection,
      ws.onDidOpenTextDocument(doc => this.onOpen(doc)),
      ws.onDidSaveTextDocument(doc => this.onSave(doc)),
      ws.onDidChangeTextDocument(e => this.onChange(e)),
      ws.onDidCloseTextDocument(doc => this.onClose(doc)),
      vscode.window.tabGroups.onDidChangeTabs(e => { for (const tab of [...e.opened, ...e.changed]) { this.onTab(tab); } }),
      ws.onDidChangeConfiguration(e => {
        if (VALIDATION_SECTIONS.some(s => e.affectsConfiguration(s))) { this.settingsChanged(e.affectsConfiguration('strata.additionalExtensions')); }
      }),
    );
    const schemaWatcher = ws.createFileSystemWatcher('**/*.json');
    schemaWatcher.onDidChange(uri => this.schemaFileChanged(uri.fsPath));
    schemaWatcher.onDidCreate(uri => this.schemaFileChanged(uri.fsPath));
    schemaWatcher.onDidDelete(uri => this.schemaFileChanged(uri.fsPath));
    this.subscriptions.push(schemaWatcher);
    this.watchDatasets();
    // what is already open when Strata starts
    for (const doc of ws.textDocuments) { this.onOpen(doc); }
    for (const group of vscode.window.tabGroups.all) { for (const tab of group.tabs) { this.onTab(tab); } }
  }

  /** Runs a validation now (the command), replacing any run in progress for the file; undefined when superseded or cancelled. */
  async validateNow(uri: vscode.Uri, options: RunOptions = {}): Promise<ValidateDatasetOutput | undefined> {
    const t = this.track(uri);
    clearTimeout(t.timer);
    const doc = this.openDocument(uri);
    const text = options.text ?? (doc?.isDirty && this.isText(uri) ? doc.getText() : undefined);
    return this.run(t, { ...options, ...(text !== undefined ? { text } : {}) });
  }

  /** The quick-fix facts of a diagnostic Strata published (matched by range, code and message). */
  fixFor(uri: vscode.Uri, d: vscode.Diagnostic): FixContext | undefined {
    const t = this.tracked.get(uri.toString());
    const code = codeValue(d.code);
    return t?.entries.find(e => e.diagnostic.range.isEqual(d.range) && e.diagnostic.message === d.message && codeValue(e.diagnostic.code) === code)?.fix;
  }

  /** The last result for a file, if it was validated. */
  resultFor(uri: vscode.Uri): ValidateDatasetOutput | undefined {
    return this.tracked.get(uri.toString())?.result;
  }

  isDataset(uri: vscode.Uri): boolean {
    return uri.scheme === 'file' && datasetFormatOf(basename(uri.fsPath), extraExtensions(uri)) !== undefined;
  }

  // ---- events --------------------------------------------------------------------------------------------------

  private onOpen(doc: vscode.TextDocument): void {
    if (!this.isDataset(doc.uri) || !readValidationSettings(doc.uri).enabled) { return; }
    this.schedule(doc.uri, EVENT_DELAY_MS);
  }

  private onSave(doc: vscode.TextDocument): void {
    if (this.isDataset(doc.uri)) {
      if (readValidationSettings(doc.uri).enabled) { this.schedule(doc.uri, EVENT_DELAY_MS); }
    } else if (doc.uri.scheme === 'file' && doc.uri.fsPath.toLowerCase().endsWith('.json')) {
      this.schemaFileChanged(doc.uri.fsPath);
    }
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) { return; }
    const doc = e.document;
    if (doc.uri.scheme !== 'file') { return; }
    if (this.isDataset(doc.uri)) {
      const s = readValidationSettings(doc.uri);
      if (!s.enabled || !s.onType || !this.isText(doc.uri)) { return; }
      if (doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) > s.maxLiveBytes) { return; }
      this.schedule(doc.uri, TYPING_DELAY_MS);
    } else if (doc.uri.fsPath.toLowerCase().endsWith('.json')) {
      // an unsaved schema edit (typed, or a quick fix) counts at once: the worker reads the open text
      this.schemaFileChanged(doc.uri.fsPath, TYPING_DELAY_MS);
    }
  }

  private onClose(doc: vscode.TextDocument): void {
    const t = this.tracked.get(doc.uri.toString());
    if (t?.fromText && this.isDataset(doc.uri)) { this.schedule(doc.uri, EVENT_DELAY_MS); }
    if (doc.uri.fsPath.toLowerCase().endsWith('.json')) { this.schemaFileChanged(doc.uri.fsPath); }
  }

  private onTab(tab: vscode.Tab): void {
    const input = tab.input;
    if (!(input instanceof vscode.TabInputCustom) || !PREVIEW_VIEW_TYPES.has(input.viewType)) { return; }
    const uri = input.uri;
    if (!this.isDataset(uri) || this.tracked.get(uri.toString())?.result || !readValidationSettings(uri).enabled) { return; }
    const t = this.tracked.get(uri.toString());
    if (t?.timer || t?.controller) { return; } // already on its way (e.g. the text document opened too)
    this.schedule(uri, PREVIEW_SHOWN_DELAY_MS);
  }

  private watchDatasets(): void {
    this.datasetWatcher?.dispose();
    const exts = new Set(['csv', 'tsv', 'tab', 'psv', 'gz', 'parquet', 'arrow', 'feather', 'arrows', 'ipc', 'jsonl', 'ndjson']);
    for (const e of extraExtensions()) { const x = e.trim().replace(/^\*?\./, ''); if (/^[\w-]+$/.test(x)) { exts.add(x.toLowerCase()); } }
    const w = vscode.workspace.createFileSystemWatcher(`**/*.{${[...exts].sort().join(',')}}`);
    const changed = (uri: vscode.Uri): void => {
      const t = this.tracked.get(uri.toString());
      // an open text document is validated by its own events (its unsaved text wins)
      if (!t || this.openDocument(uri)?.isDirty) { return; }
      this.schedule(uri, EVENT_DELAY_MS);
    };
    w.onDidChange(changed);
    w.onDidCreate(changed);
    w.onDidDelete(uri => this.forget(uri));
    this.datasetWatcher = w;
  }

  private settingsChanged(extensionsChanged: boolean): void {
    if (extensionsChanged) { this.watchDatasets(); }
    for (const t of this.tracked.values()) {
      if (readValidationSettings(t.uri).enabled) {
        this.schedule(t.uri, EVENT_DELAY_MS);
      } else {
        this.cancel(t);
        this.collection.delete(t.uri);
        t.entries = [];
        t.result = undefined;
      }
    }
    for (const doc of vscode.workspace.textDocuments) { if (!this.tracked.has(doc.uri.toString())) { this.onOpen(doc); } }
  }

  /** A JSON file changed (saved, edited, created, deleted): validate again every dataset it may be the schema of. */
  private schemaFileChanged(path: string, delay = EVENT_DELAY_MS): void {
    const key = keyOf(path);
    const isPackage = basename(path).toLowerCase() === 'datapackage.json';
    const packageDir = keyOf(dirname(path)) + sep;
    for (const t of this.tracked.values()) {
      const affected = t.deps.has(key)
        || (isPackage && keyOf(t.uri.fsPath).startsWith(packageDir))
        || this.isMappingTarget(t.uri, key);
      if (affected && readValidationSettings(t.uri).enabled) { this.schedule(t.uri, delay); }
    }
  }

  private isMappingTarget(uri: vscode.Uri, key: string): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    for (const target of Object.values(readValidationSettings(uri).mappings)) {
      const abs = folder && !isAbsolutePath(target) ? vscode.Uri.joinPath(folder.uri, target).fsPath : target;
      if (keyOf(abs) === key) { return true; }
    }
    return false;
  }

  // ---- runs ----------------------------------------------------------------------------------------------------

  private track(uri: vscode.Uri): Tracked {
    const k = uri.toString();
    let t = this.tracked.get(k);
    if (!t) {
      t = { uri, generation: 0, deps: new Set(), fromText: false, entries: [] };
      this.tracked.set(k, t);
    }
    return t;
  }

  private schedule(uri: vscode.Uri, delay: number): void {
    const t = this.track(uri);
    clearTimeout(t.timer);
    t.timer = setTimeout(() => {
      t.timer = undefined;
      const doc = this.openDocument(uri);
      const text = doc?.isDirty && this.isText(uri) ? doc.getText() : undefined;
      // a failure is logged by run() (e.g. the file was deleted before its turn): nothing else waits for it
      this.run(t, text !== undefined ? { text } : {}).catch(() => undefined);
    }, delay);
  }

  private async run(t: Tracked, options: RunOptions): Promise<ValidateDatasetOutput | undefined> {
    this.cancel(t);
    const controller = new AbortController();
    const outer = options.signal;
    const onOuterAbort = (): void => controller.abort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    t.controller = controller;
    const generation = ++t.generation;
    const uri = t.uri;
    const s = readValidationSettings(uri);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const input: ValidateDatasetInput = {
      path: uri.fsPath,
      ...(options.text !== undefined ? { text: options.text } : {}),
      schema: {
        ...(folder ? { workspaceRoot: folder.uri.fsPath } : {}),
        mappings: s.mappings,
        overrides: this.unsavedSchemaTexts(),
      },
      maxIssues: s.maxProblems,
      pii: s.piiEnabled,
    };
    try {
      const onIssues = (issues: TableIssue[]): void => {
        if (generation === t.generation && t.published !== generation) { void this.publishEarly(t, generation, issues, s.maxProblems); }
      };
      const out = await this.options.validate(input, { signal: controller.signal, onIssues, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
      if (generation !== t.generation || !this.tracked.has(uri.toString())) { return undefined; }
      t.fromText = options.text !== undefined;
      t.result = out;
      t.deps = new Set([
        ...(out.schema?.files ?? []), ...(out.schemaError ? [out.schemaError.source] : []), ...out.candidates,
      ].map(keyOf));
      t.published = generation;
      await this.publish(t, out, s.maxProblems);
      this.options.onSchemaFiles?.([...(out.schema?.files ?? []), ...(out.schemaError ? [out.schemaError.source] : [])]);
      return out;
    } catch (e) {
      if (isDatasetError(e) && e.code === 'cancelled') { return undefined; }
      this.options.log.error(`validation of ${uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    } finally {
      outer?.removeEventListener('abort', onOuterAbort);
      if (t.controller === controller) { t.controller = undefined; }
    }
  }

  private async publish(t: Tracked, out: ValidateDatasetOutput, maxProblems: number): Promise<void> {
    const specs = planDiagnostics(out, { maxProblems });
    const entries: Tracked['entries'] = [];
    for (const spec of specs) {
      entries.push({ diagnostic: await this.toDiagnostic(spec), fix: spec.fix });
    }
    if (!this.tracked.has(t.uri.toString())) { return; }
    t.entries = entries;
    this.collection.set(t.uri, entries.map(e => e.diagnostic));
  }

  /** The first issues of a pass still running, with a note that the list is not final. */
  private async publishEarly(t: Tracked, generation: number, issues: TableIssue[], maxProblems: number): Promise<void> {
    const format = datasetFormatOf(basename(t.uri.fsPath), extraExtensions(t.uri));
    const specs = planEarlyDiagnostics(issues, { maxProblems, textPositions: format === 'csv' || format === 'tsv' || format === 'jsonl' });
    const entries: Tracked['entries'] = [];
    for (const spec of specs) { entries.push({ diagnostic: await this.toDiagnostic(spec), fix: spec.fix }); }
    if (!this.tracked.has(t.uri.toString()) || generation !== t.generation || t.published === generation) { return; }
    t.entries = entries;
    this.collection.set(t.uri, entries.map(e => e.diagnostic));
  }

  private async toDiagnostic(spec: DiagnosticSpec): Promise<vscode.Diagnostic> {
    const r = spec.range;
    const d = new vscode.Diagnostic(new vscode.Range(r.line, r.char, r.endLine, r.endChar), spec.message, SEVERITY[spec.severity]);
    d.source = 'strata';
    d.code = spec.code.target ? { value: spec.code.value, target: vscode.Uri.parse(spec.code.target) } : spec.code.value;
    if (spec.related) {
      const uri = vscode.Uri.file(spec.related.file);
      const range = await rangeOfPointer(uri, spec.related.pointer).catch(() => new vscode.Range(0, 0, 0, 0));
      d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, range), spec.related.message)];
    }
    return d;
  }

  /** Open schema and data package documents with unsaved edits: the worker reads these instead of the files. */
  private unsavedSchemaTexts(): { path: string; text: string }[] {
    return vscode.workspace.textDocuments
      .filter(d => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath.toLowerCase().endsWith('.json'))
      .map(d => ({ path: d.uri.fsPath, text: d.getText() }));
  }

  private cancel(t: Tracked): void {
    t.controller?.abort();
    t.controller = undefined;
  }

  private forget(uri: vscode.Uri): void {
    const t = this.tracked.get(uri.toString());
    if (!t) { return; }
    clearTimeout(t.timer);
    this.cancel(t);
    this.tracked.delete(uri.toString());
    this.collection.delete(uri);
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const k = uri.toString();
    return vscode.workspace.textDocuments.find(d => d.uri.toString() === k);
  }

  /** Delimited text that VS Code can hold as a document (not gzip). */
  private isText(uri: vscode.Uri): boolean {
    const name = basename(uri.fsPath);
    const f = datasetFormatOf(name, extraExtensions(uri));
    return (f === 'csv' || f === 'tsv') && !isGzipName(name);
  }

  dispose(): void {
    for (const t of this.tracked.values()) { clearTimeout(t.timer); this.cancel(t); }
    this.tracked.clear();
    this.datasetWatcher?.dispose();
    for (const s of this.subscriptions) { s.dispose(); }
  }
}

const SEVERITY: Record<DiagnosticSpec['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

function codeValue(code: vscode.Diagnostic['code']): string | number | undefined {
  return typeof code === 'object' && code !== null ? code.value : code;
}

/** Paths compared as the file system does (case-insensitive on Windows). */
export function keyOf(path: string): string {
  const n = normalize(path);
  return process.platform === 'win32' ? n.toLowerCase() : n;
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p);
}
