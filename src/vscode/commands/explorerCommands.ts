// Commands of the Dataset Explorer: refresh, open, reveal, copy path.
import * as vscode from 'vscode';
import type { DatasetTreeProvider, ExplorerNode } from '../explorer/datasetTree';

/** Commands receive a tree node (context menu), a Uri (tree click, other callers) or nothing (palette). */
function uriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) { return arg; }
  const node = arg as ExplorerNode | undefined;
  if (node?.kind === 'file') { return node.file.uri; }
  if (node?.kind === 'group') { return vscode.Uri.joinPath(node.folder.uri, node.relPath); }
  return vscode.window.activeTextEditor?.document.uri;
}

export function registerExplorerCommands(tree: DatasetTreeProvider, view: vscode.TreeView<ExplorerNode>): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('strata.explorer.refresh', async () => {
      await vscode.window.withProgress({ location: { viewId: 'strata.datasets' } }, () => tree.refresh());
    }),
    vscode.commands.registerCommand('strata.explorer.collapseAll', () =>
      vscode.commands.executeCommand('workbench.actions.treeView.strata.datasets.collapseAll')),
    vscode.commands.registerCommand('strata.openDataset', async (arg: unknown) => {
      const uri = uriOf(arg);
      if (!uri) { return; }
      // vscode.open picks the editor registered for the file type (Strata's preview for binary formats)
      await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
    }),
    vscode.commands.registerCommand('strata.revealInExplorer', async (arg: unknown) => {
      const uri = uriOf(arg);
      if (uri) { await vscode.commands.executeCommand('revealInExplorer', uri); }
    }),
    vscode.commands.registerCommand('strata.copyRelativePath', async (arg: unknown) => {
      const uri = uriOf(arg);
      if (uri) { await vscode.env.clipboard.writeText(vscode.workspace.asRelativePath(uri, false)); }
    }),
    view,
  );
}
