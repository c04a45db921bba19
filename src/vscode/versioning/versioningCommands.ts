// Palette, context-menu and SCM commands for data versions: thin handlers over worker jobs, with progress and cancel.
import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { WorkerPool } from '../../node/workerPool';
import type { JobProgress } from '../../node/jobs/jobTypes';
import type { DataSourceControl } from './dataScm';
import type { ExplorerNode } from '../explorer/datasetTree';

const UNTRUSTED = 'Strata: data versioning is turned off in this untrusted workspace, because it runs git and writes files. Trust the workspace to use it; previews and profiles keep working.';

/** Command arguments: a Uri, a Dataset Explorer node, an SCM resource (or several), or nothing (the active file). */
export function targetUris(arg: unknown, more?: unknown): vscode.Uri[] {
  const one = (a: unknown): vscode.Uri | undefined => {
    if (a instanceof vscode.Uri) { return a; }
    const node = a as ExplorerNode | undefined;
    if (node?.kind === 'file') { return node.file.uri; }
    const res = a as vscode.SourceControlResourceState | undefined;
    if (res?.resourceUri instanceof vscode.Uri) { return res.resourceUri; }
    return undefined;
  };
  const list = Array.isArray(more) ? more.map(one) : [one(arg)];
  const uris = list.filter((u): u is vscode.Uri => !!u);
  if (uris.length) { return uris; }
  const active = vscode.window.activeTextEditor?.document.uri ?? tabUri();
  return active && active.scheme === 'file' ? [active] : [];
}

function tabUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
}

/** The folder holding `.dvc/` at or above a path, if any. */
export function versioningRoot(path: string): string | undefined {
  let dir = existsSync(path) && !/\.[^\\/]+$/.test(basename(path)) ? path : dirname(path);
  for (;;) {
    if (existsSync(join(dir, '.dvc'))) { return dir; }
    const up = dirname(dir);
    if (up === dir) { return undefined; }
    dir = up;
  }
}

function folderFor(uri?: vscode.Uri): string | undefined {
  const f = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  return f?.uri.fsPath;
}

/** Where to start looking for the git repository of a target: the folder itself, or the file's folder. */
function startDir(uri: vscode.Uri | undefined): string | undefined {
  if (!uri) { return folderFor(); }
  try { return statSync(uri.fsPath).isDirectory() ? uri.fsPath : dirname(uri.fsPath); } catch { return dirname(uri.fsPath); }
}

export function registerVersioningCommands(options: { pool: WorkerPool; scm: DataSourceControl; log: vscode.LogOutputChannel }): vscode.Disposable {
  const { pool, scm, log } = options;

  /** Runs a job behind a cancellable progress notification; errors become one clear message. */
  const withJob = async <T>(title: string, work: (signal: AbortSignal, report: (p: JobProgress) => void) => Promise<T>): Promise<T | undefined> =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      let last = 0;
      const report = (p: JobProgress) => {
        if (!p.total) { progress.report({ message: p.phase }); return; }
        const pct = Math.floor((100 * p.done) / p.total);
        if (pct > last) { progress.report({ increment: pct - last, message: `${p.phase ?? ''} ${pct}%`.trim() }); last = pct; }
      };
      try {
        return await work(ac.signal, report);
      } catch (e) {
        if (ac.signal.aborted) { void vscode.window.showInformationMessage(`Strata: ${title.toLowerCase()} was cancelled; nothing was half-written.`); return undefined; }
        const msg = (e as Error).message;
        log.error(`${title}: ${msg}`);
        void vscode.window.showErrorMessage(`Strata: ${msg}`);
        return undefined;
      } finally {
        scm.refreshSoon(0);
      }
    });

  /** Every command except init needs `.dvc/`: offer to create it. */
  const requireRoot = async (uri: vscode.Uri | undefined): Promise<string | undefined> => {
    const start = uri?.fsPath ?? folderFor();
    if (!start) { void vscode.window.showWarningMessage('Strata: open a folder to version its data.'); return undefined; }
    const root = versioningRoot(start);
    if (root) { return root; }
    const choice = await vscode.window.showWarningMessage('Data versioning is not set up here yet. Initialize it? (creates .dvc/ in the repository, in DVC\'s format)', { modal: true }, 'Initialize');
    if (choice !== 'Initialize') { return undefined; }
    const init = await withJob('Initializing data versioning', signal => pool.run('dataInit', { cwd: startDir(uri) ?? start }, { signal }));
    return init?.root;
  };

  const trusted = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R | undefined> => {
    if (!vscode.workspace.isTrusted) { void vscode.window.showWarningMessage(UNTRUSTED); return undefined; }
    return fn(...args);
  };

  const pickVersion = async (uri: vscode.Uri, root: string, title: string): Promise<string | undefined> => {
    const history = await withJob('Reading data history', signal => pool.run('dataHistory', { cwd: root, path: relative(root, uri.fsPath) }, { signal }));
    if (!history) { return undefined; }
    if (history.versions.length === 0) { void vscode.window.showInformationMessage(`Strata: ${basename(uri.fsPath)} has no committed versions yet.`); return undefined; }
    const picked = await vscode.window.showQuickPick(history.versions.map(v => ({
      label: `$(git-commit) ${v.commit.slice(0, 8)} ${v.message.split('\n')[0]}`,
      description: `${v.authorName}, ${new Date(v.date).toLocaleString()}`,
      detail: [v.size !== undefined ? `${v.size.toLocaleString('en-US')} bytes` : undefined,
        v.rows !== undefined ? `${v.rows.toLocaleString('en-US')} rows × ${v.columns ?? '?'} columns` : undefined,
        v.hash ? `md5 ${v.hash}` : undefined, v.problem].filter(Boolean).join(' · '),
      commit: v.commit,
    })), { title, matchOnDescription: true, matchOnDetail: true });
    return picked?.commit;
  };

  const checkout = async (uri: vscode.Uri, root: string, rev: string, what: string) => {
    const r = await withJob(`${what} ${basename(uri.fsPath)}`, (signal, report) =>
      pool.run('dataCheckout', { cwd: root, path: relative(root, uri.fsPath), rev }, { signal, onProgress: report }));
    if (!r) { return undefined; }
    if (r.saved) {
      void vscode.window.showWarningMessage(
        `Strata: your unversioned copy of ${basename(uri.fsPath)} was saved in the cache first (md5 ${r.saved.hash}). To get it back: ${r.saved.restoreCommand}`, 'Copy Command',
      ).then(c => { if (c) { void vscode.env.clipboard.writeText(r.saved!.restoreCommand); } });
    } else if (r.changed) {
      void vscode.window.showInformationMessage(`Strata: ${basename(uri.fsPath)} is now the version from ${r.commit?.slice(0, 8) ?? rev}.`);
    } else {
      void vscode.window.showInformationMessage(`Strata: ${basename(uri.fsPath)} already is that version.`);
    }
    return r;
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('strata.init', trusted(async (arg?: unknown) => {
      const cwd = startDir(targetUris(arg)[0]);
      if (!cwd) { void vscode.window.showWarningMessage('Strata: open a folder inside a git repository first.'); return undefined; }
      const r = await withJob('Initializing data versioning', signal => pool.run('dataInit', { cwd }, { signal }));
      if (r) { void vscode.window.showInformationMessage(r.created.length ? `Strata: data versioning set up in ${r.root} (${r.created.join(', ')}).` : 'Strata: data versioning was already set up.'); }
      return r;
    })),

    vscode.commands.registerCommand('strata.track', trusted(async (arg?: unknown, many?: unknown) => {
      const uris = targetUris(arg, many);
      if (!uris.length) { void vscode.window.showWarningMessage('Strata: select a dataset to track.'); return undefined; }
      const root = await requireRoot(uris[0]);
      if (!root) { return undefined; }
      const r = await withJob(`Tracking ${uris.length === 1 ? basename(uris[0].fsPath) : `${uris.length} datasets`}`, (signal, report) =>
        pool.run('dataTrack', { cwd: root, paths: uris.map(u => relative(root, u.fsPath)) }, { signal, onProgress: report }));
      if (r) { void vscode.window.showInformationMessage(`Strata: tracking ${r.datasets.map(d => d.path).join(', ')}. Commit to record this version.`); }
      return r;
    })),

    vscode.commands.registerCommand('strata.commitData', trusted(async (arg?: unknown, messageArg?: unknown) => {
      const uris = arg ? targetUris(arg) : [];
      const root = await requireRoot(uris[0]);
      if (!root) { return undefined; }
      const message = typeof messageArg === 'string' ? messageArg
        : scm.inputBox.value.trim() || await vscode.window.showInputBox({ title: 'Commit Data Version', prompt: 'Commit message (data and whatever code you staged go in one commit)', validateInput: v => (v.trim() ? undefined : 'A commit needs a message') });
      if (!message) { return undefined; }
      const r = await withJob('Committing data versions', (signal, report) =>
        pool.run('dataCommit', { cwd: root, message, paths: uris.length ? uris.map(u => relative(root, u.fsPath)) : undefined }, { signal, onProgress: report }));
      if (r) {
        if (!messageArg) { scm.inputBox.value = ''; }
        const changed = r.datasets.filter(d => d.changed).length;
        void vscode.window.showInformationMessage(`Strata: committed ${r.commit.slice(0, 8)} with ${changed} new data version${changed === 1 ? '' : 's'}.`);
      }
      return r;
    })),

    vscode.commands.registerCommand('strata.checkoutData', trusted(async (arg?: unknown, revArg?: unknown) => {
      const uri = targetUris(arg)[0];
      if (!uri) { void vscode.window.showWarningMessage('Strata: select a tracked dataset.'); return undefined; }
      const root = await requireRoot(uri);
      if (!root) { return undefined; }
      const rev = typeof revArg === 'string' ? revArg : await pickVersion(uri, root, `Checkout a version of ${basename(uri.fsPath)}`);
      return rev ? checkout(uri, root, rev, 'Checking out') : undefined;
    })),

    vscode.commands.registerCommand('strata.discardData', trusted(async (arg?: unknown, confirmed?: unknown) => {
      const uri = targetUris(arg)[0];
      if (!uri) { return undefined; }
      const root = await requireRoot(uri);
      if (!root) { return undefined; }
      if (confirmed !== true) {
        const ok = await vscode.window.showWarningMessage(`Discard the changes to ${basename(uri.fsPath)}? The last committed version replaces it; your copy is saved in the cache first.`, { modal: true }, 'Discard Changes');
        if (ok !== 'Discard Changes') { return undefined; }
      }
      return checkout(uri, root, 'HEAD', 'Restoring');
    })),

    vscode.commands.registerCommand('strata.showDataHistory', trusted(async (arg?: unknown) => {
      const uri = targetUris(arg)[0];
      if (!uri) { return undefined; }
      const root = await requireRoot(uri);
      if (!root) { return undefined; }
      const commit = await pickVersion(uri, root, `History of ${basename(uri.fsPath)}`);
      if (!commit) { return undefined; }
      const act = await vscode.window.showInformationMessage(`Version ${commit.slice(0, 8)} of ${basename(uri.fsPath)}`, 'Compare with Working Copy', 'Check Out This Version');
      if (act === 'Compare with Working Copy') { return vscode.commands.executeCommand('strata.diff.compare', uri, uri, { revA: commit }); }
      return act ? checkout(uri, root, commit, 'Checking out') : undefined;
    })),

    vscode.commands.registerCommand('strata.showDataStatus', trusted(async () => {
      await scm.refresh();
      await vscode.commands.executeCommand('workbench.view.scm');
    })),

    ...(['push', 'pull'] as const).map(dir => vscode.commands.registerCommand(`strata.${dir}Data`, trusted(async (arg?: unknown, remote?: unknown) => {
      const root = await requireRoot(targetUris(arg)[0]);
      if (!root) { return undefined; }
      const r = await withJob(dir === 'push' ? 'Pushing data versions' : 'Pulling data versions', (signal, report) =>
        pool.run(dir === 'push' ? 'dataPush' : 'dataPull', { cwd: root, remote: typeof remote === 'string' ? remote : undefined }, { signal, onProgress: report }));
      if (r) {
        const failed = r.failed.length ? `; ${r.failed.length} failed (${r.failed[0].message})` : '';
        const show = r.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
        void show(`Strata: ${dir === 'push' ? 'pushed' : 'pulled'} ${r.transferred} object${r.transferred === 1 ? '' : 's'} (${r.skipped} already there) ${dir === 'push' ? 'to' : 'from'} ${r.remote}${failed}.`);
      }
      return r;
    }))),
  );
}

