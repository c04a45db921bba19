// Rows × columns per file version, computed off the extension host and kept across sessions in workspace state.
import type * as vscode from 'vscode';
import type { DatasetFile } from './datasetScanner';
import type { DatasetSummary, SummarySource } from './datasetTree';

type Compute = (path: string, signal: AbortSignal) => Promise<DatasetSummary>;

const STATE_KEY = 'strata.summaries.v1';
const MAX_ENTRIES = 2000;

interface Stored { key: string; summary: DatasetSummary }

export class PersistentSummarySource implements SummarySource, vscode.Disposable {
  private readonly entries = new Map<string, DatasetSummary>();
  private readonly inflight = new Map<string, Promise<DatasetSummary>>();
  private readonly abort = new AbortController();
  private saveTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly options: { compute: Compute; state?: vscode.Memento }) {
    for (const s of options.state?.get<Stored[]>(STATE_KEY, []) ?? []) { this.entries.set(s.key, s.summary); }
  }

  cached(file: DatasetFile): DatasetSummary | undefined {
    const key = versionKey(file);
    const hit = key ? this.entries.get(key) : undefined;
    if (hit && key) { this.entries.delete(key); this.entries.set(key, hit); } // keep recently used last
    return hit;
  }

  request(file: DatasetFile): Promise<DatasetSummary> {
    const key = versionKey(file);
    if (!key) { return Promise.reject(new Error(file.statError ?? 'file could not be read')); }
    const hit = this.entries.get(key);
    if (hit) { return Promise.resolve(hit); }
    let p = this.inflight.get(key);
    if (!p) {
      p = this.options.compute(file.uri.fsPath, this.abort.signal).then(summary => {
        this.entries.set(key, summary);
        while (this.entries.size > MAX_ENTRIES) { this.entries.delete(this.entries.keys().next().value as string); }
        this.scheduleSave();
        return summary;
      }).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private scheduleSave(): void {
    if (!this.options.state || this.saveTimer) { return; }
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      const list: Stored[] = [...this.entries].map(([key, summary]) => ({ key, summary }));
      void this.options.state?.update(STATE_KEY, list);
    }, 1000);
  }

  dispose(): void {
    this.abort.abort();
    clearTimeout(this.saveTimer);
  }
}

/** A file version: same path, size and modification time means same content for our purposes. */
function versionKey(file: DatasetFile): string | undefined {
  if (file.size === undefined || file.mtimeMs === undefined) { return undefined; }
  return `${file.uri.toString()}|${file.size}|${Math.round(file.mtimeMs)}`;
}
