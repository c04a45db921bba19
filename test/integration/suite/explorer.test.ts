// The Dataset Explorer over the fixture workspace: exact grouping and labels, exclusions, sizes,
// row and column counts from the worker, commands, and refresh on file creation and deletion.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import {
  activateStrata, children, fileNode, group, item, labelOf, labels, waitFor, workspaceRoot, type ExplorerApi,
} from '../explorerHelpers';

const EXPECTED: Record<string, string[]> = {
  data: ['customers.csv', 'orders.tsv'],
  'data/raw': ['events.jsonl'],
  models: ['metrics.parquet'],
};

/** File labels of a top-level group; [] when the group is not there (yet). */
async function groupLabels(api: ExplorerApi, label: string): Promise<string[]> {
  const g = await group(api, label);
  return g ? labels(api, g) : [];
}

function fsPath(rel: string): string {
  return vscode.Uri.joinPath(workspaceRoot(), rel).fsPath;
}

suite('Dataset Explorer', () => {
  let api: ExplorerApi;
  const created: string[] = [];

  suiteSetup(async () => {
    api = await activateStrata();
    await api.datasetTree.ready();
  });

  teardown(async () => {
    // the workspace is a throwaway copy, but each test still leaves it as it found it
    for (const rel of created.splice(0)) { fs.rmSync(fsPath(rel), { recursive: true, force: true }); }
    await api.datasetTree.ready();
  });

  test('groups datasets by folder with exact, sorted labels', async () => {
    assert.deepStrictEqual(await labels(api), Object.keys(EXPECTED));
    for (const [g, files] of Object.entries(EXPECTED)) {
      const node = await group(api, g);
      assert.ok(node, `group ${g} is missing`);
      assert.deepStrictEqual(await labels(api, node), files, `children of ${g}`);
    }
  });

  test('leaves out node_modules, .dvc/cache and non-dataset files', async () => {
    const seen: string[] = [];
    for (const g of await children(api)) {
      seen.push(labelOf(await item(api, g)));
      for (const f of await children(api, g)) {
        const it = await item(api, f);
        seen.push(labelOf(it), it.resourceUri?.path ?? '');
      }
    }
    for (const s of seen) {
      assert.doesNotMatch(s, /node_modules|\.dvc|ignored\.csv|cached\.csv|readme\.txt/, `listed: ${s}`);
    }
    // they do exist in the workspace, so leaving them out is the explorer's doing
    for (const rel of ['node_modules/pkg/ignored.csv', '.dvc/cache/files/md5/ab/cached.csv', 'readme.txt']) {
      assert.ok(fs.existsSync(fsPath(rel)), `${rel} should exist in the fixture workspace`);
    }
  });

  test('a file node points at its file and shows its size', async () => {
    const node = await fileNode(api, 'data', 'customers.csv');
    assert.ok(node);
    const it = await item(api, node);
    assert.strictEqual(it.resourceUri?.toString(), vscode.Uri.joinPath(workspaceRoot(), 'data/customers.csv').toString());
    const size = fs.statSync(fsPath('data/customers.csv')).size;
    assert.ok(size < 1024, 'the fixture stays under 1 KB so its size shows in bytes');
    assert.match(String(it.description ?? ''), new RegExp(`\\b${size} B\\b`));
  });

  test('a small listing starts with its groups open; a file tooltip is built on hover', async () => {
    const g = await group(api, 'data');
    assert.ok(g);
    assert.strictEqual((await item(api, g)).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const node = await fileNode(api, 'data', 'customers.csv');
    assert.ok(node);
    const it = await item(api, node);
    assert.strictEqual(it.tooltip, undefined, 'no tooltip until the item is hovered');
    const resolved = await api.datasetTree.resolveTreeItem!(it, node, new vscode.CancellationTokenSource().token);
    const tooltip = resolved?.tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    const size = fs.statSync(fsPath('data/customers.csv')).size;
    assert.match(tooltip.value, /data\/customers\\\.csv/);
    assert.match(tooltip.value, new RegExp(`Size: .*\\(${size} bytes\\)`));
    assert.match(tooltip.value, /Modified: /);
  });

  test('the description gains rows × columns once the worker has read the file', async function () {
    this.timeout(60000); // the first summary also starts the worker thread
    // customers.csv: a header and 5 records of 6 fields (quoted commas and a doubled quote inside)
    const description = await waitFor('customers.csv to show 5 × 6',
      async () => {
        const node = await fileNode(api, 'data', 'customers.csv');
        return node ? String((await item(api, node)).description ?? '') : '';
      },
      d => /\b5 × 6\b/.test(d), 45000);
    assert.match(description, /\b\d+ B\b/, 'the size stays in the description');
  });

  test('strata.explorer.refresh runs and keeps the same tree', async () => {
    await vscode.commands.executeCommand('strata.explorer.refresh');
    await api.datasetTree.ready();
    assert.deepStrictEqual(await labels(api), Object.keys(EXPECTED));
    assert.deepStrictEqual(await groupLabels(api, 'data'), EXPECTED.data);
  });

  test('strata.openDataset opens the file', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'data/orders.tsv');
    await vscode.commands.executeCommand('strata.openDataset', uri);
    const opened = await waitFor('orders.tsv to be the active tab',
      async () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
        return input?.uri?.toString() ?? '';
      },
      u => u === uri.toString(), 10000);
    assert.strictEqual(opened, uri.toString());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a dataset created on disk appears in its folder group', async () => {
    created.push('data/new.csv');
    fs.writeFileSync(fsPath('data/new.csv'), 'a,b\n1,2\n');
    const after = await waitFor('data/new.csv in the tree', async () => {
      await api.datasetTree.ready();
      return groupLabels(api, 'data');
    }, l => l.includes('new.csv'));
    assert.deepStrictEqual(after, ['customers.csv', 'new.csv', 'orders.tsv']);
  });

  test('a gzip JSON Lines file appears and shows rows × columns read through the gzip', async function () {
    this.timeout(60000);
    created.push('data/events.jsonl.gz');
    fs.writeFileSync(fsPath('data/events.jsonl.gz'), zlib.gzipSync('{"id":1,"kind":"a"}\n{"id":2,"kind":"b"}\n{"id":3,"kind":null}\n'));
    const description = await waitFor('events.jsonl.gz to show 3 × 2',
      async () => {
        await api.datasetTree.ready();
        const node = await fileNode(api, 'data', 'events.jsonl.gz');
        return node ? String((await item(api, node)).description ?? '') : '';
      },
      d => /\b3 × 2\b/.test(d), 45000);
    assert.match(description, /\b\d+ B\b/);
  });

  test('a dataset in a new folder makes a new group, and deleting it removes the group', async () => {
    fs.mkdirSync(fsPath('data/extra'), { recursive: true });
    created.push('data/extra');
    fs.writeFileSync(fsPath('data/extra/more.jsonl'), '{"a":1}\n');
    const withGroup = await waitFor('group data/extra', async () => {
      await api.datasetTree.ready();
      return labels(api);
    }, l => l.includes('data/extra'));
    assert.deepStrictEqual(withGroup, ['data', 'data/extra', 'data/raw', 'models']);
    assert.deepStrictEqual(await groupLabels(api, 'data/extra'), ['more.jsonl']);

    fs.rmSync(fsPath('data/extra/more.jsonl'));
    const without = await waitFor('group data/extra to go', async () => {
      await api.datasetTree.ready();
      return labels(api);
    }, l => !l.includes('data/extra'));
    assert.deepStrictEqual(without, Object.keys(EXPECTED));
  });

  test('a folder of datasets moved into the workspace appears, and moved out goes', async () => {
    // moved in whole: the file watcher reports the folder, not the files inside it
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-moved-'));
    fs.writeFileSync(path.join(outside, 'moved.csv'), 'a,b\n1,2\n');
    fs.renameSync(outside, fsPath('data/moved'));
    created.push('data/moved');
    const withGroup = await waitFor('group data/moved', async () => {
      await api.datasetTree.ready();
      return labels(api);
    }, l => l.includes('data/moved'));
    assert.ok(withGroup.includes('data/moved'));
    assert.deepStrictEqual(await groupLabels(api, 'data/moved'), ['moved.csv']);

    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-away-'));
    fs.renameSync(fsPath('data/moved'), path.join(away, 'moved'));
    const without = await waitFor('group data/moved to go', async () => {
      await api.datasetTree.ready();
      return labels(api);
    }, l => !l.includes('data/moved'));
    assert.deepStrictEqual(without, Object.keys(EXPECTED));
    fs.rmSync(away, { recursive: true, force: true });
  });

  test('a deleted dataset disappears', async () => {
    fs.writeFileSync(fsPath('models/scratch.csv'), 'x\n1\n');
    created.push('models/scratch.csv');
    await waitFor('models/scratch.csv in the tree', async () => {
      await api.datasetTree.ready();
      return groupLabels(api, 'models');
    }, l => l.includes('scratch.csv'));
    fs.rmSync(fsPath('models/scratch.csv'));
    const after = await waitFor('models/scratch.csv to go', async () => {
      await api.datasetTree.ready();
      return groupLabels(api, 'models');
    }, l => !l.includes('scratch.csv'));
    assert.deepStrictEqual(after, EXPECTED.models);
  });
});
