// Composes the diff feature: the runner over the worker pool, the panels (new ones and ones restored
// after a reload by the serializer), and the commands. Returns one Disposable.
import * as vscode from 'vscode';
import type { DatasetDiff } from '../../core/diff/diffTypes';
import { runDiff } from '../../node/diff/runDiff';
import type { WorkerPool } from '../../node/workerPool';
import { diffPanelStateOf, type DiffRequest } from '../../shared/diffProtocol';
import { registerDiffCommands } from './diffCommands';
import { DIFF_VIEW_TYPE, DiffPanel, type DiffPanelDeps, type DiffRunner } from './diffPanel';

/** Rows of each change type a panel lists (the counts always cover every row). */
const PANEL_EXAMPLES = 20_000;

export interface RegisterDiffOptions {
  extensionUri: vscode.Uri;
  pool: WorkerPool;
  log: vscode.LogOutputChannel;
}

export function registerDiff(options: RegisterDiffOptions): vscode.Disposable {
  const runner: DiffRunner = (request, signal, onProgress) => {
    if (!vscode.workspace.isTrusted && (request.a.rev || request.b.rev)) {
      return Promise.reject(new Error('comparing git revisions needs a trusted workspace (git is not run in an untrusted one)'));
    }
    return runDiff({
      a: request.a, b: request.b,
      cwd: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(request.b.path))?.uri.fsPath ?? vscode.Uri.joinPath(vscode.Uri.file(request.b.path), '..').fsPath,
      options: { key: request.key, epsilon: request.epsilon, maxExamples: PANEL_EXAMPLES },
    }, { pool: options.pool, signal, onProgress });
  };
  const deps: DiffPanelDeps = { extensionUri: options.extensionUri, runner, log: options.log };
  const panels = new Set<DiffPanel>();
  const track = (p: DiffPanel): DiffPanel => {
    panels.add(p);
    p.onDidDispose(() => panels.delete(p));
    return p;
  };
  const open = (request: DiffRequest): Promise<DatasetDiff | undefined> => track(DiffPanel.create(request, deps)).firstRun;

  return vscode.Disposable.from(
    registerDiffCommands(open),
    vscode.window.registerWebviewPanelSerializer(DIFF_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const restored = diffPanelStateOf(state);
        if (!restored) { panel.dispose(); return; } // nothing to show again: the request was not saved
        track(new DiffPanel(panel, restored.request, deps));
      },
    }),
    { dispose: () => { for (const p of [...panels]) { p.dispose(); } } },
  );
}
