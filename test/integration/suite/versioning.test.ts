// Data versions in a real extension host: init, track, commit, see a change in Strata Data, commit again, check the old one out.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StrataApi } from '../../../src/extension';
import { EXTENSION_ID, workspaceRoot } from '../explorerHelpers';

const V1 = 'id,score\n1,0.5\n2,0.7\n';
const V2 = 'id,score\n1,0.5\n2,0.9\n3,0.1\n';

suite('Data versions', () => {
  let repo: string;
  let api: StrataApi;

  suiteSetup(async () => {
    api = await vscode.extensions.getExtension<StrataApi>(EXTENSION_ID)!.activate();
    repo = join(workspaceRoot().fsPath, 'versioned');
    await mkdir(repo, { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' }).toString();
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Strata Tests');
    git('config', 'user.email', 'tests@strata.invalid');
    await writeFile(join(repo, 'README.md'), 'data project\n');
    git('add', 'README.md');
    git('commit', '-q', '-m', 'start');
    await writeFile(join(repo, 'scores.csv'), V1);
  });

  suiteTeardown(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  test('init, track and commit a dataset, then a change shows as modified', async () => {
    const data = vscode.Uri.file(join(repo, 'scores.csv'));
    await vscode.commands.executeCommand('strata.init', vscode.Uri.file(repo));
    assert.ok(existsSync(join(repo, '.dvc', 'config')), '.dvc/config created');

    await vscode.commands.executeCommand('strata.track', data);
    const pointer = await readFile(join(repo, 'scores.csv.dvc'), 'utf8');
    assert.match(pointer, /md5: [0-9a-f]{32}/);
    assert.match(pointer, /path: scores\.csv/);
    assert.match(await readFile(join(repo, '.gitignore'), 'utf8'), /^\/scores\.csv$/m);

    const first = await vscode.commands.executeCommand<{ commit: string }>('strata.commitData', data, 'scores v1');
    assert.match(first?.commit ?? '', /^[0-9a-f]{7,40}$/);
    await api.dataScm.refresh();
    assert.strictEqual(api.dataScm.stateOf(data)?.state, 'unchanged');

    await writeFile(data.fsPath, V2);
    await api.dataScm.refresh();
    assert.strictEqual(api.dataScm.stateOf(data)?.state, 'modified');
    // clicking it in Strata Data opens the diff with its last committed version
    const command = api.dataScm.resourceOf(data)?.command;
    assert.strictEqual(command?.command, 'strata.diff.compareWithPrevious');
    assert.strictEqual((command?.arguments?.[0] as vscode.Uri | undefined)?.fsPath, data.fsPath);
    assert.ok((await vscode.commands.getCommands(true)).includes('strata.diff.compareWithPrevious'), 'the diff command is registered');
  });

  test('a second version commits, and checking out the first brings its bytes back', async () => {
    const data = vscode.Uri.file(join(repo, 'scores.csv'));
    const second = await vscode.commands.executeCommand<{ commit: string }>('strata.commitData', data, 'scores v2');
    assert.ok(second?.commit);
    const log = execFileSync('git', ['log', '--format=%s'], { cwd: repo }).toString().trim().split('\n');
    assert.deepStrictEqual(log, ['scores v2', 'scores v1', 'start']);

    const back = await vscode.commands.executeCommand<{ changed: boolean; saved?: unknown }>('strata.checkoutData', data, 'HEAD~1');
    assert.strictEqual(back?.changed, true);
    assert.strictEqual(back?.saved, undefined, 'v2 is committed, so nothing needed saving');
    assert.strictEqual(await readFile(data.fsPath, 'utf8'), V1);
  });

  test('discarding unversioned changes saves them in the cache first', async () => {
    const data = vscode.Uri.file(join(repo, 'scores.csv'));
    await vscode.commands.executeCommand('strata.checkoutData', data, 'HEAD');
    await writeFile(data.fsPath, 'id,score\n9,9.9\n');
    const r = await vscode.commands.executeCommand<{ saved?: { hash: string; cachePath: string } }>('strata.discardData', data, true);
    assert.ok(r?.saved, 'the unversioned copy was saved');
    assert.strictEqual(await readFile(r!.saved!.cachePath, 'utf8'), 'id,score\n9,9.9\n');
    assert.strictEqual(await readFile(data.fsPath, 'utf8'), V2);
  });
});
