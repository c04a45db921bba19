// Strata: Infer Schema (review, then an atomic write of <name>.schema.json) and Strata: Validate Dataset (progress and cancel).
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { isDatasetError } from '../../core/formats/errors';
import type { JobProgress } from '../../node/jobs/jobTypes';
import type { InferSchemaOutput, ValidateDatasetOutput } from '../../node/jobs/validateJobs';
import { writeFileAtomic } from '../../node/io/atomicWrite';
import type { ExplorerNode } from '../explorer/datasetTree';
import { describeResult } from './diagnosticPlan';
import type { SchemaDiagnostics } from './schemaDiagnostics';

export interface SchemaCommandsOptions {
  diagnostics: SchemaDiagnostics;
  infer(path: string, options: { signal: AbortSignal; onProgress: (p: JobProgress) => void }): Promise<InferSchemaOutput>;
  log: vscode.LogOutputChannel;
}

export interface InferSchemaCommandOptions {
  /** False writes without showing the proposal first (tests, scripted use). Default true. */
  review?: boolean;
}

export interface InferSchemaCommandResult {
  /** The schema file written, or null when the user cancelled. */
  written: string | null;
  text: string;
}

const PROPOSAL_SCHEME = 'strata-schema-proposal';

/** Read-only documents holding proposed schemas: closing one never asks to save. */
class ProposalDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 1;

  add(target: vscode.Uri, text: string): vscode.Uri {
    // the target's own name, so the proposal gets JSON colouring and the Table Schema validation
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: target.path, query: String(this.next++) });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  remove(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

/** The dataset a command is about: its argument (a Dataset Explorer node or a Uri), else the active editor's file. */
function datasetOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) { return arg; }
  const node = arg as ExplorerNode | undefined;
  if (node && typeof node === 'object' && node.kind === 'file') { return node.file.uri; }
  const editor = vscode.window.activeTextEditor;
  if (editor) { return editor.document.uri; }
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) { return input.uri; }
  return undefined;
}

export function registerSchemaCommands(options: SchemaCommandsOptions): vscode.Disposable {
  const proposals = new ProposalDocuments();
  const { diagnostics, log } = options;

  const pick = (arg: unknown): vscode.Uri | undefined => {
    const uri = datasetOf(arg);
    if (!uri || !diagnostics.isDataset(uri)) {
      void vscode.window.showWarningMessage('Select a dataset (CSV, TSV, Parquet, Arrow or JSON Lines) in the Dataset Explorer or open one first.');
      return undefined;
    }
    return uri;
  };

  const inferSchema = async (arg?: unknown, opts: InferSchemaCommandOptions = {}): Promise<InferSchemaCommandResult | undefined> => {
    const uri = pick(arg);
    if (!uri) { return undefined; }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Strata writes schema files only in a trusted workspace.');
      return undefined;
    }
    const name = basename(uri.fsPath);
    let out: InferSchemaOutput | undefined;
    try {
      out = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Inferring the schema of ${name}`, cancellable: true },
        (progress, token) => withSignal(token, signal => options.infer(uri.fsPath, { signal, onProgress: reporter(progress) })),
      );
    } catch (e) {
      if (isDatasetError(e) && e.code === 'cancelled') { return undefined; }
      void vscode.window.showErrorMessage(`Strata could not infer a schema for ${name}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    const target = vscode.Uri.file(out.target);
    if (opts.review !== false && !await review(proposals, uri, target, out)) {
      return { written: null, text: out.text };
    }
    await writeFileAtomic(target.fsPath, out.text);
    log.info(`wrote ${target.fsPath} (inferred from ${out.rowsScanned} rows of ${uri.fsPath})`);
    if (opts.review !== false) {
      void vscode.window.showInformationMessage(`Wrote ${basename(target.fsPath)}.`, 'Open').then(choice => {
        if (choice === 'Open') { void vscode.window.showTextDocument(target); }
      });
    }
    return { written: target.fsPath, text: out.text };
  };

  const validate = async (arg?: unknown): Promise<ValidateDatasetOutput | undefined> => {
    const uri = pick(arg);
    if (!uri) { return undefined; }
    const name = basename(uri.fsPath);
    let out: ValidateDatasetOutput | undefined;
    try {
      out = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Validating ${name}`, cancellable: true },
        (progress, token) => withSignal(token, signal => diagnostics.validateNow(uri, { signal, onProgress: reporter(progress) })),
      );
    } catch (e) {
      void vscode.window.showErrorMessage(`Strata could not validate ${name}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    if (!out) { return undefined; }
    const problems = out.summary.total > 0 || out.schemaError !== null || out.dataError !== null;
    void vscode.window.showInformationMessage(`${name}: ${describeResult(out)}.`, ...(problems ? ['Show Problems'] : [])).then(choice => {
      if (choice === 'Show Problems') { void vscode.commands.executeCommand('workbench.actions.view.problems'); }
    });
    return out;
  };

  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, proposals),
    vscode.commands.registerCommand('strata.inferSchema', inferSchema),
    vscode.commands.registerCommand('strata.validate', validate),
  );
}

/** Shows the proposed schema (beside the current one when it exists) and asks whether to write it. */
async function review(proposals: ProposalDocuments, dataset: vscode.Uri, target: vscode.Uri, out: InferSchemaOutput): Promise<boolean> {
  const proposal = proposals.add(target, out.text);
  const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
  const name = basename(target.fsPath);
  try {
    if (exists) {
      await vscode.commands.executeCommand('vscode.diff', target, proposal, `${name}: current ↔ inferred from ${basename(dataset.fsPath)}`, { preview: true });
    } else {
      await vscode.window.showTextDocument(proposal, { preview: true });
    }
    const from = out.complete ? `all ${out.rowsScanned.toLocaleString('en-US')} rows` : `the first ${out.rowsScanned.toLocaleString('en-US')} rows`;
    const choice = await vscode.window.showInformationMessage(
      `Schema inferred from ${from} of ${basename(dataset.fsPath)}. Write it to ${name}${exists ? ', replacing the current schema' : ''}?`,
      exists ? 'Replace' : 'Write', 'Cancel',
    );
    return choice === 'Write' || choice === 'Replace';
  } finally {
    await closeTabsOf(proposal);
    proposals.remove(proposal);
  }
}

async function closeTabsOf(uri: vscode.Uri): Promise<void> {
  const k = uri.toString();
  const tabs = vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => {
    const input = t.input;
    if (input instanceof vscode.TabInputText) { return input.uri.toString() === k; }
    if (input instanceof vscode.TabInputTextDiff) { return input.modified.toString() === k; }
    return false;
  });
  if (tabs.length) { await vscode.window.tabGroups.close(tabs); }
}

/** Runs work with an AbortSignal that follows the cancellation token. */
async function withSignal<T>(token: vscode.CancellationToken, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const sub = token.onCancellationRequested(() => controller.abort());
  try {
    return await work(controller.signal);
  } finally {
    sub.dispose();
  }
}

/** Turns job progress (bytes done of a total) into the increments a progress notification wants. */
function reporter(progress: vscode.Progress<{ message?: string; increment?: number }>): (p: JobProgress) => void {
  let shown = 0;
  return p => {
    if (!p.total) { return; }
    const pct = Math.min(100, (p.done / p.total) * 100);
    if (pct > shown) {
      progress.report({ increment: pct - shown, message: `${Math.round(pct)}%` });
      shown = pct;
    }
  };
}
