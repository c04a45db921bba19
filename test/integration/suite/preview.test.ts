// The data preview in a real extension host: the custom editor opens Parquet, and Export Profile writes a data dictionary.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { StrataApi } from '../../../src/extension';
import { EXTENSION_ID, workspaceRoot } from '../explorerHelpers';

async function strata(): Promise<StrataApi> {
  const ext = vscode.extensions.getExtension<StrataApi>(EXTENSION_ID);
  if (!ext) { throw new Error('Strata is not loaded'); }
  return ext.activate();
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) { return v as T; }
    if (Date.now() > end) { throw new Error(`timed out waiting for ${what}`); }
    await new Promise(r => setTimeout(r, 50));
  }
}

/** Runs `open` and waits until it has opened one more preview panel. */
async function openingPreview(api: StrataApi, open: () => Thenable<unknown>): Promise<void> {
  const before = api.preview.openCount;
  await open();
  await until('a preview panel', () => api.preview.openCount > before || undefined);
}

suite('Data preview', () => {
  teardown(async () => { await vscode.commands.executeCommand('workbench.action.closeAllEditors'); });

  test('a Parquet file opens in the Strata Data Preview by default', async () => {
    const api = await strata();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'models', 'metrics.parquet');
    await openingPreview(api, () => vscode.commands.executeCommand('vscode.open', uri));
    const tab = await until('the preview tab', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputCustom ? t : undefined;
    });
    const input = tab.input as vscode.TabInputCustom;
    assert.strictEqual(input.viewType, 'strata.preview');
    assert.strictEqual(input.uri.toString(), uri.toString());
  });

  test('a .jsonl.gz file opens in the Strata Data Preview by default', async () => {
    const api = await strata();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'data', 'preview-events.jsonl.gz');
    await writeFile(uri.fsPath, gzipSync('{"id":1}\n{"id":2}\n'));
    try {
      await openingPreview(api, () => vscode.commands.executeCommand('vscode.open', uri));
      const tab = await until('the preview tab', () => {
        const t = vscode.window.tabGroups.activeTabGroup.activeTab;
        return t?.input instanceof vscode.TabInputCustom ? t : undefined;
      });
      assert.strictEqual((tab.input as vscode.TabInputCustom).viewType, 'strata.preview');
      assert.strictEqual((tab.input as vscode.TabInputCustom).uri.toString(), uri.toString());
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await rm(uri.fsPath, { force: true });
    }
  });

  test('the grid\'s context-menu commands reach the active preview, and only from a preview\'s menu', async () => {
    const api = await strata();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'models', 'metrics.parquet');
    await openingPreview(api, () => vscode.commands.executeCommand('vscode.open', uri));
    // what VS Code passes: the grid's data-vscode-context with the view type added
    const column = { webview: 'strata.preview', webviewSection: 'column', field: 0, preventDefaultContextMenuItems: true };
    await until('the preview to be the active panel', async () => (await vscode.commands.executeCommand('strata.preview.copyColumnName', column)) === true || undefined);
    assert.strictEqual(await vscode.commands.executeCommand('strata.preview.sortDescending', column), true);
    assert.strictEqual(await vscode.commands.executeCommand('strata.preview.filterToValue', { ...column, webviewSection: 'cell', row: 0 }), true);
    assert.strictEqual(await vscode.commands.executeCommand('strata.preview.filterToValue', column), false, 'a cell command needs its row');
    assert.strictEqual(await vscode.commands.executeCommand('strata.preview.sortAscending', { ...column, webview: 'another.editor' }), false);
    assert.strictEqual(await vscode.commands.executeCommand('strata.preview.sortAscending'), false, 'run without a menu');
    // every item of the menu runs a registered command
    const registered = new Set(await vscode.commands.getCommands(true));
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const items = ext.packageJSON.contributes.menus['webview/context'] as { command: string }[];
    assert.ok(items.length >= 10);
    for (const item of items) { assert.ok(registered.has(item.command), `${item.command} is registered`); }
  });

  test('Open Preview to the Side opens a CSV in the preview beside the text', async () => {
    const api = await strata();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'data', 'customers.csv');
    await vscode.window.showTextDocument(uri);
    await openingPreview(api, () => vscode.commands.executeCommand('strata.openPreviewToSide'));
    const customTabs = vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => t.input instanceof vscode.TabInputCustom);
    assert.ok(customTabs.some(t => (t.input as vscode.TabInputCustom).viewType === 'strata.previewText'
      && (t.input as vscode.TabInputCustom).uri.toString() === uri.toString()));
  });

  test('Export Profile writes a Markdown data dictionary with one row per column', async () => {
    await strata();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'data', 'customers.csv');
    const target = vscode.Uri.joinPath(workspaceRoot(), 'customers.profile.md');
    try {
      const written = await vscode.commands.executeCommand<vscode.Uri>('strata.exportProfile', uri, 'markdown', target);
      assert.strictEqual(written?.toString(), target.toString());
      const md = await readFile(target.fsPath, 'utf8');
      const rows = md.split('\n').filter(l => /^\| `?[a-z_]+`? \|/.test(l)).map(l => l.split('|')[1].trim().replace(/`/g, ''));
      assert.deepStrictEqual(rows, ['id', 'name', 'email', 'signup_date', 'country', 'lifetime_value']);
      assert.match(md, /lifetime_value/);
      assert.match(md, /\b5\b/); // five rows profiled
    } finally {
      await rm(target.fsPath, { force: true });
    }
  });

  test('Export Profile of a Parquet file past the quick sample profiles all its rows in two threads', async () => {
    await strata();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    // 20,000 rows: the quick profile reads 10,000, so the full pass runs, as two row ranges in two threads
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'data', 'onegroup.parquet');
    const target = vscode.Uri.joinPath(workspaceRoot(), 'onegroup.profile.md');
    await copyFile(join(ext.extensionPath, 'test', 'fixtures', 'parquet', 'onegroup.parquet'), uri.fsPath);
    try {
      const written = await vscode.commands.executeCommand<vscode.Uri>('strata.exportProfile', uri, 'markdown', target);
      assert.strictEqual(written?.toString(), target.toString());
      const md = await readFile(target.fsPath, 'utf8');
      assert.match(md, /^20000 rows × 4 columns\. Figures from a full pass\./m);
    } finally {
      await rm(target.fsPath, { force: true });
      await rm(uri.fsPath, { force: true });
    }
  });
});
