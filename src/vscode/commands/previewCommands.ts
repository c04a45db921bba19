// Commands that open the data preview: beside the active text file, or in place from the explorers.
import * as vscode from 'vscode';
import { datasetFormatOf } from '../../core/formats/datasetFiles';
import type { ExplorerNode } from '../explorer/datasetTree';
import { PREVIEW_TEXT_VIEW_TYPE, PREVIEW_VIEW_TYPE } from '../preview/previewEditorProvider';
import type { SessionProfiler } from '../preview/sessionProfiler';

function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) { return arg; }
  const node = arg as ExplorerNode | undefined;
  if (node?.kind === 'file') { return node.file.uri; }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active) { return active; }
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return tab instanceof vscode.TabInputText || tab instanceof vscode.TabInputCustom ? tab.uri : undefined;
}

function viewTypeFor(uri: vscode.Uri): string | undefined {
  const format = datasetFormatOf(uri.path);
  if (!format) { return undefined; }
  return /\.(parquet|arrow|feather|arrows|ipc|gz)$/i.test(uri.path) ? PREVIEW_VIEW_TYPE : PREVIEW_TEXT_VIEW_TYPE;
}

async function openPreview(arg: unknown, column: vscode.ViewColumn): Promise<void> {
  const uri = targetUri(arg);
  const viewType = uri && viewTypeFor(uri);
  if (!uri || !viewType) {
    void vscode.window.showWarningMessage('Strata: open a CSV, TSV, Parquet, Arrow or JSON Lines file to preview it.');
    return;
  }
  await vscode.commands.executeCommand('vscode.openWith', uri, viewType, { viewColumn: column, preview: false });
}

export function registerPreviewCommands(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('strata.openPreviewToSide', (arg: unknown) => openPreview(arg, vscode.ViewColumn.Beside)),
    vscode.commands.registerCommand('strata.openPreview', (arg: unknown) => openPreview(arg, vscode.ViewColumn.Active)),
  );
}

/** "Strata: Export Profile": a Markdown data dictionary or JSON of the full profile. Tests pass format and target. */
export function registerProfileCommands(profiler: SessionProfiler): vscode.Disposable {
  return vscode.commands.registerCommand('strata.exportProfile', async (arg?: unknown, format?: 'markdown' | 'json', target?: vscode.Uri) => {
    const uri = targetUri(arg);
    if (!uri || !datasetFormatOf(uri.path)) {
      void vscode.window.showWarningMessage('Strata: open or select a dataset to export its profile.');
      return undefined;
    }
    const chosen = format ?? (await vscode.window.showQuickPick([
      { label: 'Markdown', description: 'a data dictionary: one row per column', format: 'markdown' as const },
      { label: 'JSON', description: 'every figure, machine-readable', format: 'json' as const },
    ], { title: 'Export Profile As' }))?.format;
    if (!chosen) { return undefined; }
    try {
      const written = await profiler.exportProfile(uri.fsPath, chosen, target);
      if (written && !target) {
        const open = await vscode.window.showInformationMessage(`Profile saved to ${vscode.workspace.asRelativePath(written)}.`, 'Open');
        if (open) { await vscode.window.showTextDocument(written); }
      }
      return written;
    } catch (e) {
      void vscode.window.showErrorMessage(`Strata: could not profile ${vscode.workspace.asRelativePath(uri)}: ${(e as Error).message}`);
      return undefined;
    }
  });
}
