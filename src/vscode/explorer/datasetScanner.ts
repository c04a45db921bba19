// Finds every dataset file in the workspace (findFiles, honouring files.exclude and strata.exclude) and stats it.
import * as vscode from 'vscode';
import { stat } from 'node:fs/promises';
import { datasetFormatOf, datasetGlob } from '../../core/formats/datasetFiles';
import type { DatasetFormat } from '../../core/formats/dataset';

export interface DatasetFile {
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder;
  /** Path relative to its workspace folder, with `/` separators. */
  relPath: string;
  name: string;
  format: DatasetFormat;
  size?: number;
  mtimeMs?: number;
  /** Why the file could not be stat'ed (permission, broken link); the tree shows it with a warning. */
  statError?: string;
}

export interface ScanSettings {
  exclude: string[];
  extraExtensions: string[];
}

export function readScanSettings(): ScanSettings {
  const cfg = vscode.workspace.getConfiguration('strata');
  return {
    exclude: cfg.get<string[]>('exclude', []).filter(s => typeof s === 'string' && s.trim() !== ''),
    extraExtensions: cfg.get<string[]>('additionalExtensions', []).filter(s => typeof s === 'string'),
  };
}

/** One exclude glob: strata.exclude plus the enabled entries of files.exclude (a custom exclude replaces the default). */
export function excludeGlob(folder: vscode.WorkspaceFolder, settings: ScanSettings): string | undefined {
  const filesExclude = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude', {});
  const patterns = new Set<string>(settings.exclude);
  for (const [pattern, on] of Object.entries(filesExclude)) {
    if (on === true) { patterns.add(pattern); } // `{ when: ... }` conditions need sibling checks; skipped
  }
  const list = [...patterns].map(p => (p.startsWith('**/') || p.startsWith('/') ? p : `**/${p}`).replace(/^\//, ''));
  if (list.length === 0) { return undefined; }
  return list.length === 1 ? list[0] : `{${list.join(',')}}`;
}

export async function scanWorkspace(settings: ScanSettings, token?: vscode.CancellationToken): Promise<DatasetFile[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const glob = datasetGlob(settings.extraExtensions);
  const perFolder = await Promise.all(folders.map(async folder => {
    const exclude = excludeGlob(folder, settings);
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), exclude ?? null, undefined, token);
    const files: DatasetFile[] = [];
    // relative to the folder whose pattern found the file, by slicing: asRelativePath cost ~4 µs a file
    const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
    for (const uri of uris) {
      const relPath = uri.path.startsWith(base)
        ? uri.path.slice(base.length)
        : stripFolderPrefix(vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/'), folder, folders.length);
      const name = relPath.slice(relPath.lastIndexOf('/') + 1);
      const format = datasetFormatOf(name, settings.extraExtensions);
      if (format) { files.push({ uri, folder, relPath, name, format }); }
    }
    return files;
  }));
  const files = perFolder.flat();
  await statAll(files, token);
  return files;
}

/** asRelativePath prefixes the folder name in multi-root workspaces; the tree groups by folder already. */
function stripFolderPrefix(relPath: string, folder: vscode.WorkspaceFolder, folderCount: number): string {
  const prefix = `${folder.name}/`;
  return folderCount > 1 && relPath.startsWith(prefix) ? relPath.slice(prefix.length) : relPath;
}

/** Stats with bounded concurrency so 50,000 files never flood the thread pool. */
async function statAll(files: DatasetFile[], token?: vscode.CancellationToken): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length && !token?.isCancellationRequested) {
      const f = files[next++];
      await statOne(f);
    }
  };
  await Promise.all(Array.from({ length: Math.min(32, files.length) }, worker));
}

export async function statOne(f: DatasetFile): Promise<void> {
  try {
    const s = await stat(f.uri.fsPath);
    f.size = s.size;
    f.mtimeMs = s.mtimeMs;
    f.statError = undefined;
  } catch (e) {
    f.size = undefined;
    f.mtimeMs = undefined;
    f.statError = describeStatError(e);
  }
}

function describeStatError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'Cannot read this file: it is a broken link or was removed.';
    case 'EACCES':
    case 'EPERM': return 'Cannot read this file: permission denied.';
    case 'ELOOP': return 'Cannot read this file: too many levels of symbolic links.';
    default: return `Cannot read this file: ${code ?? (e as Error).message}.`;
  }
}
