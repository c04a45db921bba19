// Reads the Dataset Explorer through its public API the way the view does: getChildren + getTreeItem.
import * as vscode from 'vscode';
import type { ExplorerNode } from '../../src/vscode/explorer/datasetTree';
import type { StrataApi } from '../../src/extension';

export const EXTENSION_ID = 'strata-data.strata';

/** What activate() returns (the contract the integration tests hold the extension to). */
export interface ExplorerApi {
  datasetTree: vscode.TreeDataProvider<ExplorerNode> & { ready(): Promise<void> };
}

/** Fails the typecheck when the extension's declared API drifts from the contract. */
export const apiMeetsContract = (api: StrataApi): ExplorerApi => api;

export async function activateStrata(): Promise<ExplorerApi> {
  const ext = vscode.extensions.getExtension<ExplorerApi>(EXTENSION_ID);
  if (!ext) { throw new Error(`extension ${EXTENSION_ID} is not loaded`); }
  const api = await ext.activate();
  if (!api || typeof api.datasetTree?.getChildren !== 'function') {
    throw new Error(`activate() must return { datasetTree }, got ${JSON.stringify(api)}`);
  }
  return api;
}

export function workspaceRoot(): vscode.Uri {
  const folders = vscode.workspace.workspaceFolders;
  if (!folders || folders.length !== 1) { throw new Error('the integration tests expect exactly one workspace folder'); }
  return folders[0].uri;
}

export async function children(api: ExplorerApi, node?: ExplorerNode): Promise<ExplorerNode[]> {
  return (await api.datasetTree.getChildren(node)) ?? [];
}

export async function item(api: ExplorerApi, node: ExplorerNode): Promise<vscode.TreeItem> {
  return api.datasetTree.getTreeItem(node);
}

export function labelOf(it: vscode.TreeItem): string {
  const l = it.label;
  return typeof l === 'string' ? l : l?.label ?? '';
}

export async function labels(api: ExplorerApi, node?: ExplorerNode): Promise<string[]> {
  const out: string[] = [];
  for (const n of await children(api, node)) { out.push(labelOf(await item(api, n))); }
  return out;
}

/** Finds the top-level group node labelled label. */
export async function group(api: ExplorerApi, label: string): Promise<ExplorerNode | undefined> {
  for (const n of await children(api)) {
    if (labelOf(await item(api, n)) === label) { return n; }
  }
  return undefined;
}

/** Finds a dataset file node by group label and file label. */
export async function fileNode(api: ExplorerApi, groupLabel: string, fileLabel: string): Promise<ExplorerNode | undefined> {
  const g = await group(api, groupLabel);
  if (!g) { return undefined; }
  for (const n of await children(api, g)) {
    if (labelOf(await item(api, n)) === fileLabel) { return n; }
  }
  return undefined;
}

/** Polls predicate until it holds; fails with what was last seen after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) { throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`); }
    await new Promise(r => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}
