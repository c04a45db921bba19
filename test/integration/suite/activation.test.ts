// Strata activates in a real extension host, hands out its API and registers its commands.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateStrata } from '../explorerHelpers';

suite('activation', () => {
  test('the extension is present and activates on a workspace with datasets', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    const api = await activateStrata();
    assert.strictEqual(ext.isActive, true);
    assert.strictEqual(typeof api.datasetTree.getChildren, 'function');
    assert.strictEqual(typeof api.datasetTree.getTreeItem, 'function');
    assert.strictEqual(typeof api.datasetTree.ready, 'function');
  });

  test('activation is not eager: no "*" activation event', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const events = (ext.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(!events.includes('*'), `activationEvents: ${events.join(', ')}`);
  });

  test('the explorer commands are registered', async () => {
    await activateStrata();
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of ['strata.explorer.refresh', 'strata.openDataset']) {
      assert.ok(all.has(id), `command ${id} is not registered`);
    }
  });

  test('the Strata view container shows the Datasets view', async () => {
    await activateStrata();
    // focusing a view that is not contributed fails, so this proves strata.datasets exists in the workbench
    await vscode.commands.executeCommand('workbench.view.extension.strata');
    await vscode.commands.executeCommand('strata.datasets.focus');
  });
});
