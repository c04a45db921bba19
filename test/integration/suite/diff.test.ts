// The diff panel in a real extension host: "Compare with Previous Version" on a modified dataset in a
// temporary git repository opens the panel and resolves with the diff; two files compare by URI, as
// an Explorer multi-selection, and a revision with the working copy (the data history's choice).
import * as assert from 'assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DatasetDiff } from '../../../src/core/diff/diffTypes';
import { EXTENSION_ID } from '../explorerHelpers';

const V1 = 'id,name,age\n1,Ann,34\n2,Bob,27\n3,Cy,45\n';
const V2 = 'id,name,age,email\n1,Ann,34,a@x\n3,Cy,46,\n4,Di,31,d@x\n';

/** Polls until `probe` holds (the tab model follows the panel a moment later); no fixed sleeps. */
async function until(what: string, probe: () => boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) { throw new Error(`timed out waiting for ${what}`); }
    await new Promise(r => setTimeout(r, 50));
  }
}

function diffTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap(g => g.tabs)
    .filter(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('strata.diff'));
}

suite('Dataset diff', () => {
  let dir: string;

  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    dir = mkdtempSync(join(tmpdir(), 'strata-diff-it-'));
    // git reads a private config: the machine's global one is never used or changed
    const cfg = join(dir, 'gitconfig');
    writeFileSync(cfg, '[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n');
    process.env.GIT_CONFIG_GLOBAL = cfg;
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    const git = (...args: string[]) => execFileSync('git', args, { cwd: join(dir, 'repo'), env: process.env });
    execFileSync('mkdir', ['-p', join(dir, 'repo')]);
    git('init', '-q');
    writeFileSync(join(dir, 'repo', 'people.csv'), V1);
    git('add', '.');
    git('commit', '-qm', 'people v1');
    writeFileSync(join(dir, 'repo', 'people.csv'), V2); // the working copy is modified
  });

  suiteTeardown(() => { rmSync(dir, { recursive: true, force: true }); });
  teardown(async () => { await vscode.commands.executeCommand('workbench.action.closeAllEditors'); });

  test('Compare with Previous Version opens the diff panel for a modified dataset', async () => {
    const uri = vscode.Uri.file(join(dir, 'repo', 'people.csv'));
    const before = diffTabs().length;
    const diff = await vscode.commands.executeCommand<DatasetDiff | undefined>('strata.diff.compareWithPrevious', uri);
    assert.ok(diff, 'the command resolves with the diff');
    assert.deepStrictEqual(diff.rows, { added: 1, removed: 1, changed: 1, unchanged: 1 });
    assert.deepStrictEqual(diff.key.columns, ['id']);
    assert.deepStrictEqual(diff.schema.added, ['email']);
    assert.match(diff.a.label, /people\.csv @ [0-9a-f]{7}/);
    assert.match(diff.b.label, /working copy/);
    const changed = diff.changes.find(c => c.type === 'changed');
    assert.deepStrictEqual(changed?.old, ['45']);
    await until('the diff panel tab', () => diffTabs().length === before + 1);
    const tabs = diffTabs();
    assert.match(tabs[tabs.length - 1].label, /^people\.csv @ [0-9a-f]{7} ↔ people\.csv \(working copy\)$/);
  });

  test('strata.diff.compare compares two files given as URIs', async () => {
    writeFileSync(join(dir, 'a.csv'), V1);
    writeFileSync(join(dir, 'b.csv'), V1.replace('Bob', 'Robert'));
    const diff = await vscode.commands.executeCommand<DatasetDiff | undefined>('strata.diff.compare',
      vscode.Uri.file(join(dir, 'a.csv')), vscode.Uri.file(join(dir, 'b.csv')), { key: ['id'] });
    assert.ok(diff);
    assert.strictEqual(diff.key.source, 'option');
    assert.deepStrictEqual(diff.rows, { added: 0, removed: 0, changed: 1, unchanged: 2 });
    await until('the diff panel tab', () => diffTabs().length === 1);
  });

  test('Compare Datasets on two files selected in the Explorer compares them, older first', async () => {
    writeFileSync(join(dir, 'old.csv'), V1);
    writeFileSync(join(dir, 'new.csv'), V1.replace('27', '28'));
    const older = vscode.Uri.file(join(dir, 'old.csv')), newer = vscode.Uri.file(join(dir, 'new.csv'));
    // the Explorer passes the clicked resource and the whole selection
    const diff = await vscode.commands.executeCommand<DatasetDiff | undefined>('strata.diff.compareDatasets', newer, [older, newer]);
    assert.ok(diff);
    assert.match(diff.a.label, /old\.csv$/);
    assert.deepStrictEqual(diff.rows, { added: 0, removed: 0, changed: 1, unchanged: 2 });
    await until('the diff panel tab', () => diffTabs().length === 1);
  });

  test('the data history offers Compare with Working Copy through strata.diff.compare with a revision', async () => {
    const uri = vscode.Uri.file(join(dir, 'repo', 'people.csv'));
    const diff = await vscode.commands.executeCommand<DatasetDiff | undefined>('strata.diff.compare', uri, uri, { revA: 'HEAD' });
    assert.ok(diff);
    assert.match(diff.a.label, /people\.csv @ HEAD$/);
    assert.deepStrictEqual(diff.rows, { added: 1, removed: 1, changed: 1, unchanged: 1 });
  });
});
