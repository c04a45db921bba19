// Entry points of the diff: "Compare with Previous Version" and "Compare with..." (Dataset Explorer,
// Explorer, SCM and editor menus, palette), "Compare Datasets" for two files selected in the
// Explorer, and `strata.diff.compare` for callers with two URIs. Each resolves with the finished diff.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { DatasetDiff } from '../../core/diff/diffTypes';
import { DATASET_EXTENSIONS } from '../../core/formats/datasetFiles';
import { previousVersionPair } from '../../node/diff/previousVersion';
import { datasetHistory } from '../../node/versioning/datasetHistory';
import type { DiffRequest, DiffSideRequest } from '../../shared/diffProtocol';
import type { ExplorerNode } from '../explorer/datasetTree';

export interface CompareOptions {
  revA?: string;
  revB?: string;
  key?: string[];
  epsilon?: number;
}

/** Opens a panel for a request and resolves with its first diff. */
export type OpenDiff = (request: DiffRequest) => Promise<DatasetDiff | undefined>;

/** A dataset URI from a command argument: a Uri, a Dataset Explorer node, an SCM resource, or the active editor. */
export function datasetUriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) { return arg; }
  const node = arg as ExplorerNode | undefined;
  if (node && typeof node === 'object' && 'kind' in node && node.kind === 'file') { return node.file.uri; }
  const scm = arg as { resourceUri?: unknown } | undefined;
  if (scm && typeof scm === 'object' && scm.resourceUri instanceof vscode.Uri) { return scm.resourceUri; }
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom || tab instanceof vscode.TabInputText) { return tab.uri; }
  return vscode.window.activeTextEditor?.document.uri;
}

/** The workspace-relative path of a file, or its name when it lies outside the workspace. */
function displayName(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri) ? vscode.workspace.asRelativePath(uri, false) : basename(uri.fsPath);
}

function side(uri: vscode.Uri, rev: string | undefined, label?: string): DiffSideRequest {
  const name = displayName(uri);
  return { path: uri.fsPath, ...(rev ? { rev } : {}), label: label ?? (rev ? `${name} @ ${rev}` : name) };
}

function needsTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) { return false; }
  void vscode.window.showWarningMessage(`Strata: ${what} reads git history, which is off in an untrusted workspace. Trust the workspace to compare versions; two files can still be compared.`);
  return true;
}

async function showError(e: unknown): Promise<undefined> {
  const message = e instanceof Error ? e.message : String(e);
  void vscode.window.showErrorMessage(`Strata: ${message}`);
  return undefined;
}

export function registerDiffCommands(open: OpenDiff): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('strata.diff.compareWithPrevious', async (arg?: unknown) => {
      const uri = datasetUriOf(arg);
      if (!uri) { return showError(new Error('open or select a dataset to compare with its previous version')); }
      if (needsTrust('Compare with Previous Version')) { return undefined; }
      try {
        const pair = await previousVersionPair(uri.fsPath);
        const rel = displayName(uri);
        return await open({
          a: { path: pair.a.path, ...(pair.a.rev ? { rev: pair.a.rev } : {}), label: pair.a.label.replace(basename(uri.fsPath), rel) },
          b: { path: pair.b.path, ...(pair.b.rev ? { rev: pair.b.rev } : {}), label: pair.b.label.replace(basename(uri.fsPath), rel) },
        });
      } catch (e) {
        return showError(e);
      }
    }),

    vscode.commands.registerCommand('strata.diff.compareWith', async (arg?: unknown) => {
      const uri = datasetUriOf(arg);
      if (!uri) { return showError(new Error('open or select a dataset to compare')); }
      const request = await pickOther(uri);
      return request ? open(request) : undefined;
    }),

    vscode.commands.registerCommand('strata.diff.compareDatasets', async (clicked?: unknown, selected?: unknown) => {
      const uris = Array.isArray(selected) ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
      let [a, b] = uris.length === 2 ? uris : [datasetUriOf(clicked), undefined];
      if (!a) { [a] = await pickFiles('Choose the older dataset') ?? []; }
      if (a && !b) { [b] = await pickFiles(`Compare ${basename(a.fsPath)} with…`) ?? []; }
      return a && b ? open({ a: side(a, undefined), b: side(b, undefined) }) : undefined;
    }),

    vscode.commands.registerCommand('strata.diff.compare', async (a?: unknown, b?: unknown, options: CompareOptions = {}) => {
      const ua = a instanceof vscode.Uri ? a : (await pickFiles('Choose the older dataset'))?.[0];
      if (!ua) { return undefined; }
      const ub = b instanceof vscode.Uri ? b : options.revA || options.revB ? ua : (await pickFiles(`Compare ${basename(ua.fsPath)} with…`))?.[0];
      if (!ub) { return undefined; }
      if ((options.revA || options.revB) && needsTrust('Comparing git revisions')) { return undefined; }
      return open({
        a: side(ua, options.revA), b: side(ub, options.revB),
        ...(options.key ? { key: options.key } : {}), ...(options.epsilon !== undefined ? { epsilon: options.epsilon } : {}),
      });
    }),
  );
}

async function pickFiles(title: string): Promise<vscode.Uri[] | undefined> {
  const filters = { Datasets: [...new Set(DATASET_EXTENSIONS.map(e => e.ext.replace(/^\./, '').split('.').pop() as string))] };
  return vscode.window.showOpenDialog({ title, canSelectMany: false, openLabel: 'Compare', filters });
}

type Choice = vscode.QuickPickItem & { request?: () => Promise<DiffRequest | undefined> };

/** "Compare with...": a committed version from the history, another dataset file, or any git revision. */
async function pickOther(uri: vscode.Uri): Promise<DiffRequest | undefined> {
  const rel = displayName(uri);
  const working = side(uri, undefined, `${rel} (working copy)`);
  const items: Choice[] = [
    { label: '$(file) Another dataset file…', request: async () => { const [o] = await pickFiles(`Compare ${rel} with…`) ?? []; return o ? { a: side(o, undefined), b: side(uri, undefined) } : undefined; } },
  ];
  if (vscode.workspace.isTrusted) {
    items.push({
      label: '$(git-commit) A git revision…',
      request: async () => {
        const rev = await vscode.window.showInputBox({ title: `Compare ${rel} at a revision with the working copy`, placeHolder: 'HEAD~1, a branch, a tag or a commit id', validateInput: v => (v.trim() ? undefined : 'name a revision') });
        return rev ? { a: side(uri, rev.trim()), b: working } : undefined;
      },
    });
    try {
      const history = await datasetHistory({ cwd: dirname(uri.fsPath), path: uri.fsPath, maxCount: 50 });
      if (history.versions.length) { items.push({ label: 'Committed versions', kind: vscode.QuickPickItemKind.Separator }); }
      for (const v of history.versions) {
        const short = v.commit.slice(0, 7);
        items.push({
          label: `$(git-commit) ${short}  ${v.message}`,
          description: `${v.authorName}, ${v.date.slice(0, 10)}`,
          detail: v.problem ?? (v.rows !== undefined ? `${v.rows.toLocaleString('en-US')} rows` : undefined),
          request: async () => ({ a: side(uri, v.commit, `${rel} @ ${short}`), b: working }),
        });
      }
    } catch {
      // not in git, or no history: the file and revision choices remain
    }
  }
  const picked = await vscode.window.showQuickPick(items, { title: `Compare ${rel} with…`, matchOnDescription: true });
  return picked?.request ? picked.request() : undefined;
}
