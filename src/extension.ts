// Strata's entry point: composes the object graph by hand and registers one root Disposable.
import * as vscode from 'vscode';
import { WorkerPool } from './node/workerPool';
import { DatasetSummaryCache } from './node/summaryCache';
import { DatasetTreeProvider, type ExplorerNode } from './vscode/explorer/datasetTree';
import { DatasetWatcher } from './vscode/explorer/datasetWatcher';
import { summarySourceOf } from './vscode/explorer/summarySource';
import { registerExplorerCommands } from './vscode/commands/explorerCommands';
import { registerPreviewCommands, registerProfileCommands } from './vscode/commands/previewCommands';
import { SessionProfiler } from './vscode/preview/sessionProfiler';
import { SessionThread } from './node/session/sessionThread';
import { PreviewEditorProvider } from './vscode/preview/previewEditorProvider';
import { registerDiff } from './vscode/diff/registerDiff';
import { DataSourceControl } from './vscode/versioning/dataScm';
import { registerVersioningCommands } from './vscode/versioning/versioningCommands';
import { registerSchemaFeatures } from './vscode/schema/schemaFeatures';

/** What Strata exposes to other extensions and to its own integration tests. */
export interface StrataApi {
  datasetTree: DatasetTreeProvider;
  preview: PreviewEditorProvider;
  dataScm: DataSourceControl;
}

export function activate(context: vscode.ExtensionContext): StrataApi {
  const log = vscode.window.createOutputChannel('Strata', { log: true });
  const settings = vscode.workspace.getConfiguration('strata.workers');
  const pool = new WorkerPool({
    workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath,
    maxThreads: settings.get<number>('maxThreads', 2),
    idleShutdownMs: settings.get<number>('idleShutdownSeconds', 60) * 1000,
  });
  const lifetime = new AbortController();
  const summaries = new DatasetSummaryCache({
    compute: (path, signal) => pool.run('datasetSummary', { path }, { signal }),
  });

  const datasetTree = new DatasetTreeProvider({
    summaries: summarySourceOf(summaries, lifetime.signal),
    log: line => log.warn(line),
  });
  const view = vscode.window.createTreeView<ExplorerNode>('strata.datasets', {
    treeDataProvider: datasetTree,
    showCollapseAll: false,
  });

  const session = new SessionThread({ workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'session.js').fsPath });
  const profiler = new SessionProfiler(session);
  const preview = new PreviewEditorProvider({ extensionUri: context.extensionUri, session, log, profiler });

  context.subscriptions.push(
    log,
    PreviewEditorProvider.register(preview),
    registerPreviewCommands(),
    registerProfileCommands(profiler),
    { dispose: () => void session.dispose() },
    datasetTree,
    new DatasetWatcher(datasetTree),
    registerExplorerCommands(datasetTree, view),
    registerSchemaFeatures({ pool, log }),
    { dispose: () => { lifetime.abort(); void pool.dispose(); } },
  );
  const dataScm = new DataSourceControl({ pool, log });
  context.subscriptions.push(dataScm, registerVersioningCommands({ pool, scm: dataScm, log }));

  context.subscriptions.push(registerDiff({ extensionUri: context.extensionUri, pool, log }));
  return { datasetTree, preview, dataScm };
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
